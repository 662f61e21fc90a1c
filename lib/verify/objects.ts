// Objects the blueprints create or delete, looked up by the identifiers the blueprints use and
// compared attribute by attribute. The normalisation (docs/verify.md#normalisation):
// - only attributes the blueprint sets are compared: the rest are the API's defaults;
// - a tag's value (!Find, !KeyOf, !Env, !Context) is resolved by the worker, never compared: an
//   !Env may be a secret, and no secret is read or printed;
// - a string is compared without leading and trailing whitespace: the serializers' CharField trims
//   both on the way in (rest_framework/fields.py CharField, trim_whitespace defaults to true), so a
//   policy expression's final newline never reaches the database;
// - a list of scalars is a set (the importer does not keep an order for them);
// - redirect URIs are compared as a set of (matching_mode, url) pairs, the url exactly (a strict
//   match in Authentik is exact, so a trailing slash is drift); meta_launch_url ignores a trailing slash.
import { isRecord } from '../base/records';
import type { StoredBlueprint } from '../previous/hand-written';
import type { Finding } from './format';
import { KeyOf } from '../upstream/blueprint-tags';
import { VerifyError, type Source } from './source';

export interface Lookup {
  /** The API list path. */
  api: string;
  /** The blueprint identifier the object is found by. */
  identifier: string;
  /** The list filter that takes the identifier's value. */
  param: string;
  /** Other query parameters the list needs. */
  extra?: string;
}

/** How each verified model is listed: the API path and the filter per identifier (each ViewSet's filterset). */
export const LOOKUPS: Readonly<Record<string, Lookup>> = {
  // OAuth2ProviderViewSet.filterset_fields has client_id (authentik/providers/oauth2/api/providers.py).
  'authentik_providers_oauth2.oauth2provider': { api: '/api/v3/providers/oauth2/', identifier: 'client_id', param: 'client_id' },
  // ApplicationViewSet lists only what the token's user may open unless superuser_full_list (authentik/core/api/applications.py).
  'authentik_core.application': { api: '/api/v3/core/applications/', identifier: 'slug', param: 'slug', extra: 'superuser_full_list=true' },
  // ProxyProviderViewSet.filterset_fields: name with iexact only (authentik/providers/proxy/api.py).
  'authentik_providers_proxy.proxyprovider': { api: '/api/v3/providers/proxy/', identifier: 'name', param: 'name__iexact' },
  // ExpressionPolicyViewSet.filterset_fields is "__all__" (authentik/policies/expression/api.py).
  'authentik_policies_expression.expressionpolicy': { api: '/api/v3/policies/expression/', identifier: 'name', param: 'name' },
  // GroupFilter.Meta.fields has name (authentik/core/api/groups.py).
  'authentik_core.group': { api: '/api/v3/core/groups/', identifier: 'name', param: 'name' },
  // UsersFilter.Meta.fields has username (authentik/core/api/users.py).
  'authentik_core.user': { api: '/api/v3/core/users/', identifier: 'username', param: 'username' },
  // TokenViewSet.filterset_fields has identifier (authentik/core/api/tokens.py).
  'authentik_core.token': { api: '/api/v3/core/tokens/', identifier: 'identifier', param: 'identifier' },
};

/** Policy bindings are found by their policy's and target's primary keys (PolicyBindingFilter, authentik/policies/api/bindings.py). */
export const BINDING = 'authentik_policies.policybinding';
export const BINDINGS_API = '/api/v3/policies/bindings/';

/** A `!KeyOf` identifier resolved to the object it names: its model and identifier value. */
export interface Ref {
  model: string;
  id: string;
}

export interface ExpectedObject {
  model: string;
  /** The identifier's value (client_id, slug, name); for a binding `policy=<name> target=<slug>`. */
  id: string;
  /** Attributes the blueprint sets to plain values (secrets and tags left out). */
  attrs: Record<string, unknown>;
  absent: boolean;
  blueprint: string;
  /** A binding's policy and target. */
  refs?: { policy: Ref; target: Ref };
}

type Plain = string | number | boolean | null;
type Entry = StoredBlueprint['entries'][number];
const isPlain = (v: unknown): v is Plain => v === null || ['string', 'number', 'boolean'].includes(typeof v);
const isPlainRecord = (v: unknown): boolean =>
  isRecord(v) && Object.getPrototypeOf(v) === Object.prototype && Object.values(v).every(isPlain);
/** A value the worker does not resolve: a scalar, a list of scalars or of flat records. */
const comparable = (v: unknown): boolean => isPlain(v) || (Array.isArray(v) && v.every((x) => isPlain(x) || isPlainRecord(x)));
const SECRET = /secret|password|token|key/i;

const plainAttrs = (e: Entry): Record<string, unknown> =>
  Object.fromEntries(Object.entries(isRecord(e.attrs) ? e.attrs : {}).filter(([k, v]) => !SECRET.test(k) && comparable(v)));

/** The object a `!KeyOf` names in the same file, when it is one verify can find. */
function refOf(k: unknown, entries: ReadonlyArray<Entry>): Ref | undefined {
  const e = k instanceof KeyOf ? entries.find((x) => x.id === k.id) : undefined;
  if (!e || e.conditions !== undefined || !isRecord(e.identifiers)) return undefined;
  const lookup = LOOKUPS[String(e.model)];
  const id = lookup && e.identifiers[lookup.identifier];
  return typeof id === 'string' ? { model: String(e.model), id } : undefined;
}

