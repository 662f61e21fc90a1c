// The embedded outpost lists exactly the forward-auth providers the config manages, when the
// blueprint sets its providers (authentik.outpost.manageProviders): each `!KeyOf provider-…` is
// the proxy provider entry with that id, named by its identifier.
import { isRecord } from '../base/records';
import type { StoredBlueprint } from '../previous/hand-written';
import { KeyOf } from '../upstream/blueprint-tags';
import type { Finding } from './format';
import { VerifyError, type Source } from './source';

/** The embedded outpost's `managed` value (authentik/outposts/apps.py MANAGED_OUTPOST). */
export const EMBEDDED = 'goauthentik.io/outposts/embedded';

/** The proxy provider names the embedded outpost must list, or undefined when no blueprint sets its providers. */
export function expectedOutpostProviders(blueprints: ReadonlyArray<StoredBlueprint>): string[] | undefined {
  const entries = blueprints.flatMap((b) => b.entries);
  const outpost = entries.find(
    (e) => e.model === 'authentik_outposts.outpost' && isRecord(e.identifiers) && e.identifiers.managed === EMBEDDED && isRecord(e.attrs),
  );
  const providers = outpost && (outpost.attrs as Record<string, unknown>).providers;
  if (!Array.isArray(providers)) return undefined;
  const nameOf = (k: unknown): string => {
    const entry = k instanceof KeyOf ? entries.find((e) => e.id === k.id) : undefined;
    const name = entry && isRecord(entry.identifiers) ? entry.identifiers.name : undefined;
    return typeof name === 'string' ? name : String(k instanceof KeyOf ? k.id : k);
  };
  return providers.map(nameOf).sort();
}

/** Providers missing from the embedded outpost, and providers on it the config does not manage. */
export async function outpostFindings(get: Source, base: URL, want: ReadonlyArray<string> | undefined): Promise<Finding[]> {
  if (!want) return [];
  // OutpostViewSet filters `managed` with iexact (authentik/outposts/api/outposts.py).
  const json = await get(new URL(`/api/v3/outposts/instances/?managed__iexact=${encodeURIComponent(EMBEDDED)}`, base).href);
  if (!isRecord(json) || !Array.isArray(json.results) || !json.results.every(isRecord))
    throw new VerifyError('GET /api/v3/outposts/instances/: not a paginated list; is this an Authentik server?');
  const object = 'embedded outpost';
  const [outpost] = json.results;
  if (!outpost) return [{ object, expected: 'present', found: 'missing', fix: 'check the proxy blueprint applied (findings above)' }];
  const live = (Array.isArray(outpost.providers_obj) ? outpost.providers_obj : []).map((p) => (isRecord(p) ? String(p.name) : '')).sort();
  const missing = want.filter((n) => !live.includes(n));
  const extra = live.filter((n) => !want.includes(n));
  if (!missing.length && !extra.length) return [];
  const found = [missing.length ? `missing ${missing.join(', ')}` : '', extra.length ? `also ${extra.join(', ')}` : '']
    .filter(Boolean)
    .join('; ');
  return [
    {
      object,
      expected: `providers ${want.join(', ')}`,
      found,
      fix: 'assigned or removed in the UI: the next apply resets the list; add the service to the config instead',
    },
  ];
}
