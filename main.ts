// The cdk8s app and the CLI: `npm run synth [-- --config <file.yaml|json>] [--out <dir>] [--check]`.
// Every failure is one line per problem on stderr, exit code 1, and the output directory untouched.
import fs from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import { frank } from './config/frank';
import { ConfigError, parseConfig } from './lib/config/validate';
import { render } from './lib/synth';
import { compareTree, writeAtomically } from './lib/output';
import { CheckError, runChecks } from './lib/checks';
import { checkOrphans, previouslyCreatedIn } from './lib/checks/orphans';
import { legacyBindingsIn } from './lib/blueprints/legacy';
import { readBlueprints } from './lib/blueprints/read';

export interface CliOptions {
  config?: string;
  out: string;
  /** The previous output the orphan guard compares with (default: `out`). */
  baseline?: string;
  check: boolean;
  help?: boolean;
}

export class UsageError extends Error {}

export const USAGE = `usage: npm run synth -- [--config <file.yaml|file.json>] [--out <dir>] [--baseline <dir>] [--check]
  --config    cluster config (default: config/frank.ts)
  --out       output directory (default: dist, or $CDK8S_OUTDIR under cdk8s synth)
  --baseline  previous output to guard against orphaned Authentik objects (default: --out)
  --check     render and check in memory, compare with --out, write nothing (npm run check)`;

export function parseArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): CliOptions {
  // `cdk8s synth` passes the output directory as CDK8S_OUTDIR.
  const opts: CliOptions = { out: env.CDK8S_OUTDIR || 'dist', check: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new UsageError(`${a} needs a value`);
      return v;
    };
    if (a === '--config') opts.config = value();
    else if (a === '--out') opts.out = value();
    else if (a === '--baseline') opts.baseline = value();
    else if (a === '--check') opts.check = true;
    else if (a === '--help' || a === '-h') opts.help = true;
    else throw new UsageError(`unknown argument "${a}" (expected --config <file>, --out <dir>, --baseline <dir>, --check, --help)`);
  }
  return opts;
}

/** Load a YAML or JSON config file; the default is config/frank.ts, compiled in. */
export function loadConfigInput(file?: string): unknown {
  if (!file) return frank;
  if (!/\.(ya?ml|json)$/.test(file)) throw new UsageError(`--config ${file}: expected a .yaml, .yml or .json file`);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new UsageError(`--config ${file}: cannot read the file`);
  }
  try {
    return file.endsWith('.json') ? JSON.parse(text) : yaml.load(text);
  } catch (e) {
    const reason = (e as Error).message.split('\n')[0];
    throw new UsageError(`--config ${file}: not valid ${file.endsWith('.json') ? 'JSON' : 'YAML'}: ${reason}`);
  }
}

/** Returns the process exit code; prints results itself. */
export function main(argv: string[]): number {
  try {
    const opts = parseArgs(argv);
    if (opts.help) {
      console.log(USAGE);
      return 0;
    }
    const config = parseConfig(loadConfigInput(opts.config));
    const previous = opts.baseline ?? opts.out;
    // The output being replaced is read back: group bindings it created are migrated (deleted),
    // and removing a service must not leave its objects behind.
    const previousBlueprints = readBlueprints(previous);
    const result = render(config, { legacyBindings: legacyBindingsIn(previousBlueprints) });
    runChecks(result);
    const orphans = checkOrphans(previouslyCreatedIn(previous, previousBlueprints), result);
    if (orphans.length) throw new CheckError(orphans);
    if (opts.check) {
      const drift = compareTree(opts.out, result.files);
      const n = drift.changed.length + drift.missing.length + drift.extra.length;
      if (n === 0) {
        console.log(`check: ${result.files.length} files in ${opts.out}/ match a fresh synth; all checks pass`);
        return 0;
      }
      for (const f of drift.changed) console.error(`drift: ${path.join(opts.out, f)} differs from a fresh synth`);
      for (const f of drift.missing) console.error(`drift: ${path.join(opts.out, f)} is missing`);
      for (const f of drift.extra) console.error(`drift: ${path.join(opts.out, f)} is stale (no longer generated)`);
      console.error(`check: ${n} file(s) out of date; run npm run synth and commit ${opts.out}/`);
      return 1;
    }
    writeAtomically(opts.out, result.files);
    console.log(`synth: wrote ${result.files.length} files to ${opts.out}/`);
    return 0;
  } catch (e) {
    if (e instanceof ConfigError) {
      for (const p of e.problems) console.error(`config error: ${p}`);
    } else if (e instanceof CheckError) {
      for (const f of e.findings) console.error(`check failed: ${f}`);
    } else if (e instanceof UsageError) {
      console.error(`usage error: ${e.message}`);
    } else {
      console.error(`internal error: ${(e as Error)?.message ?? String(e)} (please report this)`);
    }
    return 1;
  }
}

// Run when executed (bundled as build/main.cjs or via tsx), not when imported by tests.
if (require.main === module) {
  process.exitCode = main(process.argv.slice(2));
}
