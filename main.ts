// The cdk8s app and the CLI: `npm run synth [-- --config <file>] [--out <dir>] [--check [--staged]]`.
// Every failure is one line per problem on stderr, exit code 1, and the output directory untouched.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs as nodeParseArgs } from 'node:util';
import { DEFAULT_CONFIG, loadConfigFile, type LoadOptions } from './lib/config/load';
import { resolveGitPath } from './lib/pipeline/git-path';
import { POINTER_FILE, readPointer } from './lib/config/pointer';
import type { PrebootedWorker } from './lib/config/evaluate';
import type { SynthResult } from './lib/output/render';
import {
  OutputError,
  changedSinceWritten,
  compareTree,
  findLeftovers,
  removeLeftovers,
  resolveOwnedOutput,
  writeAtomically,
  type Leftovers,
} from './lib/output/write';
import { osErrorMessage } from './lib/os/errors';
import { readTree, type Tree } from './lib/readback/tree';
import { stagedTree, headTree, isStaged, stagedFile } from './lib/previous/git';
import { UsageError } from './lib/base/errors';
import { report } from './lib/pipeline/report';
import { loadConfigInput, loadConfigWithInput } from './lib/pipeline/config';
import { assertBaselineDir, readBaseline, type BaselineSource } from './lib/pipeline/baseline';
import { renderAndGuard } from './lib/pipeline/render-and-guard';
import { listenForSignals, signalExitCode } from './lib/base/signals';
import { versionLine } from './lib/base/version';
import { recordsNoIdentities, stateBaseline, stateTextFor, stateUse, writesState, type StateUse } from './lib/pipeline/state-use';
import { writeState } from './lib/state/file';

export interface CliOptions {
  config?: string;
  out: string;
  /** The previous output the orphan guard compares with (default: `out`); 'none' for nothing. */
  baseline?: string;
  check: boolean;
  staged: boolean;
  help?: boolean;
  version?: boolean;
}

export const USAGE = `usage: npm run synth -- [--config <file>] [--out <dir>] [--baseline <dir>|none] [--check [--staged]]
  --config    cluster config: .ts, .yaml, .yml or .json (default: the one ${POINTER_FILE} names, else ${DEFAULT_CONFIG})
  --out       output directory (default: the one ${POINTER_FILE} names, else dist, or $CDK8S_OUTDIR under
              cdk8s synth); the Applications' git.path follows it inside the repository; synth replaces it
              only when it is missing, empty or its own earlier output
  --baseline  previous output to guard against orphaned Authentik objects (default: the state file
              beside the config, <config>.state.json, docs/state.md; without one, --out);
              none: there is no previous output
  --check     render and check in memory, compare with --out, write nothing (npm run check)
  --staged    with --check: render the staged config and compare with the staged --out (pre-commit)
  --version   print the tool's version`;

const OPTIONS = {
  config: { type: 'string' },
  out: { type: 'string' },
  baseline: { type: 'string' },
  check: { type: 'boolean' },
  staged: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
} as const;

