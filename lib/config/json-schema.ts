// The config's JSON Schema, generated from the zod schema (zod's toJSONSchema), so editors
// complete and check YAML and JSON configs (`# yaml-language-server: $schema=...`). It describes
// the config as written (defaults optional); rules zod cannot express as a schema (validate.ts)
// are left to synth. `npm run schema` writes it; test/init/schema.test.ts keeps it current.
import * as z from 'zod';
import { DESCRIBED } from './describe';
import { clusterConfigSchema } from './schema';

/** Where the schema is committed, relative to the repository root. */
export const SCHEMA_FILE = 'schema/config.schema.json';

/** The schema as an object, in the zod schema's order (docs/config-reference.md is rendered from it too). */
export function configJsonSchemaObject(): Record<string, unknown> {
  const schema = z.toJSONSchema(clusterConfigSchema(DESCRIBED), { io: 'input', target: 'draft-7', unrepresentable: 'any' });
  return { ...schema, title: 'unified-auth cluster config' };
}

/** The schema's text: deterministic (the zod schema's order), ending in a newline. */
export function configJsonSchema(): string {
  return `${JSON.stringify(configJsonSchemaObject(), null, 2)}\n`;
}
