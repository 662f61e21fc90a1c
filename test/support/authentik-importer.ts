// A test oracle, not a product feature: an in-memory model of how Authentik's blueprint worker
// applies blueprint files, reduced to the behaviour unified-auth's blueprints depend on. Each rule
// names the Authentik source file and function it is read from (under authentik/ in the Authentik
// repository) and says in words what that code does. docs/authentik-importer.md lists the rules,
// the minors each was checked against (2026.2, 2026.5, 2026.8) and the test that covers each.
//
// What it does NOT model (keep that in mind when a test passes):
// - serializers: only SERIALIZER_RULES below; no field types, lengths, choices;
// - concurrency: applies run one after another, in whatever order a test asks for (lifecycle.ts
//   applyOrders replays every order), except `applyConcurrently`: two files whose transactions
//   overlap (unique-index conflicts and last-writer-wins rows only; no locks, no deadlocks);
// - tags other than !Find, !KeyOf, !Env and !Condition AND; `permissions`; `must_created` beyond its error;
// - policy evaluation beyond group membership, user equality, and our own access-policy shape
//   (lib/blueprints/access.ts); expression policies of any other text throw;
// - group membership includes the groups' ancestors (a member of a child group passes a check on
//   its parent), as Authentik's group membership does since groups have parents.
import crypto from 'node:crypto';
import yaml from 'js-yaml';
import { BLUEPRINT_SCHEMA, Condition, Env, Find, KeyOf } from '../../lib/upstream/blueprint-tags';
import { OWN_BLUEPRINTS, type OwnBlueprint } from './authentik-own-blueprints';
import { parseBlueprint } from '../../lib/blueprints/build';
import { parseAccessExpression } from '../../lib/blueprints/access';
import { isRecord } from '../../lib/base/records';

export type Fields = Record<string, unknown>;
export interface Obj {
  model: string;
  pk: number;
  fields: Fields;
}
interface Entry {
  model: string;
  state?: string;
  id?: string;
  conditions?: unknown[];
  identifiers?: Fields;
  attrs?: Fields;
}
export interface Instance {
  name: string;
  path: string;
  status: 'unknown' | 'successful' | 'error';
  lastAppliedHash?: string;
  error?: string;
}

class EntryInvalid extends Error {}

/** Model families that share a unique column of their base model (multi-table inheritance). */
const isProvider = (m: string) => m.startsWith('authentik_providers_') && m.endsWith('provider');
const isPolicy = (m: string) => m.startsWith('authentik_policies_') && m.endsWith('policy');
const isStage = (m: string) => m.startsWith('authentik_stages_') && m.endsWith('stage');
const isPropertyMapping = (m: string) => m.endsWith('mapping');
const only = (model: string) => (m: string) => m === model;

/**
 * Unique columns, checked like DRF's UniqueValidator (rest_framework/validators.py,
 * UniqueValidator.__call__, DRF 3.16.1 in 2026.2, 3.17.1 in 2026.5 and 2026.8): only a field the
 * entry gives, not null, against every other row of the model that declares the column. A column
 * declared on a base model is unique across all its subclasses, so `family` is a predicate.
 */
const UNIQUE: ReadonlyArray<{ family: (model: string) => boolean; field: string; source: string }> = [
  { family: only('authentik_core.group'), field: 'name', source: 'core/models.py Group.name' },
  { family: only('authentik_core.application'), field: 'slug', source: 'core/models.py Application.slug' },
  { family: only('authentik_core.user'), field: 'username', source: 'django AbstractUser.username' },
  { family: only('authentik_core.token'), field: 'identifier', source: 'core/models.py Token.identifier' },
  { family: only('authentik_flows.flow'), field: 'slug', source: 'flows/models.py Flow.slug' },
  { family: only('authentik_outposts.outpost'), field: 'name', source: 'outposts/models.py Outpost.name' },
  { family: only('authentik_crypto.certificatekeypair'), field: 'name', source: 'crypto/models.py CertificateKeyPair.name' },
  {
    family: only('authentik_providers_oauth2.oauth2provider'),
    field: 'client_id',
    source: 'providers/oauth2/models.py OAuth2Provider.client_id',
  },
  // Declared on a base model: one namespace for every subclass.
  { family: isPolicy, field: 'name', source: 'policies/models.py Policy.name (all policy types)' },
  { family: isProvider, field: 'name', source: 'core/models.py Provider.name (all provider types)' },
  { family: isStage, field: 'name', source: 'flows/models.py Stage.name (all stage types)' },
  { family: isPropertyMapping, field: 'name', source: 'core/models.py PropertyMapping.name (all mapping types)' },
  // OneToOneField: one application per provider.
  { family: only('authentik_core.application'), field: 'provider', source: 'core/models.py Application.provider (OneToOneField)' },
];

/**
 * Deleting the target sets the field back to its default instead of cascading (issue 24, finding 3). core/models.py:
 * Application.provider has on_delete=SET_DEFAULT (default None).
 */
