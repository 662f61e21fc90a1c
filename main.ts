// The cdk8s app and the CLI: `npm run synth [-- --config <file>] [--out <dir>] [--check [--staged]]`.
// Every failure is one line per problem on stderr, exit code 1, and the output directory untouched.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs as nodeParseArgs } from 'node:util';
import { ConfigError, parseConfig } from './lib/config/validate';
import { ConfigFileError, DEFAULT_CONFIG, loadConfigFile, parseConfigText, readConfigFile, type LoadOptions } from './lib/config/load';
import { locatePaths } from './lib/config/locate';
import type { ClusterConfig } from './lib/config/schema';
import { render, type SynthResult } from './lib/synth';
import {
  OutputError,
  compareTree,
  osErrorMessage,
  readTree,
  recoverLeftovers,
  resolveOwnedOutput,
  writeAtomically,
  type Tree,
} from './lib/output';
import { CheckError, runChecks } from './lib/checks';
import { checkOrphans, previouslyCreatedIn } from './lib/checks/orphans';
import { checkMigrationPhase, migrationNow } from './lib/migration/guard';
import { legacyBindingsIn } from './lib/blueprints/legacy';
import { blueprintsInTree } from './lib/blueprints/read';
import { GitError, stagedFile, stagedTree, headTree } from './lib/git';
import { ReadError } from './lib/readback/file';

export interface CliOptions {
  config?: string;
  out: string;
  /** The previous output the orphan guard compares with (default: `out`); 'none' for nothing. */
  baseline?: string;
  check: boolean;
  staged: boolean;
  help?: boolean;
}

export class UsageError extends Error {}

export const USAGE = `usage: npm run synth -- [--config <file>] [--out <dir>] [--baseline <dir>|none] [--check [--staged]]
  --config    cluster config: .ts, .yaml, .yml or .json (default: ${DEFAULT_CONFIG})
  --out       output directory (default: dist, or $CDK8S_OUTDIR under cdk8s synth); synth replaces it
              only when it is missing, empty or its own earlier output
  --baseline  previous output to guard against orphaned Authentik objects (default: --out);
              none: there is no previous output
  --check     render and check in memory, compare with --out, write nothing (npm run check)
  --staged    with --check: render the staged config and compare with the staged --out (pre-commit)`;

const OPTIONS = {
  config: { type: 'string' },
  out: { type: 'string' },
  baseline: { type: 'string' },
  check: { type: 'boolean' },
  staged: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
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
        `unknown argument "${flag}" (expected --config <file>, --out <dir>, --baseline <dir>|none, --check, --staged, --help)`,
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
  // `cdk8s synth` passes the output directory as CDK8S_OUTDIR.
  return {
    config: values.config,
    out: values.out ?? env.CDK8S_OUTDIR ?? 'dist',
    baseline: values.baseline,
    check: Boolean(values.check),
    staged: Boolean(values.staged),
    help: Boolean(values.help),
  };
}

/** Load and validate the config named on the command line (or the default), from disk or the git index. */
function loadConfig(opts: CliOptions, load: LoadOptions): ClusterConfig {
  const file = opts.config ?? DEFAULT_CONFIG;
  const text = opts.staged ? stagedFile(file) : readConfigFile(file);
  try {
    return parseConfig(parseConfigText(file, text, load));
  } catch (e) {
    // In a TypeScript config, say where each problem is written, like a compile error does.
    if (!(e instanceof ConfigError) || !/\.[mc]?ts$/.test(file)) throw e;
    const pathOf = (p: string) => p.slice(0, p.indexOf(': '));
    const where = locatePaths(file, text, e.problems.map(pathOf));
    throw new ConfigError(e.problems.map((p) => (where.has(pathOf(p)) ? `${file}:${where.get(pathOf(p))}: ${p}` : p)));
  }
}

/** A --baseline that does not exist must not silently turn the orphan guard off. */
function assertBaseline(opts: CliOptions): void {
  if (opts.baseline === undefined || opts.baseline === 'none') return;
  const st = fs.statSync(opts.baseline, { throwIfNoEntry: false });
  if (!st) throw new UsageError(`--baseline ${opts.baseline}: no such directory (use --baseline none when there is no previous output)`);
  if (!st.isDirectory()) throw new UsageError(`--baseline ${opts.baseline}: is a file, not a directory`);
}

/** The previous output the orphan guard reads. */
function baselineTree(opts: CliOptions, outAbs: string | undefined): Tree {
  if (opts.baseline === 'none') return new Map();
  if (opts.baseline !== undefined) return readTree(opts.baseline);
  // The commit being made replaces what HEAD has; otherwise the output being replaced.
  if (opts.staged) return headTree(opts.out);
  return outAbs ? readTree(outAbs) : new Map();
}

/** How orphan findings name the previous output. */
const baselineLabel = (opts: CliOptions): string =>
  opts.baseline !== undefined && opts.baseline !== 'none' ? opts.baseline : opts.staged ? `HEAD:${opts.out}` : opts.out;

/** The config file as data, for other entry points (npm run plan, the bench): one line on failure. */
export function loadConfigInput(file?: string): unknown {
  try {
    return loadConfigFile(file ?? DEFAULT_CONFIG);
  } catch (e) {
    throw e instanceof ConfigFileError ? new UsageError(e.message) : e;
  }
}

