// Validates blueprint entries against Authentik's own API contract: the Request serializers of the
// configured minor's @goauthentik/api (extracted into imports/authentik-api-<minor>.json by
// bin/import-authentik-api.cjs; lib/upstream/authentik-versions.ts picks the one for the chart version).
// A failing blueprint only shows `status: error` on the cluster (docs/field-traps.md#failed-blueprints-look-synced) and an unknown
// field is silently dropped (docs/field-traps.md#unknown-fields-are-dropped), so every such mistake has to be caught here, before commit.
import { apiSchemasOf } from './authentik-versions';
import { Condition, Env, Find, KeyOf, OpaqueTag, isTag, type Tag } from './blueprint-tags';
import { nearest } from '../base/suggest';
import type { Blueprint, BlueprintEntry, BlueprintValue } from './blueprint-types';
import { MODEL } from './authentik-models';
import { MODEL_SCHEMAS } from './serializers';
import { isMinorGate } from './minor-gate';

/** The subset of OpenAPI 3.0 schema keywords the extract uses. */
export interface ApiSchema {
  type?: 'string' | 'integer' | 'number' | 'boolean' | 'array' | 'object';
  format?: string;
  nullable?: boolean;
  enum?: ReadonlyArray<unknown>;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  items?: ApiSchema;
  properties?: Record<string, ApiSchema>;
  required?: ReadonlyArray<string>;
  additionalProperties?: boolean | ApiSchema;
  allOf?: ReadonlyArray<ApiSchema>;
  $ref?: string;
}

/** Component name → schema: one minor's extract. */
export type ApiSchemas = Readonly<Record<string, ApiSchema>>;

/** Blueprint model → the Request serializer Authentik validates its attrs with (lib/upstream/serializers.ts). */
export { MODEL_SCHEMAS };

/** Has no API serializer; its two attrs are checked by hand. */
export const META_APPLY_BLUEPRINT = MODEL.metaApplyBlueprint;

/**
 * Fields the API serializers lack but Authentik's serializers accept in blueprint context. All are
 * listed in the official blueprint JSON schema (blueprints/schema.json, 2026.2.0:
 * `model_authentik_core.token.key`, `model_authentik_core.user.password`,
 * `model_authentik_core.application.icon`), with these types.
 * Kept explicit: anything else missing from the API schema is dropped by Authentik, so an error.
 */
export const BLUEPRINT_ONLY_FIELDS: Readonly<Record<string, Readonly<Record<string, ApiSchema>>>> = {
  [MODEL.token]: { key: { type: 'string', minLength: 1 } },
  [MODEL.user]: { password: { type: 'string', nullable: true, minLength: 1 } },
  // core/api/applications.py ApplicationSerializer.__init__: in a blueprint, `icon` sets meta_icon as text.
  [MODEL.application]: { icon: { type: 'string' } },
};

/** `blueprint <name> entry <i> (<id|model>) field <path>: <what>`, shared with lib/upstream/references.ts. */
export function problem(bp: Blueprint, index: number, entry: BlueprintEntry, field: string, what: string): string {
  return `blueprint ${bp.name} entry ${index} (${entry.id ?? entry.model}) field ${field}: ${what}`;
}

/** How a value reads in a message: tags as written in YAML, scalars quoted, containers by kind. */
export function describeBlueprintValue(v: BlueprintValue | undefined): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (v instanceof KeyOf) return `!KeyOf ${v.id}`;
  if (v instanceof Find) return `!Find [${[v.model, ...v.query.map(([f, x]) => `[${f}, ${x}]`)].join(', ')}]`;
  if (v instanceof Env) return v.fallback === undefined ? `!Env ${v.name}` : `!Env [${v.name}, ${v.fallback}]`;
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping (object)';
  if (typeof v === 'string') return `a string (${JSON.stringify(v.length > 60 ? `${v.slice(0, 57)}...` : v)})`;
  return `a ${typeof v} (${String(v)})`;
}