const SET_DEFAULT_ON_DELETE: Array<{ from: string[]; model: string; field: string }> = [
  {
    from: ['authentik_providers_oauth2.oauth2provider', 'authentik_providers_proxy.proxyprovider'],
    model: 'authentik_core.application',
    field: 'provider',
  },
];

/**
 * What a minor has that an older one does not (issue 24, finding 6; docs/upgrades.md). Models: a model
 * the worker does not know fails the whole file (blueprints/v1/importer.py Importer._apply_models
 * looks each entry's model up before its conditions). Fields: a serializer drops data keys it has
 * no field for (DRF Serializer.to_internal_value reads only its own fields), so an older worker
 * applies the file without them.
 */
const MODELS_SINCE: Record<string, string> = { 'authentik_stages_account_lockdown.accountlockdownstage': '2026.5' };
const FIELDS_SINCE: Record<string, Record<string, string>> = { 'authentik_providers_oauth2.oauth2provider': { grant_types: '2026.5' } };
const atLeast = (minor: string, since: string) => {
  const [a, b] = minor.split('.').map(Number);
  const [c, d] = since.split('.').map(Number);
  return a > c || (a === c && b >= d);
};

/** Fields a create must give (serializer `required`); a `!Find` that found nothing leaves them null. */
const REQUIRED_ON_CREATE: Record<string, string[]> = {
  'authentik_providers_oauth2.oauth2provider': ['name', 'authorization_flow', 'invalidation_flow'],
  'authentik_providers_proxy.proxyprovider': ['name', 'authorization_flow', 'invalidation_flow'],
  'authentik_core.application': ['name', 'slug'],
  'authentik_policies.policybinding': ['target', 'order'],
  'authentik_policies_expression.expressionpolicy': ['name', 'expression'],
  'authentik_core.token': ['identifier'],
};

/**
 * Fields whose serializer field has allow_null=False: null is "This field may not be null." on a
 * create and on a (partial) update alike, whenever the entry gives the field (DRF
 * fields.py Field.validate_empty_values). core/api/providers.py ProviderSerializer.Meta.extra_kwargs
 * sets it for the flows; OAuth2Provider.client_secret is a CharField without null=True (an unset
 * `!Env` resolves to None); core/api/tokens.py TokenSerializer.__init__ declares `key` as a plain
 * CharField in a blueprint context.
 */
const NOT_NULL: Record<string, string[]> = {
  'authentik_providers_oauth2.oauth2provider': ['name', 'authorization_flow', 'invalidation_flow', 'client_id', 'client_secret'],
  'authentik_providers_proxy.proxyprovider': ['name', 'authorization_flow', 'invalidation_flow'],
  'authentik_core.application': ['name', 'slug'],
  'authentik_policies.policybinding': ['target', 'order'],
  'authentik_policies_expression.expressionpolicy': ['name', 'expression'],
  'authentik_core.token': ['identifier', 'key'],
  'authentik_core.group': ['name'],
  'authentik_core.user': ['username'],
};

/** CharFields with allow_blank=False among those (an empty string is "This field may not be blank."). */
const NOT_BLANK: Record<string, string[]> = {
  'authentik_providers_oauth2.oauth2provider': ['client_id'],
  'authentik_core.token': ['identifier', 'key'],
  'authentik_core.application': ['name', 'slug'],
};

/**
 * Model field defaults that matter here (Django `default=`), filled in on create when the data
 * leaves the field out. providers/oauth2/models.py: OAuth2Provider.client_secret has
 * default=generate_client_secret (generate_id(128)): a provider created without one gets a random
 * secret. (Deterministic here, so tests can compare it.)
 */
const DEFAULTS: Record<string, Record<string, (pk: number) => unknown>> = {
  'authentik_providers_oauth2.oauth2provider': { client_secret: (pk) => `generated-client-secret-${pk}` },
};

/**
 * core/models.py Application.reserved_slugs, refused by core/api/applications.py
 * ApplicationSerializer.validate_slug: the global OAuth2 endpoint names. The same six at the
 * 2026.2 and 2026.5 branch points and in 2026.8.0-rc1 (written here on its own, as a fact of the
 * oracle; test/importer/importer-findings-a.test.ts compares it with lib/upstream/authentik-versions.ts).
 */
export const RESERVED_APPLICATION_SLUGS = ['authorize', 'token', 'device', 'userinfo', 'introspect', 'revoke'];

/** Field rules of a model's serializer beyond uniqueness and required fields: an error message, or undefined. */
const FIELD_RULES: Array<{ model: string; check: (data: Fields) => string | undefined }> = [
  // core/api/applications.py ApplicationSerializer.validate_slug (above).
  {
    model: 'authentik_core.application',
    check: (d) =>
      typeof d.slug === 'string' && RESERVED_APPLICATION_SLUGS.includes(d.slug)
        ? `slug: The slug '${d.slug}' is reserved and cannot be used for applications.`
        : undefined,
  },
];

