// A synth whose output is already on disk byte for byte leaves the directory alone
// (lib/output/write.ts holdsExactly): the swap is a run's costliest system work. Every way the
// tree can differ from a fresh write must still rewrite it, so the result is the same either way.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { holdsExactly, writeAtomically } from '../../lib/output/write';
import { textFile } from '../../lib/base/file-text';

const FILES = [textFile('a.yaml', 'a: 1\n'), textFile('docs/b/c.md', '# c\n'), textFile('utf8.txt', 'é ü\n')];

let out: string;
let inode: number;
beforeEach(() => {
  out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ua-unchanged-')), 'dist');
  writeAtomically(out, FILES);
  inode = fs.statSync(out).ino;
});
afterEach(() => fs.rmSync(path.dirname(out), { recursive: true, force: true }));

test('the same files again: nothing is replaced (same directory inode)', () => {
  expect(holdsExactly(out, FILES)).toBe(true);
  writeAtomically(out, FILES);
  expect(fs.statSync(out).ino).toBe(inode);
});

// Each case changes the tree on disk; writeAtomically must then swap in a fresh tree of exactly FILES.
const DIFFERENCES: Array<[string, (dir: string) => void]> = [
  ['one byte changed', (d) => fs.writeFileSync(path.join(d, 'a.yaml'), 'a: 2\n')],
  ['same length, other bytes (size alone is not enough)', (d) => fs.writeFileSync(path.join(d, 'docs/b/c.md'), '# d\n')],
  ['a file missing', (d) => fs.rmSync(path.join(d, 'utf8.txt'))],
  ['an extra file', (d) => fs.writeFileSync(path.join(d, 'extra.yaml'), 'x: 1\n')],
  ['an empty directory', (d) => fs.mkdirSync(path.join(d, 'empty'))],
  ['an executable bit', (d) => fs.chmodSync(path.join(d, 'a.yaml'), 0o755)],
  [
    'a symbolic link with the right content',
    (d) => {
      fs.renameSync(path.join(d, 'a.yaml'), path.join(d, '..', 'a-elsewhere.yaml'));
      fs.symlinkSync(path.join(d, '..', 'a-elsewhere.yaml'), path.join(d, 'a.yaml'));
    },
  ],
  ['a directory emptied', (d) => (fs.rmSync(path.join(d, 'docs'), { recursive: true }), fs.mkdirSync(path.join(d, 'docs')))],
];

test.each(DIFFERENCES)('%s: the tree is rewritten to exactly the files', (_name, change) => {
  change(out);
  expect(holdsExactly(out, FILES)).toBe(false);
  writeAtomically(out, FILES);
  expect(fs.statSync(out).ino).not.toBe(inode);
  expect(holdsExactly(out, FILES)).toBe(true);
  const entries = (dir: string): string[] =>
    fs
      .readdirSync(dir, { withFileTypes: true })
      .flatMap((e) => (e.isDirectory() ? entries(path.join(dir, e.name)) : [path.join(dir, e.name)]));
  expect(
    entries(out)
      .map((f) => path.relative(out, f))
      .sort(),
  ).toEqual(FILES.map((f) => f.path).sort());
  expect(fs.lstatSync(path.join(out, 'a.yaml')).isSymbolicLink()).toBe(false);
});

test('a missing directory is not "the same"', () => {
  expect(holdsExactly(path.join(out, 'nope'), FILES)).toBe(false);
});
