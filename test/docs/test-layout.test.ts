// The test tree's own rules: `npm test` (jest.grouped.cjs) runs every test file exactly once,
// base names are unique (snapshots are named by them, test/snapshot-resolver.cjs), and every
// test/... path the docs, code and CI scripts name exists (test/ is organised by behaviour, and
// files move).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { listTree } from '../../lib/readback/tree';
import { ROOT } from '../support/helpers';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const layout = require('../support/test-groups.cjs') as {
  GROUPS: number;
  testFiles: () => string[];
  runsAlone: (file: string) => boolean;
  groups: () => string[][];
  groupSuite: (index: number) => string;
  readCosts: () => Record<string, number>;
  fileCost: (file: string, costs?: Record<string, number>) => number;
  suiteCosts: () => Record<string, number>;
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const CostSequencer = require('../support/test-sequencer.cjs') as new (options: object) => {
  sort: (tests: Array<{ path: string; duration?: number }>) => Array<{ path: string; duration?: number }>;
};

test('npm test runs every test file exactly once: each in one group, or alone', () => {
  const all = layout.testFiles();
  expect(all.length).toBeGreaterThan(70);
  const grouped = layout.groups().flat();
  const alone = all.filter(layout.runsAlone);
  expect([...grouped, ...alone].sort()).toEqual(all);
  expect(grouped.filter((f) => layout.runsAlone(f))).toEqual([]);
  // The plan every group suite runs is the one npm test's config made (jest.grouped.cjs globals).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  expect((require('../../jest.grouped.cjs') as { globals: { UA_TEST_GROUPS: string[][] } }).globals.UA_TEST_GROUPS).toEqual(
    layout.groups(),
  );
});

test('the suites Jest lists for npm test are the groups and the files that run alone', () => {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'node_modules/jest/bin/jest.js'), '--config', 'jest.grouped.cjs', '--listTests'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  expect(r.status).toBe(0);
  const listed = r.stdout
    .split('\n')
    .filter(Boolean)
    .map((f) => path.relative(ROOT, f))
    .sort();
  const groupSuites = Array.from({ length: layout.GROUPS }, (_, i) => `test/support/groups/group-${i + 1}.suite.ts`);
  expect(listed).toEqual([...groupSuites, ...layout.testFiles().filter(layout.runsAlone)].sort());
});

test('the CPU table (test/support/test-cpu.json) holds seconds of test files; a file it does not list yet is costed by size', () => {
  const costs = layout.readCosts();
  const all = layout.testFiles();
  expect(Object.keys(costs).length).toBeGreaterThan(all.length / 2);
  for (const [file, seconds] of Object.entries(costs)) {
    expect(file).toMatch(/^test\/.+\.test\.ts$/);
    expect(Number.isFinite(seconds) && seconds >= 0).toBe(true);
  }
  const file = all[0];
  expect(layout.fileCost(file, {})).toBeCloseTo(fs.statSync(path.join(ROOT, file)).size / 10_000);
  expect(layout.fileCost(file, { [file]: 7 })).toBe(7);
});

test('suites start costliest first: the group suites by their files, the alone files by their own cost', () => {
  const costs = layout.suiteCosts();
  const groupCost = (i: number) => costs[layout.groupSuite(i + 1)];
  layout.groups().forEach((files, i) => {
    expect(groupCost(i)).toBeGreaterThan(files.reduce((sum, f) => sum + layout.fileCost(f), 0));
  });
  const suites = [
    ...Array.from({ length: layout.GROUPS }, (_, i) => layout.groupSuite(i + 1)),
    ...layout.testFiles().filter(layout.runsAlone),
  ];
  const tests = suites.map((f) => ({ path: path.join(ROOT, f) }));
  const sorted = new CostSequencer({}).sort([...tests].reverse());
  expect(sorted.map((t) => t.path).sort()).toEqual(tests.map((t) => t.path).sort());
  const order = sorted.map((t) => costs[path.relative(ROOT, t.path)]);
  expect(order).toEqual([...order].sort((a, b) => b - a));
  expect(sorted[0].duration).toBe(order[0] * 1000);
});

test('test file base names are unique', () => {
  const byName = new Map<string, string[]>();
  for (const f of layout.testFiles()) byName.set(path.basename(f), [...(byName.get(path.basename(f)) ?? []), f]);
  expect([...byName.values()].filter((fs) => fs.length > 1)).toEqual([]);
});

test('every test/... file named in docs/, the code and the CI scripts exists', () => {
  const dirs = ['docs', 'lib', 'bin', 'bench', '.ci', 'examples', 'test'];
  const sources = ['main.ts', ...dirs.flatMap((d) => listTree(path.join(ROOT, d)).map((f) => `${d}/${f}`))].filter(
    (f) => /\.(ts|cjs|md|sh|yaml)$/.test(f) || f === '.ci/run',
  );
  const missing: string[] = [];
  let seen = 0;
  for (const f of sources) {
    const text = fs.readFileSync(path.join(ROOT, f), 'utf8');
    for (const m of text.matchAll(/(?<![\w./-])test\/[\w./-]+\.(?:ts|cjs|yaml|json|md)\b/g)) {
      seen++;
      if (!fs.existsSync(path.join(ROOT, m[0]))) missing.push(`${f}: ${m[0]}`);
    }
  }
  expect(missing).toEqual([]);
  expect(seen).toBeGreaterThan(50);
});
