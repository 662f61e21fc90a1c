// Blueprint generation per entry kind, and the YAML tags' round trip (issue 3).
import yaml from 'js-yaml';
import { buildBlueprints, parseBlueprint, renderBlueprint } from '../../lib/blueprints/build';
import { BLUEPRINT_SCHEMA, Condition, Env, Find, KeyOf } from '../../lib/upstream/blueprint-tags';
import type { Blueprint, BlueprintEntry } from '../../lib/upstream/blueprint-types';
import { SCOPE_MAPPINGS, derive } from '../../lib/model/derive';
import { parseAccessExpression } from '../../lib/blueprints/access';
import { render } from '../../lib/output/render';
import { findings } from '../../lib/checks';
import { parseConfig } from '../../lib/rules/validate';
import { defaultInput } from '../support/helpers';
import { YAML_DUMP_OPTIONS } from '../../lib/yaml/emit';

const build = (mutate: (c: ReturnType<typeof defaultInput>) => void = () => {}) => {
  const input = defaultInput();
  mutate(input);
  return buildBlueprints(derive(parseConfig(input)));
};
const byName = (bps: Blueprint[], name: string) => bps.find((b) => b.name === `unified-auth-${name}`)!;
const entry = (bp: Blueprint, pred: (e: BlueprintEntry) => boolean) => bp.entries.find(pred)!;
const bps = build();
const dumpWithTags = (doc: unknown) =>
  yaml.dump(doc, { ...YAML_DUMP_OPTIONS, schema: BLUEPRINT_SCHEMA }).replace(/(!Find|!Env|!Condition) $/gm, '$1');

test('the default config emits groups, argocd, grafana, infisical, kubernetes, proxy-providers and agent-auth', () => {
  expect(bps.map((b) => b.name)).toEqual([
    'unified-auth-groups',
    // OIDC services in their shards (fnv1a(slug) mod 16), in shard order.
    'unified-auth-oidc-providers-5',
    'unified-auth-oidc-providers-11',
    'unified-auth-oidc-providers-15',
    'unified-auth-provider-kubernetes',
    'unified-auth-proxy-providers',
    'unified-auth-agent-auth',
  ]);
  for (const b of bps) expect(b.fileName).toMatch(/\.yaml$/);
});

test('groups: the parent first, then children with `parents` (never `parent`) and is_superuser', () => {
  const g = byName(bps, 'groups');
  expect(g.entries[0]).toEqual({
    model: 'authentik_core.group',
    id: 'group-root',
    identifiers: { name: 'root' },
    attrs: { is_superuser: false },
  });
  const admins = entry(g, (e) => e.identifiers.name === 'root-admins');
  expect(admins.attrs).toEqual({ is_superuser: true, parents: [new KeyOf('group-root')] });
  expect(entry(g, (e) => e.identifiers.name === 'root-devops').attrs!.is_superuser).toBe(false);
  for (const e of g.entries) expect(e.attrs).not.toHaveProperty('parent');
});

