// What the blueprints of two output trees do to Authentik: objects created, updated (which
// attributes), deleted, by model and identifiers; blueprint files the worker re-applies; secrets
// whose rotation marker changed; and who may use which application.
import { Env, Find, KeyOf } from '../upstream/blueprint-tags';
import { MODEL } from '../upstream/authentik-models';
import { EMBEDDED_OUTPOST, EMBEDDED_OUTPOST_NAME } from '../upstream/conventions';
import { parseAccessExpression } from '../blueprints/access';
import type { StoredBlueprint } from '../previous/hand-written';
import { trackedKey } from './orphans';
import { isMinorGate } from '../upstream/minor-gate';
import { isRecord } from '../base/records';

/** A policy entry's expression text ('' when it has none). */
const expressionOf = (policy: { attrs?: unknown } | undefined): string => {
  const e = (policy?.attrs as Record<string, unknown> | undefined)?.expression;
  return typeof e === 'string' ? e : '';
};

export interface ObjectChange {
  model: string;
  /** `field=value` pairs the blueprint finds the object by, references spelled out. */
  identity: string;
  /** For updates: the attributes whose value changes. */
  attributes?: string[];
  blueprint: string;
  /** Deleted because this object it depends on is (Authentik cascades the delete). */
  cascade?: string;
}

export interface AuthentikChanges {
  created: ObjectChange[];
  updated: ObjectChange[];
  deleted: ObjectChange[];
  /**
   * Direct group bindings an application's access policy takes over: deleted, and the same group
   * is admitted by the policy the same blueprint binds (docs/access.md#access-who-may-open-what). Access does not change;
   * a binding whose group the policy does not admit is in `deleted`.
   */
  replaced: Array<ObjectChange & { by: string }>;
  /** Present before, neither present nor deleted now: stays in Authentik unmanaged (synth refuses these for applications and providers). */
  abandoned: ObjectChange[];
  /** Blueprint files whose text changes (the worker re-applies exactly these), by file key. */
  reapplied: string[];
  /**
   * Blueprints whose file moves to another ConfigMap or key: Authentik keys an instance by its
   * path and its name is unique, so the new path is registered only after the cleanup task has
   * removed the old instance (discovery fails until then).
   */
  moved: Array<{ blueprint: string; from: string; to: string }>;
  /**
   * Objects that change blueprint file with the same identity, counted per pair of files (OIDC
   * services moving into their shards, a service moving between forward-auth files). Authentik
   * finds them by identity, so both files describe the same objects and any order converges.
   */
  regrouped: Array<{ from: string; to: string; objects: number }>;
  /**
   * Changes Authentik refuses, one line each naming the file and entry: a provider taking a name a
   * live provider of another identity has (Provider.name is unique across provider types), or an
   * application taking a provider a live application of another slug keeps (Application.provider
   * is one-to-one). The file fails as a whole; it never creates a second object.
   */
  conflicts: string[];
  /** Rotation markers that changed: the blueprint re-applies and reads these `!Env` values again. */
  rotated: Array<{ label: string; from?: string; to?: string; blueprint: string; env: string[] }>;
}

type Entry = Record<string, unknown>;
const ROTATION = /^unified-auth\/(.+)\.rotation-id$/;
/** A plain mapping: the tags (KeyOf, Find, Env) are objects too, and are shown by their own rule. */
const isPlainRecord = (v: unknown): v is Record<string, unknown> => isRecord(v) && v.constructor === Object;

/**
 * A string as plan text: bare when it reads back unambiguously, else JSON-quoted. Names are free text
 * (docs/names.md): a line break would split the plan line, a comma or `=` would read as another pair.
 */
