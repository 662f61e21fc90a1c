// Checks that every `!KeyOf` and `!Find` in the generated blueprints resolves. A reference that
// does not resolve becomes null on the cluster without a useful error (docs/field-traps.md#failed-blueprints-look-synced, #blueprint-references), and
// a `!Find` into another file races with it unless a metaapplyblueprint entry orders the two.
import { META_APPLY_BLUEPRINT, describeBlueprintValue, problem } from './api-schema';
import { Condition, Find, KeyOf } from './blueprint-tags';
import type { Attrs, Blueprint, BlueprintEntry, BlueprintValue } from './blueprint-types';
import { MODEL } from './authentik-models';
import { AUTHENTIK_FLOWS, DEFAULT_CERTIFICATE, EMBEDDED_OUTPOST, PROXY_SCOPE_MAPPINGS, SCOPE_MAPPINGS } from './conventions';

/** An object that exists before any of our blueprints apply, by model and some of its fields. */
export interface KnownObject {
  model: string;
  fields: Readonly<Record<string, string>>;
}
export type KnownObjects = ReadonlyArray<KnownObject>;

const flow = (slug: string): KnownObject => ({ model: MODEL.flow, fields: { slug } });
// Found by `managed` (unique); scope_name alone is not (see SCOPE_MAPPINGS).
const scope = (managed: string): KnownObject => ({ model: MODEL.scopeMapping, fields: { managed } });

/** What a fresh Authentik ships and blueprints may `!Find` (docs/field-traps.md#authentik-defaults, #embedded-outpost). */
export const AUTHENTIK_DEFAULTS: KnownObjects = [
  ...Object.values(AUTHENTIK_FLOWS).map(flow),
  { model: MODEL.certificate, fields: { name: DEFAULT_CERTIFICATE } },
  ...Object.values(SCOPE_MAPPINGS).map(scope),
  ...PROXY_SCOPE_MAPPINGS.map((m) => scope(m.managed)),
  { model: MODEL.outpost, fields: { managed: EMBEDDED_OUTPOST } },
];

/** Every tag inside a value, with its field path in the validateBlueprint style. */
function tagsIn(value: BlueprintValue, path: string, out: Array<[string, KeyOf | Find]>): void {
  if (value instanceof KeyOf || value instanceof Find) out.push([path, value]);
  else if (Array.isArray(value)) value.forEach((v, i) => tagsIn(v, `${path}[${i}]`, out));
  else if (value !== null && typeof value === 'object' && value.constructor === Object) {
    // A plain object (tags are class instances), so it is the mapping member of BlueprintValue.
    const attrs = value as Attrs;
    for (const k of Object.keys(attrs)) tagsIn(attrs[k], `${path}.${k}`, out);
  }
}

function entryTags(entry: BlueprintEntry): Array<[string, KeyOf | Find]> {
  const out: Array<[string, KeyOf | Find]> = [];
  for (const attrs of [entry.identifiers, entry.attrs ?? {}]) {
    for (const k of Object.keys(attrs)) tagsIn(attrs[k], k, out);
  }
  return out;
}

/** The string-valued fields an entry writes: what a `!Find` can match on. */
function stringFields(entry: BlueprintEntry): Record<string, string> {
  const merged: Attrs = { ...entry.identifiers, ...entry.attrs };
  return Object.fromEntries(Object.entries(merged).filter((kv): kv is [string, string] => typeof kv[1] === 'string'));
}

const matches = (find: Find, model: string, fields: Readonly<Record<string, string>>): boolean =>
  find.model === model && find.query.every(([f, v]) => fields[f] === v);

interface Created {
  blueprint: number;
  entry: number;
  model: string;
  fields: Record<string, string>;
}

/** The blueprint name a metaapplyblueprint entry applies first, if it is one. */
function metaApplied(e: BlueprintEntry): string | undefined {
  const ids = e.attrs?.identifiers;
  if (e.model !== META_APPLY_BLUEPRINT || e.state === 'absent' || !ids || typeof ids !== 'object' || Array.isArray(ids)) return undefined;
  const name = (ids as Attrs).name;
  return typeof name === 'string' ? name : undefined;
}

/** Created objects indexed by model and one field=value pair, so each `!Find` is a lookup, not a scan. */
type CreatedIndex = Map<string, Created[]>;
const indexKey = (model: string, field: string, value: string) => `${model}\u0000${field}\u0000${value}`;

function indexCreated(created: Created[]): CreatedIndex {
  const index: CreatedIndex = new Map();
  for (const c of created) {
    for (const [f, v] of Object.entries(c.fields)) {
      const k = indexKey(c.model, f, v);
      const list = index.get(k);
      if (list) list.push(c);
      else index.set(k, [c]);
    }
  }
  return index;
}

/** Each entry's tags (entryTags), by entry index: read once for both the !KeyOf and the !Find rules. */
type EntryTags = ReadonlyArray<Array<[string, KeyOf | Find]>>;