interface Resolved {
  schema: ApiSchema;
  /** Component name when the schema came from a `$ref` (for messages: "a list of RedirectURIRequest"). */
  name?: string;
}

/** Follows `$ref` and folds `allOf` (drf-spectacular wraps enums as `allOf: [$ref]`) into one schema. */
export function resolveApiSchema(schema: ApiSchema, S: ApiSchemas): Resolved {
  let name: string | undefined;
  let out: ApiSchema = { ...schema };
  if (schema.$ref !== undefined) {
    name = schema.$ref.split('/').pop()!;
    const target = S[name];
    if (target === undefined) throw new Error(`the API extract has no schema ${name}; re-run bin/import-authentik-api.cjs`);
    const inner = resolveApiSchema(target, S);
    out = { ...inner.schema, ...schema };
  }
  for (const part of schema.allOf ?? []) {
    const inner = resolveApiSchema(part, S);
    name ??= inner.name;
    out = { ...inner.schema, ...out };
  }
  delete out.$ref;
  delete out.allOf;
  return { schema: out, name };
}

/** One call's API schemas, each schema resolved once in it: resolveApiSchema copies, per field. */
interface Resolver {
  readonly S: ApiSchemas;
  readonly resolved: Map<ApiSchema, Resolved>;
}

const resolverOf = (S: ApiSchemas): Resolver => ({ S, resolved: new Map() });

/** resolveApiSchema(schema, R.S), once per schema object in one call (read only: shared by its fields). */
function resolvedIn(R: Resolver, schema: ApiSchema): Resolved {
  let r = R.resolved.get(schema);
  if (r === undefined) R.resolved.set(schema, (r = resolveApiSchema(schema, R.S)));
  return r;
}

const isPrimaryKey = (s: ApiSchema): boolean => s.type === 'integer' || (s.type === 'string' && s.format === 'uuid');

function describeExpected(r: Resolved, R: Resolver): string {
  const s = r.schema;
  switch (s.type) {
    case 'array': {
      const items = s.items ? resolvedIn(R, s.items) : undefined;
      if (!items) return 'a list (array)';
      const noun = describeExpected(items, R).replace(/^an? /, '');
      return `a list (array) of ${items.name ?? (/^\w+$/.test(noun) ? `${noun}s` : noun)}`;
    }
    case 'object':
      return r.name ? `a ${r.name} mapping (object)` : 'a mapping (object)';
    case 'integer':
      return 'an integer';
    case 'string':
      return s.format === 'uuid' ? 'a uuid' : 'a string';
    case undefined:
      return 'a value';
    default:
      return `a ${s.type}`;
  }
}

function matchesType(v: BlueprintValue, type: ApiSchema['type']): boolean {
  switch (type) {
    case 'string':
      return typeof v === 'string';
    case 'integer':
      return typeof v === 'number' && Number.isInteger(v);
    case 'number':
      return typeof v === 'number';
    case 'boolean':
      return typeof v === 'boolean';
    case 'array':
      return Array.isArray(v);
    case 'object':
      return typeof v === 'object' && v !== null && !Array.isArray(v) && !isTag(v);
    default:
      return true;
  }
}

/** Where a tag may stand: KeyOf/Find resolve to a primary key, Env to a string, Condition to a boolean. */
function checkTag(v: Tag, r: Resolved, R: Resolver): string | undefined {
  const s = r.schema;
  if (v instanceof OpaqueTag) return undefined; // evaluated by Authentik only: its type is unknown here
  if (v instanceof Condition)
    return s.type === 'boolean' || s.type === undefined
      ? undefined
      : `expected ${describeExpected(r, R)} but got a !Condition, which yields a boolean`;
  if (v instanceof Env) {
    return s.type === 'string' || s.type === undefined
      ? undefined
      : `expected ${describeExpected(r, R)} but got ${describeBlueprintValue(v)}, which yields a string`;
  }
  return isPrimaryKey(s) || s.type === undefined
    ? undefined
    : `expected ${describeExpected(r, R)} but got ${describeBlueprintValue(v)}; a !KeyOf/!Find yields a primary key, so it fits only uuid or integer key fields`;
}

