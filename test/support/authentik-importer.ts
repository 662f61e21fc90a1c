// A test oracle, not a product feature: an in-memory model of how Authentik 2026.2.2's blueprint
// worker applies blueprint files, reduced to the behaviour unified-auth's blueprints depend on.
// Each rule names the Authentik source file it is read from (all under authentik/ in the
// Authentik repository at 2026.2.2) and says in words what that code does.
//
// What it does NOT model (keep that in mind when a test passes):
// - serializers: only the few rules listed in SERIALIZER below; no field types, lengths, choices;
// - concurrency: applies run one after another (the real worker runs tasks concurrently, so two
//   blueprints creating the same object can race; see `eagerDiscovery` for the one race we show);
// - tags other than !Find, !KeyOf, !Env and !Condition AND; `permissions`; `must_created` beyond its error;
// - policy evaluation beyond group membership, user equality, and our own access-policy shape
//   (lib/blueprints/access.ts); expression policies of any other text throw;
// - group membership includes the groups' ancestors (a member of a child group passes a check on
//   its parent), as Authentik's group membership does since groups have parents.
import crypto from 'node:crypto';
import { Condition, Env, Find, KeyOf } from '../../lib/blueprints/tags';
import { parseBlueprint } from '../../lib/blueprints/build';
import { parseAccessExpression } from '../../lib/blueprints/access';

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

/** Unique fields per model (Django `unique=True`), checked like a serializer's UniqueValidator. */
const UNIQUE: Record<string, string[]> = {
  'authentik_core.group': ['name'],
  'authentik_core.application': ['slug'],
  'authentik_core.user': ['username'],
  'authentik_core.token': ['identifier'],
  // providers/oauth2/models.py: client_id is unique.
  'authentik_providers_oauth2.oauth2provider': ['client_id'],
  // policies/models.py: Policy.name is unique.
  'authentik_policies_expression.expressionpolicy': ['name'],
};

/**
 * Uniqueness across several models (h5, finding 8). core/models.py: Provider.name is unique on the
 * Provider base table that every provider type extends (multi-table inheritance), so an OAuth2 and
 * a proxy provider cannot share a name (the same at the 2026.2, 2026.5 and 2026.8 sources).
 */
const UNIQUE_ACROSS: Array<{ models: string[]; field: string }> = [
  { models: ['authentik_providers_oauth2.oauth2provider', 'authentik_providers_proxy.proxyprovider'], field: 'name' },
];

/**
 * One-to-one fields (h5, finding 3). core/models.py: Application.provider is a OneToOneField, so
 * DRF's ModelSerializer puts a UniqueValidator on it: two applications cannot hold one provider.
 */
const ONE_TO_ONE: Record<string, string[]> = {
  'authentik_core.application': ['provider'],
};

/**
 * Deleting the target sets the field back to its default instead of cascading (h5). core/models.py:
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
 * What a minor has that an older one does not (h5, finding 6; docs/upgrades.md). Models: a model
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

/**
 * Fields whose model column is not nullable, so the ModelSerializer refuses None on create and on
 * update (h5). providers/oauth2/models.py: OAuth2Provider.client_secret is a CharField with
 * blank=True but no null=True; a `!Env` whose variable the worker lacks resolves to None
 * (blueprints/v1/common.py Env.resolve), and the file fails.
 */
const NOT_NULL: Record<string, string[]> = {
  'authentik_providers_oauth2.oauth2provider': ['client_secret'],
};

/** Fields a create must not leave empty: a `!Find` that found nothing leaves them null. */
const REQUIRED_ON_CREATE: Record<string, string[]> = {
  'authentik_providers_oauth2.oauth2provider': ['name', 'authorization_flow', 'invalidation_flow'],
  'authentik_providers_proxy.proxyprovider': ['name', 'authorization_flow', 'invalidation_flow'],
  'authentik_core.application': ['name', 'slug'],
  'authentik_policies.policybinding': ['target', 'order'],
  'authentik_policies_expression.expressionpolicy': ['name', 'expression'],
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
 * oracle; test/importer-findings-a.test.ts compares it with lib/model/authentik-versions.ts).
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

const sha512 = (text: string) => crypto.createHash('sha512').update(text).digest('hex');
const isRecord = (v: unknown): v is Fields => v !== null && typeof v === 'object' && !Array.isArray(v);

