// lib/yaml/read-own.ts reads back what the tool wrote without js-yaml's parser, and takes a
// text only when writing what it read gives the text back. js-yaml's loadAll is the oracle: on
// random documents and on random damage to them (test/yaml/rendered.test.ts: every rendered file),
// the reader either gives exactly what js-yaml gives (classes included) or leaves the text to js-yaml.
import fc from 'fast-check';
import yaml from 'js-yaml';
import { dumpYaml } from '../../lib/yaml/emit';
import { GENERATED_HEADER } from '../../lib/base/file-text';
import { readOwnYaml } from '../../lib/yaml/read-own';
import { loadAllYaml, loadYaml } from '../../lib/readback/yaml';
import { BLUEPRINT_SCHEMA } from '../../lib/upstream/blueprint-tags';
import { defaultInput, renderInput } from '../support/helpers';
import { expectSameValues as expectRead, jsYamlLoadAll as jsYaml } from '../support/yaml-oracle';
import { yamlArbitraries } from '../support/yaml-arbitraries';

describe('the readers', () => {
  it('use it, and still bound and check what they read', () => {
    const text = renderInput(defaultInput()).files.find((f) => f.path.endsWith('.yaml'))!.text;
    expect(loadAllYaml(text)).toStrictEqual(jsYaml(text));
    expect(loadYaml(text)).toStrictEqual(yaml.load(text));
    // More than one document: load refuses as js-yaml does; another option: js-yaml reads.
    expect(() => loadYaml(`${text}---\n${text}`)).toThrow(yaml.YAMLException);
    expect(loadAllYaml(text, { json: true })).toStrictEqual(jsYaml(text));
  });
});

/** Either what js-yaml reads, or left to js-yaml (never a different value, never a text js-yaml refuses). */
function expectSafe(text: string, schema: yaml.Schema = yaml.DEFAULT_SCHEMA): boolean {
  const ours = readOwnYaml(text, schema);
  let theirs: unknown[] | Error;
  try {
    theirs = jsYaml(text, schema);
  } catch (e) {
    theirs = e as Error;
  }
  if (ours === undefined) return false;
  expect(theirs).not.toBeInstanceOf(Error);
  expect(ours).toStrictEqual(theirs);
  return true;
}

const { root } = yamlArbitraries({ readBack: true });
// A file as synth writes one: the header, then documents joined by `---`; blueprint writers tidy tags.
const file = fc.tuple(fc.array(root, { minLength: 1, maxLength: 3 }), fc.boolean()).map(([docs, tidy]) => {
  const body = docs.map((d) => dumpYaml(d, BLUEPRINT_SCHEMA)).join('---\n');
  return GENERATED_HEADER + (tidy ? body.replace(/(!Find|!Env|!Condition) $/gm, '$1') : body);
});

describe('random documents', () => {
  it('a text it takes, js-yaml reads as the values written (what the reader relies on)', () => {
    // js-yaml does not read back everything it writes (a root key `... a` ends the document): the
    // reader must refuse exactly those texts.
    let taken = 0;
    fc.assert(
      fc.property(root, (v) => {
        const t = dumpYaml(v, BLUEPRINT_SCHEMA);
        if (readOwnYaml(t, BLUEPRINT_SCHEMA) === undefined) return;
        expect(yaml.load(t, { schema: BLUEPRINT_SCHEMA })).toStrictEqual(v);
        taken++;
      }),
      { numRuns: 300, seed: 0x12ad },
    );
    expect(taken).toBeGreaterThan(250);
  });

  it('every short multi-line string, at every depth below the root, is read back as written', () => {
    // Block scalars are where js-yaml's writer and reader could disagree: each string of up to six
    // characters from space, a letter and a line break, as a value and an item at three depths.
    const strings = (n: number): string[] => (n === 0 ? [''] : strings(n - 1).flatMap((s) => [s + ' ', s + 'a', s + '\n']));
    const all = [1, 2, 3, 4, 5, 6].flatMap(strings).filter((s) => s.includes('\n'));
    const docs = all.map((s) => ({ k: s, list: [s, { k: [s] }] }));
    expect(yaml.loadAll(docs.map((d) => dumpYaml(d)).join('---\n'))).toStrictEqual(docs);
    expect(all.length).toBe(966);
  });

  it('are read as js-yaml reads them', () => {
    fc.assert(
      fc.property(file, (t) => {
        // A root key js-yaml writes plain although it reads as a document marker: left to js-yaml.
        if (/^(--- |\.\.\.( |$))/m.test(t)) expect(readOwnYaml(t, BLUEPRINT_SCHEMA)).toBeUndefined();
        else expectRead(t, BLUEPRINT_SCHEMA);
      }),
      { numRuns: 300, seed: 0x12ae },
    );
  });

  it('damaged, are read as js-yaml reads them, or left to it', () => {
    // Delete, insert or replace a few characters anywhere: indentation, quotes, dashes, tags, lines.
    const edit = fc.tuple(
      fc.nat(),
      fc.nat({ max: 3 }),
      fc.constantFrom('', ' ', '  ', '-', '- ', ':', '"', '\\', '\n', '#', '!', '|', '|-', '---\n', 'x', '1', '[]', '{}'),
    );
    let read = 0;
    fc.assert(
      fc.property(file, fc.array(edit, { minLength: 1, maxLength: 3 }), (t, edits) => {
        let damaged = t;
        for (const [at, cut, insert] of edits) {
          const i = GENERATED_HEADER.length + (at % Math.max(1, damaged.length - GENERATED_HEADER.length));
          damaged = damaged.slice(0, i) + insert + damaged.slice(i + cut);
        }
        if (expectSafe(damaged, BLUEPRINT_SCHEMA)) read++;
      }),
      { numRuns: 600, seed: 0x12af },
    );
    expect(read).toBeGreaterThan(0); // some edits keep a text the reader can prove
  });
});

describe('texts it leaves to js-yaml', () => {
  it.each([
    ['flow style', 'a: {b: 1}\n'],
    ['single quotes', "a: 'x'\n"],
    ['a comment inside', 'a: 1 # one\n'],
    ['a comment line inside', 'a: 1\n# two\nb: 2\n'],
    ['anchors and aliases', 'a: &x 1\nb: *x\n'],
    ['a directive', '%YAML 1.2\n---\na: 1\n'],
    ['a document end marker', 'a: 1\n...\n'],
    ['four-space indentation', 'a:\n    b: 1\n'],
    ['no final newline', 'a: 1'],
    ['a key written plain that needs quotes', 'true: 1\n'],
    ['a value quoted that needs none', 'a: "b"\n'],
    ['a folded block', 'a: >\n  b\n'],
    ['a duplicate key', 'a: 1\na: 2\n'],
    ['a __proto__ key', '__proto__: 1\n'],
    ['an unknown escape', 'a: "\\q"\n'],
    ['an empty text', ''],
    ['a root key js-yaml writes plain but reads as a document end', '... a: 1\n'],
    // Quickly, with no copy of the line per level (a 16 MiB input file must not hang the reader).
    ['a nesting deeper than the stack', `${'- '.repeat(100_000)}x\n`],
  ])('%s', (_, t) => {
    expect(readOwnYaml(t)).toBeUndefined();
    expectSafe(t);
  });
});
