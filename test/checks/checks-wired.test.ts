// Every check in lib/checks/ is run by synth: a check written but never added to CHECKS would
// pass every test of its own while synth silently skips it. Removing any entry from CHECKS
// (lib/checks/index.ts) turns this red.
import fs from 'node:fs';
import path from 'node:path';
import { CHECKS } from '../../lib/checks';
import { ROOT } from '../support/helpers';

/** Checks the shared render-and-guard step runs itself, outside CHECKS, and why. */
const RUN_BY_MAIN: Record<string, string> = {
  checkOrphans: 'needs the previous output (--baseline / the directory being replaced); orphans.test.ts runs it through main',
};
const PIPELINE = 'lib/pipeline/render-and-guard.ts';

const DIR = path.join(ROOT, 'lib/checks');

/** Every exported function named check* in lib/checks/*.ts, as `file:name`. */
function exportedChecks(): Array<{ file: string; name: string; fn: unknown }> {
  return fs
    .readdirSync(DIR)
    .filter((f) => f.endsWith('.ts'))
    .sort()
    .flatMap((f) => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- every module of the directory, by name
      const mod = require(path.join(DIR, f)) as Record<string, unknown>;
      return Object.entries(mod)
        .filter(([name, fn]) => /^check[A-Z]/.test(name) && typeof fn === 'function')
        .map(([name, fn]) => ({ file: f, name, fn }));
    });
}

test('lib/checks/ exports checks (the scan is not empty)', () => {
  expect(exportedChecks().length).toBeGreaterThanOrEqual(14);
});

test('every exported check is in CHECKS (run by synth) or run by main for a stated reason', () => {
  const notRun = exportedChecks()
    .filter(({ name, fn }) => !CHECKS.includes(fn as (typeof CHECKS)[number]) && !(name in RUN_BY_MAIN))
    .map(({ file, name }) => `${file}: ${name}`);
  expect(notRun).toEqual([]);
});

test('CHECKS lists each check once, and every entry is an exported check', () => {
  const exported = new Set(exportedChecks().map((c) => c.fn));
  expect(new Set(CHECKS).size).toBe(CHECKS.length);
  for (const c of CHECKS) expect(exported.has(c)).toBe(true);
});

test('the checks run outside CHECKS are really called by the render-and-guard step', () => {
  const source = fs.readFileSync(path.join(ROOT, PIPELINE), 'utf8');
  for (const name of Object.keys(RUN_BY_MAIN)) expect(source).toMatch(new RegExp(`\\b${name}\\(`));
});

test('synth and check, plan and import all run that one step, on a baseline read by the one reader', () => {
  for (const file of ['main.ts', 'lib/plan/cli.ts', 'lib/import/cli.ts']) {
    const source = fs.readFileSync(path.join(ROOT, file), 'utf8');
    expect(`${file}: ${/\brenderAnd(Guard|Check)\(/.test(source)} ${/\breadBaseline\(/.test(source)}`).toBe(`${file}: true true`);
    expect(source).not.toMatch(/\b(runChecks|checkOrphans|checkMigrationPhase)\(/);
  }
});
