// Rules read as tables (docs/design.md): no function in lib/ or main.ts is longer than
// 80 lines (blank and comment-only lines not counted, as ESLint's max-lines-per-function counts),
// unless the line above it disables the rule with the reason written beside it. `npm run lint`
// enforces the limit; this test keeps the exceptions honest without running ESLint.
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { listTree } from '../../lib/readback/tree';
import { ROOT } from '../support/helpers';

const MAX = 80;
const DISABLE = /eslint-disable-next-line max-lines-per-function(?: -- (.*))?$/;
const sources = ['main.ts', ...['lib'].flatMap((d) => listTree(path.join(ROOT, d)).map((f) => `${d}/${f}`))].filter((f) =>
  f.endsWith('.ts'),
);

/** Lines of `text` that hold code: not blank, not only a comment. */
function codeLines(text: string): number {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('//') && !l.startsWith('/*') && !l.startsWith('*')).length;
}

interface Long {
  where: string;
  lines: number;
  reason: string | undefined;
}

/** Every function-like node over the limit, with the disable comment's reason on the line above it. */
function longFunctions(file: string): Long[] {
  const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
  const src = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const lines = text.split('\n');
  const out: Long[] = [];
  const visit = (n: ts.Node) => {
    if (ts.isFunctionLike(n) && 'body' in n && n.body) {
      const count = codeLines(text.slice(n.getStart(src), n.getEnd()));
      if (count > MAX) {
        const line = src.getLineAndCharacterOfPosition(n.getStart(src)).line;
        const above = DISABLE.exec(lines[line - 1]?.trim() ?? '');
        out.push({ where: `${file}:${line + 1}`, lines: count, reason: above ? (above[1] ?? '') : undefined });
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(src);
  return out;
}

const long = sources.flatMap(longFunctions);

test('every function over 80 lines in lib/ and main.ts carries a disable with a reason', () => {
  const unexplained = long.filter((l) => l.reason === undefined || l.reason.split(/\s+/).length < 5);
  expect(unexplained.map((l) => `${l.where} (${l.lines} lines)`)).toEqual([]);
});

test('the exceptions stay few (the long rule functions are tables now)', () => {
  expect(long.length).toBeLessThanOrEqual(4);
});

test('each max-lines-per-function disable is next-line only and gives its reason', () => {
  const bad = sources.flatMap((f) =>
    fs
      .readFileSync(path.join(ROOT, f), 'utf8')
      .split('\n')
      .flatMap((l, i) =>
        /eslint-disable(?!-next-line)\S* .*max-lines-per-function|max-lines-per-function\s*$/.test(l) ? [`${f}:${i + 1}`] : [],
      ),
  );
  expect(bad).toEqual([]);
});

test('ESLint applies the limit to lib/ and main.ts', () => {
  const config = fs.readFileSync(path.join(ROOT, 'eslint.config.mjs'), 'utf8');
  expect(config).toMatch(
    /files: \['lib\/\*\*\/\*\.ts', 'main\.ts'\],\s*rules: \{ 'max-lines-per-function': \['error', \{ max: 80, skipBlankLines: true, skipComments: true \}\] \}/,
  );
});