test('oidc provider: flows, confidential client, strict redirect URIs, scopes, signing key, secret from env', () => {
  const bp = byName(bps, 'oidc-providers-15');
  const p = entry(bp, (e) => e.model === 'authentik_providers_oauth2.oauth2provider');
  // Found by its unique client_id: the display name may change without orphaning the provider.
  expect(p.identifiers).toEqual({ client_id: 'argocd' });
  expect(p.attrs).toMatchObject({
    name: 'ArgoCD OIDC',
    authorization_flow: new Find('authentik_flows.flow', ['slug', 'default-provider-authorization-implicit-consent']),
    authentication_flow: new Find('authentik_flows.flow', ['slug', 'default-authentication-flow']),
    invalidation_flow: new Find('authentik_flows.flow', ['slug', 'default-provider-invalidation-flow']),
    client_type: 'confidential',
    client_secret: new Env('UA_OIDC_ARGOCD_CLIENT_SECRET'),
    redirect_uris: [
      // No CLI loopback callback: a confidential client cannot serve argocd login --sso.
      { matching_mode: 'strict', url: 'https://argocd.frank.derio.net/auth/callback' },
    ],
    signing_key: new Find('authentik_crypto.certificatekeypair', ['name', 'authentik Self-signed Certificate']),
    // By `managed` (unique), never by scope_name.
    property_mappings: (['openid', 'email', 'profile', 'offline_access'] as const).map(
      (s) => new Find('authentik_providers_oauth2.scopemapping', ['managed', SCOPE_MAPPINGS[s]]),
    ),
    access_token_validity: 'hours=1',
    refresh_token_validity: 'days=30',
    sub_mode: 'hashed_user_id',
    include_claims_in_id_token: true,
  });
  const app = entry(bp, (e) => e.model === 'authentik_core.application');
  expect(app).toEqual({
    model: 'authentik_core.application',
    id: 'application-argocd',
    identifiers: { slug: 'argocd' },
    attrs: {
      name: 'ArgoCD',
      provider: new KeyOf('provider-argocd'),
      meta_launch_url: 'https://argocd.frank.derio.net/',
      policy_engine_mode: 'all',
    },
  });
});

test('session lengths are always written; offline_access by default, dropped when configured off', () => {
  const provider = (b: Blueprint[]) =>
    entry(byName(b, 'oidc-providers-11'), (e) => e.model === 'authentik_providers_oauth2.oauth2provider');
  const scopes = (b: Blueprint[]) => (provider(b).attrs!.property_mappings as Find[]).map((f) => f.query[0][1]);
  expect(scopes(bps)).toEqual(Object.values(SCOPE_MAPPINGS));
  expect(provider(bps).attrs).toMatchObject({ access_token_validity: 'hours=1', refresh_token_validity: 'days=30' });
  const b = build(
    (c) =>
      (c.services[1].oidc = {
        consumer: 'grafana',
        offlineAccess: false,
        accessTokenValidity: 'minutes=10',
        refreshTokenValidity: 'hours=8',
      }),
  );
  expect(scopes(b)).not.toContain(SCOPE_MAPPINGS.offline_access);
  expect(provider(b).attrs).toMatchObject({ access_token_validity: 'minutes=10', refresh_token_validity: 'hours=8' });
  // A forward-auth session lasts the proxy provider's access_token_validity: chosen, not defaulted.
  const proxy = (bs: Blueprint[]) => entry(byName(bs, 'proxy-providers'), (e) => e.identifiers.name === 'longhorn forward auth');
  expect(proxy(bps).attrs!.access_token_validity).toBe('hours=24');
  expect(
    proxy(build((c) => (c.services[3].forwardAuth = { upstream: 'http://192.168.55.212:80', sessionValidity: 'hours=2' }))).attrs!
      .access_token_validity,
  ).toBe('hours=2');
});

test('people at kubectl: a public client with kubelogin callbacks, groups in the token, bound to its groups', () => {
  const bp = byName(bps, 'provider-kubernetes');
  const p = entry(bp, (e) => e.model === 'authentik_providers_oauth2.oauth2provider');
  expect(p.identifiers).toEqual({ client_id: 'kubernetes' });
  expect(p.attrs).toMatchObject({
    client_type: 'public',
    redirect_uris: [
      { matching_mode: 'strict', url: 'http://localhost:8000' },
      { matching_mode: 'strict', url: 'http://localhost:18000' },
    ],
    property_mappings: Object.values(SCOPE_MAPPINGS).map((m) => new Find('authentik_providers_oauth2.scopemapping', ['managed', m])),
    access_token_validity: 'minutes=15',
    refresh_token_validity: 'hours=12',
  });
  // No secret anywhere: a public client cannot keep one.
  expect(p.attrs).not.toHaveProperty('client_secret');
  const policy = entry(bp, (e) => e.model === 'authentik_policies_expression.expressionpolicy');
  expect(parseAccessExpression(policy.attrs!.expression as string)).toEqual(['root-admins', 'root-devops', 'root-developers']);
});