export function parseArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): CliOptions {
  let values: { [K in keyof typeof OPTIONS]?: (typeof OPTIONS)[K]['type'] extends 'string' ? string : boolean };
  try {
    ({ values } = nodeParseArgs({ args: argv, options: OPTIONS, strict: true, allowPositionals: false }));
  } catch (e) {
    const code = (e as { code?: string }).code;
    const msg = (e as Error).message;
    const flag = /'(-{1,2}[^' ]+)/.exec(msg)?.[1] ?? /"(-{1,2}[^" ]+)/.exec(msg)?.[1] ?? argv.find((a) => a.startsWith('-')) ?? '';
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION')
      throw new UsageError(
        `unknown argument "${flag}" (expected --config <file>, --out <dir>, --baseline <dir>|none, --check, --staged, --help, --version)`,
      );
    if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL')
      throw new UsageError(`unexpected argument "${/'([^']*)'/.exec(msg)?.[1] ?? ''}" (every option is --name <value> or --name=<value>)`);
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
      // A string option without a value (`--config` last) or a boolean given one (`--check=yes`).
      const name = /--([a-z]+)/.exec(msg)?.[1] ?? flag.replace(/^-+/, '');
      const type = (OPTIONS as Record<string, { type: string }>)[name]?.type;
      throw new UsageError(type === 'boolean' ? `--${name} takes no value` : `--${name} needs a value`);
    }
    throw new UsageError(msg.split('\n')[0]);
  }
  // `--config --out x` would take "--out" as the config file: that is a missing value.
  for (const k of ['config', 'out', 'baseline'] as const) {
    const v = values[k];
    if (v !== undefined && v.startsWith('--')) throw new UsageError(`--${k} needs a value`);
  }
  if (values.config !== undefined && values.config.trim() === '') {
    throw new UsageError('--config is empty: give a config file (or leave --config out for config/frank.ts)');
  }
  if (values.baseline !== undefined && values.baseline.trim() === '') {
    throw new UsageError('--baseline is empty: give the previous output directory, or --baseline none');
  }
  if (values.staged && !values.check) throw new UsageError('--staged only works with --check (npm run check -- --staged)');
  // No --config: the cluster unified-auth.json names (npm run init writes it), with its output;
  // with --staged the pointer the commit holds, like the config and state read after it.
  const pointer =
    values.config === undefined && !values.help && !values.version
      ? readPointer(process.cwd(), values.staged ? stagedText : undefined)
      : undefined;
  // `cdk8s synth` passes the output directory as CDK8S_OUTDIR.
  if (
    pointer &&
    values.out === undefined &&
    env.CDK8S_OUTDIR !== undefined &&
    path.resolve(env.CDK8S_OUTDIR) !== path.resolve(pointer.out)
  ) {
    throw new UsageError(
      `cdk8s synth writes to ${env.CDK8S_OUTDIR} but ${POINTER_FILE} names ${pointer.out}: set output: ${pointer.out} in cdk8s.yaml, or use npm run synth`,
    );
  }
  return {
    config: values.config ?? pointer?.config,
    out: values.out ?? env.CDK8S_OUTDIR ?? pointer?.out ?? 'dist',
    baseline: values.baseline,
    check: Boolean(values.check),
    staged: Boolean(values.staged),
    help: Boolean(values.help),
    version: Boolean(values.version),
  };
}

/**
 * What the guards read as created before: --baseline, the output's state file (docs/state.md), or
 * (no state file yet) HEAD's output for a commit being made, the output being replaced, or (no
 * output, a killed run's swap) the previous tree that run left.
 */
function baselineSource(opts: CliOptions, outAbs: string, left: Leftovers, state: StateUse): BaselineSource {
  if (opts.baseline === 'none') return { kind: 'none' };
  if (opts.baseline !== undefined) return { kind: 'dir', dir: opts.baseline, label: opts.baseline };
  const recorded = stateBaseline(state, opts.out);
  if (recorded) return recorded;
  if (opts.staged) return { kind: 'tree', tree: headTree(opts.out), label: `HEAD:${opts.out}` };
  if (fs.existsSync(outAbs)) return { kind: 'dir', dir: outAbs, label: opts.out };
  if (left.previous) return { kind: 'dir', dir: left.previous, label: path.relative(process.cwd(), left.previous) };
  return { kind: 'none' };
}

/** A state an older version wrote (docs/state.md, upgrading a state): read once as it is, then upgraded. */
const NO_IDENTITIES = 'was written by an older version and records no identities: the identity guard had nothing to compare with this once';

/** What the run says about the state file besides writing it (migration from an output without one, a preview elsewhere). */
function stateNote(opts: CliOptions, state: StateUse, source: BaselineSource): string | undefined {
  if (state.state && !state.belongs)
    return `${state.file} records another output (${state.state.out}): ${opts.out} is compared with what it holds, and the state is left as it is`;
  if (state.state) return recordsNoIdentities(state) ? `${state.file} ${NO_IDENTITIES}; recorded them now` : undefined;
  if (!state.creates) return `${opts.out} is outside ${state.file}'s repository (a preview): compared with what it holds, no state written`;
  return source.kind === 'none'
    ? `${state.file} starts empty: nothing was created before`
    : `no ${state.file} yet: read ${source.label} once as what was created, and recorded it there`;
}

