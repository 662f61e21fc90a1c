// Authentik blueprints from the model: groups, one file per native-OIDC app, forward-auth
// providers with the embedded outpost, the agent provider, and tombstones for retired services.
import yaml from 'js-yaml';
import type { AgentApp, AuthModel, BlueprintRef, OidcApp } from '../model/derive';
import { DEFAULT_CERTIFICATE, DEFAULT_FLOWS, EMBEDDED_OUTPOST } from '../model/derive';
import { BLUEPRINT_SCHEMA, Env, Find, KeyOf } from './tags';
import type { Attrs, Blueprint, BlueprintEntry } from './types';
import { MODEL } from './models';

export const BLUEPRINT_SCHEMA_URL = 'https://goauthentik.io/blueprints/schema.json';
/** Label of every blueprint ConfigMap (what the checks and the orphan guard look for). */
export const BLUEPRINT_LABEL = { 'app.kubernetes.io/component': 'blueprint' } as const;

const flow = (slug: string) => new Find(MODEL.flow, ['slug', slug]);
const scope = (name: string) => new Find(MODEL.scopeMapping, ['scope_name', name]);
const group = (name: string) => new Find(MODEL.group, ['name', name]);
const flows = (): Attrs => ({
  authorization_flow: flow(DEFAULT_FLOWS.authorization),
  authentication_flow: flow(DEFAULT_FLOWS.authentication),
  invalidation_flow: flow(DEFAULT_FLOWS.invalidation),
});

const blueprint = (ref: BlueprintRef, entries: BlueprintEntry[]): Blueprint => ({ ...ref, entries });

/** Order this file after the groups file: cross-file `!Find`s race otherwise (DESIGN.md §4.4). */
const afterGroups = (m: AuthModel): BlueprintEntry => ({
  model: MODEL.metaApplyBlueprint,
  identifiers: {},
  attrs: { identifiers: { name: m.blueprints.groups.name }, required: true },
});

/**
 * Only `allowedGroups` may open the app; without bindings every authenticated user can (§4.7).
 * The bindings of every other managed group are tombstoned: a blueprint never deletes an entry
 * that disappears from it (§4.8), so narrowing allowedGroups would otherwise leave the old
 * binding, and the access, in place.
 */
function policyBindings(m: AuthModel, appId: string, allowed: string[] = []): BlueprintEntry[] {
  const binding = (g: string) => ({ group: group(g), target: new KeyOf(appId) });
  const managed = [m.parentGroup.name, ...m.groups.map((g) => g.name)];
  return [
    ...allowed.map<BlueprintEntry>((g, order) => ({ model: MODEL.policyBinding, identifiers: binding(g), attrs: { order } })),
    ...managed
      .filter((g) => !allowed.includes(g))
      .map<BlueprintEntry>((g) => ({ model: MODEL.policyBinding, state: 'absent', identifiers: binding(g) })),
  ];
}

function application(id: string, slug: string, name: string, providerId: string, launchUrl?: string): BlueprintEntry {
  return {
    model: MODEL.application,
    id,
    identifiers: { slug },
    attrs: { name, provider: new KeyOf(providerId), ...(launchUrl ? { meta_launch_url: launchUrl } : {}) },
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
    // 2026.x: `parents` (a list). The old `parent` key is silently dropped (DESIGN.md §4.1b).
    attrs: { is_superuser: g.superuser, parents: [new KeyOf(m.parentGroup.blueprintId)] },
  }));
  // Deleting a group also deletes its policy bindings (Authentik cascades them).
  const retired = m.retiredGroups.map<BlueprintEntry>((name) => ({ model: MODEL.group, state: 'absent', identifiers: { name } }));
  return blueprint(m.blueprints.groups, [parent, ...children, ...retired]);
}

/** From 2026.5 a provider may refuse a grant it does not list, so the list is always written there. */
const grantTypes = (types: string[] | undefined): { grant_types?: string[] } => (types ? { grant_types: types } : {});

function oidcBlueprint(m: AuthModel, app: OidcApp): Blueprint {
  const provider: BlueprintEntry = {
    model: MODEL.oauth2Provider,
    id: 'provider',
    // client_id is unique in Authentik and stable, unlike the display name.
    identifiers: { client_id: app.clientId },
    attrs: {
      name: app.providerName,
      ...flows(),
      client_type: 'confidential',
      ...grantTypes(m.authentik.grantTypes.oidc),
      // Read from the worker's env, fed by a secretKeyRef: a missing key stops the pod loudly (§4.9).
      client_secret: new Env(app.clientSecret.envVar),
      redirect_uris: app.redirectUris.map((url) => ({ matching_mode: 'strict', url })),
      signing_key: new Find(MODEL.certificate, ['name', DEFAULT_CERTIFICATE]),
      property_mappings: app.scopes.map(scope),
      sub_mode: 'hashed_user_id',
      include_claims_in_id_token: true,
      ...(app.accessTokenValidity ? { access_token_validity: app.accessTokenValidity } : {}),
      ...(app.refreshTokenValidity ? { refresh_token_validity: app.refreshTokenValidity } : {}),
    },
  };
  return blueprint(app.blueprint, [
    afterGroups(m),
    provider,
    application('application', app.slug, app.name, 'provider', app.launchUrl),
    ...policyBindings(m, 'application', app.allowedGroups),
  ]);
}