test('forward auth: proxy providers in forward_single mode, and the embedded outpost lists them all', () => {
  const bp = byName(bps, 'proxy-providers');
  const providers = bp.entries.filter((e) => e.model === 'authentik_providers_proxy.proxyprovider');
  expect(providers.map((p) => [p.identifiers.name, p.attrs!.mode, p.attrs!.external_host])).toEqual([
    ['longhorn forward auth', 'forward_single', 'https://longhorn.frank.derio.net'],
    ['hubble forward auth', 'forward_single', 'https://hubble.frank.derio.net'],
    ['sympozium forward auth', 'forward_single', 'https://sympozium.frank.derio.net'],
  ]);
  for (const p of providers) expect(p.attrs).toHaveProperty('invalidation_flow');
  const outpost = entry(bp, (e) => e.model === 'authentik_outposts.outpost');
  expect(outpost.identifiers).toEqual({ managed: 'goauthentik.io/outposts/embedded' });
  expect(outpost.attrs).toEqual({
    config: { authentik_host: 'https://auth.frank.derio.net', authentik_host_browser: 'https://auth.frank.derio.net' },
    providers: ['longhorn', 'hubble', 'sympozium'].map((s) => new KeyOf(`provider-${s}`)),
  });
  const unmanaged = build((c) => (c.authentik.outpost = { manageProviders: false }));
  expect(entry(byName(unmanaged, 'proxy-providers'), (e) => e.model === 'authentik_outposts.outpost').attrs).not.toHaveProperty(
    'providers',
  );
});

test('access control: one expression policy per application, bound once at order 0, mode all', () => {
  const bp = byName(bps, 'proxy-providers');
  const accessOf = (slug: string) => {
    const app = entry(bp, (e) => e.model === 'authentik_core.application' && e.identifiers.slug === slug);
    const policy = entry(bp, (e) => e.model === 'authentik_policies_expression.expressionpolicy' && e.id === `application-${slug}-access`);
    const bindings = bp.entries.filter(
      (e) => e.model === 'authentik_policies.policybinding' && (e.identifiers.target as KeyOf).id === `application-${slug}`,
    );
    return { app, policy, bindings };
  };
  const longhorn = accessOf('longhorn');
  expect(longhorn.app.attrs).toMatchObject({ policy_engine_mode: 'all' });
  expect(longhorn.policy.identifiers).toEqual({ name: 'unified-auth access longhorn' });
  expect(parseAccessExpression(longhorn.policy.attrs!.expression as string)).toEqual(['root-admins', 'root-devops']);
  // The binding names the policy, never a group, and its order is fixed: nothing can collide.
  expect(longhorn.bindings).toEqual([
    {
      model: 'authentik_policies.policybinding',
      identifiers: { policy: new KeyOf('application-longhorn-access'), target: new KeyOf('application-longhorn') },
      attrs: { order: 0 },
    },
  ]);
  // No tombstone per (application, group): entries do not grow with the number of groups (the
  // application tombstones are the oidc handover guards, one per service).
  expect(bp.entries.filter((e) => e.state === 'absent' && e.model !== 'authentik_core.application')).toEqual([]);
});

test('narrowing, widening and reordering allowedGroups change only the policy expression', () => {
  const proxy = (mutate: (c: ReturnType<typeof defaultInput>) => void) => byName(build(mutate), 'proxy-providers');
  const base = byName(bps, 'proxy-providers');
  for (const groups of [['root-admins'], ['root-devops', 'root-admins'], ['root-admins', 'root-devops', 'root-developers']]) {
    const changed = proxy((c) => (c.services[3].allowedGroups = groups));
    expect(changed.entries.length).toBe(base.entries.length);
    const differing = changed.entries.filter((e, i) => JSON.stringify(e) !== JSON.stringify(base.entries[i]));
    expect(differing.map((e) => e.id)).toEqual(['application-longhorn-access']);
    expect(parseAccessExpression(differing[0].attrs!.expression as string)).toEqual(groups);
  }
});

