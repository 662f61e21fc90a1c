// lib/yaml/emit.ts writes what js-yaml's dump writes, byte for byte: js-yaml itself is the
// oracle here. Every character class at every place in a string, and random documents with tags,
// go through both (test/yaml/rendered.test.ts: every document synth renders).
import fc from 'fast-check';
import yaml from 'js-yaml';
import { dumpYaml, emitCovered } from '../../lib/yaml/emit';
import { BLUEPRINT_SCHEMA, OpaqueTag } from '../../lib/upstream/blueprint-tags';
import { expectSameText as expectSame, jsYamlDump as jsYaml } from '../support/yaml-oracle';
import { yamlArbitraries } from '../support/yaml-arbitraries';

describe('each character, at each place in a key and a value', () => {
  // Every character up to U+017F, and both sides of each bound of js-yaml's isPrintable, its escape
  // table and the surrogates; a pair, and lone halves.
  const bounds = [
    0x7e, 0x7f, 0x80, 0x84, 0x85, 0x9f, 0xa0, 0xa1, 0xd7ff, 0xd800, 0xdbff, 0xdc00, 0xdfff, 0xe000, 0x2027, 0x2028, 0x2029, 0x202a,
  ];
  const more = [0xfefe, 0xfeff, 0xff00, 0xfffd, 0xfffe, 0xffff, 0x3000, 0x1680];
  const chars = [...Array.from({ length: 0x180 }, (_, i) => i), ...bounds, ...more].map((c) => String.fromCharCode(c));
  chars.push('\u{1F600}', '\u{10FFFF}', '\u{10000}', '\ud83d', '\ude00');
  // Around a character: alone, first, last, inside, after a space or a colon, before one, with a
  // line break, and as the first character of a word an implicit type could read (true, 1, null...).
  const places = (c: string) => [
    c,
    c + 'a',
    'a' + c,
    'a' + c + 'b',
    'a ' + c,
    'a:' + c,
    c + ' b',
    c + ':',
    c + '\nb',
    'a\n' + c,
    c + 'rue',
    c + '1',
    c + 'ull',
    c + '.5',
    c + '<',
    c + '\n',
  ];

  it('writes each the way js-yaml does', () => {
    let n = 0;
    for (const c of chars) {
      // One document per character, each string as a key, a value, a sequence item and deeper.
      const doc = places(c).map((s) => ({ [s]: s, list: [s, { [s]: [s] }] }));
      expectSame(doc);
      expectSame(c);
      n += doc.length;
    }
    expect(n).toBe(chars.length * 16);
  });

  it.each([
    // YAML 1.1 booleans and base-60 numbers, YAML 1.2 implicit types, indicators, comments, blocks
    ...[
      'y',
      'N',
      'yes',
      'No',
      'ON',
      'off',
      '1:30',
      '-1:30:00.5',
      '190:20:30',
      'null',
      'Null',
      '~',
      'true',
      'FALSE',
      'false',
      'False',
      'True',
      'TRUE',
      'NULL',
      '0x1F',
      '0o17',
      '0b101',
      '1_000',
      '+1',
      '-.5e3',
      '.inf',
      '-.Inf',
      '.NaN',
      '1e3',
      '1.',
      '._',
      '2024-01-01',
      '2024-1-1 10:00:00',
      '2001-12-14t21:59:43.10-05:00',
      '<<',
    ],
    ...[
      '',
      ' ',
      '  a',
      'a ',
      '- a',
      '-a',
      '? a',
      ':a',
      'a:',
      'a: b',
      'a :b',
      'a #b',
      'a#b',
      '#a',
      '&a',
      '*a',
      '!a',
      '|a',
      '>a',
      "'a",
      '"a',
      '%a',
      '@a',
      '`a',
      '[a',
      'a]',
      '{a}',
      'a,b',
      '=a',
    ],
    ...['\n', '\n\n', 'a\n', 'a\n\n', 'a\n\n\n', '\na', '\n a', ' a\nb', 'a\n b', 'a\r\nb', 'a\tb\nc', 'a\u2028b', 'a\n\u0085', '\ufeffa'],
  ])('%j', (s) => {
    expectSame(s);
    expectSame({ [s]: s, deeper: { list: [s, [s], { [s]: s }] } });
  });
});

describe('random documents', () => {
  const { text, value } = yamlArbitraries({ readBack: false });

  it('are written the way js-yaml writes them, tags included', () => {
    fc.assert(
      fc.property(fc.dictionary(text, value, { maxKeys: 5 }), (doc) => {
        expectSame(doc, BLUEPRINT_SCHEMA);
        expectSame(JSON.parse(JSON.stringify(doc) ?? 'null'));
      }),
      { numRuns: 400, seed: 0x5eed },
    );
  });
});

describe('what the emitter leaves to js-yaml', () => {
  class Point {
    constructor(readonly x: number) {}
  }
  it.each([
    ['a fraction', { a: 1.5 }],
    ['-0', { a: -0 }],
    ['NaN and infinities', [NaN, Infinity, -Infinity]],
    ['a Date', { at: new Date(0) }],
    ['bytes', { b: new Uint8Array([1, 2]) }],
    ['a boxed string', { s: new String('x') }],
    ['a class instance', { p: new Point(1) }],
    ['an opaque blueprint tag', { t: new OpaqueTag('!Format', ['%s', 'x']) }],
    ['a key over 1024 characters', { ['k'.repeat(1100)]: 1 }],
    ['a value claiming another type', { o: { [Symbol.toStringTag]: 'Number', a: 1 } }],
  ])('%s: js-yaml writes the whole document', (_, doc) => {
    expect(emitCovered(doc, BLUEPRINT_SCHEMA)).toBeUndefined();
    expect(dumpYaml(doc, BLUEPRINT_SCHEMA)).toBe(jsYaml(doc, BLUEPRINT_SCHEMA));
  });

  it("a schema with a type it does not know: js-yaml writes (and js-yaml's errors stay js-yaml's)", () => {
    const custom = yaml.DEFAULT_SCHEMA.extend([
      new yaml.Type('!Any', { kind: 'scalar', predicate: (v) => typeof v === 'string', represent: (v) => v }),
    ]);
    expect(emitCovered({ a: 'x' }, custom)).toBeUndefined();
    expect(dumpYaml({ a: 'x' }, custom)).toBe(jsYaml({ a: 'x' }, custom));
    expect(() => dumpYaml({ f: () => 1 })).toThrow(yaml.YAMLException);
  });
});