function checkKeyOfs(bp: Blueprint, tags: EntryTags, out: string[]): void {
  const firstIndex = new Map<string, number>();
  bp.entries.forEach((entry, i) => {
    if (entry.id === undefined) return;
    const seen = firstIndex.get(entry.id);
    if (seen !== undefined)
      out.push(problem(bp, i, entry, 'id', `id ${entry.id} is already used by entry ${seen}; ids must be unique within a file`));
    else firstIndex.set(entry.id, i);
  });
  bp.entries.forEach((entry, i) => {
    for (const [path, tag] of tags[i]) {
      if (!(tag instanceof KeyOf)) continue;
      const target = firstIndex.get(tag.id);
      if (target === undefined || target >= i) {
        // Authentik resolves !KeyOf against entries already applied in this file only.
        const where =
          target === undefined ? 'no entry has that id' : target === i ? 'it is this entry' : `entry ${target} defines it later`;
        out.push(problem(bp, i, entry, path, `!KeyOf ${tag.id} does not target an id defined earlier in this file (${where})`));
      } else if (bp.entries[target].state === 'absent') {
        out.push(problem(bp, i, entry, path, `!KeyOf ${tag.id} targets entry ${target}, which has state: absent`));
      }
    }
  });
}

/** Whether a condition requires `a` to find something: `!Condition [AND, ..., a, ...]`. */
const sameFind = (a: Find, c: BlueprintValue): boolean =>
  c instanceof Condition &&
  c.mode === 'AND' &&
  c.args.some((b) => a.model === b.model && JSON.stringify(a.query) === JSON.stringify(b.query));

/**
 * A tombstone whose `!Find` finds nothing looks its object up by an empty field: for a policy
 * binding, `group IS NULL` matches every policy and user binding on the target, and the importer
 * deletes the first. So each `!Find` in a tombstone's identifiers must also be a condition of it
 * (the importer skips an entry whose conditions are not all truthy).
 */
function checkTombstoneConditions(bp: Blueprint, out: string[]): void {
  bp.entries.forEach((entry, i) => {
    if (entry.state !== 'absent') return;
    for (const [path, tag] of entryTags({ ...entry, attrs: undefined })) {
      if (tag instanceof Find && !(entry.conditions ?? []).some((c) => sameFind(tag, c))) {
        out.push(
          problem(
            bp,
            i,
            entry,
            path,
            `${describeBlueprintValue(tag)} in a tombstone's identifiers must also be in its conditions: when it finds nothing, the lookup matches objects with an empty ${path}`,
          ),
        );
      }
    }
  });
}

/** The known objects by model: a `!Find` matches only objects of its model. */
type KnownByModel = ReadonlyMap<string, KnownObjects>;

function byModel(known: KnownObjects): KnownByModel {
  const index = new Map<string, KnownObject[]>();
  for (const k of known) index.set(k.model, [...(index.get(k.model) ?? []), k]);
  return index;
}

function checkFinds(bps: Blueprint[], b: number, tags: EntryTags, created: CreatedIndex, known: KnownByModel, out: string[]): void {
  const bp = bps[b];
  // Blueprints this file applies first, grown as entries are walked in order.
  const ordered = new Set<string>();
  bp.entries.forEach((entry, i) => {
    for (const [path, tag] of tags[i]) {
      if (!(tag instanceof Find)) continue;
      // A conditioned tombstone is skipped while its object is missing: no race to order.
      if (entry.state === 'absent' && (entry.conditions ?? []).some((c) => sameFind(tag, c))) continue;
      if ((known.get(tag.model) ?? []).some((k) => matches(tag, k.model, k.fields))) continue;
      const [first] = tag.query;
      const candidates = first ? (created.get(indexKey(tag.model, first[0], first[1])) ?? []) : [];
      const hits = candidates.filter((c) => matches(tag, c.model, c.fields));
      if (hits.some((c) => c.blueprint === b && c.entry < i)) continue;
      const elsewhere = hits.filter((c) => c.blueprint !== b);
      if (elsewhere.some((c) => ordered.has(bps[c.blueprint].name))) continue;
      const later = hits.find((c) => c.blueprint === b);
      let what: string;
      if (elsewhere.length > 0) {
        const names = [...new Set(elsewhere.map((c) => bps[c.blueprint].name))].join(', ');
        what = `${describeBlueprintValue(tag)} resolves to an object created in blueprint ${names}; blueprints apply concurrently, add a metaapplyblueprint entry for ${names} first`;
      } else if (later !== undefined) {
        // Entries apply in order: on a first apply the object does not exist yet.
        what = `${describeBlueprintValue(tag)} resolves to an object created later in this file (entry ${later.entry}); move that entry first or use !KeyOf`;
      } else {
        what = `${describeBlueprintValue(tag)} matches no object created here and no Authentik default`;
      }
      out.push(problem(bp, i, entry, path, what));
    }
    const applied = metaApplied(entry);
    if (applied !== undefined) ordered.add(applied);
  });
}

/**
 * Every `!KeyOf` targets an earlier entry of its own file (ids unique per file); every `!Find`
 * targets an object some entry creates (earlier in the same file, or in a blueprint this one
 * applies first via metaapplyblueprint) or a `known` default. One message per problem.
 */
export function checkReferences(bps: Blueprint[], known: KnownObjects = AUTHENTIK_DEFAULTS): string[] {
  const created: Created[] = bps.flatMap((bp, b) =>
    bp.entries.flatMap((e, i) => (e.state === 'absent' ? [] : [{ blueprint: b, entry: i, model: e.model, fields: stringFields(e) }])),
  );
  const index = indexCreated(created);
  const knownByModel = byModel(known);
  const out: string[] = [];
  bps.forEach((bp, b) => {
    const tags = bp.entries.map(entryTags);
    checkKeyOfs(bp, tags, out);
    checkFinds(bps, b, tags, index, knownByModel, out);
    checkTombstoneConditions(bp, out);
  });
  return out;
}
