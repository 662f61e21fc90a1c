// Authentik blueprints from the model: groups, native-OIDC apps in shard files, forward-auth
// providers with the embedded outpost, the agent provider, and tombstones for retired services.
import yaml from 'js-yaml';
import type { AccessPolicy, AgentApp, AuthModel, BlueprintRef, KubectlApp, OidcApp, ProxyApp, Scope } from '../model/derive';
import {
  AUTHENTIK_BLUEPRINTS,
  DEFAULT_CERTIFICATE,
  DEFAULT_FLOWS,
  EMBEDDED_OUTPOST,
  PROXY_SCOPE_MAPPINGS,
  SCOPE_MAPPINGS,
} from '../upstream/conventions';
import { accessExpression } from './access';
import { withMinorGate } from '../upstream/minor-gate';
import { minorGateModel } from '../upstream/authentik-versions';
import { BLUEPRINT_SCHEMA, Condition, Env, Find, KeyOf } from '../upstream/blueprint-tags';
import type { Attrs, Blueprint, BlueprintEntry, BlueprintValue } from '../upstream/blueprint-types';
import { MODEL } from '../upstream/authentik-models';
import { dumpYaml } from '../yaml/emit';
import { nameOrder } from '../base/name-order';
import { rememberParsed } from '../readback/yaml';
import { sameDocument, snapshotDocument, type TagClasses } from '../readback/document-snapshot';

/** A group binding an older output created (lib/previous/legacy-bindings.ts reads them), deleted by a tombstone. */
export interface LegacyBinding {
  /** Application slug. */
  slug: string;
  group: string;
}

export const BLUEPRINT_SCHEMA_URL = 'https://goauthentik.io/blueprints/schema.json';
/** Label of every blueprint ConfigMap (what the checks and the orphan guard look for). */
export const BLUEPRINT_LABEL = { 'app.kubernetes.io/component': 'blueprint' } as const;
/**
 * Beside BLUEPRINT_LABEL on a pass-through blueprint's ConfigMap: read back, it tells the orphan
 * guard to count every entry of it (lib/guards/orphans.ts), whatever its model (docs/pass-through.md).
 */
export const PASS_THROUGH_LABEL = { 'unified-auth/pass-through': 'true' } as const;

const flow = (slug: string) => new Find(MODEL.flow, ['slug', slug]);
// By `managed`: unique, unlike scope_name, which a custom mapping may share (Find takes the first).
const scope = (name: Scope) => new Find(MODEL.scopeMapping, ['managed', SCOPE_MAPPINGS[name]]);
const group = (name: string) => new Find(MODEL.group, ['name', name]);
const flows = (): Attrs => ({
  authorization_flow: flow(DEFAULT_FLOWS.authorization),
  authentication_flow: flow(DEFAULT_FLOWS.authentication),
  invalidation_flow: flow(DEFAULT_FLOWS.invalidation),
});

const blueprint = (ref: BlueprintRef, entries: BlueprintEntry[], labels?: Record<string, string>): Blueprint => ({
  ...ref,
  ...(labels && Object.keys(labels).length ? { labels } : {}),
  entries,
});

/**
 * Entry ids (`!KeyOf` targets) in files that hold several services' entries. They are local to a
 * file; checks follow the `!KeyOf` objects, never these strings.
 */
const ENTRY_ID = {
  provider: (slug: string) => `provider-${slug}`,
  application: (slug: string) => `application-${slug}`,
  account: (slug: string) => `account-${slug}`,
};

/**
 * Apply another blueprint first, inside this one's transaction. The importer looks the instance
 * up by the given field and, when it exists, applies it (ignoring whether that succeeded); a
 * missing instance is an error only with required: true.
 */
const applyFirst = (identifiers: Record<string, string>, required: boolean): BlueprintEntry => ({
  model: MODEL.metaApplyBlueprint,
  identifiers: {},
  attrs: { identifiers, required },
});

