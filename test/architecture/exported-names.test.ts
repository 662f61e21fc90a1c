// One name, one meaning: every name lib/ exports is declared by one module, and importers reach it
// there, not through a second module that re-exports it (two paths to one helper drift apart, and
// two helpers under one name mislead). The few facades that re-export on purpose are listed below.
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { asString, valueAt } from '../../lib/base/records';

const ROOT = path.join(__dirname, '..', '..');

/** Modules that re-export on purpose, and why. */
const FACADES: Record<string, string> = {
  'lib/index.ts': 'the published construct API (docs/construct-package.md)',
  'lib/model/derive.ts': "the model's one entry: its types, chart repositories and upstream conventions",
  'lib/init/cli.ts': "the init bundle is also the schema command's entry (bin/schema.cjs requires schemaMain from it)",
};

function libFiles(dir = 'lib'): string[] {
  return fs
    .readdirSync(path.join(ROOT, dir), { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? libFiles(`${dir}/${e.name}`) : e.name.endsWith('.ts') ? [`${dir}/${e.name}`] : []))
    .sort();
}

const exported = (n: ts.Node): boolean =>
  ts.canHaveModifiers(n) && (ts.getModifiers(n) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);

/** The names a module declares and exports itself, and whether it re-exports anything. */
function exportsOf(file: string): { declared: string[]; reexports: boolean } {
  const src = ts.createSourceFile(file, fs.readFileSync(path.join(ROOT, file), 'utf8'), ts.ScriptTarget.Latest);
  const declared: string[] = [];
  let reexports = false;
  for (const s of src.statements) {
    if (ts.isExportDeclaration(s)) reexports ||= s.moduleSpecifier !== undefined;
    else if (!exported(s)) continue;
    else if (ts.isVariableStatement(s)) declared.push(...s.declarationList.declarations.map((d) => d.name.getText(src)));
    else if ('name' in s && s.name && ts.isIdentifier(s.name as ts.Node)) declared.push((s.name as ts.Identifier).text);
  }
  return { declared, reexports };
}

const files = libFiles();
const scanned = files.map((file) => ({ file, ...exportsOf(file) }));

test('the scan reads lib/ (it is not empty, and finds a known export where it is declared)', () => {
  expect(files.length).toBeGreaterThan(100);
  expect(scanned.find((s) => s.file === 'lib/base/records.ts')?.declared).toEqual(
    expect.arrayContaining(['isRecord', 'valueAt', 'asString']),
  );
});

test('every exported name of lib/ is declared by one module', () => {
  const where = new Map<string, string[]>();
  for (const { file, declared } of scanned) for (const n of declared) where.set(n, [...(where.get(n) ?? []), file]);
  const twice = [...where].filter(([, fs]) => fs.length > 1).map(([n, fs]) => `${n}: ${fs.join(', ')}`);
  expect(twice).toEqual([]);
});

test('only the listed facades re-export; everything else is imported from where it is declared', () => {
  expect(scanned.filter((s) => s.reexports && !(s.file in FACADES)).map((s) => s.file)).toEqual([]);
  for (const f of Object.keys(FACADES)) expect(`${f}: ${exportsOf(f).reexports}`).toBe(`${f}: true`);
});

test('valueAt walks mappings and lists and is undefined on any missing step; asString keeps strings only', () => {
  const doc = { spec: { jwt: [{ issuer: { url: 'https://a/' } }] } };
  expect(valueAt(doc, 'spec', 'jwt', 0, 'issuer', 'url')).toBe('https://a/');
  expect(valueAt(doc, 'spec', 'missing', 'url')).toBeUndefined();
  expect(valueAt(doc, 'spec', 'jwt', 0, 'issuer', 'url', 'x')).toBeUndefined();
  expect(valueAt(null, 'a')).toBeUndefined();
  expect([asString('x'), asString(1), asString(undefined)]).toEqual(['x', undefined, undefined]);
});