/**
 * providers/proxy/models.py ProxyProvider.set_oauth_defaults, called by providers/proxy/api.py
 * ProxyProviderSerializer.create and .update after saving (and by providers/proxy/apps.py at every
 * start-up): it adds the scope mappings with these `managed` keys that exist at that moment
 * (property_mappings.add: nothing is removed, a missing one is simply not added). The same list on
 * 2026.2, 2026.5 and 2026.8.0-rc1.
 */
export const PROXY_DEFAULT_MAPPINGS = [
  'goauthentik.io/providers/oauth2/scope-openid',
  'goauthentik.io/providers/oauth2/scope-profile',
  'goauthentik.io/providers/oauth2/scope-email',
  'goauthentik.io/providers/oauth2/scope-entitlements',
  'goauthentik.io/providers/proxy/scope-proxy',
];

/** What a serializer's create or update does after saving the given fields. */
const AFTER_SAVE: Record<string, (ak: AuthentikModel, o: Obj) => void> = {
  'authentik_providers_proxy.proxyprovider': (ak, o) => {
    const existing = PROXY_DEFAULT_MAPPINGS.map((managed) => ak.find('authentik_providers_oauth2.scopemapping', { managed })?.pk).filter(
      (pk) => pk !== undefined,
    );
    const had = (o.fields.property_mappings as unknown[] | undefined) ?? [];
    o.fields.property_mappings = [...had, ...existing.filter((pk) => !had.includes(pk))];
  },
};

/** Cascading deletes (`on_delete=CASCADE`) that matter here: field on the dependent model. */
const CASCADE: Array<{ from: string; model: string; field: string }> = [
  // policies/models.py: PolicyBinding.policy, .group, .user and .target all cascade.
  { from: 'authentik_core.group', model: 'authentik_policies.policybinding', field: 'group' },
  { from: 'authentik_core.user', model: 'authentik_policies.policybinding', field: 'user' },
  { from: 'authentik_core.application', model: 'authentik_policies.policybinding', field: 'target' },
  { from: 'authentik_policies_expression.expressionpolicy', model: 'authentik_policies.policybinding', field: 'policy' },
  { from: 'authentik_core.user', model: 'authentik_core.token', field: 'user' },
];

/**
 * blueprints/v1/common.py, Condition._COMPARATORS (the same on 2026.2, 2026.5 and 2026.8.0-rc1): how
 * a `!Condition` combines its resolved arguments. Only the modes our blueprints emit.
 */
const CONDITION_MODES: Record<Condition['mode'], (args: boolean[]) => boolean> = {
  AND: (args) => args.every(Boolean),
  NAND: (args) => !args.every(Boolean),
  NOR: (args) => !args.some(Boolean),
};

/** Digests by text: discovery hashes every file on each replay of the same few texts. */
const DIGESTS = new Map<string, string>();
const sha512 = (text: string): string => {
  let d = DIGESTS.get(text);
  if (d === undefined) DIGESTS.set(text, (d = crypto.createHash('sha512').update(text).digest('hex')));
  return d;
};

/** Parsed files by text: the importer only reads them, and order replays parse the same few thousands of times. */
const PARSED = new Map<string, unknown>();
const parse = (text: string): unknown => {
  if (!PARSED.has(text)) PARSED.set(text, parseBlueprint(text));
  return PARSED.get(text);
};

export class AuthentikModel {
  objects: Obj[] = [];
  instances: Instance[] = [];
  /** The worker's environment, as `global.env` gave it when the pods last started. */
  env: Record<string, string> = {};
  /** Every apply of a blueprint file, in order (path and whether it succeeded). */
  applies: Array<{ path: string; ok: boolean }> = [];
  /**
   * The Authentik minor the worker runs, where a rule differs between them (docs/authentik-importer.md):
   * the models and fields it knows (MODELS_SINCE, FIELDS_SINCE) and how the policy engine combines
   * group and user bindings (`mayUse`).
   */
  minor: '2026.2' | '2026.5' | '2026.8' = '2026.5';
  private nextPk = 1;

  // --- the database ----------------------------------------------------------------------------