/**
 * One of Authentik's own blueprints, applied first inside this file's transaction, but only while
 * something of it we need is missing (a `!Find` in `needs` finds nothing: NAND). On a first install
 * Authentik's files are discovered together with ours, in no fixed order, so what ours `!Find` is
 * made here; after that the entry is skipped (importer.py _validate_single checks conditions
 * before anything else). Unconditioned, meta/apply_blueprint.py would re-import the whole default
 * file on every change of ours, whatever the instance's `enabled`, and reset an operator's edits
 * to default flows and mappings (docs/authentik-importer.md). By path: their names are display
 * text; not required, so an image that dropped one still applies.
 */
const applyWhileMissing = (path: string, needs: Find[]): BlueprintEntry => ({
  model: MODEL.metaApplyBlueprint,
  conditions: [new Condition('NAND', ...needs)],
  identifiers: {},
  attrs: { identifiers: { path }, required: false },
});

/** The system blueprints creating scope mappings `managed`, each with the mappings of it we need, in first-use order. */
function scopeFiles(managed: ReadonlyArray<{ managed: string; blueprint: string }>): BlueprintEntry[] {
  const files = new Map<string, Set<string>>();
  for (const m of managed) files.set(m.blueprint, (files.get(m.blueprint) ?? new Set()).add(m.managed));
  return [...files].map(([path, needs]) =>
    applyWhileMissing(
      path,
      [...needs].map((id) => new Find(MODEL.scopeMapping, ['managed', id])),
    ),
  );
}

/**
 * Authentik's default flows, and the scope mappings `scopes` (OAuth2 providers: their scopes; proxy
 * providers: what ProxyProvider.set_oauth_defaults adds, which only adds mappings that exist when
 * the provider is saved), before anything uses them.
 */
const SCOPES_OF: Readonly<Record<'oauth2' | 'proxy', ReadonlyArray<{ managed: string; blueprint: string }>>> = {
  oauth2: Object.values(SCOPE_MAPPINGS).map((managed) => ({ managed, blueprint: AUTHENTIK_BLUEPRINTS.oauth2Scopes })),
  proxy: PROXY_SCOPE_MAPPINGS,
};
const afterAuthentikDefaults = (...scopes: Array<keyof typeof SCOPES_OF>): BlueprintEntry[] => [
  ...Object.entries(AUTHENTIK_BLUEPRINTS.flows).map(([slug, path]) => applyWhileMissing(path, [flow(slug)])),
  ...scopeFiles(scopes.flatMap((k) => SCOPES_OF[k])),
];

/**
 * Our own groups blueprint, by metadata.name: the instance's name is fixed when it is first
 * discovered, and ours never changes, while its path follows whichever ConfigMap carries the file.
 * Required: the groups blueprint is always shipped, and without it the Finds below would be empty.
 */
const afterGroups = (m: AuthModel): BlueprintEntry => applyFirst({ name: m.blueprints.groups.name }, true);

/**
 * Metadata label carrying a secret's rotation marker (named after the secret's key in Authentik's
 * Secret; the value is a marker, never the secret): a new marker is a new file hash, so Authentik
 * re-applies the file and reads `!Env` again.
 */
export const rotationLabel = (authentikKey: string) => `unified-auth/${authentikKey}.rotation-id`;

/**
 * Who may open the application: one expression policy, bound with a fixed order (see access.ts),
 * then the tombstones of group bindings an older output created (see lib/previous/legacy-bindings.ts).
 */
function accessEntries(appId: string, slug: string, access: AccessPolicy, legacy: ReadonlyArray<LegacyBinding>): BlueprintEntry[] {
  const policyId = `${appId}-access`;
  return [
    {
      model: MODEL.expressionPolicy,
      id: policyId,
      identifiers: { name: access.name },
      attrs: { expression: accessExpression(access.allowedGroups) },
    },
    { model: MODEL.policyBinding, identifiers: { policy: new KeyOf(policyId), target: new KeyOf(appId) }, attrs: { order: 0 } },
    ...legacy
      .filter((b) => b.slug === slug)
      .map<BlueprintEntry>((b) => ({
        model: MODEL.policyBinding,
        state: 'absent',
        // Skipped unless the group exists: an empty group lookup would match other bindings.
        conditions: [new Condition('AND', group(b.group))],
        // Group and application only, not order: the importer ANDs every identifier into one query
        // (blueprints/v1/importer.py), so an order an operator changed by hand would match nothing.
        identifiers: { group: group(b.group), target: new KeyOf(appId) },
      })),
  ];
}

