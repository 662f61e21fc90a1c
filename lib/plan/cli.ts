// `npm run plan [-- --config <file>] [--baseline <dir>] [--format text|markdown]`: synthesize the
// config in memory (with every check synth runs) and print what replacing the baseline (default:
// the committed dist/) with it would do. Writes nothing. Exit 0 with a plan, 1 on any error.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { UsageError } from '../base/errors';
import { report } from '../pipeline/report';
import { loadConfigWithInput } from '../pipeline/config';
import { readBaseline } from '../pipeline/baseline';
import { stateBaseline, stateUse } from '../pipeline/state-use';
import { renderAndGuard } from '../pipeline/render-and-guard';
import { plan } from './index';
import { formatPlan, type PlanFormat } from './format';
import { versionLine } from '../base/version';
import { readPointer } from '../config/pointer';
import { followOutput } from '../pipeline/git-path';
import { DEFAULT_CONFIG } from '../config/load';

export const PLAN_USAGE = `usage: npm run plan -- [--config <file.yaml|file.json>] [--baseline <dir>] [--format text|markdown]
  --config    cluster config (default: the one unified-auth.json names, else config/frank.ts)
  --baseline  the output to compare with (default: that config's output, else dist, the committed
              output); none: a first install
  --format    text (default) or markdown (for a pull-request comment)
  --version   print the tool's version`;

const PLAN_OPTIONS = {
  config: { type: 'string' },
  baseline: { type: 'string' },
  format: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
} as const;

function planArgs(argv: string[]): { config?: string; baseline: string; format: PlanFormat; help?: boolean; version?: boolean } {
  let values: ReturnType<typeof parseArgs<{ args: string[]; options: typeof PLAN_OPTIONS; strict: true }>>['values'];
  try {
    ({ values } = parseArgs({ args: argv, options: PLAN_OPTIONS, strict: true, allowPositionals: false }));
  } catch (e) {
    throw new UsageError((e as Error).message.split('\n')[0]);
  }
  const format = values.format ?? 'text';
  if (format !== 'text' && format !== 'markdown') throw new UsageError(`--format ${format}: expected text or markdown`);
  if (values.baseline !== undefined && values.baseline.trim() === '')
    throw new UsageError('--baseline is empty: give the output to compare with');
  // No --config: the cluster unified-auth.json names, compared with its output (npm run init writes it).
  const pointer = values.config === undefined && !values.help && !values.version ? readPointer() : undefined;
  return {
    config: values.config ?? pointer?.config,
    baseline: values.baseline ?? pointer?.out ?? 'dist',
    format,
    help: values.help,
    version: values.version,
  };
}

export function planMain(argv: string[]): number {
  try {
    const opts = planArgs(argv);
    if (opts.help || opts.version) {
      console.log(opts.help ? PLAN_USAGE : versionLine());
      return 0;
    }
    // The same step synth runs: a baseline that cannot be read completely is an error, never empty.
    const compared = readBaseline(opts.baseline === 'none' ? { kind: 'none' } : { kind: 'dir', dir: opts.baseline, label: opts.baseline });
    const loaded = loadConfigWithInput(opts.config);
    // What was created is the state synth recorded for that output, as in synth (docs/state.md).
    const state = opts.baseline === 'none' ? undefined : stateUse(opts.config ?? DEFAULT_CONFIG, loaded.config, opts.baseline);
    const recorded = state && stateBaseline(state, opts.baseline);
    // A state an older version wrote records no identities: the compared output's stand in (docs/state.md).
    const baseline =
      recorded?.kind === 'state'
        ? {
            ...compared,
            label: recorded.label,
            recorded: { ...recorded.recorded, identities: recorded.recorded.identities ?? compared.recorded.identities },
          }
        : compared;
    // git.path follows the compared output's place in the repository where the config leaves it out.
    const config = followOutput(loaded.input, loaded.config, opts.baseline);
    const result = renderAndGuard({ config, baseline, passThrough: loaded.passThrough });
    const after = new Map(result.files.map((f) => [f.path, f.text]));
    const title = `unified-auth plan: ${path.normalize(opts.baseline)} -> ${opts.config ?? 'config/frank.ts'}`;
    process.stdout.write(formatPlan(plan(baseline.tree, after), opts.format, title));
    return 0;
  } catch (e) {
    return report(e);
  }
}
