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
};

test('npm test runs every test file exactly once: each in one group, or alone', () => {
  const all = layout.testFiles();
  expect(all.length).toBeGreaterThan(70);
  const grouped = layout.groups().flat();
  const alone = all.filter(layout.runsAlone);
  expect([...grouped, ...alone].sort()).toEqual(all);
  expect(grouped.filter((f) => layout.runsAlone(f))).toEqual([]);
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