function application(id: string, slug: string, name: string, providerId: string, launchUrl?: string): BlueprintEntry {
  return {
    model: MODEL.application,
    id,
    identifiers: { slug },
    attrs: {
      name,
      provider: new KeyOf(providerId),
      ...(launchUrl ? { meta_launch_url: launchUrl } : {}),
      // Every binding must pass: only the access policy grants, anything else can only narrow.
      policy_engine_mode: 'all',
    },
  };
}

function groupsBlueprint(m: AuthModel): Blueprint {
  const parent: BlueprintEntry = {
    model: MODEL.group,
    id: m.parentGroup.blueprintId,
    identifiers: { name: m.parentGroup.name },
    attrs: { is_superuser: false },
  };
  const children = m.groups.map<BlueprintEntry>((g) => ({
    model: MODEL.group,
    id: g.blueprintId,
    identifiers: { name: g.name },
    // 2026.x: `parents` (a list). The old `parent` key is silently dropped (docs/field-traps.md#unknown-fields-are-dropped).
    attrs: { is_superuser: g.superuser, parents: g.parentIds.map((id) => new KeyOf(id)) },
  }));
  // Deleting a group also deletes its policy bindings (Authentik cascades them).
  const retired = m.retiredGroups.map<BlueprintEntry>((name) => ({ model: MODEL.group, state: 'absent', identifiers: { name } }));
  return blueprint(m.blueprints.groups, [parent, ...children, ...retired]);
}

/** From 2026.5 a provider may refuse a grant it does not list, so the list is always written there. */
const grantTypes = (types: string[] | undefined): { grant_types?: string[] } => (types ? { grant_types: types } : {});

/** What a login (authorization-code) provider is built from: OidcApp and KubectlApp both carry it. */
type LoginClient = Pick<
  OidcApp,
  'clientId' | 'providerName' | 'redirectUris' | 'scopes' | 'accessTokenValidity' | 'refreshTokenValidity' | 'grantTypes'
> &
  Partial<Pick<OidcApp, 'providerFoundBy' | 'clientIdKept'>>;

/**
 * An OAuth2 provider people sign in through: confidential with its secret read from the worker's
 * env (fed by a secretKeyRef: a missing key stops the pod loudly, docs/field-traps.md#client-secrets),
 * confidential with the secret Authentik generated (`generated`: no client_secret, so a create
 * generates one and an update, being partial, keeps it), or public without one.
 */
function loginProvider(c: LoginClient, secret: { envVar: string } | 'generated' | 'public', id = 'provider'): BlueprintEntry {
  return {
    model: MODEL.oauth2Provider,
    id,
    // client_id is unique in Authentik and stable, unlike the display name; an adopted provider the
    // live layer finds by its (also unique) name is found the same way, and given the client_id.
    identifiers: c.providerFoundBy === 'name' ? { name: c.providerName } : { client_id: c.clientId },
    attrs: {
      ...(c.providerFoundBy === 'name' && !c.clientIdKept ? { client_id: c.clientId } : {}),
      name: c.providerName,
      ...flows(),
      // Read from the worker's env, fed by a secretKeyRef: a missing key stops the pod loudly (docs/field-traps.md#client-secrets).
      ...(secret === 'public'
        ? { client_type: 'public' }
        : { client_type: 'confidential', ...(secret === 'generated' ? {} : { client_secret: new Env(secret.envVar) }) }),
      ...grantTypes(c.grantTypes),
      redirect_uris: c.redirectUris.map((r) => ({ matching_mode: r.matching, url: r.url })),
      signing_key: new Find(MODEL.certificate, ['name', DEFAULT_CERTIFICATE]),
      property_mappings: c.scopes.map(scope),
      sub_mode: 'hashed_user_id',
      include_claims_in_id_token: true,
      // Always written: a provider edited in the UI goes back to the configured session length.
      access_token_validity: c.accessTokenValidity,
      refresh_token_validity: c.refreshTokenValidity,
    },
  };
}

