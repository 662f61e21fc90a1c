// `npm run plan [-- --config <file>] [--baseline <dir>] [--format text|markdown]`: synthesize the
// config in memory (with every check synth runs) and print what replacing the baseline (default:
// the committed dist/) with it would do. Writes nothing. Exit 0 with a plan, 1 on any error.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { UsageError, loadConfigInput } from '../../main';
import { ConfigError, parseConfig } from '../config/validate';
import { render } from '../synth';
import { CheckError, runChecks } from '../checks';
import { checkOrphans, previouslyCreatedIn } from '../checks/orphans';
import { legacyBindingsIn } from '../blueprints/legacy';
import { blueprintsInTree } from '../blueprints/read';
import { readTree } from '../readback/tree';
import { plan } from './index';
import { checkMigrationPhase, migrationNow } from '../migration/guard';
import { formatPlan, type PlanFormat } from './format';
import { ReadError } from '../readback/file';
import { osErrorMessage } from '../os/errors';

export const PLAN_USAGE = `usage: npm run plan -- [--config <file.yaml|file.json>] [--baseline <dir>] [--format text|markdown]
  --config    cluster config (default: config/frank.ts)
  --baseline  the output to compare with (default: dist, the committed output)
  --format    text (default) or markdown (for a pull-request comment)`;

export function planMain(argv: string[]): number {
  let opts: { config?: string; baseline: string; format: PlanFormat };
  try {
    const { values } = parseArgs({
      args: argv,
      options: {
        config: { type: 'string' },
        baseline: { type: 'string' },
        format: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    });
    if (values.help) {
      console.log(PLAN_USAGE);
      return 0;
    }
    const format = values.format ?? 'text';
    if (format !== 'text' && format !== 'markdown') throw new Error(`--format ${format}: expected text or markdown`);
    opts = { config: values.config, baseline: values.baseline ?? 'dist', format };
  } catch (e) {
    console.error(`usage error: ${(e as Error).message.split('\n')[0]}`);
    return 1;
  }
  try {
    const config = parseConfig(loadConfigInput(opts.config));
    const before = readTree(opts.baseline);
    const previous = blueprintsInTree(before);
    const result = render(config, { legacyBindings: legacyBindingsIn(previous) });
    runChecks(result);
    const guards = [
      ...checkOrphans(previouslyCreatedIn(opts.baseline, previous), result),
      ...checkMigrationPhase(before, migrationNow(config), opts.baseline),
    ];
    if (guards.length) throw new CheckError(guards);
    const after = new Map(result.files.map((f) => [f.path, f.text]));
    const title = `unified-auth plan: ${path.normalize(opts.baseline)} -> ${opts.config ?? 'config/frank.ts'}`;
    process.stdout.write(formatPlan(plan(before, after), opts.format, title));
    return 0;
  } catch (e) {
    if (e instanceof ConfigError) for (const p of e.problems) console.error(`config error: ${p}`);
    else if (e instanceof CheckError) for (const f of e.findings) console.error(`check failed: ${f}`);
    else if (e instanceof UsageError) console.error(`usage error: ${e.message}`);
    else if (e instanceof ReadError) console.error(`read error: ${e.message}`);
    else if (osErrorMessage(e)) console.error(`error: ${osErrorMessage(e)}`);
    else console.error(`internal error: ${(e as Error)?.message ?? String(e)} (please report this)`);
    return 1;
  }
}