  create(model: string, fields: Fields): Obj {
    const pk = this.nextPk++;
    const defaults = Object.entries(DEFAULTS[model] ?? {}).filter(([f]) => fields[f] === undefined);
    const o = { model, pk, fields: { ...Object.fromEntries(defaults.map(([f, make]) => [f, make(pk)])), ...fields } };
    const current = this.indexed === this.objects && this.indexedLength === this.objects.length;
    this.objects.push(o);
    if (current) {
      if (!this.index.has(model)) this.index.set(model, []);
      this.index.get(model)!.push(o);
      this.indexedLength++;
    }
    return o;
  }
  find(model: string, query: Fields): Obj | undefined {
    const q = Object.entries(query);
    return (this.rowsByModel().get(model) ?? []).find((o) => q.every(([k, v]) => equal(o.fields[k], v)));
  }
  /** The rows of a model, in creation order (indexed: order replays look rows up a few million times). */
  all(model: string): Obj[] {
    return [...(this.rowsByModel().get(model) ?? [])];
  }
  /** The rows of every model the predicate accepts. */
  private rowsOf(family: (model: string) => boolean): Obj[] {
    return [...this.rowsByModel()].filter(([m]) => family(m)).flatMap(([, rows]) => rows);
  }
  /** The index, rebuilt when `objects` was replaced (a delete, a rollback, a test) or grew outside `create`. */
  private rowsByModel(): Map<string, Obj[]> {
    if (this.indexed !== this.objects || this.indexedLength !== this.objects.length) {
      this.index = new Map();
      for (const o of this.objects) {
        if (!this.index.has(o.model)) this.index.set(o.model, []);
        this.index.get(o.model)!.push(o);
      }
      this.indexed = this.objects;
      this.indexedLength = this.objects.length;
    }
    return this.index;
  }
  private index = new Map<string, Obj[]>();
  private indexed?: Obj[];
  private indexedLength = 0;
  private delete(o: Obj): void {
    this.objects = this.objects.filter((x) => x !== o);
    for (const r of SET_DEFAULT_ON_DELETE.filter((r) => r.from.includes(o.model))) {
      for (const dep of this.objects.filter((x) => x.model === r.model && x.fields[r.field] === o.pk)) dep.fields[r.field] = null;
    }
    for (const c of CASCADE.filter((c) => c.from === o.model)) {
      for (const dep of this.objects.filter((x) => x.model === c.model && x.fields[c.field] === o.pk)) this.delete(dep);
    }
  }
  /**
   * A transaction's savepoint. Cheap on purpose (order replays take thousands): an update replaces
   * an object's `fields` rather than changing them in place, so copying the rows' wrappers is enough.
   */
  private snapshot() {
    return { objects: this.objects.map((o) => ({ ...o })), nextPk: this.nextPk };
  }
  private restore(s: { objects: Obj[]; nextPk: number }) {
    this.objects = s.objects.map((o) => ({ ...o }));
    this.nextPk = s.nextPk;
  }

  // --- discovery and the apply task (blueprints/v1/tasks.py) -----------------------------------

  /**
   * blueprints/v1/tasks.py, blueprints_discovery + check_blueprint_v1_file: every .yaml file gets
   * a BlueprintInstance named after its metadata.name the first time it is seen (the name is never
   * updated afterwards; it is unique, so a file with the name of an existing instance at another
   * path makes the save fail, which ends the whole discovery run), and is applied when its sha512
   * differs from the instance's last applied hash. Nothing else re-applies a file.
   * Each due file is its own apply task (apply_blueprint.send_with_options), run by the workers in
   * no fixed order. `eagerDiscovery`: apply each file as soon as its
   * instance exists, before later files are discovered (the worker runs the tasks concurrently
   * with the discovery loop, so this order can happen).
   */
  discover(files: ReadonlyMap<string, string>, opts: { eagerDiscovery?: boolean; order?: readonly string[] } = {}): void {
    const due: Instance[] = [];
    for (const [path, text] of files) {
      const inst = this.instanceFor(path, text);
      if (inst.lastAppliedHash !== sha512(text)) {
        if (opts.eagerDiscovery) this.applyInstance(inst, files);
        else due.push(inst);
      }
    }
    // `order`: the paths in the order their apply tasks happen to run (see lifecycle.ts applyOrders).
    const rank = (i: Instance) => opts.order?.indexOf(i.path) ?? 0;
    for (const inst of [...due].sort((a, b) => rank(a) - rank(b))) this.applyInstance(inst, files);
  }

  /** The first half of a discovery: an instance for every file, none applied (their tasks not yet run). */
  register(files: ReadonlyMap<string, string>): void {
    for (const [path, text] of files) this.instanceFor(path, text);
  }

  private instanceFor(path: string, text: string): Instance {
    const found = this.instances.find((i) => i.path === path);
    if (found) return found;
    const name = (parse(text) as { metadata?: { name?: string } })?.metadata?.name ?? path;
    if (this.instances.some((i) => i.name === name))
      throw new Error(`discovery failed: a blueprint instance named "${name}" already exists for another path (name is unique)`);
    const inst: Instance = { name, path, status: 'unknown' };
    this.instances.push(inst);
    return inst;
  }

  /** The paths the next discovery of `files` applies: new, or changed since their last successful apply. */
  due(files: ReadonlyMap<string, string>): string[] {
    return [...files].filter(([p, text]) => this.instances.find((i) => i.path === p)?.lastAppliedHash !== sha512(text)).map(([p]) => p);
  }

  /** An independent copy (database, instances, env, history), to replay a discovery from the same state. */
  clone(): AuthentikModel {
    const copy = new AuthentikModel();
    Object.assign(copy, structuredClone({ objects: this.objects, instances: this.instances, env: this.env, applies: this.applies }));
    copy.nextPk = this.nextPk;
    copy.minor = this.minor;
    return copy;
  }

  /** blueprints/v1/tasks.py, clear_failed_blueprints (a separate hourly task): instances whose file is gone are deleted. */
  clearFailedBlueprints(files: ReadonlyMap<string, string>): void {
    this.instances = this.instances.filter((i) => files.has(i.path));
  }

