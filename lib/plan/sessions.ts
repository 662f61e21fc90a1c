// Narrowing is not retroactive: who loses an application keeps the sessions they already have,
// for as long as the provider of the *previous* output lets them last (a refresh runs no
// application policy and rolls the refresh token: lib/upstream/conventions.ts END_SESSIONS_STEP).
import { Find, KeyOf } from '../upstream/blueprint-tags';
import { MODEL } from '../upstream/authentik-models';
import type { StoredBlueprint } from '../previous/hand-written';
import { AUTHENTIK_DEFAULT_REFRESH_VALIDITY, END_REFRESH_STEP, END_SESSIONS_STEP, SCOPE_MAPPINGS } from '../upstream/conventions';
import type { AppAccess } from '../guards/authentik-changes';

type Attrs = Record<string, unknown>;
/** A validity attribute as written ('days=30'), or the default when the provider does not set it. */
const validity = (v: unknown, fallback: string): string => (typeof v === 'string' ? v : fallback);

/** How long an existing session of the application's provider outlives a narrowing, and how to end it. */
function lifetimeOf(bps: ReadonlyArray<StoredBlueprint>, slug: string): string | undefined {
  const oauth2 = (lifetime: string) => `${lifetime}; ${END_SESSIONS_STEP} ${END_REFRESH_STEP}`;
  for (const bp of bps) {
    const app = bp.entries.find((e) => e.model === MODEL.application && e.state !== 'absent' && (e.identifiers as Attrs)?.slug === slug);
    const ref = (app?.attrs as Attrs | undefined)?.provider;
    if (!(ref instanceof KeyOf)) continue;
    const provider = bp.entries.find((e) => e.id === ref.id);
    const attrs = (provider?.attrs ?? {}) as Attrs;
    if (provider?.model === MODEL.proxyProvider)
      return `up to ${validity(attrs.access_token_validity, 'hours=24')} after sign-in (the outpost session); ${END_SESSIONS_STEP}`;
    if (provider?.model !== MODEL.oauth2Provider) return undefined;
    const grants = attrs.grant_types;
    // token.py issues a refresh token only when offline_access was granted.
    const offline =
      Array.isArray(attrs.property_mappings) &&
      attrs.property_mappings.some((f) => f instanceof Find && f.query.some(([, v]) => v === SCOPE_MAPPINGS.offline_access));
    if (!offline || (Array.isArray(grants) && !grants.includes('refresh_token')))
      return oauth2(`up to ${validity(attrs.access_token_validity, 'hours=1')} (the access token they hold)`);
    return oauth2(
      `up to ${validity(attrs.refresh_token_validity, AUTHENTIK_DEFAULT_REFRESH_VALIDITY)} after each token refresh (refresh tokens roll, and a refresh runs no access policy)`,
    );
  }
  return undefined;
}

/** Whether some group (or everyone) who could open the application before cannot now. */
function narrowed(before: AppAccess, after: AppAccess | undefined): boolean {
  if (!after) return true;
  if (after.allowed === 'any') return false;
  return before.allowed === 'any' || before.allowed.some((g) => !(after.allowed as string[]).includes(g));
}

/** One sentence per narrowed application: how long existing sessions keep access, and how to end them. */
export function narrowingSessionNotes(
  before: ReadonlyArray<StoredBlueprint>,
  accessBefore: Map<string, AppAccess>,
  accessAfter: Map<string, AppAccess>,
): string[] {
  const out: string[] = [];
  for (const [slug, a] of accessBefore) {
    if (!narrowed(a, accessAfter.get(slug))) continue;
    const lifetime = lifetimeOf(before, slug);
    if (lifetime) out.push(`${slug}: who loses it keeps the sessions they have, ${lifetime}`);
  }
  return out;
}
