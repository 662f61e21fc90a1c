// Readers that only look share one parse of the same text (lib/readback/yaml.ts loadYamlShared):
// the result is what loadYaml/loadAllYaml give, frozen so that no reader changes what another sees,
// and a text that fails is never remembered as a success.
import { loadAllYaml, loadYaml, loadYamlShared } from '../../lib/readback/yaml';
import { BLUEPRINT_SCHEMA } from '../../lib/upstream/blueprint-tags';

const BLUEPRINT = 'version: 1\nentries:\n  - model: authentik_core.group\n    id: g\n    attrs:\n      parent: !KeyOf other\n';

test('the same text gives the same, deep-frozen result as a fresh parse', () => {
  const a = loadYamlShared(BLUEPRINT, BLUEPRINT_SCHEMA);
  expect(loadYamlShared(BLUEPRINT, BLUEPRINT_SCHEMA)).toBe(a);
  expect(a).toEqual(loadYaml(BLUEPRINT, { schema: BLUEPRINT_SCHEMA }));
  const entry = (a as { entries: Array<{ attrs: Record<string, unknown> }> }).entries[0];
  expect(Object.isFrozen(a) && Object.isFrozen(entry) && Object.isFrozen(entry.attrs)).toBe(true);
  expect(() => {
    entry.attrs.name = 'changed';
  }).toThrow(TypeError);
});

test('the schema and one-or-all are part of the key', () => {
  const text = 'a: 1\n---\nb: 2\n';
  expect(loadYamlShared(text, undefined, true)).toEqual(loadAllYaml(text));
  expect(() => loadYamlShared(text)).toThrow(); // two documents are not one
  // The default schema does not know !KeyOf: an error, not the blueprint schema's result.
  expect(() => loadYamlShared(BLUEPRINT)).toThrow(/KeyOf/);
});

test('a failure is not remembered: the same bad text fails every time', () => {
  const bad = 'a: [1, 2\n';
  expect(() => loadYamlShared(bad)).toThrow();
  expect(() => loadYamlShared(bad)).toThrow();
});

test('the alias limit still holds', () => {
  const bomb = [
    'a: &a [x, x, x, x, x, x, x, x, x, x]',
    ...'bcdefg'.split('').map((k, i) => `${k}: &${k} [${Array(10).fill(`*${'abcdefg'[i]}`).join(', ')}]`),
  ].join('\n');
  expect(() => loadYamlShared(bomb)).toThrow(/alias/);
});