  /**
   * Two apply tasks whose transactions overlap (blueprints/v1/tasks.py apply_blueprint on two
   * workers; PostgreSQL, READ COMMITTED): each file runs against the database as it was before
   * either committed, the first commits, then the second. A row the second inserts with a unique
   * value the first inserted too fails at the unique index (IntegrityError):
   * - 2026.2, 2026.5: importer.py Importer.apply catches it and rolls the whole file back;
   * - 2026.8 (2026.8.0-rc1): importer.py Importer._save_with_retry validates that entry again,
   *   which now finds the committed row and saves onto it. Modelled as the second file applied
   *   after the first.
   * Otherwise the second file's inserts, updates and deletes are applied on top of the first's.
   * Both files must already have instances (a discovery ran).
   */
  applyConcurrently(first: string, second: string, files: ReadonlyMap<string, string>): void {
    const instanceOf = (ak: AuthentikModel, p: string) => ak.instances.find((i) => i.path === p)!;
    const base = new Map(this.objects.map((o) => [o.pk, { ...o }]));
    const other = this.clone();
    other.nextPk += 1_000_000; // its own primary keys: both transactions take keys from one sequence
    this.applyInstance(instanceOf(this, first), files);
    other.applyInstance(instanceOf(other, second), files);
    const mine = instanceOf(this, second);
    if (instanceOf(other, second).status !== 'successful') {
      Object.assign(mine, instanceOf(other, second));
      this.applies.push(other.applies.at(-1)!);
      return;
    }
    const inserted = other.objects.filter((o) => !base.has(o.pk));
    const committed = this.objects.filter((o) => !base.has(o.pk));
    const clash = inserted.find((o) =>
      UNIQUE.some(
        (u) =>
          u.family(o.model) &&
          !isNull(o.fields[u.field]) &&
          committed.some((c) => u.family(c.model) && equal(c.fields[u.field], o.fields[u.field])),
      ),
    );
    if (clash && this.minor === '2026.8') return this.applyInstance(mine, files);
    if (clash) {
      Object.assign(mine, { status: 'error', error: `IntegrityError: duplicate key (${clash.model}) committed by ${first}` });
      this.applies.push({ path: second, ok: false });
      return;
    }
    const theirs = new Map(other.objects.map((o) => [o.pk, o]));
    this.objects = [
      ...this.objects
        .filter((o) => !base.has(o.pk) || theirs.has(o.pk))
        // A row the second file saved is written whole (Django's save writes every column): last writer wins.
        .map((o) =>
          base.has(o.pk) && !equal(theirs.get(o.pk)!.fields, base.get(o.pk)!.fields) ? { ...o, fields: theirs.get(o.pk)!.fields } : o,
        ),
      ...inserted,
    ];
    this.nextPk = Math.max(this.nextPk, other.nextPk);
    Object.assign(mine, instanceOf(other, second));
    this.applies.push(other.applies.at(-1)!);
  }

  /**
   * blueprints/v1/tasks.py, apply_blueprint: validate (the whole file in a transaction that is
   * always rolled back), then apply (one transaction: any failing entry rolls every entry back);
   * only success records the hash. `!Env` is resolved during these two runs and at no other time.
   */
  applyInstance(inst: Instance, files: ReadonlyMap<string, string>): void {
    const text = files.get(inst.path)!;
    const result = this.importFile(text, files);
    this.applies.push({ path: inst.path, ok: result === true });
    if (result === true) {
      inst.status = 'successful';
      inst.lastAppliedHash = sha512(text);
      delete inst.error;
    } else {
      inst.status = 'error';
      inst.error = result;
    }
  }

  /**
   * Importer.validate then Importer.apply (blueprints/v1/importer.py): true, or the error. Both
   * run _apply_models from the same database (validate's transaction is rolled back) with the same
   * environment, and nothing else runs between them here (applyConcurrently models what does), so
   * they reach the same result: the model runs the file once and keeps that result or rolls it
   * back. (Running it twice changed nothing but the time, which nested meta-applies multiply.)
   */
  private importFile(text: string, files: ReadonlyMap<string, string>): true | string {
    const before = this.snapshot();
    const result = this.applyModels(text, files);
    if (result !== true) this.restore(before);
    return result;
  }

  // --- Importer._apply_models (blueprints/v1/importer.py) --------------------------------------

  private applyModels(text: string, files: ReadonlyMap<string, string>): true | string {
    const doc = parse(text) as { entries?: Entry[] };
    const entries = doc.entries ?? [];
    const instances = new Map<Entry, Obj>();
    // importer.py _apply_models: every entry's model is looked up first; one the worker does not
    // have fails the file ("App or Model does not exist"), whatever its state or conditions.
    const unknown = entries.findIndex((e) => MODELS_SINCE[e.model] !== undefined && !atLeast(this.minor, MODELS_SINCE[e.model]));
    if (unknown >= 0) return `entry ${unknown} (${entries[unknown].model}): App or Model does not exist`;
    for (const [i, entry] of entries.entries()) {
      try {
        this.applyEntry(entry, entries, instances, files);
      } catch (e) {
        if (!(e instanceof EntryInvalid)) throw e;
        return `entry ${i} (${entry.id ?? entry.model}): ${e.message}`;
      }
    }
    return true;
  }