function isAbsoluteUrl(v: string): boolean {
  try {
    new URL(v);
    return true;
  } catch {
    return false;
  }
}

function nearHint(k: string, known: string[]): string {
  const near = nearest(k, known, () => 2);
  return near.length > 0 ? `did you mean ${near.join(' or ')}?` : `known fields: ${[...known].sort().join(', ')}`;
}

const isFreeForm = (s: ApiSchema): boolean =>
  s.properties === undefined &&
  (s.additionalProperties === undefined ||
    s.additionalProperties === true ||
    (typeof s.additionalProperties === 'object' && Object.keys(s.additionalProperties).length === 0));

/** Appends [field path, message] pairs for `value` against `schema`. */
function checkValue(value: BlueprintValue, schema: ApiSchema, path: string, R: Resolver, out: Array<[string, string]>): void {
  const r = resolvedIn(R, schema);
  const s = r.schema;
  if (value === null) {
    if (!s.nullable) out.push([path, `is null but the field is not nullable (expected ${describeExpected(r, R)})`]);
    return;
  }
  if (isTag(value)) {
    const bad = checkTag(value, r, R);
    if (bad) out.push([path, bad]);
    return;
  }
  if (!matchesType(value, s.type)) {
    out.push([path, `expected ${describeExpected(r, R)} but got ${describeBlueprintValue(value)}`]);
    return;
  }
  if (s.enum && !s.enum.includes(value)) {
    out.push([path, `${describeBlueprintValue(value)} is not one of ${s.enum.map(String).join(', ')}`]);
    return;
  }
  if (typeof value === 'string') {
    if (s.minLength !== undefined && value.length < s.minLength) out.push([path, `is shorter than ${s.minLength} characters`]);
    if (s.maxLength !== undefined && value.length > s.maxLength) out.push([path, `is longer than ${s.maxLength} characters`]);
    if (s.pattern !== undefined && !new RegExp(s.pattern).test(value))
      out.push([path, `${describeBlueprintValue(value)} does not match ${s.pattern}`]);
    // Loose on purpose: Django's URLValidator is stricter, but a relative or schemeless URL is the
    // mistake that happens. An empty string is how a blank URLField is cleared, so it passes.
    if (s.format === 'uri' && value !== '' && !isAbsoluteUrl(value))
      out.push([path, `${describeBlueprintValue(value)} is not an absolute URL`]);
    return;
  }
  if (typeof value === 'number') {
    if (s.minimum !== undefined && value < s.minimum) out.push([path, `${value} is below the minimum ${s.minimum}`]);
    if (s.maximum !== undefined && value > s.maximum) out.push([path, `${value} is above the maximum ${s.maximum}`]);
    return;
  }
  if (Array.isArray(value)) {
    if (s.items) value.forEach((item, i) => checkValue(item, s.items!, `${path}[${i}]`, R, out));
    return;
  }
  if (typeof value === 'object' && !isFreeForm(s)) checkObject(value, s, path, true, {}, R, out);
}

/** Checks a mapping's fields; `requireAll` is false for partial updates. */
function checkObject(
  obj: { [k: string]: BlueprintValue },
  s: ApiSchema,
  path: string,
  requireAll: boolean,
  extra: Readonly<Record<string, ApiSchema>>,
  R: Resolver,
  out: Array<[string, string]>,
): void {
  const props = { ...s.properties, ...extra };
  const at = (k: string) => (path === '' ? k : `${path}.${k}`);
  for (const [k, v] of Object.entries(obj)) {
    const field = props[k];
    if (field === undefined) {
      if (s.additionalProperties && typeof s.additionalProperties === 'object') checkValue(v, s.additionalProperties, at(k), R, out);
      else if (s.additionalProperties !== true)
        out.push([at(k), `unknown field; Authentik would silently drop it (${nearHint(k, Object.keys(props))})`]);
      continue;
    }
    checkValue(v, field, at(k), R, out);
  }
  if (requireAll) {
    for (const k of s.required ?? []) if (!(k in obj)) out.push([at(k), 'is required when the object is created, but missing']);
  }
}

