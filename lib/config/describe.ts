// Field descriptions are documentation: `npm run schema` writes them into schema/config.schema.json
// and docs/config-reference.md, and synth never reads them. zod's `.describe()` returns a copy of
// the schema it is called on: a quarter of the zod instances were such copies, built at every start
// and parsed through. So the schemas in ./schema.ts and ./edge-schema.ts are functions of how to
// describe: synth builds them without descriptions, ./json-schema.ts with them, the same zod schema
// otherwise (same checks, defaults and messages).
import type * as z from 'zod';

/** Attaches a field's description, or leaves the schema as it is. */
export type Describe = <T extends z.ZodType>(schema: T, description: string) => T;

/** The schema synth parses with: no descriptions. */
export const UNDESCRIBED: Describe = (schema) => schema;
/** The schema as documented (`npm run schema`): each description attached with zod's `.describe()`. */
export const DESCRIBED: Describe = (schema, description) => schema.describe(description);

/**
 * A schema built once for each way of describing, so every field that uses it shares one instance,
 * as a constant would (keyed by the caller's Describe).
 */
export function perDescribe<T>(build: (d: Describe) => T): (d: Describe) => T {
  const built = new WeakMap<Describe, T>();
  return (d) => {
    const known = built.get(d);
    if (known !== undefined) return known;
    const schema = build(d);
    built.set(d, schema);
    return schema;
  };
}
