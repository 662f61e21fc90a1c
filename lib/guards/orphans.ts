// Deleting a config entry does not delete what its blueprint created: Authentik keeps every object
// a blueprint stops mentioning (docs/field-traps.md#blueprints-never-delete). So the previous output (the directory about to be
// replaced, or --baseline) is read back, and an application, provider, group, service account or
// token it created that the new output neither creates nor tombstones is an orphan: synth refuses,
// and says to retire the entry first. A pass-through blueprint's entries are all owned, whatever
// their model (a flow, a stage, a brand): each is tracked by its identifiers as written.
import path from 'node:path';
import type { SynthResult } from '../output/render';
import { MODEL } from '../upstream/authentik-models';
import { MODEL_SCHEMAS } from '../upstream/api-schema';
import { readBlueprints } from '../previous/blueprints';
import type { StoredBlueprint } from '../previous/hand-written';
import { isRecord } from '../base/records';

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

const isPlain = (v: unknown): v is string | number | boolean => ['string', 'number', 'boolean'].includes(typeof v);

/**
 * An entry's identifiers as one key (sorted JSON), when every value is plain: what a pass-through
 * entry of any model is tracked by. One that finds its object through a reference (`!KeyOf`,
 * `!Find`) names no object by itself and is not tracked (docs/pass-through.md#known-gaps).
 */
export function identifiersKey(e: Entry): string | undefined {
  const ids = Object.entries(e.identifiers ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return ids.length && ids.every(([, v]) => isPlain(v)) ? JSON.stringify(Object.fromEntries(ids)) : undefined;
}

/**
 * What an entry of a previous output is tracked by: its tracked field, else its identifiers for a
 * tracked model (an OAuth2 provider found by name, its client_id left to the cluster) and for
 * every entry of a pass-through blueprint.
 */
const createdKey = (e: Entry, passThrough: boolean): string | undefined =>
  keyOf(e) ?? (passThrough || (typeof e.model === 'string' && TRACKED[e.model]) ? identifiersKey(e) : undefined);

/**
 * Applications and providers the blueprints in an existing output directory create (tombstones
 * excluded). A directory that is missing or unreadable holds none: there is nothing to orphan.
 */
export const previouslyCreated = (outDir: string): CreatedObject[] => previouslyCreatedIn(outDir, readBlueprints(outDir));

/** The same, from the blueprints already read out of `outDir`. */
export function previouslyCreatedIn(outDir: string, blueprints: ReadonlyArray<StoredBlueprint>): CreatedObject[] {
  return blueprints.flatMap((bp) =>
    (bp.entries as Entry[]).flatMap((e) => {
      const key = createdKey(e, bp.passThrough === true);
      return key !== undefined && e.state !== 'absent' ? [{ model: String(e.model), key, file: path.join(outDir, bp.file) }] : [];
    }),
  );
}

/** Objects created before that the new blueprints neither create nor delete. */
export function checkOrphans(previous: ReadonlyArray<CreatedObject>, r: SynthResult): string[] {
  // A pass-through blueprint's objects are kept by it (docs/pass-through.md): they count as ours. An
  // entry counts by its tracked field and by its identifiers (a tombstone in retiredObjects has both forms).
  const mentioned = new Set(
    [...r.blueprints, ...r.passThrough].flatMap((bp) =>
      bp.entries.flatMap((e) => [keyOf(e), identifiersKey(e)].filter((k) => k !== undefined).map((k) => `${e.model}\u0000${k}`)),
    ),
  );
  return previous.filter((o) => !mentioned.has(`${o.model}\u0000${o.key}`)).map(orphanLine);
}

/** One line for an orphan: a tracked model's (by its field) or a pass-through entry's (by its identifiers). */
function orphanLine(o: CreatedObject): string {
  const t = TRACKED[o.model] as { field: string; what: string } | undefined;
  // An entry without its model's tracked field is keyed by its identifiers (createdKey).
  const ids = !t || o.key.startsWith('{') ? identifiersText(o.key) : undefined;
  if (ids !== undefined || !t) {
    const tombstone = `model: ${o.model}, state: absent, identifiers: ${ids ?? o.key}`;
    // retiredObjects takes the models generated blueprints may delete; any other goes in a pass-through file.
    const where = MODEL_SCHEMAS[o.model] ? 'list it in retiredObjects or keep' : 'keep';
    return `${o.model} ${ids ?? o.key} (created by ${o.file}) is neither generated nor kept in authentik.passThrough any more, and nothing deletes it, so it would stay in Authentik. Put its entry back, or delete it: ${where} it as a tombstone in a pass-through file (${tombstone}); sync, then remove that`;
  }
  return `${t.what} "${o.key}" (created by ${o.file}) is no longer generated and nothing deletes it, so it would stay in Authentik (with its access). If you removed its service or group, or changed the slug, client id or service account it is named after: put the old entry back with retired: true, sync, then remove or change it; if the service stays and only lost one of its integrations (oidc beside forwardAuth), list this object in retiredObjects (model ${o.model}, identifiers {${t.field}: ${o.key}})`;
}

/** `{"slug":"x","pk":3}` as `{slug: "x", pk: 3}`, the form retiredObjects takes; undefined for a field's value. */
function identifiersText(key: string): string | undefined {
  let ids: unknown;
  try {
    ids = JSON.parse(key);
  } catch {
    return undefined;
  }
  if (!isRecord(ids)) return undefined;
  return `{${Object.entries(ids)
    .map(([k, v]) => `${k}: ${JSON.stringify(v)}`)
    .join(', ')}}`;
}