function expectedOf(e: Entry, bp: StoredBlueprint): ExpectedObject | undefined {
  if (e.conditions !== undefined || !isRecord(e.identifiers)) return undefined;
  const base = { attrs: plainAttrs(e), absent: e.state === 'absent', blueprint: bp.key, model: String(e.model) };
  if (e.model === BINDING) {
    const policy = refOf(e.identifiers.policy, bp.entries);
    const target = refOf(e.identifiers.target, bp.entries);
    return policy && target ? { ...base, id: `policy=${policy.id} target=${target.id}`, refs: { policy, target } } : undefined;
  }
  const lookup = LOOKUPS[String(e.model)];
  const id = lookup && e.identifiers[lookup.identifier];
  return typeof id === 'string' ? { ...base, id } : undefined;
}

/** The entries of the verified models whose identifiers verify can look up and that carry no condition. */
export function expectedObjects(blueprints: ReadonlyArray<StoredBlueprint>): ExpectedObject[] {
  return blueprints.flatMap((bp) => bp.entries.map((e) => expectedOf(e, bp)).filter((o): o is ExpectedObject => !!o));
}

/** One attribute's comparable form: strings trimmed, sets sorted, redirect URIs as pairs, launch URLs without a trailing slash. */
export function normalise(key: string, v: unknown): string {
  const one = (x: unknown) => JSON.stringify(typeof x === 'string' ? x.trim() : (x ?? null));
  if (key === 'meta_launch_url' && typeof v === 'string') return one(v.trim().replace(/\/$/, ''));
  if (key === 'redirect_uris' && Array.isArray(v))
    return JSON.stringify(v.map((r) => (isRecord(r) ? JSON.stringify([r.matching_mode ?? 'strict', r.url]) : one(r))).sort());
  if (Array.isArray(v)) return JSON.stringify(v.map(one).sort());
  return one(v);
}

type Live = Record<string, unknown>;

async function list(get: Source, base: URL, api: string, query: string): Promise<Live[]> {
  const json = await get(new URL(`${api}?${query}`, base).href);
  if (!isRecord(json) || !isRecord(json.pagination) || !Array.isArray(json.results) || !json.results.every(isRecord))
    throw new VerifyError(`GET ${api}: not a paginated list; is this an Authentik server?`);
  return json.results;
}

/** The primary key a binding's target refers to (2026.8's Application also shows it as pbm_uuid). */
const targetPk = (o: Live): unknown => o.pbm_uuid ?? o.pk;

/** The live object, or null when it is gone; undefined when a binding's policy or target is gone (reported for them). */
async function findLive(get: Source, base: URL, o: ExpectedObject, seen: Map<string, Live>): Promise<Live | null | undefined> {
  if (o.refs) {
    const policy = seen.get(`${o.refs.policy.model} ${o.refs.policy.id}`);
    const target = seen.get(`${o.refs.target.model} ${o.refs.target.id}`);
    if (!policy || !target) return undefined;
    const q = `policy=${encodeURIComponent(String(policy.pk))}&target=${encodeURIComponent(String(targetPk(target)))}`;
    const found = await list(get, base, BINDINGS_API, q);
    return found.find((b) => b.policy === policy.pk && [target.pk, targetPk(target)].includes(b.target)) ?? null;
  }
  const l = LOOKUPS[o.model];
  const found = await list(get, base, l.api, `${l.extra ? `${l.extra}&` : ''}${l.param}=${encodeURIComponent(o.id)}`);
  // The filter may ignore case (iexact); the importer matches identifiers exactly.
  const live = found.find((r) => r[l.identifier] === o.id) ?? null;
  if (live) seen.set(`${o.model} ${o.id}`, live);
  return live;
}

const DRIFT_FIX = 'changed outside git (the UI?): the next apply resets it; change the config instead, or re-apply the blueprint';

/** One object's findings: a tombstone still present, an object missing, or one per drifted attribute. */
function compare(o: ExpectedObject, live: Live | null): Finding[] {
  const object = `${o.model} ${o.refs ? o.id : `${LOOKUPS[o.model].identifier}=${o.id}`} (${o.blueprint})`;
  if (o.absent)
    return live
      ? [
          {
            object,
            expected: 'deleted (a tombstone)',
            found: 'still present',
            fix: 'check the blueprint holding the tombstone applied (findings above) or delete it by hand',
          },
        ]
      : [];
  if (!live) return [{ object, expected: 'present', found: 'missing', fix: 'check its blueprint applied (findings above)' }];
  return Object.entries(o.attrs)
    .filter(([k, v]) => normalise(k, v) !== normalise(k, live[k]))
    .map(([k, v]) => ({ object, expected: `${k} ${normalise(k, v)}`, found: normalise(k, live[k]), fix: DRIFT_FIX }));
}

/** Each object: present with its attributes, or (a tombstone) gone; bindings after the policies and targets they join. */
export async function objectFindings(get: Source, base: URL, objects: ReadonlyArray<ExpectedObject>): Promise<Finding[]> {
  const seen = new Map<string, Live>();
  const out: Finding[] = [];
  for (const o of [...objects.filter((x) => !x.refs), ...objects.filter((x) => x.refs)]) {
    const live = await findLive(get, base, o, seen);
    if (live !== undefined) out.push(...compare(o, live));
  }
  return out;
}