/** The rotation markers of the OIDC apps in one file, as blueprint metadata labels. */
const rotationLabels = (apps: ReadonlyArray<OidcApp>): Record<string, string> =>
  Object.fromEntries(
    apps.flatMap((a) => (a.clientSecret?.rotation ? [[rotationLabel(a.clientSecret.authentikKey), a.clientSecret.rotation]] : [])),
  );

/** One OIDC app: its provider, application and access, with ids local to the (shared) file. */
function oidcEntries(app: OidcApp, legacy: ReadonlyArray<LegacyBinding>): BlueprintEntry[] {
  const secret = app.clientSecret;
  // No secret: public with PKCE (ArgoCD shared by its UI and CLI).
  const providerSecret = !secret ? 'public' : secret.mode === 'existingSecret' ? 'generated' : { envVar: secret.envVar };
  const provider = ENTRY_ID.provider(app.slug);
  const id = ENTRY_ID.application(app.slug);
  return [
    loginProvider(app, providerSecret, provider),
    application(id, app.slug, app.name, provider, app.launchUrl),
    ...accessEntries(id, app.slug, app.access, legacy),
  ];
}

/** A file of OIDC apps: a shard (docs/oidc-shards.md) or an adopted blueprint. */
function oidcBlueprint(ref: BlueprintRef, apps: ReadonlyArray<OidcApp>, legacy: ReadonlyArray<LegacyBinding>): Blueprint {
  return blueprint(ref, [...afterAuthentikDefaults('oauth2'), ...apps.flatMap((a) => oidcEntries(a, legacy))], rotationLabels(apps));
}

/** Items grouped by the blueprint file they are in, files in name order (numbers by value). */
function byFile<T extends { blueprint: BlueprintRef }>(items: ReadonlyArray<T>): Array<{ ref: BlueprintRef; items: T[] }> {
  const files = new Map<string, { ref: BlueprintRef; items: T[] }>();
  for (const x of items) {
    const f = files.get(x.blueprint.name) ?? { ref: x.blueprint, items: [] };
    f.items.push(x);
    files.set(x.blueprint.name, f);
  }
  const order = nameOrder(files.keys());
  return [...files.values()].sort((a, b) => order(a.ref.name, b.ref.name));
}

/**
 * People at kubectl: a public client (no secret can be kept on a laptop; kubelogin uses PKCE) with
 * kubelogin's loopback callbacks; profile carries the groups the ClusterRoleBindings match.
 */
function kubectlBlueprint(k: KubectlApp, legacy: ReadonlyArray<LegacyBinding>): Blueprint {
  return blueprint(k.blueprint, [
    ...afterAuthentikDefaults('oauth2'),
    loginProvider(k, 'public'),
    application('application', k.slug, k.name, 'provider'),
    ...accessEntries('application', k.slug, k.access, legacy),
  ]);
}

function proxyEntries(p: ProxyApp, legacy: ReadonlyArray<LegacyBinding>): BlueprintEntry[] {
  const provider = ENTRY_ID.provider(p.slug);
  return [
    {
      model: MODEL.proxyProvider,
      id: provider,
      identifiers: { name: p.providerName },
      attrs: {
        ...flows(),
        mode: 'forward_single',
        external_host: p.externalHost,
        // The outpost's session cookie lasts as long as the provider's access token.
        access_token_validity: p.sessionValidity,
        // Listed, not left to ProxyProvider.set_oauth_defaults, which adds only the mappings that
        // already exist: a file applied before them fails (and is retried) instead of leaving the
        // user headers empty until a restart (docs/authentik-importer.md).
        property_mappings: PROXY_SCOPE_MAPPINGS.map((m) => new Find(MODEL.scopeMapping, ['managed', m.managed])),
      },
    },
    // The service dropped oidc: the application it had beside it gives the provider back first, or
    // the update below breaks Application.provider's one-to-one (core/models.py). Found by both
    // slug and provider, so it deletes only an application that would block this file.
    ...(p.handoverFrom
      ? [{ model: MODEL.application, state: 'absent' as const, identifiers: { slug: p.handoverFrom, provider: new KeyOf(provider) } }]
      : []),
    application(ENTRY_ID.application(p.slug), p.slug, p.name, ENTRY_ID.provider(p.slug), p.launchUrl),
    ...accessEntries(ENTRY_ID.application(p.slug), p.slug, p.access, legacy),
  ];
}

