// The README is the newcomer's page: short, with the two commands CI and users run kept true, and
// every guide in docs/ one click away. The guides' commands are ones package.json really has.
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from '../support/helpers';

const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const scripts = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
const pages = fs.readdirSync(path.join(ROOT, 'docs')).filter((f) => f.endsWith('.md'));

test('fits on a few screens (at most about 300 lines)', () => {
  expect(readme.split('\n').length).toBeLessThanOrEqual(300);
});

test('shows the two commands exactly, and both are what they say', () => {
  expect(readme).toMatch(/^npm ci && npm run synth {2,}# install, then synthesize/m);
  expect(readme).toMatch(/^npm test {2,}# type-check and run every test/m);
  expect(scripts.synth).toBeDefined();
  // CI runs the README's test command (.ci/run), and it type-checks as well as running Jest.
  expect(fs.readFileSync(path.join(ROOT, '.ci/run'), 'utf8')).toMatch(/^npm test\b/m);
  // The script runs test/support/npm-test.cjs: tsc --noEmit beside Jest's grouped suites.
  expect(scripts.test).toBe('node test/support/npm-test.cjs');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { STEPS } = require('../support/npm-test.cjs') as { STEPS: { argv: string[] }[] };
  expect(STEPS.map((s) => path.basename(s.argv[0]))).toEqual(['tsc', 'jest']);
  expect(STEPS[0].argv).toContain('--noEmit');
  expect(STEPS[1].argv.join(' ')).toMatch(/--config jest\.grouped\.cjs$/);
});

test('links every page in docs/, so each guide is one click away', () => {
  const linked = new Set([...readme.matchAll(/\]\(docs\/([\w-]+\.md)(?:#[\w-]+)?\)/g)].map((m) => m[1]));
  expect(pages.filter((p) => !linked.has(p))).toEqual([]);
});

test('every relative link in the README names a file that exists', () => {
  const targets = [...readme.matchAll(/\]\(((?!https?:|#)[^)#\s]+)(?:#[^)]*)?\)/g)].map((m) => m[1]);
  expect(targets.length).toBeGreaterThan(20);
  expect(targets.filter((t) => !fs.existsSync(path.join(ROOT, t)))).toEqual([]);
});

test('every npm run command in the README and the guides is a script of package.json', () => {
  const texts = [['README.md', readme], ...pages.map((p) => [`docs/${p}`, fs.readFileSync(path.join(ROOT, 'docs', p), 'utf8')])];
  const unknown = texts.flatMap(([file, text]) =>
    [...text.matchAll(/npm run (?:--silent )?([\w:-]+)/g)]
      .map((m) => m[1])
      .filter((s) => !(s in scripts))
      .map((s) => `${file}: npm run ${s}`),
  );
  expect(unknown).toEqual([]);
});

test('docs/README.md, the index of the docs, lists every page too', () => {
  const index = fs.readFileSync(path.join(ROOT, 'docs/README.md'), 'utf8');
  const linked = new Set([...index.matchAll(/\]\(([\w-]+\.md)(?:#[\w-]+)?\)/g)].map((m) => m[1]));
  expect(pages.filter((p) => p !== 'README.md' && !linked.has(p))).toEqual([]);
});
