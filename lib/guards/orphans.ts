// Deleting a config entry does not delete what its blueprint created: Authentik keeps every object
// a blueprint stops mentioning (docs/field-traps.md#blueprints-never-delete). So the previous output (the directory about to be
// replaced, or --baseline) is read back, and an application, provider, group, service account or
// token it created that the new output neither creates nor tombstones is an orphan: synth refuses,
// and says to retire the entry first.
import path from 'node:path';
import type { SynthResult } from '../output/render';
import { MODEL } from '../upstream/authentik-models';
import { readBlueprints } from '../previous/blueprints';
import type { StoredBlueprint } from '../previous/hand-written';

/** The objects a blueprint identifies by a stable field: what an orphan is looked up by. */
const TRACKED: Readonly<Record<string, { field: string; what: string }>> = {
  [MODEL.application]: { field: 'slug', what: 'application' },
  [MODEL.oauth2Provider]: { field: 'client_id', what: 'OAuth2 provider with client_id' },
  [MODEL.proxyProvider]: { field: 'name', what: 'proxy provider' },
  [MODEL.group]: { field: 'name', what: 'group' },
  [MODEL.user]: { field: 'username', what: 'service account' },
  [MODEL.token]: { field: 'identifier', what: 'app-password token' },
  [MODEL.expressionPolicy]: { field: 'name', what: 'access policy' },
};

export interface CreatedObject {
  model: string;
  /** The identifying field's value (application slug, provider name). */
  key: string;
  /** Where it was created, for the message. */
  file: string;
}

type Entry = { model?: unknown; state?: unknown; identifiers?: Record<string, unknown>; attrs?: unknown };

/**
 * The field an entry's object is tracked by and its value. A hand-written blueprint may find the
 * object by another field (a provider by `name`) and set the tracked one in `attrs`; the object
 * still carries it, so it counts (a tombstone deletes by its identifiers only).
 */
export function trackedKey(e: Entry): { field: string; value: string } | undefined {
  const t = typeof e.model === 'string' ? TRACKED[e.model] : undefined;
  if (!t) return undefined;
  const attrs = e.attrs !== null && typeof e.attrs === 'object' ? (e.attrs as Record<string, unknown>) : {};
  const v = e.identifiers?.[t.field] ?? (e.state === 'absent' ? undefined : attrs[t.field]);
  return typeof v === 'string' ? { field: t.field, value: v } : undefined;
}

const keyOf = (e: Entry): string | undefined => trackedKey(e)?.value;

/**
 * Applications and providers the blueprints in an existing output directory create (tombstones
 * excluded). A directory that is missing or unreadable holds none: there is nothing to orphan.
 */
export const previouslyCreated = (outDir: string): CreatedObject[] => previouslyCreatedIn(outDir, readBlueprints(outDir));

/** The same, from the blueprints already read out of `outDir`. */
export function previouslyCreatedIn(outDir: string, blueprints: ReadonlyArray<StoredBlueprint>): CreatedObject[] {
  return blueprints.flatMap((bp) =>
    (bp.entries as Entry[]).flatMap((e) => {
      const key = keyOf(e);
      return key !== undefined && e.state !== 'absent' ? [{ model: String(e.model), key, file: path.join(outDir, bp.file) }] : [];
    }),
  );
}

/** Objects created before that the new blueprints neither create nor delete. */
export function checkOrphans(previous: ReadonlyArray<CreatedObject>, r: SynthResult): string[] {
  // A pass-through blueprint's objects are kept by it (docs/pass-through.md): they count as ours.
  const mentioned = new Set([...r.blueprints, ...r.passThrough].flatMap((bp) => bp.entries.map((e) => `${e.model}\u0000${keyOf(e)}`)));
  return previous
    .filter((o) => !mentioned.has(`${o.model}\u0000${o.key}`))
    .map(
      (o) =>
        `${TRACKED[o.model].what} "${o.key}" (created by ${o.file}) is no longer generated and nothing deletes it, so it would stay in Authentik (with its access). If you removed its service or group, or changed the slug, client id or service account it is named after: put the old entry back with retired: true, sync, then remove or change it; if the service stays and only lost one of its integrations (oidc beside forwardAuth), list this object in retiredObjects (model ${o.model}, identifiers {${TRACKED[o.model].field}: ${o.key}})`,
    );
}