/**
 * The embedded outpost serves forward auth only for providers assigned to it; its stored
 * authentik_host is separate from the pods' AUTHENTIK_HOST, so it is set here too.
 */
const outpostEntry = (m: AuthModel, providers: BlueprintValue[]): BlueprintEntry => ({
  model: MODEL.outpost,
  identifiers: { managed: EMBEDDED_OUTPOST },
  attrs: {
    config: { authentik_host: m.authentik.url, authentik_host_browser: m.authentik.url },
    ...(m.authentik.manageOutpostProviders ? { providers } : {}),
  },
});

/**
 * Forward-auth providers, applications and access, and the embedded outpost. Up to
 * PROXY_APPS_PER_BLUEPRINT services: one file, the outpost listing providers by `!KeyOf`. More:
 * several files (see lib/model/derivers/proxy-apps.ts), and the outpost in a file of its own that applies each of them
 * first and finds their providers by name.
 */
function proxyBlueprints(m: AuthModel, legacy: ReadonlyArray<LegacyBinding>): Blueprint[] {
  const chunks = byFile(m.proxyApps).map((f) => ({ ref: f.ref, apps: f.items }));
  // OIDC apps of services that also have forward auth come first: an application moving to its
  // OAuth2 provider lets go of the proxy provider before a forward-auth application takes it.
  const oidcIn = (ref: BlueprintRef) => m.oidcApps.filter((a) => a.blueprint.name === ref.name);
  const body = (ref: BlueprintRef, apps: ProxyApp[]) => [
    ...afterAuthentikDefaults('proxy', ...(oidcIn(ref).length > 0 ? (['oauth2'] as const) : [])),
    ...oidcIn(ref).flatMap((a) => oidcEntries(a, legacy)),
    ...apps.flatMap((p) => proxyEntries(p, legacy)),
  ];
  // An adopted outpost blueprint keeps its own file, or its live instance would point at nothing.
  if (chunks.length === 1 && !m.blueprints.outpostAdopted) {
    const { ref, apps } = chunks[0];
    const providers = m.proxyApps.map((p) => new KeyOf(ENTRY_ID.provider(p.slug)));
    return [blueprint(ref, [...body(ref, apps), outpostEntry(m, providers)], rotationLabels(oidcIn(ref)))];
  }
  const outpost = blueprint(m.blueprints.outpost, [
    ...(m.authentik.manageOutpostProviders ? chunks.map((c) => applyFirst({ name: c.ref.name }, true)) : []),
    outpostEntry(
      m,
      m.proxyApps.map((p) => new Find(MODEL.proxyProvider, ['name', p.providerName])),
    ),
  ]);
  return [...chunks.map((c) => blueprint(c.ref, body(c.ref, c.apps), rotationLabels(oidcIn(c.ref)))), outpost];
}

function agentEntries(a: AgentApp, legacy: ReadonlyArray<LegacyBinding>): BlueprintEntry[] {
  const provider = ENTRY_ID.provider(a.slug);
  const account = ENTRY_ID.account(a.slug);
  const app = ENTRY_ID.application(a.slug);
  return [
    {
      model: MODEL.oauth2Provider,
      id: provider,
      identifiers: { client_id: a.clientId },
      attrs: {
        name: a.providerName,
        ...flows(),
        client_type: 'confidential',
        ...grantTypes(a.grantTypes),
        // Client credentials only: no browser redirect is ever allowed.
        redirect_uris: [],
        access_token_validity: a.accessTokenValidity,
        signing_key: new Find(MODEL.certificate, ['name', DEFAULT_CERTIFICATE]),
        property_mappings: (['openid', 'email', 'profile'] as const).map(scope),
        sub_mode: 'user_username',
        include_claims_in_id_token: true,
      },
    },
    application(app, a.slug, a.name, provider),
    ...accessEntries(app, a.slug, a.access, legacy),
    // Tokens are issued for this service account; being in the group puts the group in the
    // token's groups claim, so the group's ClusterRoleBinding matches (docs/field-traps.md#rbac-subjects).
    {
      model: MODEL.user,
      id: account,
      identifiers: { username: a.serviceAccount },
      attrs: { name: `${a.name} (service account)`, type: 'service_account', groups: [group(a.group)] },
    },
    {
      model: MODEL.token,
      identifiers: { identifier: a.tokenIdentifier },
      attrs: {
        user: new KeyOf(account),
        intent: 'app_password',
        key: new Env(a.tokenSecret.envVar),
        expiring: false,
        description: `App password of ${a.serviceAccount} for the ${a.clientId} client-credentials grant`,
      },
    },
  ];
}