// eslint-disable-next-line no-control-regex -- control characters are what must not reach a plan line bare
const planString = (s: string): string => (/^$|^\s|\s$|[\u0000-\u001f\u007f-\u009f\u2028\u2029",=\\]/.test(s) ? JSON.stringify(s) : s);

/** A value as plan text: tags spelled as in the YAML, KeyOf resolved to the entry it names. */
function show(v: unknown, byId: Map<string, Entry>, depth = 0): string {
  if (v instanceof KeyOf) {
    const target = byId.get(v.id);
    return target && depth < 3 ? `${String(target.model).split('.')[1]}(${identity(target, byId, depth + 1)})` : `!KeyOf ${v.id}`;
  }
  if (v instanceof Find) return `${v.model.split('.')[1]}(${v.query.map(([f, x]) => `${f}=${show(x, byId, depth + 1)}`).join(', ')})`;
  if (v instanceof Env) return `!Env ${v.name}`;
  if (Array.isArray(v)) return `[${v.map((x) => show(x, byId, depth)).join(', ')}]`;
  if (isPlainRecord(v))
    return `{${Object.entries(v)
      .map(([k, x]) => `${k}: ${show(x, byId, depth)}`)
      .join(', ')}}`;
  return typeof v === 'string' ? planString(v) : JSON.stringify(v);
}

/**
 * How a blueprint finds the object. A tracked object found by another field than this tool finds
 * it by (a hand-written provider by `name`, its `client_id` in attrs) is named by the tracked field,
 * so a hand-written layer and the output adopting it compare object by object.
 */
function identityPairs(e: Entry, byId: Map<string, Entry>, depth = 0): string[] {
  const ids = (e.identifiers ?? {}) as Record<string, unknown>;
  const tracked = trackedKey(e);
  if (tracked && ids[tracked.field] === undefined) return [`${tracked.field}=${planString(tracked.value)}`];
  return Object.entries(ids).map(([k, v]) => `${k}=${show(v, byId, depth)}`);
}
const identity = (e: Entry, byId: Map<string, Entry>, depth = 0): string => identityPairs(e, byId, depth).join(', ');

interface Desired {
  model: string;
  identity: string;
  /** The identifier `field=value` pairs; their order in the file does not matter to Authentik. */
  pairs: string[];
  state: string;
  attrs: Record<string, string>;
  blueprint: string;
  /** Its index in the file, for messages. */
  entry: number;
}

/** What `desired` reads of a blueprint: its file key and entries (stored, or as rendered). */
export type BlueprintEntries = Pick<StoredBlueprint, 'key' | 'entries'>;

/** A narrower read: only these models, and only these attributes of them. */
interface DesiredScope {
  models: ReadonlySet<string>;
  fields: ReadonlySet<string>;
}

/**
 * Every entry of every blueprint (or those in `only`), keyed by model and identity
 * (metaapplyblueprint entries are not objects).
 */
function desired(bps: ReadonlyArray<BlueprintEntries>, only?: DesiredScope): Map<string, Desired> {
  const out = new Map<string, Desired>();
  for (const bp of bps) {
    const byId = new Map(bp.entries.filter((e) => typeof e.id === 'string').map((e) => [e.id as string, e]));
    for (const [entry, e] of bp.entries.entries()) {
      if (e.model === MODEL.metaApplyBlueprint || isMinorGate(e) || (only && !only.models.has(String(e.model)))) continue;
      const pairs = identityPairs(e, byId);
      const d: Desired = {
        model: String(e.model),
        identity: pairs.join(', '),
        pairs,
        state: typeof e.state === 'string' ? e.state : 'present',
        // Authentik writes the identifiers into the object too: a field may move between the two.
        attrs: Object.fromEntries(
          Object.entries({ ...(e.identifiers ?? {}), ...(e.attrs ?? {}) })
            .filter(([k]) => !only || only.fields.has(k))
            .map(([k, v]) => [k, show(v, byId)]),
        ),
        blueprint: bp.key,
        entry,
      };
      out.set(`${d.model}\u0000${[...pairs].sort().join('\u0001')}`, d);
    }
  }
  return out;
}

const PROVIDERS: ReadonlyArray<string> = [MODEL.oauth2Provider, MODEL.proxyProvider];
/** All the identity rules read: the guard skips the rest (thousands of entries at scale). */
const IDENTITY_SCOPE: DesiredScope = { models: new Set([...PROVIDERS, MODEL.application]), fields: new Set(['name', 'provider', 'slug']) };
const present = (m: Map<string, Desired>) => [...m.values()].filter((d) => d.state !== 'absent');
const at = (d: Desired) => `${d.blueprint} entry ${d.entry} (${d.model} ${d.identity})`;
const adopt = (old: Desired) =>
  old.model === MODEL.oauth2Provider
    ? `adopt it with services[].oidc.clientId (${old.identity}), or give this provider another name (providerName)`
    : 'adopt it with services[].forwardAuth.providerName, or give this provider another name';

/**
 * What Authentik refuses when `now` replaces `was` (see AuthentikChanges.conflicts). Oracles of
 * core/models.py: Provider.name unique=True on the table every provider type extends, and
 * Application.provider a OneToOneField (docs/authentik-importer.md, identity mismatches).
 */
function conflictsOf(was: Map<string, Desired>, now: Map<string, Desired>): string[] {
  const before = present(was);
  const after = present(now);
  const nowKeys = new Set(after.map((d) => `${d.model}\u0000${d.identity}`));
  // Indexed once: the guard runs in every synth, with thousands of entries (npm run bench).
  const providersByName = groupBy(
    before.filter((o) => PROVIDERS.includes(o.model) && !nowKeys.has(`${o.model}\u0000${o.identity}`)),
    (o) => o.attrs.name,
  );
  const appsByProvider = groupBy(
    before.filter((o) => o.model === MODEL.application),
    (o) => o.attrs.provider,
  );
  // The first entry of each file that names an application slug (any state): it lets go of the provider first.
  const firstApp = new Map<string, number>();
  for (const x of now.values())
    if (x.model === MODEL.application) {
      const k = `${x.blueprint}\u0000${x.attrs.slug}`;
      firstApp.set(k, Math.min(firstApp.get(k) ?? x.entry, x.entry));
    }
  const out: string[] = [];
  for (const d of after.filter((x) => PROVIDERS.includes(x.model) && x.attrs.name !== undefined)) {
    const old = providersByName.get(d.attrs.name)?.find((o) => o.model !== d.model || o.identity !== d.identity);
    if (old)
      out.push(
        `${at(d)}: name ${JSON.stringify(String(d.attrs.name))} is the live ${old.model} ${old.identity}'s (${old.blueprint}); provider names are unique across provider types, so this file would fail: ${adopt(old)}`,
      );
  }
  // An application whose provider a live application of another slug holds, and keeps: nothing in
  // the same file deletes or moves that application before this entry.
  for (const d of after.filter((x) => x.model === MODEL.application && x.attrs.provider !== undefined)) {
    const holder = appsByProvider.get(d.attrs.provider)?.find((o) => o.identity !== d.identity);
    if (!holder) continue;
    const released = firstApp.get(`${d.blueprint}\u0000${holder.attrs.slug}`);
    if (released === undefined || released >= d.entry)
      out.push(
        `${at(d)}: its provider ${d.attrs.provider} is held by the live application ${holder.identity} (${holder.blueprint}), which keeps it; an application holds one provider, so this file would fail: adopt that slug with services[].oidc.application or forwardAuth.application, or retire it first`,
      );
  }
  return out;
}

/** Desired entries by a key (entries without it left out), in their order. */
function groupBy(ds: ReadonlyArray<Desired>, key: (d: Desired) => string | undefined): Map<string, Desired[]> {
  const out = new Map<string, Desired[]>();
  for (const d of ds) {
    const k = key(d);
    if (k !== undefined) out.set(k, [...(out.get(k) ?? []), d]);
  }
  return out;
}

/**
 * A live provider or application as the identity rules read it: how its blueprint finds it
 * (identifiers, values as plan text), the fields the rules compare (name, provider, slug) and its
 * blueprint file. The recorded state keeps these (docs/state.md), so the guard runs on it too.
 */
export interface LiveIdentity {
  model: string;
  identifiers: Record<string, string>;
  attrs: { name?: string; provider?: string; slug?: string };
  blueprint: string;
}

const pairOf = (p: string): [string, string] => [p.slice(0, p.indexOf('=')), p.slice(p.indexOf('=') + 1)];
const liveKey = (l: LiveIdentity) =>
  `${l.blueprint}\u0000${l.model}\u0000${Object.entries(l.identifiers)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ')}`;

/** The providers and applications `bps` keep present, sorted: what the guard compares a new output with. */
export const liveIdentities = (bps: ReadonlyArray<BlueprintEntries>): LiveIdentity[] =>
  present(desired(bps, IDENTITY_SCOPE))
    .map((d): LiveIdentity => ({
      model: d.model,
      identifiers: Object.fromEntries(d.pairs.map(pairOf)),
      attrs: d.attrs,
      blueprint: d.blueprint,
    }))
    .map((l) => [liveKey(l), l] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, l]) => l);