  private applyEntry(entry: Entry, entries: Entry[], instances: Map<Entry, Obj>, files: ReadonlyMap<string, string>): void {
    const resolve = (v: unknown): unknown => this.resolveTags(v, entries, instances);
    const absent = entry.state === 'absent';
    // importer.py _validate_single: an entry whose conditions do not all resolve truthy is skipped
    // (common.py BlueprintEntry.check_all_conditions_match: all(...) over the resolved list). A
    // condition that raises (a `!KeyOf` with no instance) raises from _validate_single, and
    // _apply_models skips an absent entry that raised without a serializer, like any other.
    try {
      if (!(entry.conditions ?? []).map(resolve).every(Boolean)) return;
    } catch (e) {
      if (absent && e instanceof EntryInvalid) return;
      throw e;
    }

    // meta/apply_blueprint.py: look the instance up by the given identifiers; missing and
    // required (the default) is a validation error of this entry; otherwise the other
    // blueprint is validated and, if valid, applied right here, inside this file's transaction.
    // Whether that apply succeeded is not checked.
    if (entry.model === 'authentik_blueprints.metaapplyblueprint') {
      const attrs = resolve(entry.attrs ?? {}) as { identifiers: Fields; required?: boolean };
      const inst = this.instances.find((i) => Object.entries(attrs.identifiers).every(([k, v]) => (i as unknown as Fields)[k] === v));
      if (!inst) {
        if (attrs.required ?? true) throw new EntryInvalid('Required blueprint does not exist');
        return;
      }
      const text = files.get(inst.path);
      if (text !== undefined) this.importFile(text, files);
      return;
    }

    let identifiers: Fields;
    let attrs: Fields;
    try {
      // common.py: tags in identifiers and attrs resolve when the entry is processed. KeyOf
      // raises when no earlier entry with that id has an instance.
      identifiers = resolve(entry.identifiers ?? {}) as Fields;
      attrs = resolve(entry.attrs ?? {}) as Fields;
    } catch (e) {
      // importer.py _apply_models: for state absent an invalid entry is not an error; with
      // nothing resolved there is no instance to delete, so it is skipped.
      if (absent && e instanceof EntryInvalid) return;
      throw e;
    }
    // importer.py __query_from_identifier: every identifier ANDed into one query. A value that
    // is None (a `!Find` that found nothing) becomes `field IS NULL`, which matches every object
    // with that field empty. No identifiers at all is an error.
    if (!Object.keys(identifiers).length) throw new EntryInvalid('No or invalid identifiers');
    const existing = this.find(entry.model, identifiers);

    if (absent) {
      // importer.py: state absent deletes the first match, whatever the serializer thinks of it.
      if (existing) this.delete(existing);
      return;
    }
    if (entry.state === 'must_created' && existing) throw new EntryInvalid('State is set to must_created and object exists already');
    // importer.py: attrs merged with the identifiers (identifiers win); an existing object is
    // updated partially (only the given fields), a missing one created.
    const data = { ...attrs, ...identifiers };
    for (const [f, since] of Object.entries(FIELDS_SINCE[entry.model] ?? {})) if (!atLeast(this.minor, since)) delete data[f];
    // importer.py _validate_single runs the (partial) serializer on an existing object whatever the
    // state, so `created` fails on invalid data too; only then does _apply_models skip the save.
    this.validateSerializer(entry.model, data, existing);
    if (entry.state === 'created' && existing) {
      instances.set(entry, existing);
      return;
    }
    if (existing) existing.fields = { ...existing.fields, ...data };
    const saved = existing ?? this.create(entry.model, data);
    AFTER_SAVE[entry.model]?.(this, saved);
    instances.set(entry, saved);
  }

  /** The serializer rules that matter here: each of SERIALIZER_RULES, first failure wins. */
  private validateSerializer(model: string, data: Fields, existing?: Obj): void {
    for (const rule of SERIALIZER_RULES) {
      const error = rule({ model, data, existing, rowsOf: (family) => this.rowsOf(family) });
      if (error) throw new EntryInvalid(error);
    }
  }