/**
 * The order tombstones apply in: applications (and bindings) before what they point at, so no
 * step leaves an application without its provider behind (docs/field-traps.md#blueprints-never-delete).
 */
const DELETE_ORDER: ReadonlyArray<ReadonlyArray<string>> = [
  [MODEL.application],
  [MODEL.policyBinding],
  [MODEL.outpost],
  [MODEL.oauth2Provider, MODEL.proxyProvider],
  [MODEL.expressionPolicy],
  [MODEL.token],
  [MODEL.user],
  [MODEL.group],
];
const deleteRank = (model: string) => {
  const rank = DELETE_ORDER.findIndex((models) => models.includes(model));
  return rank < 0 ? DELETE_ORDER.length : rank;
};

function retiredBlueprint(m: AuthModel): Blueprint {
  // A retired agent's app-password token and service account go too, or its credentials keep
  // working. Objects of a hand-written layer (retiredObjects) take their place in the same order.
  const absent = (model: string, identifiers: BlueprintEntry['identifiers']): BlueprintEntry => ({ model, state: 'absent', identifiers });
  const apps = m.retired.flatMap((r) => r.applications);
  const entries = [
    ...apps.map((a) => absent(MODEL.application, { slug: a.slug })),
    ...apps.map((a) => absent(a.provider.model, a.provider.identifiers)),
    // Its binding went with the application; the policy itself is an object of its own.
    ...apps.map((a) => absent(MODEL.expressionPolicy, { name: a.accessPolicyName })),
    ...m.retired.flatMap((r) => (r.agent ? [absent(MODEL.token, { identifier: r.agent.tokenIdentifier })] : [])),
    ...m.retired.flatMap((r) => (r.agent ? [absent(MODEL.user, { username: r.agent.serviceAccount })] : [])),
    ...m.retiredObjects.map((o) => absent(o.model, { ...o.identifiers })),
  ];
  // A stable sort: within a model, our own first, in config order.
  return blueprint(
    m.blueprints.retired,
    entries
      .map((e, i) => ({ e, i }))
      .sort((a, b) => deleteRank(a.e.model) - deleteRank(b.e.model) || a.i - b.i)
      .map((x) => x.e),
  );
}

/**
 * Every blueprint the model needs, in a stable order. `legacy`: group bindings an older output
 * created (read from the previous output by lib/previous/legacy-bindings.ts), to delete.
 */
export function buildBlueprints(m: AuthModel, legacy: ReadonlyArray<LegacyBinding> = []): Blueprint[] {
  // OIDC apps beside forward auth are written into the forward-auth file (proxyBlueprints).
  const proxyFiles = new Set(m.proxyApps.map((p) => p.blueprint.name));
  const out = [
    groupsBlueprint(m),
    ...byFile(m.oidcApps.filter((a) => !proxyFiles.has(a.blueprint.name))).map((f) => oidcBlueprint(f.ref, f.items, legacy)),
    ...m.kubectlApps.map((k) => kubectlBlueprint(k, legacy)),
  ];
  if (m.proxyApps.length) out.push(...proxyBlueprints(m, legacy));
  if (m.agents.length) {
    const rotation = Object.fromEntries(
      m.agents.filter((a) => a.tokenSecret.rotation).map((a) => [rotationLabel(a.tokenSecret.authentikKey), a.tokenSecret.rotation!]),
    );
    out.push(
      blueprint(
        m.blueprints.agents,
        [...afterAuthentikDefaults('oauth2'), afterGroups(m), ...m.agents.flatMap((a) => agentEntries(a, legacy))],
        rotation,
      ),
    );
  }
  if (m.retired.length || m.retiredObjects.length) out.push(retiredBlueprint(m));
  // A file with fields of this minor is refused by an older worker (lib/upstream/minor-gate.ts), so an upgrade
  // cannot leave it recorded as applied without them.
  return out.map((bp) => withMinorGate(bp, minorGateModel(m.authentik.minor)));
}

