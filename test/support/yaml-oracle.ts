// js-yaml as the oracle of lib/yaml/: the writer must give js-yaml's text, the reader js-yaml's values.
import yaml from 'js-yaml';
import { emitCovered, YAML_DUMP_OPTIONS } from '../../lib/yaml/emit';
import { readOwnYaml } from '../../lib/yaml/read-own';

export const jsYamlDump = (doc: unknown, schema: yaml.Schema = yaml.DEFAULT_SCHEMA) => yaml.dump(doc, { ...YAML_DUMP_OPTIONS, schema });
export const jsYamlLoadAll = (text: string, schema: yaml.Schema = yaml.DEFAULT_SCHEMA) => yaml.loadAll(text, undefined, { schema });

/** Written by the emitter itself (never left to js-yaml) and equal to js-yaml's text. */
export function expectSameText(doc: unknown, schema: yaml.Schema = yaml.DEFAULT_SCHEMA): void {
  const ours = emitCovered(doc, schema);
  expect(ours).toBeDefined();
  expect(ours).toBe(jsYamlDump(doc, schema));
}

/** Read by the reader itself, exactly as js-yaml reads it (classes included). */
export function expectSameValues(text: string, schema: yaml.Schema = yaml.DEFAULT_SCHEMA): void {
  const ours = readOwnYaml(text, schema);
  expect(ours).toBeDefined();
  expect(ours).toStrictEqual(jsYamlLoadAll(text, schema));
}