export class AuthentikModel {
  objects: Obj[] = [];
  instances: Instance[] = [];
  /** The worker's environment, as `global.env` gave it when the pods last started. */
  env: Record<string, string> = {};
  /** The Authentik minor the worker runs (see MODELS_SINCE and FIELDS_SINCE). */
  minor = '2026.2';
  /** Every apply of a blueprint file, in order (path and whether it succeeded). */
  applies: Array<{ path: string; ok: boolean }> = [];
  private nextPk = 1;

  // --- the database ----------------------------------------------------------------------------

  create(model: string, fields: Fields): Obj {
    const pk = this.nextPk++;
    const defaults = Object.entries(DEFAULTS[model] ?? {}).filter(([f]) => fields[f] === undefined);
    const o = { model, pk, fields: { ...Object.fromEntries(defaults.map(([f, make]) => [f, make(pk)])), ...fields } };
    this.objects.push(o);
    return o;
  }
  find(model: string, query: Fields): Obj | undefined {
    return this.objects.find((o) => o.model === model && Object.entries(query).every(([k, v]) => equal(o.fields[k], v)));
  }
  all(model: string): Obj[] {
    return this.objects.filter((o) => o.model === model);
  }
  private delete(o: Obj): void {
    this.objects = this.objects.filter((x) => x !== o);
    for (const r of SET_DEFAULT_ON_DELETE.filter((r) => r.from.includes(o.model))) {
      for (const dep of this.objects.filter((x) => x.model === r.model && x.fields[r.field] === o.pk)) dep.fields[r.field] = null;
    }
    for (const c of CASCADE.filter((c) => c.from === o.model)) {
      for (const dep of this.objects.filter((x) => x.model === c.model && x.fields[c.field] === o.pk)) this.delete(dep);
    }
  }
  private snapshot() {
    return { objects: structuredClone(this.objects), nextPk: this.nextPk };
  }
  private restore(s: { objects: Obj[]; nextPk: number }) {
    this.objects = s.objects;
    this.nextPk = s.nextPk;
  }

  // --- discovery and the apply task (blueprints/v1/tasks.py) -----------------------------------

  /**
   * blueprints/v1/tasks.py, blueprints_discovery + check_blueprint_v1_file: every .yaml file gets
   * a BlueprintInstance named after its metadata.name the first time it is seen (the name is never
   * updated afterwards; it is unique, so a file with the name of an existing instance at another
   * path makes the save fail, which ends the whole discovery run), and is applied when its sha512
   * differs from the instance's last applied hash. Nothing else re-applies a file.
   * `eagerDiscovery`: apply each file as soon as its
   * instance exists, before later files are discovered (the worker runs the tasks concurrently
   * with the discovery loop, so this order can happen).
   */
  discover(files: ReadonlyMap<string, string>, opts: { eagerDiscovery?: boolean } = {}): void {
    const due: Instance[] = [];
    for (const [path, text] of files) {
      const doc = parseBlueprint(text) as { metadata?: { name?: string } };
      let inst = this.instances.find((i) => i.path === path);
      if (!inst) {
        const name = doc?.metadata?.name ?? path;
        if (this.instances.some((i) => i.name === name))
          throw new Error(`discovery failed: a blueprint instance named "${name}" already exists for another path (name is unique)`);
        inst = { name, path, status: 'unknown' };
        this.instances.push(inst);
      }
      if (inst.lastAppliedHash !== sha512(text)) {
        if (opts.eagerDiscovery) this.applyInstance(inst, files);
        else due.push(inst);
      }
    }
    for (const inst of due) this.applyInstance(inst, files);
  }