/** Where the Authentik chart mounts a blueprint ConfigMap's file in the worker (`blueprints.configMaps`). */
export const blueprintMountPath = (bp: Pick<Blueprint, 'configMapName' | 'fileName'>) =>
  `/blueprints/mounted/cm-${bp.configMapName}/${bp.fileName}`;

/** The document renderBlueprint dumps: version, metadata, entries. */
function blueprintDocument(bp: Blueprint): object {
  return {
    version: 1,
    metadata: { name: bp.name, labels: { 'blueprints.goauthentik.io/instantiate': 'true', ...bp.labels } },
    entries: bp.entries.map((e) => ({
      model: e.model,
      ...(e.state ? { state: e.state } : {}),
      ...(e.conditions ? { conditions: e.conditions } : {}),
      ...(e.id ? { id: e.id } : {}),
      ...(Object.keys(e.identifiers).length ? { identifiers: e.identifiers } : {}),
      ...(e.attrs ? { attrs: e.attrs } : {}),
    })),
  };
}

/**
 * The classes BLUEPRINT_SCHEMA dumps as tags (its types with `instanceOf`), read back as the same
 * class. Not OpaqueTag: it is only read, and dumps as a plain mapping that reads back as one.
 */
const TAG_CLASSES: TagClasses = new Set([KeyOf.prototype, Find.prototype, Env.prototype, Condition.prototype]);

/**
 * Each blueprint object's last rendering, with a copy of the document it was dumped from (what the
 * text parses back to). Keyed by the caller's blueprint, so nothing outlives it; the copy, not the
 * blueprint, so a blueprint changed afterwards is seen as changed (blueprintText).
 */
const RENDERED = new WeakMap<Blueprint, { text: string; doc: object }>();

/** The document as Authentik reads it: schema comment, version, metadata, entries. */
export function renderBlueprint(bp: Blueprint): string {
  const doc = blueprintDocument(bp);
  // js-yaml writes a space after a tag that opens a block sequence; drop it (it is not significant).
  const body = dumpYaml(doc, BLUEPRINT_SCHEMA).replace(/(!Find|!Env|!Condition) $/gm, '$1');
  const text = `# yaml-language-server: $schema=${BLUEPRINT_SCHEMA_URL}\n${body}`;
  const copy = snapshotDocument(doc, TAG_CLASSES);
  if (copy !== undefined) {
    RENDERED.set(bp, { text, doc: copy as object });
    // What the text parses back to: a reader of it in this run (the state, a baseline) need not parse it.
    rememberParsed(text, BLUEPRINT_SCHEMA, copy);
  }
  return text;
}

/**
 * renderBlueprint(bp), the last rendering reused when the blueprint's document is still the one it
 * was dumped from (compared exactly, lib/blueprints/document-snapshot.ts): what the ConfigMap check
 * compares with, at a fraction of a second dump.
 */
export function blueprintText(bp: Blueprint): string {
  const last = RENDERED.get(bp);
  return last && sameDocument(blueprintDocument(bp), last.doc, TAG_CLASSES) ? last.text : renderBlueprint(bp);
}

/**
 * The rendered texts of these blueprints with the documents they parse back to: a reader that only
 * looks (the secret scan) need not parse them again. Only texts renderBlueprint wrote: a text
 * changed since is not among them.
 */
export function renderedDocuments(bps: ReadonlyArray<Blueprint>): Map<string, object> {
  const out = new Map<string, object>();
  for (const bp of bps) {
    const last = RENDERED.get(bp);
    if (last) out.set(last.text, last.doc);
  }
  return out;
}

/** Parse a rendered document back (same schema): the round trip must be lossless. */
export const parseBlueprint = (text: string): unknown => yaml.load(text, { schema: BLUEPRINT_SCHEMA });
