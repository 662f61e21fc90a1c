// A text this tool wrote, read back by lib/yaml/read-own.ts, has no aliases: lib/readback/yaml.ts
// counts its nodes with a plain walk (and, for loadYamlShared, freezes them in that same walk)
// instead of the alias-aware one. Same limit, fired at the same count, same error, same frozenness.
import { assertOwnBounded, assertYamlBounded, loadAllYaml, loadYaml, loadYamlShared } from '../../lib/readback/yaml';
import { readOwnYaml } from '../../lib/yaml/read-own';
import { BLUEPRINT_SCHEMA } from '../../lib/upstream/blueprint-tags';
import { renderInput, defaultInput } from '../support/helpers';

/** Every value of a tree, containers included, as the alias-expanded count sees it. */
const nodes = (v: unknown): number =>
  v === null || typeof v !== 'object' ? 1 : Object.values(v).reduce((n: number, c) => n + nodes(c), 1);

const everyObjectFrozen = (v: unknown): boolean =>
  v === null || typeof v !== 'object' || (Object.isFrozen(v) && Object.values(v).every(everyObjectFrozen));

// The rendered output: every YAML file synth writes, blueprints (with their tags) included. A
// comment line on top makes each a text no writer handed to loadYamlShared (rememberParsed).
const texts = renderInput(defaultInput())
  .files.filter((f) => /\.ya?ml$/.test(f.path))
  .map((f) => ({ path: f.path, text: `# read back\n${f.text}`, schema: f.text.includes(' !') ? BLUEPRINT_SCHEMA : undefined }));

test('the rendered output is read back by read-own.ts (what this test is about)', () => {
  expect(texts.length).toBeGreaterThan(10);
  for (const t of texts) expect([t.path, readOwnYaml(t.text, t.schema)]).toEqual([t.path, expect.any(Array)]);
});

test('the plain count fires at exactly the count the alias-aware walk fires at, with the same error', () => {
  for (const t of texts) {
    const docs = readOwnYaml(t.text, t.schema)!;
    const n = nodes(docs);
    for (const tree of [docs, docs[0]]) {
      const size = tree === docs ? n : nodes(tree);
      expect(() => assertYamlBounded(tree, size)).not.toThrow();
      expect(() => assertOwnBounded(tree, false, size)).not.toThrow();
      const yamlError = (() => {
        try {
          assertYamlBounded(tree, size - 1);
        } catch (e) {
          return e;
        }
        return undefined;
      })();
      expect(yamlError).toBeInstanceOf(Error);
      expect(() => assertOwnBounded(tree, false, size - 1)).toThrow((yamlError as Error).message);
    }
  }
});

test('loadYamlShared of an own text: deep-frozen, equal to a fresh parse; loadYaml and loadAllYaml leave theirs unfrozen', () => {
  for (const t of texts) {
    const opts = t.schema ? { schema: t.schema } : undefined;
    const all = loadYamlShared(t.text, t.schema, true);
    const fresh = loadAllYaml(t.text, opts);
    expect(everyObjectFrozen(all)).toBe(true);
    expect(all).toEqual(fresh);
    expect(Object.isFrozen(fresh) || Object.isFrozen(fresh[0])).toBe(false);
    if (fresh.length === 1) {
      const one = loadYamlShared(t.text, t.schema);
      const freshOne = loadYaml(t.text, opts);
      expect(everyObjectFrozen(one)).toBe(true);
      expect(one).toEqual(freshOne);
      expect(Object.isFrozen(freshOne)).toBe(false);
    }
  }
});