/** The state file against what a fresh synth would write (the staged one with --staged). */
function stateDrift(opts: CliOptions, state: StateUse, text: string | undefined, actual: string | undefined): string[] {
  if (!state.belongs || text === undefined || actual === text) return [];
  return [`drift: ${state.file} differs from a fresh synth; run npm run synth and ${opts.staged ? 'git add' : 'commit'} it`];
}

function reportDrift(opts: CliOptions, result: SynthResult, actual: Tree, noted = '', stateLines: string[] = []): number {
  const drift = compareTree(actual, result.files);
  const where = opts.staged ? `staged ${opts.out}/` : `${opts.out}/`;
  const n = drift.changed.length + drift.missing.length + drift.extra.length + stateLines.length;
  for (const l of stateLines) console.error(l);
  if (n === 0) {
    console.log(`check: ${result.files.length} files in ${where} match a fresh synth; all checks pass${noted}`);
    return 0;
  }
  for (const f of drift.changed) console.error(`drift: ${path.join(opts.out, f)} differs from a fresh synth`);
  for (const f of drift.missing) console.error(`drift: ${path.join(opts.out, f)} is missing`);
  for (const f of drift.extra) console.error(`drift: ${path.join(opts.out, f)} is stale (no longer generated)`);
  const fix = opts.staged ? `run npm run synth and git add ${opts.out}/` : `run npm run synth and commit ${opts.out}/`;
  console.error(`check: ${n} file(s) out of date; ${fix}`);
  return 1;
}

/** A synth ready to write: everything rendered and checked, nothing touched yet. */
export type SynthRun = { code: number } | { write: () => number };

/** Write the checked tree, then clean up what dead runs left; one line per thing done. */
function write(opts: CliOptions, abs: string, left: Leftovers, result: SynthResult, noted: string, state?: NewState): number {
  const edited = changedSinceWritten(abs);
  try {
    writeAtomically(abs, result.files);
    // Right after the output: a run killed between the two leaves the older state, which still
    // lists everything the new output's objects were guarded against.
    if (state) writeState(state.file, state.text);
  } catch (e) {
    const why = osErrorMessage(e, `${opts.out}/`);
    throw why ? new OutputError(why) : e;
  }
  for (const f of edited)
    console.error(
      `warning: ${path.join(opts.out, f)} was changed since synth wrote it (a hand edit or a merge conflict); replaced by the generated file`,
    );
  for (const line of removeLeftovers(left)) console.log(`synth: ${line}`);
  if (state?.note) console.log(`synth: ${state.note}`);
  console.log(`synth: wrote ${result.files.length} files to ${opts.out}/${noted}`);
  return 0;
}

interface NewState {
  file: string;
  text: string;
  note?: string;
}

/** A file as the commit holds it, or undefined when it is not in the index (the state, the pointer). */
const stagedText = (file: string): string | undefined => (isStaged(file) ? stagedFile(file) : undefined);

