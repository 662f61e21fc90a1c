// `npm run plan [-- --config <file>] [--baseline <dir>] [--format text|markdown]`: synthesize the
// config in memory (with every check synth runs) and print what replacing the baseline (default:
// the committed dist/) with it would do. Writes nothing. Exit 0 with a plan, 1 on any error.
import path from 'node:path';
import { UsageError, loadConfigInput } from '../../main';
import { ConfigError, parseConfig } from '../config/validate';
import { render } from '../synth';
import { CheckError, runChecks } from '../checks';
import { checkOrphans, previouslyCreatedIn } from '../checks/orphans';
import { legacyBindingsIn } from '../blueprints/legacy';
import { blueprintsInTree, readTree } from '../blueprints/read';
import { plan } from './index';
import { formatPlan, type PlanFormat } from './format';

export const PLAN_USAGE = `usage: npm run plan -- [--config <file.yaml|file.json>] [--baseline <dir>] [--format text|markdown]
  --config    cluster config (default: config/frank.ts)
  --baseline  the output to compare with (default: dist, the committed output)
  --format    text (default) or markdown (for a pull-request comment)`;

export function planMain(argv: string[]): number {
  const opts: { config?: string; baseline: string; format: PlanFormat } = { baseline: 'dist', format: 'text' };
  try {
    for (let i = 0; i < argv.length; i++) {
      const a = argv[i];
      const value = () => {
        const v = argv[++i];
        if (v === undefined || v.startsWith('--')) throw new Error(`${a} needs a value`);
        return v;
      };
      if (a === '--config') opts.config = value();
      else if (a === '--baseline') opts.baseline = value();
      else if (a === '--format') {
        const f = value();
        if (f !== 'text' && f !== 'markdown') throw new Error(`--format ${f}: expected text or markdown`);
        opts.format = f;
      } else if (a === '--help' || a === '-h') {
        console.log(PLAN_USAGE);
        return 0;
      } else throw new Error(`unknown argument "${a}" (expected --config <file>, --baseline <dir>, --format text|markdown, --help)`);
    }
  } catch (e) {
    console.error(`usage error: ${(e as Error).message}`);
    return 1;
  }
  try {
    const config = parseConfig(loadConfigInput(opts.config));
    const before = readTree(opts.baseline);
    const previous = blueprintsInTree(before);
    const result = render(config, { legacyBindings: legacyBindingsIn(previous) });
    runChecks(result);
    const orphans = checkOrphans(previouslyCreatedIn(opts.baseline, previous), result);
    if (orphans.length) throw new CheckError(orphans);
    const after = new Map(result.files.map((f) => [f.path, f.text]));
    const title = `unified-auth plan: ${path.normalize(opts.baseline)} -> ${opts.config ?? 'config/frank.ts'}`;
    process.stdout.write(formatPlan(plan(before, after), opts.format, title));
    return 0;
  } catch (e) {
    if (e instanceof ConfigError) for (const p of e.problems) console.error(`config error: ${p}`);
    else if (e instanceof CheckError) for (const f of e.findings) console.error(`check failed: ${f}`);
    else if (e instanceof UsageError) console.error(`usage error: ${e.message}`);
    else console.error(`internal error: ${(e as Error)?.message ?? String(e)} (please report this)`);
    return 1;
  }
}
