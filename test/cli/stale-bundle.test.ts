// bin/build.cjs rebuilds a bundle when a source changed after it was built (isStale): an edited
// file at any depth, a new file (even one that kept an old mtime) and a deleted one all count.
// In-process, on a copy of bin/build.cjs in a scratch project: isStale reads the tree around it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from '../support/helpers';

let proj: string;
let isStale: (name?: string) => boolean;
/** Sources older than the bundle, the bundle older than now (so any change made now is newer). */
const SOURCES_AT = Date.now() / 1000 - 2000;
const BUILT_AT = Date.now() / 1000 - 1000;

const FILES = ['main.ts', 'lib/index.ts', 'lib/config/schema.ts', 'lib/config/deep/rule.ts', 'imports/k8s.ts', 'package-lock.json'];

beforeEach(() => {
  proj = fs.mkdtempSync(path.join(os.tmpdir(), 'stale-bundle-'));
  fs.mkdirSync(path.join(proj, 'bin'));
  fs.copyFileSync(path.join(ROOT, 'bin/build.cjs'), path.join(proj, 'bin/build.cjs'));
  for (const f of FILES) {
    fs.mkdirSync(path.dirname(path.join(proj, f)), { recursive: true });
    fs.writeFileSync(path.join(proj, f), `// ${f}\n`);
  }
  // Files first, then their directories (writing a file changes its directory's mtime).
  const all = [...FILES, 'bin/build.cjs', 'lib/config/deep', 'lib/config', 'lib', 'imports'];
  for (const f of all) fs.utimesSync(path.join(proj, f), SOURCES_AT, SOURCES_AT);
  fs.mkdirSync(path.join(proj, 'build'));
  fs.writeFileSync(path.join(proj, 'build/main.cjs'), '');
  fs.utimesSync(path.join(proj, 'build/main.cjs'), BUILT_AT, BUILT_AT);
  // Each test's copy has a path of its own (a new temporary project), so require() loads it anew.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  ({ isStale } = require(path.join(proj, 'bin/build.cjs')) as { isStale: (name?: string) => boolean });
});
afterEach(() => fs.rmSync(proj, { recursive: true, force: true }));

test('a bundle newer than every source is current; one never built is stale', () => {
  expect(isStale()).toBe(false);
  expect(isStale('plan')).toBe(true);
});

test.each([
  ['a file edited in a subfolder', () => fs.appendFileSync(path.join(proj, 'lib/config/deep/rule.ts'), '// edited\n')],
  ['a file edited at the top', () => fs.appendFileSync(path.join(proj, 'main.ts'), '// edited\n')],
  ['package-lock.json edited', () => fs.appendFileSync(path.join(proj, 'package-lock.json'), '\n')],
  ['bin/build.cjs edited', () => fs.appendFileSync(path.join(proj, 'bin/build.cjs'), '\n')],
  ['a file deleted in a subfolder', () => fs.rmSync(path.join(proj, 'lib/config/deep/rule.ts'))],
  [
    'a new file that kept an old mtime',
    () => {
      const file = path.join(proj, 'lib/config/deep/moved.ts');
      fs.writeFileSync(file, '// moved in\n');
      fs.utimesSync(file, SOURCES_AT, SOURCES_AT);
    },
  ],
  ['a directory deleted', () => fs.rmSync(path.join(proj, 'lib/config/deep'), { recursive: true })],
])('%s: the bundle is stale', (_what, change) => {
  expect(isStale()).toBe(false);
  change();
  expect(isStale()).toBe(true);
});

test('a file outside the sources (a test, the docs) does not make it stale', () => {
  fs.mkdirSync(path.join(proj, 'test'));
  fs.writeFileSync(path.join(proj, 'test', 'added.test.ts'), '// new\n');
  fs.writeFileSync(path.join(proj, 'README.md'), '# new\n');
  expect(isStale()).toBe(false);
});