function checkMetaApply(merged: { [k: string]: BlueprintValue }, out: Array<[string, string]>): void {
  for (const [k, v] of Object.entries(merged)) {
    if (k === 'identifiers') {
      if (!matchesType(v, 'object'))
        out.push([k, `expected a mapping (object) naming the blueprint instance but got ${describeBlueprintValue(v)}`]);
      else if (Object.keys(v as object).length === 0) out.push([k, 'is empty; name the blueprint instance to apply (e.g. name: ...)']);
    } else if (k === 'required') {
      if (typeof v !== 'boolean') out.push([k, `expected a boolean but got ${describeBlueprintValue(v)}`]);
    } else {
      out.push([k, 'unknown field; metaapplyblueprint takes only identifiers and required']);
    }
  }
  if (!('identifiers' in merged)) out.push(['identifiers', 'is required: which blueprint instance to apply first']);
}

/** Which serializer validates a model's attrs, and whether a create's required fields are enforced. */
export interface EntryRules {
  serializerOf: (model: string) => string | undefined;
  unknownModel: (model: string) => string;
  /** False where the entry may update an existing object (a partial update needs no required field). */
  requireAll: boolean;
}

const OWN_RULES: EntryRules = {
  serializerOf: (model) => MODEL_SCHEMAS[model],
  unknownModel: (model) => `model ${model} is not one unified-auth knows how to validate`,
  requireAll: true,
};

export const checkEntry = (entry: BlueprintEntry, S: ApiSchemas, rules: EntryRules = OWN_RULES): Array<[string, string]> =>
  checkEntryIn(resolverOf(S), entry, rules);

function checkEntryIn(R: Resolver, entry: BlueprintEntry, rules: EntryRules): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  // Authentik also writes the identifiers to the object, so they are fields like the attrs.
  const merged = { ...entry.identifiers, ...entry.attrs };
  if (entry.model === META_APPLY_BLUEPRINT) {
    checkMetaApply(merged, out);
    return out;
  }
  // Never applied (its condition is false): only its model's existence matters (lib/upstream/minor-gate.ts).
  if (isMinorGate(entry)) return out;
  const schemaName = rules.serializerOf(entry.model);
  if (schemaName === undefined) {
    out.push(['-', rules.unknownModel(entry.model)]);
    return out;
  }
  const schema = resolveApiSchema({ $ref: `#/components/schemas/${schemaName}` }, R.S).schema;
  const extra = BLUEPRINT_ONLY_FIELDS[entry.model] ?? {};
  if (entry.state === 'absent') {
    // A tombstone only looks the object up: nothing is written, so only the lookup keys matter.
    const known = { ...schema.properties, ...extra };
    for (const k of Object.keys(entry.identifiers)) {
      if (!(k in known)) out.push([k, `unknown field used as an identifier (${nearHint(k, Object.keys(known))})`]);
    }
    return out;
  }
  if (Object.keys(entry.identifiers).length === 0) out.push(['-', 'identifiers are empty; Authentik could not find the object again']);
  // `managed` identifies an object Authentik ships (e.g. the embedded outpost): the entry updates
  // it, so a field the create-serializer requires may legitimately be left out.
  const partial = 'managed' in entry.identifiers || !rules.requireAll;
  checkObject(merged, schema, '', !partial, extra, R, out);
  return out;
}

/**
 * Every problem with the blueprint's entries against the API contract of Authentik `minor`
 * (e.g. "2026.5"); empty when it is sound.
 */
export function validateBlueprint(bp: Blueprint, minor: string): string[] {
  const R = resolverOf(apiSchemasOf(minor) as ApiSchemas);
  return bp.entries.flatMap((entry, i) => checkEntryIn(R, entry, OWN_RULES).map(([field, what]) => problem(bp, i, entry, field, what)));
}