test('an open service says so in its policy; the groups file is the only dependency by name', () => {
  const argocd = byName(bps, 'oidc-providers-15');
  const policy = entry(argocd, (e) => e.model === 'authentik_policies_expression.expressionpolicy');
  expect(parseAccessExpression(policy.attrs!.expression as string)).toBe('any');
  const deps = (b: Blueprint) => b.entries.filter((e) => e.model === 'authentik_blueprints.metaapplyblueprint').map((e) => e.attrs);
  // Authentik's own default flows and scopes by path, not required (an image may drop one).
  expect(deps(argocd)).toEqual([
    { identifiers: { path: 'default/flow-default-authentication-flow.yaml' }, required: false },
    { identifiers: { path: 'default/flow-default-provider-authorization-implicit-consent.yaml' }, required: false },
    { identifiers: { path: 'default/flow-default-provider-invalidation.yaml' }, required: false },
    { identifiers: { path: 'system/providers-oauth2.yaml' }, required: false },
  ]);
  // Forward auth: the flows, and both files of the scope mappings ProxyProvider.set_oauth_defaults adds.
  expect(deps(byName(bps, 'proxy-providers')).map((a) => (a!.identifiers as { path: string }).path)).toEqual([
    'default/flow-default-authentication-flow.yaml',
    'default/flow-default-provider-authorization-implicit-consent.yaml',
    'default/flow-default-provider-invalidation.yaml',
    'system/providers-oauth2.yaml',
    'system/providers-proxy.yaml',
  ]);
  // Each only while something of it is missing (NAND of the Finds of what ours needs from it).
  for (const e of [...argocd.entries, ...byName(bps, 'proxy-providers').entries].filter(
    (x) => x.model === 'authentik_blueprints.metaapplyblueprint',
  )) {
    expect(e.conditions).toEqual([expect.objectContaining({ mode: 'NAND' })]);
  }
  // Only the agent file Finds groups (its service account's membership): our groups file by its fixed name.
  expect(deps(byName(bps, 'agent-auth'))).toContainEqual({ identifiers: { name: 'unified-auth-groups' }, required: true });
});

test('legacy group bindings of an older output are tombstoned by group and application, with their group lookup as a condition', () => {
  const legacy = [
    { slug: 'longhorn', group: 'root-devops' },
    // A service no longer active: its bindings went with the application, nothing to emit.
    { slug: 'no-such-service', group: 'root-admins' },
  ];
  const b = buildBlueprints(derive(parseConfig(defaultInput())), legacy);
  const tomb = byName(b, 'proxy-providers').entries.filter((e) => e.state === 'absent' && e.model === 'authentik_policies.policybinding');
  const devops = new Find('authentik_core.group', ['name', 'root-devops']);
  expect(tomb).toEqual([
    {
      model: 'authentik_policies.policybinding',
      state: 'absent',
      conditions: [new Condition('AND', devops)],
      // No order: a binding re-ordered by hand is still found (docs/authentik-importer.md, finding 10).
      identifiers: { group: devops, target: new KeyOf('application-longhorn') },
    },
  ]);
  // After the application's own binding: one transaction, so never a moment with neither.
  const entries = byName(b, 'proxy-providers').entries;
  expect(entries.indexOf(tomb[0])).toBeGreaterThan(entries.findIndex((e) => e.id === 'application-longhorn-access'));
});
test('agent: client-credentials provider with no redirect URIs and 8 h tokens, plus its service account', () => {
  const bp = byName(bps, 'agent-auth');
  const p = entry(bp, (e) => e.model === 'authentik_providers_oauth2.oauth2provider');
  expect(p.identifiers).toEqual({ client_id: 'k8s-agent' });
  expect(p.attrs).toMatchObject({ redirect_uris: [], access_token_validity: 'hours=8', client_type: 'confidential' });
  const user = entry(bp, (e) => e.model === 'authentik_core.user');
  expect(user.attrs).toMatchObject({ type: 'service_account', groups: [new Find('authentik_core.group', ['name', 'root-agents'])] });
  // Only the agent group may get tokens from this application.
  const policy = entry(bp, (e) => e.model === 'authentik_policies_expression.expressionpolicy');
  expect(parseAccessExpression(policy.attrs!.expression as string)).toEqual(['root-agents']);
  const bindings = bp.entries.filter((e) => e.model === 'authentik_policies.policybinding' && !e.state);
  expect(bindings).toEqual([
    {
      model: 'authentik_policies.policybinding',
      identifiers: { policy: new KeyOf('application-k8s-agent-access'), target: new KeyOf('application-k8s-agent') },
      attrs: { order: 0 },
    },
  ]);
  const token = entry(bp, (e) => e.model === 'authentik_core.token');
  expect(token.attrs).toMatchObject({
    intent: 'app_password',
    user: new KeyOf('account-k8s-agent'),
    key: new Env('UA_AGENT_K8S_AGENT_APP_PASSWORD'),
  });
});