/** The records back in the form the rules read (the guard never needs their entry index). */
function desiredOfLive(live: ReadonlyArray<LiveIdentity>): Map<string, Desired> {
  const out = new Map<string, Desired>();
  for (const l of live) {
    const pairs = Object.entries(l.identifiers).map(([k, v]) => `${k}=${v}`);
    const d: Desired = {
      model: l.model,
      identity: pairs.join(', '),
      pairs,
      state: 'present',
      attrs: l.attrs,
      blueprint: l.blueprint,
      entry: 0,
    };
    out.set(`${d.model}\u0000${[...pairs].sort().join('\u0001')}`, d);
  }
  return out;
}

/**
 * The identity conflicts of replacing the live objects `before` (the baseline's, or the recorded
 * state's) with `after`, one line each: the guard every command runs (lib/pipeline/render-and-guard.ts).
 */
export const identityConflictsWith = (before: ReadonlyArray<LiveIdentity>, after: ReadonlyArray<BlueprintEntries>): string[] =>
  conflictsOf(desiredOfLive(before), desired(after, IDENTITY_SCOPE));

/** The same with `before` as blueprints (a live layer): the plan's explanation. */
export const identityConflicts = (before: ReadonlyArray<BlueprintEntries>, after: ReadonlyArray<BlueprintEntries>): string[] =>
  identityConflictsWith(liveIdentities(before), after);