  /** blueprints/v1/tasks.py, clear_failed_blueprints (a separate hourly task): instances whose file is gone are deleted. */
  clearFailedBlueprints(files: ReadonlyMap<string, string>): void {
    this.instances = this.instances.filter((i) => files.has(i.path));
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

  /** Importer.validate then Importer.apply (blueprints/v1/importer.py): true, or the error. */
  private importFile(text: string, files: ReadonlyMap<string, string>): true | string {
    const before = this.snapshot();
    const validation = this.applyModels(text, files);
    this.restore(structuredClone(before));
    if (validation !== true) return validation;
    const applied = this.applyModels(text, files);
    if (applied !== true) this.restore(before);
    return applied;
  }

  // --- Importer._apply_models (blueprints/v1/importer.py) --------------------------------------

  private applyModels(text: string, files: ReadonlyMap<string, string>): true | string {
    const doc = parseBlueprint(text) as { entries?: Entry[] };
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
    // importer.py _validate_single: an entry whose conditions do not all resolve truthy is skipped
    // (common.py check_all_conditions_match: all(...) over the resolved list).
    if (!(entry.conditions ?? []).map(resolve).every(Boolean)) return;

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

    const absent = entry.state === 'absent';
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
    if (entry.state === 'created' && existing) {
      // importer.py: state created leaves an existing object alone (but later KeyOfs see it).
      instances.set(entry, existing);
      return;
    }
    // importer.py: attrs merged with the identifiers (identifiers win); an existing object is
    // updated partially (only the given fields), a missing one created.
    const data = { ...attrs, ...identifiers };
    for (const [f, since] of Object.entries(FIELDS_SINCE[entry.model] ?? {})) if (!atLeast(this.minor, since)) delete data[f];
    this.validateSerializer(entry.model, data, existing);
    if (existing) Object.assign(existing.fields, data);
    const saved = existing ?? this.create(entry.model, data);
    AFTER_SAVE[entry.model]?.(this, saved);
    instances.set(entry, saved);
  }

  /** The serializer rules that matter here (see UNIQUE, REQUIRED_ON_CREATE and the binding rules). */
  private validateSerializer(model: string, data: Fields, existing?: Obj): void {
    const merged = { ...existing?.fields, ...data };
    if (!existing) {
      for (const f of REQUIRED_ON_CREATE[model] ?? [])
        if (merged[f] === undefined || merged[f] === null) throw new EntryInvalid(`${f}: This field may not be null`);
    }
    for (const f of NOT_NULL[model] ?? []) if (f in data && data[f] === null) throw new EntryInvalid(`${f}: This field may not be null.`);
    for (const [f, v] of Object.entries(data)) {
      // A list of related objects with a null in it (a `!Find` that found nothing) is invalid.
      if (Array.isArray(v) && v.some((x) => x === null || x === undefined)) throw new EntryInvalid(`${f}: null is not a valid primary key`);
    }
    for (const rule of FIELD_RULES.filter((r) => r.model === model)) {
      const problem = rule.check(data);
      if (problem !== undefined) throw new EntryInvalid(problem);
    }
    for (const f of UNIQUE[model] ?? []) {
      if (this.objects.some((o) => o.model === model && o !== existing && equal(o.fields[f], merged[f])))
        throw new EntryInvalid(`${f}: must be unique`);
    }
    for (const u of UNIQUE_ACROSS.filter((u) => u.models.includes(model) && merged[u.field] !== undefined)) {
      if (this.objects.some((o) => u.models.includes(o.model) && o !== existing && equal(o.fields[u.field], merged[u.field])))
        throw new EntryInvalid(`${u.field}: provider with this ${u.field} already exists`);
    }
    for (const f of ONE_TO_ONE[model] ?? []) {
      const v = merged[f];
      if (v !== undefined && v !== null && this.objects.some((o) => o.model === model && o !== existing && o.fields[f] === v))
        throw new EntryInvalid(`${f}: application with this ${f} already exists`);
    }
    if (model === 'authentik_policies.policybinding') {
      // policies/models.py: PolicyBinding.Meta.unique_together = (policy, target, order). DRF's
      // unique-together validator builds its query with `policy=None`, i.e. `policy IS NULL`, so a
      // binding without a policy (a group or user binding) collides with every other binding
      // without a policy on the same target and order. (The database index would not: NULLs are
      // distinct there. The serializer check is what the importer runs.) The check runs when the
      // binding is created or one of the three fields changes.
      const changed = !existing || ['policy', 'target', 'order'].some((f) => f in data && !equal(data[f], existing.fields[f]));
      const clash = this.all(model).find(
        (o) =>
          o !== existing &&
          o.fields.target === merged.target &&
          o.fields.order === merged.order &&
          (o.fields.policy ?? null) === (merged.policy ?? null),
      );
      if (changed && clash) throw new EntryInvalid('non_field_errors: The fields policy, target, order must make a unique set.');
      // The binding API serializer: exactly one of policy, group and user.
      const set = ['policy', 'group', 'user'].filter((f) => merged[f] !== undefined && merged[f] !== null);
      if (set.length !== 1) throw new EntryInvalid(`exactly one of policy, group and user must be set (got ${set.join(', ') || 'none'})`);
    }
  }

  /** common.py: the YAML tags. */
  private resolveTags(v: unknown, entries: Entry[], instances: Map<Entry, Obj>): unknown {
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
   * policies/engine.py: no bindings passes; mode "any" passes if one binding passes, "all" if
   * every one does. policies/models.py PolicyBinding.passes: a policy binding runs the policy, a
   * group binding checks membership, a user binding compares the user.
   */
  mayUse(username: string, slug: string): boolean {
    const user = this.find('authentik_core.user', { username });
    const app = this.find('authentik_core.application', { slug });
    if (!user || !app) throw new Error(`no user ${username} or application ${slug}`);
    const groups = this.groupNamesOf(user);
    const results = this.all('authentik_policies.policybinding')
      .filter((b) => b.fields.target === app.pk && b.fields.enabled !== false)
      .map((b) => {
        if (b.fields.policy) {
          const policy = this.objects.find((o) => o.pk === b.fields.policy)!;
          const allowed = parseAccessExpression(String(policy.fields.expression));
          if (allowed === undefined) throw new Error(`policy ${String(policy.fields.name)}: not an expression this model can evaluate`);
          return allowed === 'any' || allowed.some((g) => groups.has(g));
        }
        if (b.fields.group) return [...groups].some((n) => this.find('authentik_core.group', { name: n })?.pk === b.fields.group);
        if (b.fields.user) return b.fields.user === user.pk;
        return false;
      });
    if (!results.length) return true;
    return app.fields.policy_engine_mode === 'all' ? results.every(Boolean) : results.some(Boolean);
  }
}

function equal(a: unknown, b: unknown): boolean {
  if (b === null || b === undefined) return a === null || a === undefined;
  if (typeof b !== 'object' || typeof a !== 'object') return a === b;
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Authentik's own blueprints that ours depend on, reduced to the objects ours `!Find`, at the
 * paths the worker sees them (blueprints/default/ and blueprints/system/ in the Authentik image).
 */
export const AUTHENTIK_OWN_BLUEPRINTS: ReadonlyMap<string, string> = new Map(
  [
    ['default/flow-default-authentication-flow.yaml', 'Default - Authentication flow', 'flow', 'default-authentication-flow'],
    [
      'default/flow-default-provider-authorization-implicit-consent.yaml',
      'Default - Provider authorization flow (implicit consent)',
      'flow',
      'default-provider-authorization-implicit-consent',
    ],
    [
      'default/flow-default-provider-invalidation.yaml',
      'Default - Provider invalidation flow',
      'flow',
      'default-provider-invalidation-flow',
    ],
  ]
    .map(
      ([path, name, , slug]) =>
        [
          path,
          `version: 1\nmetadata:\n  name: ${name}\nentries:\n  - model: authentik_flows.flow\n    identifiers:\n      slug: ${slug}\n    attrs:\n      name: ${slug}\n`,
        ] as [string, string],
    )
    .concat([
      [
        'system/providers-oauth2.yaml',
        `version: 1\nmetadata:\n  name: System - OAuth2 Provider - Scopes\nentries:\n${[
          'openid',
          'email',
          'profile',
          'entitlements',
          'offline_access',
        ]
          .map(
            (s) =>
              `  - model: authentik_providers_oauth2.scopemapping\n    identifiers:\n      managed: goauthentik.io/providers/oauth2/scope-${s}\n    attrs:\n      scope_name: ${s}\n`,
          )
          .join('')}`,
      ],
      // system/providers-proxy.yaml: the proxy outpost's scope mapping (ProxyProvider.set_oauth_defaults adds it).
      [
        'system/providers-proxy.yaml',
        `version: 1\nmetadata:\n  name: System - Proxy Provider - Scopes\nentries:\n  - model: authentik_providers_oauth2.scopemapping\n    identifiers:\n      managed: goauthentik.io/providers/proxy/scope-proxy\n    attrs:\n      scope_name: ak_proxy\n`,
      ],
    ]),
);

/** What Authentik creates at start-up, outside blueprints: the self-signed certificate and the embedded outpost. */
export function freshAuthentik(): AuthentikModel {
  const ak = new AuthentikModel();
  ak.create('authentik_crypto.certificatekeypair', { name: 'authentik Self-signed Certificate' });
  ak.create('authentik_outposts.outpost', { managed: 'goauthentik.io/outposts/embedded', name: 'authentik Embedded Outpost' });
  return ak;
}
