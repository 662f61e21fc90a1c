// Every check in lib/checks/ is run by synth: a check written but never added to CHECKS would
// pass every test of its own while synth silently skips it. Removing any entry from CHECKS
// (lib/checks/index.ts) turns this red. The guards of lib/guards/ compare with the previous
// output, so the render-and-guard step calls each one itself: dropping a call turns this red too.
import fs from 'node:fs';
import path from 'node:path';
import { CHECKS } from '../../lib/checks';
import { ROOT } from '../support/helpers';

const PIPELINE = 'lib/pipeline/render-and-guard.ts';

/** Every exported function named check* in `dir`'s *.ts, as `file:name`. */
function exportedChecks(dir: string): Array<{ file: string; name: string; fn: unknown }> {
  return fs
    .readdirSync(path.join(ROOT, dir))
    .filter((f) => f.endsWith('.ts'))
    .sort()
    .flatMap((f) => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- every module of the directory, by name
      const mod = require(path.join(ROOT, dir, f)) as Record<string, unknown>;
      return Object.entries(mod)
        .filter(([name, fn]) => /^check[A-Z]/.test(name) && typeof fn === 'function')
        .map(([name, fn]) => ({ file: `${dir}/${f}`, name, fn }));
    });
}

const CHECKS_DIR = 'lib/checks';
const GUARDS_DIR = 'lib/guards';

test('lib/checks/ and lib/guards/ export checks (the scans are not empty)', () => {
  expect(exportedChecks(CHECKS_DIR).length).toBeGreaterThanOrEqual(14);
  expect(exportedChecks(GUARDS_DIR).map((c) => c.name)).toEqual(expect.arrayContaining(['checkMigrationPhase', 'checkOrphans']));
});

test('every exported check of lib/checks/ is in CHECKS (run by synth)', () => {
  const notRun = exportedChecks(CHECKS_DIR)
    .filter(({ fn }) => !CHECKS.includes(fn as (typeof CHECKS)[number]))
    .map(({ file, name }) => `${file}: ${name}`);
  expect(notRun).toEqual([]);
});

test('CHECKS lists each check once, and every entry is an exported check of lib/checks/', () => {
  const exported = new Set(exportedChecks(CHECKS_DIR).map((c) => c.fn));
  expect(new Set(CHECKS).size).toBe(CHECKS.length);
  for (const c of CHECKS) expect(exported.has(c)).toBe(true);
});

test('every exported check of lib/guards/ is called by the render-and-guard step, and none is in CHECKS', () => {
  const source = fs.readFileSync(path.join(ROOT, PIPELINE), 'utf8');
  const notCalled = exportedChecks(GUARDS_DIR)
    .filter(({ name, fn }) => !new RegExp(`\\b${name}\\(`).test(source) || CHECKS.includes(fn as (typeof CHECKS)[number]))
    .map(({ file, name }) => `${file}: ${name}`);
  expect(notCalled).toEqual([]);
});

test('synth and check, plan and import all run that one step, on a baseline read by the one reader', () => {
  for (const file of ['main.ts', 'lib/plan/cli.ts', 'lib/import/cli.ts']) {
    const source = fs.readFileSync(path.join(ROOT, file), 'utf8');
    expect(`${file}: ${/\brenderAnd(Guard|Check)\(/.test(source)} ${/\breadBaseline\(/.test(source)}`).toBe(`${file}: true true`);
    expect(source).not.toMatch(/\brunChecks\(/);
    for (const { name } of exportedChecks(GUARDS_DIR)) expect(source).not.toMatch(new RegExp(`\\b${name}\\(`));
  }
});