function proxyBlueprint(m: AuthModel): Blueprint {
  const entries: BlueprintEntry[] = [];
  if (m.proxyApps.length) entries.push(afterGroups(m));
  for (const p of m.proxyApps) {
    entries.push({
      model: MODEL.proxyProvider,
      id: `provider-${p.slug}`,
      identifiers: { name: p.providerName },
      attrs: { ...flows(), mode: 'forward_single', external_host: p.externalHost },
    });
    entries.push(application(`application-${p.slug}`, p.slug, p.name, `provider-${p.slug}`, p.launchUrl));
    entries.push(...policyBindings(m, `application-${p.slug}`, p.allowedGroups));
  }
  // The embedded outpost serves forward auth only for providers assigned to it; its stored
  // authentik_host is separate from the pods' AUTHENTIK_HOST (DESIGN.md §4.6).
  entries.push({
    model: MODEL.outpost,
    identifiers: { managed: EMBEDDED_OUTPOST },
    attrs: {
      config: { authentik_host: m.authentik.url, authentik_host_browser: m.authentik.url },
      ...(m.authentik.manageOutpostProviders ? { providers: m.proxyApps.map((p) => new KeyOf(`provider-${p.slug}`)) } : {}),
    },
  });
  return blueprint(m.blueprints.proxy, entries);
}

function agentEntries(m: AuthModel, a: AgentApp): BlueprintEntry[] {
  const provider = `provider-${a.slug}`;
  const account = `account-${a.slug}`;
  return [
    {
      model: MODEL.oauth2Provider,
      id: provider,
      identifiers: { client_id: a.clientId },
      attrs: {
        name: a.providerName,
        ...flows(),
        client_type: 'confidential',
        ...grantTypes(m.authentik.grantTypes.agent),
        // Client credentials only: no browser redirect is ever allowed.
        redirect_uris: [],
        access_token_validity: a.accessTokenValidity,
        signing_key: new Find(MODEL.certificate, ['name', DEFAULT_CERTIFICATE]),
        property_mappings: ['openid', 'email', 'profile'].map(scope),
        sub_mode: 'user_username',
        include_claims_in_id_token: true,
      },
    },
    application(`application-${a.slug}`, a.slug, a.name, provider),
    // Only the agent group may get tokens here; without a binding any user with an app password could.
    ...policyBindings(m, `application-${a.slug}`, [a.group]),
    // Tokens are issued for this service account; being in the group puts the group in the
    // token's groups claim, so the group's ClusterRoleBinding matches (DESIGN.md §4.17).
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

function retiredBlueprint(m: AuthModel): Blueprint {
  // Applications before providers: an application still pointing at its provider blocks nothing,
  // but deleting in this order never leaves an application without a provider behind (§4.8). A
  // retired agent's app-password token and service account go too, or its credentials keep working.
  const absent = (model: string, identifiers: BlueprintEntry['identifiers']): BlueprintEntry => ({ model, state: 'absent', identifiers });
  return blueprint(m.blueprints.retired, [
    ...m.retired.map((r) => absent(MODEL.application, { slug: r.slug })),
    ...m.retired.map((r) => absent(r.provider.model, r.provider.identifiers)),
    ...m.retired.flatMap((r) => (r.agent ? [absent(MODEL.token, { identifier: r.agent.tokenIdentifier })] : [])),
    ...m.retired.flatMap((r) => (r.agent ? [absent(MODEL.user, { username: r.agent.serviceAccount })] : [])),
  ]);
}

/** Every blueprint the model needs, in a stable order. */
export function buildBlueprints(m: AuthModel): Blueprint[] {
  const out = [groupsBlueprint(m), ...m.oidcApps.map((a) => oidcBlueprint(m, a))];
  if (m.proxyApps.length) out.push(proxyBlueprint(m));
  if (m.agents.length) out.push(blueprint(m.blueprints.agents, [afterGroups(m), ...m.agents.flatMap((a) => agentEntries(m, a))]));
  if (m.retired.length) out.push(retiredBlueprint(m));
  return out;
}

/** The document as Authentik reads it: schema comment, version, metadata, entries. */
export function renderBlueprint(bp: Blueprint): string {
  const doc = {
    version: 1,
    metadata: { name: bp.name, labels: { 'blueprints.goauthentik.io/instantiate': 'true' } },
    entries: bp.entries.map((e) => ({
      model: e.model,
      ...(e.state ? { state: e.state } : {}),
      ...(e.id ? { id: e.id } : {}),
      ...(Object.keys(e.identifiers).length ? { identifiers: e.identifiers } : {}),
      ...(e.attrs ? { attrs: e.attrs } : {}),
    })),
  };
  // js-yaml writes a space after a tag that opens a block sequence; drop it (it is not significant).
  const body = yaml
    .dump(doc, { schema: BLUEPRINT_SCHEMA, lineWidth: -1, noRefs: true, quotingType: '"' })
    .replace(/(!Find|!Env) $/gm, '$1');
  return `# yaml-language-server: $schema=${BLUEPRINT_SCHEMA_URL}\n${body}`;
}

/** Parse a rendered document back (same schema): the round trip must be lossless. */
export const parseBlueprint = (text: string): unknown => yaml.load(text, { schema: BLUEPRINT_SCHEMA });