test('a retired agent loses its app-password token and service account too', () => {
  const b = build((c) => {
    c.services[6].retired = true;
    c.groups[3].kubernetes = undefined; // an agents group with no agent left must not keep a ClusterRole
  });
  expect(byName(b, 'retired').entries).toEqual([
    { model: 'authentik_core.application', state: 'absent', identifiers: { slug: 'k8s-agent' } },
    { model: 'authentik_providers_oauth2.oauth2provider', state: 'absent', identifiers: { client_id: 'k8s-agent' } },
    { model: 'authentik_policies_expression.expressionpolicy', state: 'absent', identifiers: { name: 'unified-auth access k8s-agent' } },
    { model: 'authentik_core.token', state: 'absent', identifiers: { identifier: 'k8s-agent-app-password' } },
    { model: 'authentik_core.user', state: 'absent', identifiers: { username: 'k8s-agent' } },
  ]);
});

test('retired services become tombstones, applications before providers', () => {
  const b = build((c) => {
    c.services[3].retired = true;
    c.services[2].retired = true;
  });
  expect(byName(b, 'retired').entries).toEqual([
    { model: 'authentik_core.application', state: 'absent', identifiers: { slug: 'infisical' } },
    { model: 'authentik_core.application', state: 'absent', identifiers: { slug: 'longhorn' } },
    { model: 'authentik_providers_oauth2.oauth2provider', state: 'absent', identifiers: { client_id: 'infisical' } },
    { model: 'authentik_providers_proxy.proxyprovider', state: 'absent', identifiers: { name: 'longhorn forward auth' } },
    { model: 'authentik_policies_expression.expressionpolicy', state: 'absent', identifiers: { name: 'unified-auth access infisical' } },
    { model: 'authentik_policies_expression.expressionpolicy', state: 'absent', identifiers: { name: 'unified-auth access longhorn' } },
  ]);
  expect(byName(b, 'oidc-providers-5')).toBeUndefined();
});