const envNames = (v: unknown, into: Set<string>): Set<string> => {
  if (v instanceof Env) into.add(v.name);
  else if (Array.isArray(v)) v.forEach((x) => envNames(x, into));
  else if (isPlainRecord(v)) Object.values(v).forEach((x) => envNames(x, into));
  return into;
};

/**
 * One Authentik object under two identities: the embedded outpost, found by the name Authentik
 * creates it with or by its managed key (authentik/outposts/apps.py AuthentikOutpostConfig.embedded_outpost).
 */
const SAME_OBJECT: ReadonlyArray<{ model: string; was: string; now: string }> = [
  { model: MODEL.outpost, was: `name=${EMBEDDED_OUTPOST_NAME}`, now: `managed=${EMBEDDED_OUTPOST}` },
];
const stillManaged = (d: Desired, now: ReadonlyMap<string, Desired>): boolean =>
  SAME_OBJECT.some(
    (s) =>
      s.model === d.model &&
      s.was === d.identity &&
      [...now.values()].some((x) => x.model === s.model && x.identity === s.now && x.state !== 'absent'),
  );

const change = (d: Desired, attributes?: string[]): ObjectChange => ({
  model: d.model,
  identity: d.identity,
  blueprint: d.blueprint,
  ...(attributes ? { attributes } : {}),
});

/** The access policy that admits this deleted group binding's group on its application, if any. */
function replacementOf(d: Desired, accessAfter: ReadonlyMap<string, AppAccess>): string | undefined {
  if (d.model !== MODEL.policyBinding) return undefined;
  const group = d.pairs.map((p) => /^group=group\(name=(.+)\)$/.exec(p)?.[1]).find((x) => x !== undefined);
  const slug = d.pairs.map((p) => /^target=application\(slug=(.+)\)$/.exec(p)?.[1]).find((x) => x !== undefined);
  const access = slug === undefined ? undefined : accessAfter.get(slug);
  return group !== undefined && access && access.allowed !== 'any' && access.allowed.includes(group)
    ? `the access policy of ${slug}, which admits ${group}`
    : undefined;
}

