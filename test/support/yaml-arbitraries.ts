// Random YAML documents for the tests of lib/yaml/ (fast-check): strings built from the pieces
// that decide a YAML scalar's style (indicators, quotes, spaces, line breaks, escapes, words an
// implicit type reads), integers, booleans, null, nested mappings and sequences, and the blueprint tags.
import fc from 'fast-check';
import { Condition, Env, Find, KeyOf } from '../../lib/upstream/blueprint-tags';

export const YAML_PIECES: ReadonlyArray<string> = [
  ...['a', 'b', 'Z', '0', '1', '9', 'e', '_', '.', '+', '~', '<', '=', '\\'],
  ...[' ', '  ', ':', ': ', '#', ' #', '-', '- ', '?', ',', '[', ']', '{', '}', '&', '*', '!', '|', '>', "'", '"', '%', '@', '`'],
  ...['\n', '\n\n', '\t', '\r', '\u0000', '\u007f', '\u0085', '\u00a0', '\u00e9', '\u2028', '\ufeff', '\ud800', '\udc00', '\u{1F600}'],
  ...['true', 'no', 'null', 'On', '0x', '0o', '1_0', '1e3', '.inf', '2024-01-01', '1:2', '<<', '/', '---', '...'],
];

export interface YamlArbitraries {
  /** A string of up to eight pieces. */
  readonly text: fc.Arbitrary<string>;
  /** Any value below a document's root, tags included. */
  readonly value: fc.Arbitrary<unknown>;
  /** A document's root: a mapping or a sequence of values. */
  readonly root: fc.Arbitrary<unknown>;
}

/**
 * The arbitraries. `readBack`: only values js-yaml reads back as written (no `undefined`, which a
 * writer drops, and mappings with Object's prototype, as a reader makes them); else those too.
 */
export function yamlArbitraries({ readBack }: { readBack: boolean }): YamlArbitraries {
  const text = fc.array(fc.constantFrom(...YAML_PIECES), { maxLength: 8 }).map((p) => p.join(''));
  const word = text.filter((s) => s.length > 0);
  const find = fc.tuple(text, fc.array(fc.tuple(text, text), { maxLength: 2 })).map(([m, q]) => new Find(m, ...q));
  const tag = fc.oneof(
    word.map((s) => new KeyOf(s)),
    find,
    // An Env's name is never empty: its type refuses an empty scalar (lib/upstream/blueprint-tags.ts).
    fc.tuple(readBack ? word : text, fc.option(text, { nil: undefined })).map(([n, d]) => new Env(n, d)),
    fc.tuple(fc.constantFrom('AND', 'NAND', 'NOR' as const), fc.array(find, { maxLength: 2 })).map(([m, a]) => new Condition(m, ...a)),
  );
  const constants: unknown[] = [0, 2 ** 53, 1e21, true, false, null, ...(readBack ? [] : [undefined])];
  const { value } = fc.letrec<{ value: unknown }>((tie) => ({
    value: fc.oneof(
      { depthSize: 'small' },
      text,
      fc.integer({ min: -1e6, max: 1e6 }),
      fc.constantFrom(...constants),
      tag,
      fc.array(tie('value'), { maxLength: 4 }),
      fc.dictionary(text, tie('value'), { maxKeys: 4, noNullPrototype: readBack }),
    ),
  }));
  const root = fc.oneof(fc.dictionary(text, value, { maxKeys: 5, noNullPrototype: readBack }), fc.array(value, { maxLength: 4 }));
  return { text, value, root };
}