describe('rendered documents', () => {
  test.each(bps.map((b) => [b.name, b]))('%s: schema comment, version, metadata, instantiate label', (_n, bp) => {
    const text = renderBlueprint(bp);
    const lines = text.split('\n');
    expect(lines[0]).toBe('# yaml-language-server: $schema=https://goauthentik.io/blueprints/schema.json');
    expect(lines[1]).toBe('version: 1');
    const doc = parseBlueprint(text) as { metadata: { name: string; labels: Record<string, string> } };
    expect(doc.metadata.name).toBe(bp.name);
    expect(doc.metadata.labels).toEqual({ 'blueprints.goauthentik.io/instantiate': 'true' });
    expect(text).not.toMatch(/ $/m);
  });

  test.each(bps.map((b) => [b.name, b]))('%s: tags are real YAML tags and round-trip losslessly', (_n, bp) => {
    const text = renderBlueprint(bp);
    const doc = parseBlueprint(text) as { entries: unknown[] };
    const expected = bp.entries.map((e) => ({
      model: e.model,
      ...(e.state ? { state: e.state } : {}),
      ...(e.conditions ? { conditions: e.conditions } : {}),
      ...(e.id ? { id: e.id } : {}),
      ...(Object.keys(e.identifiers).length ? { identifiers: e.identifiers } : {}),
      ...(e.attrs ? { attrs: e.attrs } : {}),
    }));
    expect(doc.entries).toEqual(expected);
    // And back: dumping the parsed document with the same schema gives the same body.
    const body = text.slice(text.indexOf('\n') + 1);
    expect(dumpWithTags(doc)).toBe(body);
  });

  test('tags render as YAML tags, not strings', () => {
    const text = renderBlueprint(byName(bps, 'oidc-providers-15'));
    expect(text).toContain('provider: !KeyOf provider');
    expect(text).toContain('client_secret: !Env UA_OIDC_ARGOCD_CLIENT_SECRET');
    expect(text).toMatch(
      /authorization_flow: !Find\n\s+- authentik_flows\.flow\n\s+- - slug\n\s+- default-provider-authorization-implicit-consent/,
    );
    expect(text).not.toContain("'!");
  });
});

describe('many forward-auth services: several blueprint files, each well under the 1 MiB ConfigMap limit', () => {
  const many = (n: number) => {
    const input = defaultInput();
    for (let i = 0; i < n; i++) {
      input.services.push({
        slug: `svc-${i}`,
        name: `Service ${i}`,
        host: `svc-${i}.frank.derio.net`,
        allowedGroups: ['root-devops'],
        forwardAuth: { upstream: 'http://10.0.0.1:80' },
      });
    }
    return input;
  };
  const r = render(parseConfig(many(450)));
  const proxyFiles = r.blueprints.filter((b) => b.name.startsWith('unified-auth-proxy-providers-'));

  test('a power of two of files, every service in exactly one, the outpost in its own file finding them all by name', () => {
    expect(proxyFiles.map((b) => b.name).sort()).toEqual([0, 1, 2, 3].map((k) => `unified-auth-proxy-providers-${k}`));
    const providers = proxyFiles.flatMap((b) => b.entries.filter((e) => e.model === 'authentik_providers_proxy.proxyprovider'));
    expect(providers).toHaveLength(453);
    const outpost = byName(r.blueprints, 'embedded-outpost');
    expect(
      outpost.entries
        .filter((e) => e.model === 'authentik_blueprints.metaapplyblueprint')
        .map((e) => (e.attrs!.identifiers as { name: string }).name)
        .sort(),
    ).toEqual(proxyFiles.map((b) => b.name).sort());
    const listed = (outpost.entries.at(-1)!.attrs!.providers as Find[]).map((f) => f.query[0][1]);
    expect(listed.sort()).toEqual(providers.map((p) => p.identifiers.name as string).sort());
    for (const b of r.blueprints) expect(Buffer.byteLength(renderBlueprint(b))).toBeLessThan(400 * 1024);
    expect(findings(r)).toEqual([]);
  });

  test('adding a service moves no other service to another file', () => {
    const fileOf = (bps: Blueprint[]) =>
      new Map(
        bps.flatMap((b) =>
          b.entries.filter((e) => e.model === 'authentik_core.application').map((e) => [e.identifiers.slug as string, b.name]),
        ),
      );
    const before = fileOf(r.blueprints);
    const input = many(450);
    input.services.push({
      slug: 'one-more',
      name: 'One more',
      host: 'one-more.frank.derio.net',
      allowedGroups: 'any',
      forwardAuth: { upstream: 'http://10.0.0.2:80' },
    });
    const after = fileOf(render(parseConfig(input)).blueprints);
    for (const [slug, file] of before) expect(after.get(slug)).toBe(file);
  });
});