  /** common.py: the YAML tags. */
  private resolveTags(v: unknown, entries: Entry[], instances: Map<Entry, Obj>): unknown {
    if (v === null || typeof v !== 'object') return v; // most values: no tag to resolve
    if (v instanceof Find) {
      // Find: the primary key of the first object matching every [field, value] pair, or None.
      const query = Object.fromEntries(v.query.map(([f, x]) => [f, x]));
      return this.find(v.model, query)?.pk ?? null;
    }
    if (v instanceof KeyOf) {
      // KeyOf: the instance of the earlier entry with that id, in this file only; raises if none.
      const target = entries.find((e) => e.id === v.id && instances.has(e));
      if (!target) throw new EntryInvalid(`KeyOf: failed to find entry with \`id\` of \`${v.id}\` and a model instance`);
      return instances.get(target)!.pk;
    }
    // Condition: the arguments resolved to booleans, then combined by the mode (CONDITION_MODES).
    if (v instanceof Condition) return CONDITION_MODES[v.mode](v.args.map((a) => Boolean(this.resolveTags(a, entries, instances))));
    // Env: os.getenv(key) or the default, read now; an empty value counts as unset.
    if (v instanceof Env) return this.env[v.name] || v.fallback || null;
    if (Array.isArray(v)) return v.map((x) => this.resolveTags(x, entries, instances));
    if (isRecord(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, this.resolveTags(x, entries, instances)]));
    return v;
  }

  // --- who may use an application (policies/engine.py, policies/models.py) ---------------------

  private inGroup(groups: Set<string>, pk: unknown): boolean {
    return [...groups].some((n) => this.find('authentik_core.group', { name: n })?.pk === pk);
  }

  /** Names of the user's groups and, transitively, their parents. */
  private groupNamesOf(user: Obj): Set<string> {
    const names = new Set<string>();
    const visit = (pk: unknown) => {
      const g = this.objects.find((o) => o.model === 'authentik_core.group' && o.pk === pk);
      if (!g || names.has(g.fields.name as string)) return;
      names.add(g.fields.name as string);
      for (const p of (g.fields.parents as unknown[]) ?? []) visit(p);
    };
    for (const pk of (user.fields.groups as unknown[]) ?? []) visit(pk);
    return names;
  }

  /**
   * policies/engine.py PolicyEngine.result: no bindings passes; mode "any" passes if one result
   * passes, "all" if every one does. A policy binding runs the policy (PolicyBinding.passes);
   * group and user bindings are "static" (PolicyEngine.compute_static_bindings): on 2026.2 they
   * make ONE result that passes when any of them passes, even in mode "all"; from 2026.5 (PR
   * #20430) mode "all" needs every one of them.
   */
  mayUse(username: string, slug: string): boolean {
    const user = this.find('authentik_core.user', { username });
    const app = this.find('authentik_core.application', { slug });
    if (!user || !app) throw new Error(`no user ${username} or application ${slug}`);
    const groups = this.groupNamesOf(user);
    const bindings = this.all('authentik_policies.policybinding').filter((b) => b.fields.target === app.pk && b.fields.enabled !== false);
    const collapse = this.minor === '2026.2' && bindings.some((b) => !b.fields.policy);
    const results = bindings
      .filter((b) => !collapse || b.fields.policy)
      .map((b) => {
        if (b.fields.policy) {
          const policy = this.objects.find((o) => o.pk === b.fields.policy)!;
          const allowed = parseAccessExpression(String(policy.fields.expression));
          if (allowed === undefined) throw new Error(`policy ${String(policy.fields.name)}: not an expression this model can evaluate`);
          return allowed === 'any' || allowed.some((g) => groups.has(g));
        }
        if (b.fields.group) return this.inGroup(groups, b.fields.group);
        if (b.fields.user) return b.fields.user === user.pk;
        return false;
      });
    if (collapse)
      results.push(
        bindings.some((b) => !b.fields.policy && (b.fields.user ? b.fields.user === user.pk : this.inGroup(groups, b.fields.group))),
      );
    if (!results.length) return true;
    return app.fields.policy_engine_mode === 'all' ? results.every(Boolean) : results.some(Boolean);
  }
}

/** What a serializer rule sees: the entry's data (attrs merged with identifiers), the row it updates, the database. */
interface SerializerInput {
  model: string;
  data: Fields;
  existing?: Obj;
  /** The database's rows of the models a predicate accepts. */
  rowsOf: (family: (model: string) => boolean) => Obj[];
}
const isNull = (v: unknown) => v === null || v === undefined;

/**
 * The serializer checks the importer runs for each entry (importer.py Importer._validate_single:
 * `serializer.is_valid`, partial when an object matched the identifiers), each returning the
 * error or nothing. Read from DRF 3.16.1 (2026.2) and 3.17.1 (2026.5, 2026.8).
 */