/** What the new output describes: created, updated, deleted (or replaced) and regrouped objects. */
function describedChanges(
  was: Map<string, Desired>,
  now: Map<string, Desired>,
  after: ReadonlyArray<StoredBlueprint>,
  changes: AuthentikChanges,
): void {
  const accessAfter = applicationAccess(after);
  /**
   * A forward-auth application's handover tombstone (build.ts proxyEntries) deletes only an
   * application that holds its provider: nothing, unless the previous output created one.
   */
  const isHandoverGuard = (d: Desired) => d.model === MODEL.application && d.pairs.some((p) => p.startsWith('provider='));
  const createdBefore = (d: Desired) =>
    [...was.values()].some((x) => x.model === d.model && x.state !== 'absent' && x.pairs.every((p) => d.pairs.includes(p)));
  const regroupedCount = new Map<string, number>();
  const regroup = (from: string, to: string) =>
    regroupedCount.set(`${from}\u0000${to}`, (regroupedCount.get(`${from}\u0000${to}`) ?? 0) + 1);
  // A tombstone the previous output already had, found by more fields then (a legacy binding's
  // order, lib/previous/legacy-bindings.ts): the deletion is not new.
  const tombstonedBefore = (d: Desired) =>
    [...was.values()].some((x) => x.state === 'absent' && x.model === d.model && d.pairs.every((p) => x.pairs.includes(p)));
  for (const [k, d] of now) {
    const old = was.get(k);
    const oldPresent = old !== undefined && old.state !== 'absent';
    if (d.state === 'absent') {
      const by = replacementOf(d, accessAfter);
      if ((old && !oldPresent) || (!old && tombstonedBefore(d))) continue;
      if (isHandoverGuard(d) && !createdBefore(d)) continue;
      if (by) changes.replaced.push({ ...change(d), by });
      else changes.deleted.push(change(d));
    } else if (!oldPresent) {
      changes.created.push(change(d));
    } else {
      const keys = [...new Set([...Object.keys(old.attrs), ...Object.keys(d.attrs)])].sort();
      const differ = keys.filter((a) => old.attrs[a] !== d.attrs[a]);
      if (differ.length) changes.updated.push(change(d, differ));
      if (old.blueprint !== d.blueprint) regroup(old.blueprint, d.blueprint);
    }
  }
  changes.regrouped = [...regroupedCount].map(([k, objects]) => {
    const [from, to] = k.split('\u0000');
    return { from, to, objects };
  });
}

/** What the new output no longer describes: deleted with what refers to it (cascade), or abandoned. */
function droppedChanges(was: Map<string, Desired>, now: Map<string, Desired>, changes: AuthentikChanges): void {
  // A tombstone deletes an object whose fields include all its identifiers (the importer ANDs
  // them), whichever fields the entry that created it found it by: a legacy binding's tombstone
  // leaves the order out, so it deletes the binding whatever its order.
  const tombstones = [...now.values()].filter((x) => x.state === 'absent');
  const deletedBy = (d: Desired) => {
    const fields = new Set(Object.entries(d.attrs).map(([k, v]) => `${k}=${v}`));
    return tombstones.some((x) => x.model === d.model && x.pairs.length > 0 && x.pairs.every((p) => fields.has(p)));
  };
  // An object that refers to a deleted one (a binding to its application) goes with it: cascade.
  const cascadeOf = (d: Desired) => changes.deleted.find((x) => d.identity.includes(`${x.model.split('.')[1]}(${x.identity})`));
  for (const [k, d] of was) {
    if (d.state === 'absent' || now.has(k) || deletedBy(d) || stillManaged(d, now)) continue;
    const parent = cascadeOf(d);
    if (parent) changes.deleted.push({ ...change(d), cascade: `${parent.model} ${parent.identity}` });
    else changes.abandoned.push(change(d));
  }
}

/** Per blueprint file: re-applied (its text changed), moved (another ConfigMap or key), rotated markers. */
function fileChanges(before: ReadonlyArray<StoredBlueprint>, after: ReadonlyArray<StoredBlueprint>, changes: AuthentikChanges): void {
  const oldText = new Map(before.map((b) => [b.name || b.key, b]));
  for (const bp of after) {
    const old = oldText.get(bp.name || bp.key);
    if (old?.text !== bp.text) changes.reapplied.push(bp.key);
    const where = (b: StoredBlueprint) => `${b.configMap}/${b.key}`;
    if (old && where(old) !== where(bp)) changes.moved.push({ blueprint: bp.name, from: where(old), to: where(bp) });
    const labels = new Set([...Object.keys(old?.labels ?? {}), ...Object.keys(bp.labels)]);
    for (const label of [...labels].filter((l) => ROTATION.test(l)).sort()) {
      const from = old?.labels[label];
      const to = bp.labels[label];
      if (from !== to)
        changes.rotated.push({
          label: ROTATION.exec(label)![1],
          from,
          to,
          blueprint: bp.key,
          env: [...envNames(bp.entries, new Set())].sort(),
        });
    }
  }
}

export function authentikChanges(before: ReadonlyArray<StoredBlueprint>, after: ReadonlyArray<StoredBlueprint>): AuthentikChanges {
  const was = desired(before);
  const now = desired(after);
  const changes: AuthentikChanges = {
    created: [],
    updated: [],
    deleted: [],
    replaced: [],
    abandoned: [],
    reapplied: [],
    moved: [],
    regrouped: [],
    rotated: [],
    conflicts: conflictsOf(was, now),
  };
  describedChanges(was, now, after, changes);
  droppedChanges(was, now, changes);
  fileChanges(before, after, changes);
  return changes;
}