function reportDrift(opts: CliOptions, result: SynthResult, actual: Tree): number {
  const drift = compareTree(actual, result.files);
  const where = opts.staged ? `staged ${opts.out}/` : `${opts.out}/`;
  const n = drift.changed.length + drift.missing.length + drift.extra.length;
  if (n === 0) {
    console.log(`check: ${result.files.length} files in ${where} match a fresh synth; all checks pass`);
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
export type Plan = { code: number } | { write: () => number };

/** Parse, load, render, check, and decide where to write. Prints results; writes nothing but the cleanup of dead runs' leftovers. */
export function plan(argv: string[], load: LoadOptions = {}): Plan {
  try {
    const opts = parseArgs(argv);
    if (opts.help) {
      console.log(USAGE);
      return { code: 0 };
    }
    if (opts.out.trim() === '') throw new OutputError('--out is empty: give the output directory (for example --out dist)');
    assertBaseline(opts);
    const config = loadConfig(opts, load);
    // Where synth writes (refused before anything is read or touched when it is not its own).
    const abs = opts.check
      ? path.resolve(opts.out)
      : resolveOwnedOutput(opts.out, { cwd: process.cwd(), configFile: opts.config ?? DEFAULT_CONFIG });
    if (!opts.check) {
      recoverLeftovers(abs);
      // Ownership again: a restored tree must be one synth may replace too.
      resolveOwnedOutput(opts.out, { cwd: process.cwd(), configFile: opts.config ?? DEFAULT_CONFIG });
    }
    // The output being replaced is read back: group bindings it created are migrated (deleted),
    // and removing a service must not leave its objects behind.
    const previous = baselineTree(opts, abs);
    const previousBlueprints = blueprintsInTree(previous);
    const result = render(config, { legacyBindings: legacyBindingsIn(previousBlueprints) });
    runChecks(result);
    const guards = [
      ...checkOrphans(previouslyCreatedIn(baselineLabel(opts), previousBlueprints), result),
      ...checkMigrationPhase(previous, migrationNow(config), baselineLabel(opts)),
    ];
    if (guards.length) throw new CheckError(guards);
    if (opts.check) return { code: reportDrift(opts, result, opts.staged ? stagedTree(opts.out) : readTree(opts.out)) };
    return {
      write: () =>
        guarded(() => {
          try {
            writeAtomically(abs, result.files);
          } catch (e) {
            const why = osErrorMessage(e, `${opts.out}/`);
            throw why ? new OutputError(why) : e;
          }
          console.log(`synth: wrote ${result.files.length} files to ${opts.out}/`);
          return 0;
        }),
    };
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

/** Print a failure as one line per problem; returns the exit code. */
function report(e: unknown): number {
  if (e instanceof ConfigError) {
    for (const p of e.problems) console.error(`config error: ${p}`);
  } else if (e instanceof ConfigFileError) {
    console.error(`config error: ${e.message}`);
  } else if (e instanceof CheckError) {
    for (const f of e.findings) console.error(`check failed: ${f}`);
  } else if (e instanceof UsageError) {
    console.error(`usage error: ${e.message}`);
  } else if (e instanceof OutputError) {
    console.error(`output error: ${e.message}`);
  } else if (e instanceof GitError) {
    console.error(`git error: ${e.message}`);
  } else if (e instanceof ReadError) {
    console.error(`read error: ${e.message}`);
  } else if (osErrorMessage(e)) {
    console.error(`error: ${osErrorMessage(e)}`);
  } else {
    console.error(`internal error: ${(e as Error)?.message?.split('\n')[0] ?? String(e)} (please report this)`);
  }
  return 1;
}

/** Returns the process exit code; prints results itself. */
export function main(argv: string[]): number {
  const p = plan(argv);
  return 'code' in p ? p.code : p.write();
}

/**
 * The process entry (bin/synth.cjs): like main, but Ctrl-C (SIGINT, SIGTERM, SIGHUP) before the
 * write leaves the output as it was, and one during the write lets it finish (old or new tree,
 * never a half-written one or a temp directory).
 */
export async function runProcess(
  argv: string[],
  opts: { configCacheDir?: string; interrupted?: () => NodeJS.Signals | undefined } = {},
): Promise<number> {
  let signal: NodeJS.Signals | undefined = opts.interrupted?.();
  const onSignal = (s: NodeJS.Signals) => (signal = s);
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const s of signals) process.on(s, onSignal);
  try {
    const p = plan(argv, { cacheDir: opts.configCacheDir });
    // Rendering is synchronous: a signal that arrived meanwhile is delivered here.
    await new Promise((r) => setImmediate(r));
    signal = signal ?? opts.interrupted?.();
    if (signal) {
      console.error(`synth: interrupted (${signal}); ${'code' in p ? 'nothing was written' : 'the output was left as it was'}`);
      return 130;
    }
    return 'code' in p ? p.code : p.write();
  } finally {
    for (const s of signals) process.off(s, onSignal);
  }
}

// Run when executed (bundled as build/main.cjs or via tsx), not when imported by tests.
if (require.main === module) {
  void runProcess(process.argv.slice(2)).then((code) => (process.exitCode = code));
}

export type { SynthResult };
export { loadConfigFile, DEFAULT_CONFIG };
