// Differences between two minors' Request serializers, as lib/upstream/authentik-versions.ts lists them
// (SCHEMA_DIFFERENCES). Compared after resolving `$ref`/`allOf`, so a renamed enum component with
// the same values is no difference, while a new value, field or required field is.
import { MODEL_SCHEMAS, resolveApiSchema, type ApiSchema, type ApiSchemas } from './api-schema';
import type { DifferenceKind } from './authentik-versions';

export interface FoundDifference {
  path: string;
  change: DifferenceKind;
  detail?: string;
}

/** Keywords compared on every schema node; `properties`, `items`, `required`, `enum` are walked instead. */
const KEYWORDS = [
  'type',
  'format',
  'nullable',
  'minLength',
  'maxLength',
  'pattern',
  'minimum',
  'maximum',
  'default',
  'readOnly',
  'writeOnly',
] as const;

function walk(a: ApiSchema, b: ApiSchema, A: ApiSchemas, B: ApiSchemas, path: string, out: FoundDifference[], depth: number): void {
  if (depth > 20) throw new Error(`${path}: schema nesting too deep (a cycle?)`);
  const ra = resolveApiSchema(a, A).schema;
  const rb = resolveApiSchema(b, B).schema;
  for (const k of KEYWORDS) {
    if (JSON.stringify(ra[k as keyof ApiSchema]) !== JSON.stringify(rb[k as keyof ApiSchema])) {
      out.push({
        path,
        change: 'changed',
        detail: `${k}: ${JSON.stringify(ra[k as keyof ApiSchema])} -> ${JSON.stringify(rb[k as keyof ApiSchema])}`,
      });
    }
  }
  const ea = (ra.enum ?? []).map(String);
  const eb = (rb.enum ?? []).map(String);
  const added = eb.filter((v) => !ea.includes(v));
  const removed = ea.filter((v) => !eb.includes(v));
  if (added.length) out.push({ path, change: 'values added', detail: added.join(', ') });
  if (removed.length) out.push({ path, change: 'values removed', detail: removed.join(', ') });
  if (ra.items || rb.items) {
    if (ra.items && rb.items) walk(ra.items, rb.items, A, B, `${path}[]`, out, depth + 1);
    else out.push({ path: `${path}[]`, change: ra.items ? 'field removed' : 'field added' });
  }
  const pa = ra.properties ?? {};
  const pb = rb.properties ?? {};
  const at = (k: string) => `${path}.${k}`;
  for (const k of Object.keys(pb)) if (!(k in pa)) out.push({ path: at(k), change: 'field added' });
  for (const k of Object.keys(pa)) if (!(k in pb)) out.push({ path: at(k), change: 'field removed' });
  for (const k of Object.keys(pa)) if (k in pb) walk(pa[k], pb[k], A, B, at(k), out, depth + 1);
  const qa = new Set(ra.required ?? []);
  const qb = new Set(rb.required ?? []);
  for (const k of qb) if (!qa.has(k)) out.push({ path: at(k), change: 'now required' });
  for (const k of qa) if (!qb.has(k) && k in pb) out.push({ path: at(k), change: 'no longer required' });
}

/** Every difference from `older` to `newer` in the serializers of the models unified-auth emits. */
export function diffRequestSchemas(older: ApiSchemas, newer: ApiSchemas): FoundDifference[] {
  const out: FoundDifference[] = [];
  for (const name of [...new Set(Object.values(MODEL_SCHEMAS))].sort()) {
    if (!(name in newer)) out.push({ path: name, change: 'field removed' });
    else if (!(name in older)) out.push({ path: name, change: 'field added' });
    else walk({ $ref: `#/components/schemas/${name}` }, { $ref: `#/components/schemas/${name}` }, older, newer, name, out, 0);
  }
  return out.sort((x, y) => x.path.localeCompare(y.path) || x.change.localeCompare(y.change));
}