/** An application and who may open it: a list of groups, or 'any' (every authenticated user). */
export interface AppAccess {
  slug: string;
  name: string;
  allowed: string[] | 'any';
}

/**
 * Who may open each application the blueprints manage: from its access policy expression, or,
 * for outputs from before access policies, from its present group bindings (none: anyone).
 */
export function applicationAccess(bps: ReadonlyArray<StoredBlueprint>): Map<string, AppAccess> {
  const out = new Map<string, AppAccess>();
  const foundBindings = new Map<string, Entry[]>();
  for (const e of bps.flatMap((b) => b.entries)) {
    const t = (e.identifiers as Record<string, unknown> | undefined)?.target;
    if (e.model !== MODEL.policyBinding || e.state === 'absent' || !(t instanceof Find) || t.model !== MODEL.application) continue;
    if (t.query.length !== 1 || t.query[0][0] !== 'slug') continue;
    foundBindings.set(t.query[0][1], [...(foundBindings.get(t.query[0][1]) ?? []), e]);
  }
  for (const bp of bps) {
    const apps = bp.entries.filter((e) => e.model === MODEL.application && e.state !== 'absent');
    for (const app of apps) {
      const slug = String((app.identifiers as Record<string, unknown>).slug);
      const appName = (app.attrs as Record<string, unknown> | undefined)?.name;
      const name = typeof appName === 'string' ? appName : slug;
      // Bound by `!KeyOf` in its own file, or (a hand-written layer) by `!Find` of its slug in any file.
      const bindings = [
        ...bp.entries.filter(
          (e) =>
            e.model === MODEL.policyBinding &&
            e.state !== 'absent' &&
            ((e.identifiers as Record<string, unknown>).target as KeyOf | undefined)?.id === app.id,
        ),
        ...(foundBindings.get(slug) ?? []),
      ];
      let allowed: string[] | 'any' = 'any';
      const groups: string[] = [];
      for (const b of bindings) {
        const ids = b.identifiers as Record<string, unknown>;
        if (ids.policy instanceof KeyOf) {
          const policy = bp.entries.find((e) => e.id === (ids.policy as KeyOf).id);
          const parsed = parseAccessExpression(expressionOf(policy));
          if (parsed && parsed !== 'any') groups.push(...parsed);
          else if (parsed === undefined) groups.push('(an expression unified-auth did not write)');
          else continue;
        } else if (ids.group instanceof Find) groups.push(ids.group.query[0][1]);
      }
      if (groups.length) allowed = [...new Set(groups)];
      out.set(slug, { slug, name, allowed });
    }
  }
  return out;
}

/** The access differences in plain words: "root-developers gains longhorn", "grafana becomes open to any authenticated user". */
export function accessSentences(before: Map<string, AppAccess>, after: Map<string, AppAccess>): string[] {
  const lines: string[] = [];
  const label = (a: AppAccess) => (a.name && a.name !== a.slug ? `${a.slug} (${a.name})` : a.slug);
  const who = (a: AppAccess) => (a.allowed === 'any' ? 'any authenticated user' : a.allowed.join(', '));
  for (const [slug, a] of after) {
    const old = before.get(slug);
    if (!old) {
      lines.push(`${label(a)} is new: open to ${who(a)}`);
      continue;
    }
    if (old.allowed === 'any' && a.allowed !== 'any') {
      lines.push(`${label(a)} is no longer open to every authenticated user: only ${who(a)}`);
    } else if (old.allowed !== 'any' && a.allowed === 'any') {
      lines.push(`${label(a)} becomes open to any authenticated user`);
    } else if (old.allowed !== 'any' && a.allowed !== 'any') {
      for (const g of a.allowed.filter((x) => !(old.allowed as string[]).includes(x))) lines.push(`${g} gains ${label(a)}`);
      for (const g of old.allowed.filter((x) => !(a.allowed as string[]).includes(x))) lines.push(`${g} loses ${label(a)}`);
    }
  }
  for (const [slug, a] of before) if (!after.has(slug)) lines.push(`${label(a)} is removed: nobody can open it`);
  return lines;
}
