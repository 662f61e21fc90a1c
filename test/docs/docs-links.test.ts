// Code comments and docs point into docs/ (`docs/field-traps.md#<section>`), never outside the
// repository: every such pointer must name a file and a heading that exist.
import fs from 'node:fs';
import path from 'node:path';
import { listTree } from '../../lib/readback/tree';
import { ROOT } from '../support/helpers';

/** GitHub's heading anchor: lower case, punctuation dropped, spaces to hyphens. */
const slug = (heading: string) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-');

const anchorsOf = (file: string) =>
  new Set(
    fs
      .readFileSync(file, 'utf8')
      .split('\n')
      .filter((l) => /^#{1,6} /.test(l))
      .map((l) => slug(l.replace(/^#+ /, ''))),
  );

const SOURCE_DIRS = ['lib', 'config', 'examples', 'bin', 'bench', '.ci', 'test'];
const sources = ['main.ts', 'README.md', ...SOURCE_DIRS.flatMap((d) => listTree(path.join(ROOT, d)).map((f) => `${d}/${f}`))].filter(
  (f) => /\.(ts|cjs|md|sh)$/.test(f) || f === '.ci/run',
);

test('every docs/...#anchor in the code and README names an existing heading', () => {
  const missing: string[] = [];
  let seen = 0;
  for (const f of sources) {
    const text = fs.readFileSync(path.join(ROOT, f), 'utf8');
    for (const m of text.matchAll(/docs\/([\w-]+\.md)((?:#[\w-]+)(?:, #[\w-]+)*)/g)) {
      const doc = path.join(ROOT, 'docs', m[1]);
      if (!fs.existsSync(doc)) {
        missing.push(`${f}: docs/${m[1]} does not exist`);
        continue;
      }
      const anchors = anchorsOf(doc);
      for (const a of m[2].split(', ')) {
        seen++;
        if (!anchors.has(a.slice(1))) missing.push(`${f}: docs/${m[1]}${a} names no heading`);
      }
    }
  }
  expect(missing).toEqual([]);
  expect(seen).toBeGreaterThan(30);
});

test('links between the docs pages resolve', () => {
  const missing: string[] = [];
  for (const page of fs.readdirSync(path.join(ROOT, 'docs'))) {
    const text = fs.readFileSync(path.join(ROOT, 'docs', page), 'utf8');
    for (const m of text.matchAll(/\]\(([\w-]+\.md)(?:#([\w-]+))?\)/g)) {
      const target = path.join(ROOT, 'docs', m[1]);
      if (!fs.existsSync(target)) missing.push(`${page}: ${m[1]}`);
      else if (m[2] && !anchorsOf(target).has(m[2])) missing.push(`${page}: ${m[1]}#${m[2]}`);
    }
  }
  expect(missing).toEqual([]);
});

test('nothing points outside the repository: no design document, no path into the shared folder beside it', () => {
  const files = [...sources, ...listTree(path.join(ROOT, 'docs')).map((f) => `docs/${f}`)];
  const outside = files.flatMap((f) =>
    fs
      .readFileSync(path.join(ROOT, f), 'utf8')
      .split('\n')
      // The one exception: .ci/run sets $UPSTREAM to the folder CI has beside the repository.
      .filter((l) => /DESIGN\.md|\.\.\/shared\//.test(l) && !(f === '.ci/run' && /^UPSTREAM=/.test(l)))
      .map((l) => `${f}: ${l.trim()}`),
  );
  expect(outside).toEqual([]);
});
