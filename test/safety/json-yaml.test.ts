// The parsers' bounds (lib/readback/json.ts, lib/readback/yaml.ts): duplicate JSON keys found
// wherever they are and only there; the YAML expansion limit refuses a bomb and nothing smaller.
import { firstDuplicateKey, parseJson } from '../../lib/readback/json';
import { MAX_YAML_NODES, loadAllYaml, loadYaml } from '../../lib/readback/yaml';

test.each([
  ['{"a": 1, "a": 2}', 'a', 9],
  ['{"x": {"k": 1}, "y": {"k": 1, "k": 2}}', 'k', 30],
  ['[{"a": 1}, {"b": 1, "b": 2}]', 'b', 20],
  ['{"a\\"b": 1, "a\\u0022b": 2}', 'a"b', 12],
  ['{"s": "{\\"a\\": 1, \\"a\\": 2}", "t": ["a", "a"], "u": {"a": [1, {"a": 2}]}}', undefined, 0],
  ['{"a": 1, "b": {"a": 2}, "c": [{"a": 3}, {"a": 4}]}', undefined, 0],
])('firstDuplicateKey(%s)', (text, key, at) => {
  const found = firstDuplicateKey(text);
  if (key === undefined) expect(found).toBeUndefined();
  else expect(found).toEqual({ key, at });
});

test('parseJson names the duplicate key with line and column, and parses the rest as JSON.parse does', () => {
  expect(() => parseJson('{\n  "a": 1,\n  "a": 2\n}')).toThrow('duplicate key "a" at line 3, column 3');
  expect(parseJson('{"a": [1, {"b": null}]}')).toEqual({ a: [1, { b: null }] });
  expect(() => parseJson('{"a": ')).toThrow(SyntaxError);
});

const bomb = (levels: number, width: number) =>
  ['a0: &a0 [x]']
    .concat(Array.from({ length: levels }, (_, i) => `a${i + 1}: &a${i + 1} [${Array(width).fill(`*a${i}`).join(', ')}]`))
    .join('\n');

test('a YAML alias bomb is refused, counted with every alias expanded', () => {
  expect(() => loadYaml(bomb(9, 9))).toThrow(`its aliases expand to more than ${MAX_YAML_NODES} nodes`);
  expect(() => loadAllYaml(`---\nok: 1\n---\n${bomb(9, 9)}`)).toThrow(/alias bomb/);
});

test('shared anchors below the limit (merge keys, repeated defaults) load as before', () => {
  expect(loadYaml(bomb(3, 9))).toMatchObject({ a3: expect.any(Array) });
  expect(loadYaml('base: &b {x: 1}\none: {<<: *b, y: 2}\ntwo: *b\n')).toEqual({ base: { x: 1 }, one: { x: 1, y: 2 }, two: { x: 1 } });
});
