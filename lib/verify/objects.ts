// Objects the blueprints create or delete, looked up by the identifiers the blueprints use and
// compared attribute by attribute. The normalisation (docs/verify.md#normalisation):
// - only attributes the blueprint sets are compared: the rest are the API's defaults;
// - a tag's value (!Find, !KeyOf, !Env, !Context) is resolved by the worker, never compared: an
//   !Env may be a secret, and no secret is read or printed;
// - a list of scalars is a set (the importer does not keep an order for them);
// - redirect URIs are compared as a set of (matching_mode, url) pairs, the url exactly (a strict
//   match in Authentik is exact, so a trailing slash is drift); meta_launch_url ignores a trailing slash.
import { isRecord } from '../base/records';
import type { StoredBlueprint } from '../previous/hand-written';
import type { Finding } from './format';
import { VerifyError, type Source } from './source';

/** How each verified model is listed: the API path and the query filter per identifier. */
const LOOKUPS: Readonly<Record<string, { api: string; identifier: string; query: string }>> = {
  // OAuth2ProviderViewSet.filterset_fields has client_id (authentik/providers/oauth2/api/providers.py).
  'authentik_providers_oauth2.oauth2provider': { api: '/api/v3/providers/oauth2/', identifier: 'client_id', query: 'client_id' },
  // ApplicationViewSet lists only what the token's user may open unless superuser_full_list (authentik/core/api/applications.py).
  'authentik_core.application': { api: '/api/v3/core/applications/', identifier: 'slug', query: 'superuser_full_list=true&slug' },
};

export interface ExpectedObject {
  model: string;
  /** The identifier's value (client_id, slug). */
  id: string;
  /** Attributes the blueprint sets to plain values (secrets and tags left out). */
  attrs: Record<string, unknown>;
  absent: boolean;
  blueprint: string;
}

type Plain = string | number | boolean | null;
const isPlain = (v: unknown): v is Plain => v === null || ['string', 'number', 'boolean'].includes(typeof v);
const isPlainRecord = (v: unknown): boolean =>
  isRecord(v) && Object.getPrototypeOf(v) === Object.prototype && Object.values(v).every(isPlain);
/** A value the worker does not resolve: a scalar, a list of scalars or of flat records. */
const comparable = (v: unknown): boolean => isPlain(v) || (Array.isArray(v) && v.every((x) => isPlain(x) || isPlainRecord(x)));
const SECRET = /secret|password|token|key/i;

/** The entries of the verified models whose identifier is a plain value and that carry no condition. */
export function expectedObjects(blueprints: ReadonlyArray<StoredBlueprint>): ExpectedObject[] {
  const out: ExpectedObject[] = [];
  for (const bp of blueprints)
    for (const e of bp.entries) {
      const lookup = LOOKUPS[String(e.model)];
      const id = isRecord(e.identifiers) ? e.identifiers[lookup?.identifier ?? ''] : undefined;
      if (!lookup || typeof id !== 'string' || e.conditions !== undefined) continue;
      const attrs = Object.fromEntries(
        Object.entries(isRecord(e.attrs) ? e.attrs : {}).filter(([k, v]) => !SECRET.test(k) && comparable(v)),
      );
      out.push({ model: String(e.model), id, attrs, absent: e.state === 'absent', blueprint: bp.key });
    }
  return out;
}

/** One attribute's comparable form: sets sorted, redirect URIs as pairs, launch URLs without a trailing slash. */
export function normalise(key: string, v: unknown): string {
  if (key === 'meta_launch_url' && typeof v === 'string') return JSON.stringify(v.replace(/\/$/, ''));
  if (key === 'redirect_uris' && Array.isArray(v))
    return JSON.stringify(v.map((r) => (isRecord(r) ? JSON.stringify([r.matching_mode ?? 'strict', r.url]) : JSON.stringify(r))).sort());
  if (Array.isArray(v)) return JSON.stringify(v.map((x) => JSON.stringify(x)).sort());
  return JSON.stringify(v ?? null);
}

async function lookup(get: Source, base: URL, o: ExpectedObject): Promise<Record<string, unknown>[]> {
  const l = LOOKUPS[o.model];
  const url = new URL(`${l.api}?${l.query}=${encodeURIComponent(o.id)}`, base).href;
  const json = await get(url);
  if (!isRecord(json) || !isRecord(json.pagination) || !Array.isArray(json.results) || !json.results.every(isRecord))
    throw new VerifyError(`GET ${l.api}: not a paginated list; is this an Authentik server?`);
  // The filter is exact; keep only exact matches all the same.
  return json.results.filter((r) => r[l.identifier] === o.id);
}

/** Each object: present with its attributes, or (a tombstone) gone. */
export async function objectFindings(get: Source, base: URL, objects: ReadonlyArray<ExpectedObject>): Promise<Finding[]> {
  const out: Finding[] = [];
  for (const o of objects) {
    const object = `${o.model} ${LOOKUPS[o.model].identifier}=${o.id} (${o.blueprint})`;
    const [live] = await lookup(get, base, o);
    if (o.absent) {
      if (live)
        out.push({
          object,
          expected: 'deleted (a tombstone)',
          found: 'still present',
          fix: 'check the blueprint holding the tombstone applied (findings above) or delete it by hand',
        });
      continue;
    }
    if (!live) {
      out.push({ object, expected: 'present', found: 'missing', fix: 'check its blueprint applied (findings above)' });
      continue;
    }
    for (const [k, v] of Object.entries(o.attrs))
      if (normalise(k, v) !== normalise(k, live[k]))
        out.push({
          object,
          expected: `${k} ${normalise(k, v)}`,
          found: normalise(k, live[k]),
          fix: 'changed outside git (the UI?): the next apply resets it; change the config instead, or re-apply the blueprint',
        });
  }
  return out;
}