/** Parse, load, render, check, and decide where to write. Prints results; writes nothing. */
export function prepareSynth(argv: string[], load: LoadOptions = {}): SynthRun {
  try {
    const opts = parseArgs(argv);
    if (opts.help || opts.version) {
      console.log(opts.help ? USAGE : versionLine());
      return { code: 0 };
    }
    if (opts.out.trim() === '') throw new OutputError('--out is empty: give the output directory (for example --out dist)');
    // A bad --baseline is reported before the config is loaded.
    if (opts.baseline !== undefined && opts.baseline !== 'none') assertBaselineDir(opts.baseline);
    const loaded = loadConfigWithInput(opts.config, { staged: opts.staged, load });
    // Where synth writes (refused before anything is read or touched when it is not its own).
    const abs = opts.check
      ? path.resolve(opts.out)
      : resolveOwnedOutput(opts.out, { cwd: process.cwd(), configFile: opts.config ?? DEFAULT_CONFIG });
    // The Applications point where the output is written (lib/pipeline/git-path.ts).
    const { config, note } = resolveGitPath(loaded.input, loaded.config, opts.out);
    const noted = note ? ` (${note})` : '';
    const left: Leftovers = opts.check ? { dead: [] } : findLeftovers(abs);
    // The recorded state (docs/state.md): read completely before anything is rendered.
    const state = stateUse(
      opts.config ?? DEFAULT_CONFIG,
      config,
      opts.out,
      opts.staged ? stagedText : undefined,
      opts.baseline === undefined,
    );
    const source = baselineSource(opts, abs, left, state);
    const result = renderAndGuard({ config, baseline: readBaseline(source), passThrough: loaded.passThrough });
    const files: Tree = new Map(result.files.map((f) => [f.path, f.text]));
    const text = writesState(state) ? stateTextFor(state, opts.out, config, files) : undefined;
    if (opts.check) {
      // Without a state file yet, say what the guards compared with (synth records it; docs/state.md).
      if (!state.state && state.creates)
        console.log(
          `check: no ${state.file} yet: compared with ${source.kind === 'none' ? 'nothing (a first install)' : source.label} as what was created; npm run synth records it`,
        );
      if (recordsNoIdentities(state)) console.log(`check: ${state.file} ${NO_IDENTITIES}; npm run synth records them`);
      const out = opts.staged ? stagedTree(opts.out) : readTree(opts.out);
      return { code: reportDrift(opts, result, out, noted, stateDrift(opts, state, text, state.text)) };
    }
    const next = text === undefined ? undefined : { file: state.file, text, note: stateNote(opts, state, source) };
    if (!next) console.log(`synth: ${stateNote(opts, state, source)}`);
    return { write: () => guarded(() => write(opts, abs, left, result, noted, next)) };
  } catch (e) {
    return { code: report(e) };
  }
}

function guarded(run: () => number): number {
  try {
    return run();
  } catch (e) {
    return report(e);
  }
}

/** Returns the process exit code; prints results itself. */
export function main(argv: string[]): number {
  const p = prepareSynth(argv);
  return 'code' in p ? p.code : p.write();
}

/**
 * The process entry (bin/synth.cjs): like main, but Ctrl-C (SIGINT, SIGTERM, SIGHUP) before the
 * write leaves the output as it was, and one during the write lets it finish (old or new tree,
 * never a half-written one or a temp directory).
 */
export async function runProcess(
  argv: string[],
  opts: { configCacheDir?: string; configWorker?: PrebootedWorker; interrupted?: () => NodeJS.Signals | undefined } = {},
): Promise<number> {
  const signals = listenForSignals(opts.interrupted);
  try {
    const p = prepareSynth(argv, { cacheDir: opts.configCacheDir, worker: opts.configWorker });
    // Ctrl-C while the config was evaluated: its line is printed already (lib/config/evaluate.ts).
    if ('code' in p && p.code === 130) return 130;
    // Rendering is synchronous: a signal that arrived meanwhile is delivered here.
    await new Promise((r) => setImmediate(r));
    const signal = signals.received();
    if (signal) {
      console.error(`synth: interrupted (${signal}); ${'code' in p ? 'nothing was written' : 'the output was left as it was'}`);
      return signalExitCode(signal);
    }
    return 'code' in p ? p.code : p.write();
  } finally {
    signals.stop();
  }
}

// Run when executed (bundled as build/main.cjs or via tsx), not when imported by tests.
if (require.main === module) {
  void runProcess(process.argv.slice(2)).then((code) => (process.exitCode = code));
}

export type { SynthResult };
export { loadConfigFile, loadConfigInput, DEFAULT_CONFIG, UsageError };
// bench/render.cjs times the stages of a synth one by one through this bundle.
export { render } from './lib/output/render';
export { findings } from './lib/checks';
export { loadConfigWithInput, readBaseline };