const SERIALIZER_RULES: ReadonlyArray<(s: SerializerInput) => string | undefined> = [
  // rest_framework/serializers.py Serializer.to_internal_value: a required field missing on create
  // (partial updates skip the check).
  ({ model, data, existing }) => {
    if (existing) return undefined;
    const missing = (REQUIRED_ON_CREATE[model] ?? []).find((f) => isNull(data[f]));
    return missing && `${missing}: This field may not be null`;
  },
  // rest_framework/fields.py Field.validate_empty_values: null for a field with allow_null=False.
  ({ model, data }) => {
    const f = (NOT_NULL[model] ?? []).find((x) => x in data && isNull(data[x]));
    return f && `${f}: This field may not be null`;
  },
  // rest_framework/fields.py CharField.run_validation: '' for a field with allow_blank=False.
  ({ model, data }) => {
    const f = (NOT_BLANK[model] ?? []).find((x) => data[x] === '');
    return f && `${f}: This field may not be blank`;
  },
  // rest_framework/relations.py ManyRelatedField: a list of related objects with a null in it (a
  // `!Find` that found nothing) is not a valid primary key.
  ({ data }) => {
    const f = Object.entries(data).find(([, v]) => Array.isArray(v) && v.some(isNull))?.[0];
    return f && `${f}: null is not a valid primary key`;
  },
  // Field rules of one model (FIELD_RULES: core/api/applications.py ApplicationSerializer.validate_slug),
  // before uniqueness: DRF collects every field's errors, slug before provider in the serializer's
  // field order; the model reports the first.
  ({ model, data }) => FIELD_RULES.filter((r) => r.model === model).reduce<string | undefined>((e, r) => e ?? r.check(data), undefined),
  // rest_framework/validators.py UniqueValidator (see UNIQUE).
  ({ model, data, existing, rowsOf }) => {
    const u = UNIQUE.find(
      (x) =>
        x.family(model) &&
        !isNull(data[x.field]) &&
        rowsOf(x.family).some((o) => o !== existing && equal(o.fields[x.field], data[x.field])),
    );
    return u && `${u.field}: must be unique (${u.source})`;
  },
  policyBindingUniqueTogether,
  policyBindingExactlyOne,
];

/**
 * policies/models.py PolicyBinding.Meta.unique_together = (policy, target, order), checked by DRF's
 * UniqueTogetherValidator.__call__ (rest_framework/validators.py, same logic in 3.16.1 and 3.17.1):
 * on create it compares all three and is skipped when any of them is None (a group or user
 * binding has policy None, and ModelSerializer gives the nullable `policy` a default of None); on
 * update it compares only the fields that change, is skipped when none changes or a changed one is
 * None, and otherwise queries with the unchanged ones taken from the row, so `policy=None` there
 * matches every other binding without a policy on that target and order.
 */
function policyBindingUniqueTogether({ model, data, existing, rowsOf }: SerializerInput): string | undefined {
  if (model !== 'authentik_policies.policybinding') return undefined;
  const fields = ['policy', 'target', 'order'];
  const value = (f: string) => (f in data ? (data[f] ?? null) : existing ? (existing.fields[f] ?? null) : null);
  const checked = existing ? fields.filter((f) => !equal(value(f), existing.fields[f] ?? null)) : fields;
  if (!checked.length || checked.some((f) => value(f) === null)) return undefined;
  const clash = rowsOf((m) => m === model).some((o) => o !== existing && fields.every((f) => equal(o.fields[f] ?? null, value(f))));
  return clash ? 'non_field_errors: The fields policy, target, order must make a unique set.' : undefined;
}

/**
 * policies/api/bindings.py PolicyBindingSerializer.validate: of the target's supported kinds
 * (policy, group, user for an application), exactly one is truthy in the data the entry gives
 * (attrs, not the row merged in).
 */
function policyBindingExactlyOne({ model, data }: SerializerInput): string | undefined {
  if (model !== 'authentik_policies.policybinding') return undefined;
  const set = ['policy', 'group', 'user'].filter((f) => Boolean(data[f]));
  return set.length === 1 ? undefined : `exactly one of policy, group and user must be set (got ${set.join(', ') || 'none'})`;
}

function equal(a: unknown, b: unknown): boolean {
  if (b === null || b === undefined) return a === null || a === undefined;
  if (typeof b !== 'object' || typeof a !== 'object') return a === b;
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Authentik's own blueprints that ours depend on, at the paths the worker sees them
 * (blueprints/default/ and blueprints/system/ in the image): rendered from the stand-ins'
 * facts (authentik-own-blueprints.ts), so they apply through the same rules as ours.
 */
export const AUTHENTIK_OWN_BLUEPRINTS: ReadonlyMap<string, string> = new Map(OWN_BLUEPRINTS.map((b) => [b.path, renderOwn(b)]));

function renderOwn(b: OwnBlueprint): string {
  const entries = b.entries.map((e) => ({
    model: e.model,
    ...(e.id ? { id: e.id } : {}),
    ...(Object.keys(e.identifiers).length ? { identifiers: e.identifiers } : {}),
    attrs: { ...e.filler, ...e.attrs },
  }));
  return yaml.dump({ version: 1, metadata: { name: b.name }, entries }, { schema: BLUEPRINT_SCHEMA });
}

/** What Authentik creates at start-up, outside blueprints: the self-signed certificate and the embedded outpost. */
export function freshAuthentik(): AuthentikModel {
  const ak = new AuthentikModel();
  ak.create('authentik_crypto.certificatekeypair', { name: 'authentik Self-signed Certificate' });
  ak.create('authentik_outposts.outpost', { managed: 'goauthentik.io/outposts/embedded', name: 'authentik Embedded Outpost' });
  return ak;
}
