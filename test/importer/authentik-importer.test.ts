// The importer model's rules (test/support/authentik-importer.ts), one test each, named after the
// Authentik (or Django REST framework) function it mirrors. docs/authentik-importer.md lists them
// with the minors each was read from. Each test shows the rule deciding both ways.
import fs from 'node:fs';
import path from 'node:path';
import { AUTHENTIK_OWN_BLUEPRINTS, freshAuthentik, type AuthentikModel } from '../support/authentik-importer';
import { OWN_BLUEPRINTS } from '../support/authentik-own-blueprints';
import { applyOrders, errors, mounted, replayEveryOrder } from '../support/lifecycle';
import { readBlueprints } from '../../lib/previous/blueprints';
import { Find } from '../../lib/upstream/blueprint-tags';
import { ROOT } from '../support/helpers';

const HEAD = 'version: 1\nmetadata:\n  name: NAME\nentries:\n';
const FLOWS = `
  - model: authentik_flows.flow
    identifiers: { slug: auth }
    attrs: { name: a, title: a, designation: authorization }
  - model: authentik_flows.flow
    identifiers: { slug: out }
    attrs: { name: o, title: o, designation: invalidation }
`;
const provider = (clientId: string, name: string, extra = '') => `
  - model: authentik_providers_oauth2.oauth2provider
    id: provider
    identifiers: { client_id: ${clientId} }
    attrs:
      name: ${name}
      authorization_flow: !Find [authentik_flows.flow, [slug, auth]]
      invalidation_flow: !Find [authentik_flows.flow, [slug, out]]
${extra}`;

/** Apply one blueprint text as a file of its own (a new path each time); its error, or '' when it applied. */
let n = 0;
function apply(ak: AuthentikModel, entries: string): string {
  const p = `test/${n++}.yaml`;
  ak.discover(new Map([[p, HEAD.replace('NAME', p) + entries]]));
  return ak.instances.find((i) => i.path === p)!.error ?? '';
}
const model = () => {
  const ak = freshAuthentik();
  expect(apply(ak, FLOWS)).toBe('');
  return ak;
};

test('importer.py Importer._validate_single: state `created` runs the serializer on an existing object (an invalid entry fails), and then leaves it as it is', () => {
  const ak = model();
  expect(apply(ak, provider('grafana', 'Grafana'))).toBe('');
  const created = (name: string, flow: string) => `
  - model: authentik_providers_oauth2.oauth2provider
    state: created
    identifiers: { client_id: grafana }
    attrs: { name: ${name}, authorization_flow: !Find [authentik_flows.flow, [slug, ${flow}]] }
`;
  expect(apply(ak, created('Renamed', 'no-such-flow'))).toMatch(/authorization_flow: This field may not be null/);
  expect(apply(ak, created('Renamed', 'auth'))).toBe('');
  expect(ak.find('authentik_providers_oauth2.oauth2provider', { client_id: 'grafana' })?.fields.name).toBe('Grafana');
});

describe('rest_framework/validators.py UniqueTogetherValidator.__call__ on PolicyBinding (policy, target, order)', () => {
  const app = `
  - model: authentik_core.application
    id: app
    identifiers: { slug: wiki }
    attrs: { name: Wiki }
  - model: authentik_core.group
    id: a
    identifiers: { name: a }
  - model: authentik_core.group
    id: b
    identifiers: { name: b }
`;
  const binding = (kind: string, ref: string, order: number) => `
  - model: authentik_policies.policybinding
    identifiers: { ${kind}: ${ref}, target: !KeyOf app }
    attrs: { order: ${order} }
`;

  test('create: skipped when policy is None, so two group bindings may share a target and order', () => {
    const ak = freshAuthentik();
    expect(apply(ak, app + binding('group', '!KeyOf a', 0) + binding('group', '!KeyOf b', 0))).toBe('');
    expect(ak.all('authentik_policies.policybinding')).toHaveLength(2);
  });

  test('create: a second binding of the same policy, target and order is refused', () => {
    const ak = freshAuthentik();
    const policy = `
  - model: authentik_policies_expression.expressionpolicy
    id: p
    identifiers: { name: p }
    attrs: { expression: return True }
`;
    expect(apply(ak, app + policy + binding('policy', '!KeyOf p', 0))).toBe('');
    const again = `
  - model: authentik_policies.policybinding
    identifiers: { policy: !KeyOf p, target: !KeyOf app, negate: true }
    attrs: { order: 0 }
`;
    expect(apply(ak, app + policy + again)).toMatch(/policy, target, order must make a unique set/);
  });

  test('update: a changed order is checked with the unchanged policy None from the row, so it collides with any policy-less binding there', () => {
    const ak = freshAuthentik();
    expect(apply(ak, app + binding('group', '!KeyOf a', 0) + binding('group', '!KeyOf b', 1))).toBe('');
    // Unchanged: nothing to check.
    expect(apply(ak, app + binding('group', '!KeyOf b', 1))).toBe('');
    const move = `
  - model: authentik_policies.policybinding
    identifiers: { group: !KeyOf b, target: !KeyOf app }
    attrs: { order: 0 }
`;
    expect(apply(ak, app + move)).toMatch(/policy, target, order must make a unique set/);
  });
});

test('policies/api/bindings.py PolicyBindingSerializer.validate: exactly one of policy, group and user (a group `!Find` that found nothing leaves none)', () => {
  const ak = freshAuthentik();
  const binding = (group: string) => `
  - model: authentik_core.application
    id: app
    identifiers: { slug: wiki }
    attrs: { name: Wiki }
  - model: authentik_core.group
    identifiers: { name: a }
  - model: authentik_policies.policybinding
    identifiers: { group: !Find [authentik_core.group, [name, ${group}]], target: !KeyOf app }
    attrs: { order: 0 }
`;
  expect(apply(ak, binding('gone'))).toMatch(/exactly one of policy, group and user must be set \(got none\)/);
  expect(apply(ak, binding('a'))).toBe('');
});

describe('rest_framework/fields.py Field.validate_empty_values: null for a field with allow_null=False, on create and on update', () => {
  test('core/api/providers.py ProviderSerializer.Meta.extra_kwargs: a flow `!Find` that finds nothing fails an update too', () => {
    const ak = model();
    expect(apply(ak, provider('grafana', 'Grafana'))).toBe('');
    const update = `
  - model: authentik_providers_oauth2.oauth2provider
    identifiers: { client_id: grafana }
    attrs: { invalidation_flow: !Find [authentik_flows.flow, [slug, gone]] }
`;
    expect(apply(ak, update)).toMatch(/invalidation_flow: This field may not be null/);
  });

  test('providers/oauth2/models.py OAuth2Provider.client_secret (CharField, not null): an unset `!Env` fails the entry; a set one applies', () => {
    const ak = model();
    const secret = '      client_secret: !Env UA_SECRET\n';
    expect(apply(ak, provider('grafana', 'Grafana', secret))).toMatch(/client_secret: This field may not be null/);
    ak.env.UA_SECRET = 's3';
    expect(apply(ak, provider('grafana', 'Grafana', secret))).toBe('');
    delete ak.env.UA_SECRET;
    expect(apply(ak, provider('grafana', 'Grafana', secret))).toMatch(/client_secret: This field may not be null/);
    expect(ak.find('authentik_providers_oauth2.oauth2provider', { client_id: 'grafana' })?.fields.client_secret).toBe('s3');
  });

  test('core/api/tokens.py TokenSerializer.__init__ (blueprint context: key is a plain CharField): null and blank keys fail', () => {
    const ak = freshAuthentik();
    const token = (key: string) => `
  - model: authentik_core.user
    id: u
    identifiers: { username: bot }
  - model: authentik_core.token
    identifiers: { identifier: bot-password }
    attrs: { user: !KeyOf u, intent: app_password, key: ${key} }
`;
    expect(apply(ak, token('!Env UA_UNSET'))).toMatch(/key: This field may not be null/);
    expect(apply(ak, token("''"))).toMatch(/key: This field may not be blank/);
    expect(apply(ak, token('k1'))).toBe('');
  });
});

describe('rest_framework/validators.py UniqueValidator: a unique column of a base model spans all its subclasses', () => {
  test('policies/models.py Policy.name: an expression policy may not take a password policy’s name', () => {
    const ak = freshAuthentik();
    ak.create('authentik_policies_password.passwordpolicy', { name: 'strong' });
    const policy = (name: string) => `
  - model: authentik_policies_expression.expressionpolicy
    identifiers: { name: ${name} }
    attrs: { expression: return True }
`;
    expect(apply(ak, policy('strong'))).toMatch(/name: must be unique \(policies\/models\.py Policy\.name/);
    expect(apply(ak, policy('weak'))).toBe('');
  });

  test('core/models.py Provider.name: an OAuth2 provider may not take a proxy provider’s name', () => {
    const ak = model();
    ak.create('authentik_providers_proxy.proxyprovider', { name: 'Longhorn' });
    expect(apply(ak, provider('longhorn', 'Longhorn'))).toMatch(/name: must be unique \(core\/models\.py Provider\.name/);
    expect(apply(ak, provider('longhorn', 'Longhorn OIDC'))).toBe('');
  });

  test('core/models.py Application.provider (OneToOneField): a provider another application holds is refused', () => {
    const ak = model();
    const app = (slug: string) => `
  - model: authentik_core.application
    identifiers: { slug: ${slug} }
    attrs: { name: ${slug}, provider: !KeyOf provider }
`;
    expect(apply(ak, provider('grafana', 'Grafana') + app('grafana'))).toBe('');
    expect(apply(ak, provider('grafana', 'Grafana') + app('grafana-2'))).toMatch(/provider: must be unique/);
  });
});

describe('importer.py Importer._apply_models: an absent entry that raises is skipped (common.py check_all_conditions_match raises for a missing !KeyOf)', () => {
  const entry = (state: string) => `
  - model: authentik_core.group
    ${state}
    conditions: [!KeyOf nothing-before]
    identifiers: { name: admins }
`;
  test('absent: skipped, the file applies', () => {
    const ak = freshAuthentik();
    ak.create('authentik_core.group', { name: 'admins' });
    expect(apply(ak, entry('state: absent'))).toBe('');
    expect(ak.find('authentik_core.group', { name: 'admins' })).toBeDefined();
  });
  test('present: the file fails', () => {
    expect(apply(freshAuthentik(), entry(''))).toMatch(/KeyOf: failed to find entry with `id` of `nothing-before`/);
  });
});

describe('stand-ins for Authentik’s default and system blueprints (test/support/authentik-own-blueprints.ts)', () => {
  test('blueprints/v1/meta/apply_blueprint.py ApplyBlueprintMetaSerializer.create: meta-applying the authentication flow also applies the password-change flow it names', () => {
    const ak = freshAuthentik();
    const files = new Map(AUTHENTIK_OWN_BLUEPRINTS);
    ak.discover(files, { order: ['default/flow-default-authentication-flow.yaml', ...files.keys()] });
    expect(errors(ak)).toEqual([]);
    expect(ak.find('authentik_flows.flow', { slug: 'default-password-change' })).toBeDefined();
    expect(ak.find('authentik_stages_password.passwordstage', { name: 'default-authentication-password' })?.fields.configure_flow).toBe(
      ak.find('authentik_flows.flow', { slug: 'default-password-change' })!.pk,
    );
    expect(ak.all('authentik_flows.flowstagebinding')).toHaveLength(6);
    expect(ak.all('authentik_providers_oauth2.scopemapping')).toHaveLength(7);
  });

  test('every file the generated blueprints meta-apply, and every flow or scope mapping they `!Find`, has a stand-in', () => {
    const blueprints = readBlueprints(path.join(ROOT, 'dist'));
    const standIn = new Set(OWN_BLUEPRINTS.flatMap((b) => [`path:${b.path}`, `name:${b.name}`]));
    const ak = freshAuthentik();
    ak.discover(new Map(AUTHENTIK_OWN_BLUEPRINTS));
    const missing: string[] = [];
    const visit = (v: unknown): void => {
      if (v instanceof Find && /^authentik_(flows|providers_oauth2\.scopemapping)/.test(v.model)) {
        if (!ak.find(v.model, Object.fromEntries(v.query))) missing.push(`${v.model} ${JSON.stringify(v.query)}`);
      } else if (v && typeof v === 'object') Object.values(v).forEach(visit);
    };
    for (const e of blueprints.flatMap((b) => b.entries)) {
      const ids = (e.attrs as { identifiers?: Record<string, string> } | undefined)?.identifiers;
      if (e.model === 'authentik_blueprints.metaapplyblueprint' && ids?.path && !standIn.has(`path:${ids.path}`)) missing.push(ids.path);
      visit(e);
    }
    expect(blueprints.length).toBeGreaterThan(0);
    expect(missing).toEqual([]);
  });

  test('the stand-ins are data only: npm test never reads the real files (CI checks them: .ci/authentik-own-blueprints.cjs)', () => {
    const ci = fs.readFileSync(path.join(ROOT, '.ci/run'), 'utf8');
    expect(ci).toMatch(/node \.ci\/authentik-own-blueprints\.cjs "\$UPSTREAM\/authentik-src-2026\.2\.2\/blueprints"/);
  });
});

describe('blueprints/v1/tasks.py check_blueprint_v1_file: one apply task per changed file, run in no fixed order', () => {
  test('applyOrders: every permutation up to 5 files; 200 seeded, repeatable shuffles beyond', () => {
    expect(applyOrders(['a', 'b', 'c'])).toHaveLength(6);
    expect(new Set(applyOrders(['a', 'b', 'c', 'd', 'e']).map((o) => o.join()))).toHaveProperty('size', 120);
    const many = Array.from({ length: 9 }, (_x, i) => `f${i}`);
    expect(applyOrders(many)).toHaveLength(200);
    expect(applyOrders(many)).toEqual(applyOrders(many));
    expect(new Set(applyOrders(many).map((o) => o.join())).size).toBeGreaterThan(190);
  });

  test('replayEveryOrder: a file that `!Find`s what another file creates, without meta-applying it, fails in one order', () => {
    const ak = freshAuthentik();
    const files = new Map([
      ['a.yaml', HEAD.replace('NAME', 'a') + FLOWS],
      ['b.yaml', HEAD.replace('NAME', 'b') + provider('grafana', 'Grafana')],
    ]);
    const { orders, problems } = replayEveryOrder(ak, files);
    expect(orders).toBe(2);
    expect(problems).toEqual([
      expect.stringMatching(/^b\.yaml > a\.yaml: b\.yaml: .*authorization_flow: This field may not be null/),
      expect.stringMatching(/^b\.yaml > a\.yaml: a different database/),
    ]);
  });
});

describe('policies/engine.py PolicyEngine.compute_static_bindings: group bindings under policy_engine_mode all', () => {
  /** An application in mode all with two group bindings; a user in only the first group. */
  const setup = (minor: AuthentikModel['minor']) => {
    const ak = freshAuthentik();
    ak.minor = minor;
    const a = ak.create('authentik_core.group', { name: 'a' });
    const b = ak.create('authentik_core.group', { name: 'b' });
    const app = ak.create('authentik_core.application', { slug: 'wiki', name: 'Wiki', policy_engine_mode: 'all' });
    ak.create('authentik_policies.policybinding', { target: app.pk, group: a.pk, order: 0 });
    ak.create('authentik_policies.policybinding', { target: app.pk, group: b.pk, order: 1 });
    ak.create('authentik_core.user', { username: 'u', groups: [a.pk] });
    return ak;
  };
  test('2026.2: the static bindings make one result that passes when any of them passes', () => {
    expect(setup('2026.2').mayUse('u', 'wiki')).toBe(true);
  });
  test('2026.5 and 2026.8 (PR #20430): mode all needs every group binding', () => {
    expect(setup('2026.5').mayUse('u', 'wiki')).toBe(false);
    expect(setup('2026.8').mayUse('u', 'wiki')).toBe(false);
  });
});

describe('two apply tasks at once (tasks.py apply_blueprint on two workers): a row both insert', () => {
  const group = (name: string) => `
  - model: authentik_core.group
    identifiers: { name: ${name} }
`;
  const files = (a: string, b: string) =>
    new Map([
      ['a.yaml', HEAD.replace('NAME', 'a') + a],
      ['b.yaml', HEAD.replace('NAME', 'b') + b],
    ]);
  const concurrently = (minor: AuthentikModel['minor'], f: Map<string, string>) => {
    const ak = freshAuthentik();
    ak.minor = minor;
    ak.register(f);
    ak.applyConcurrently('a.yaml', 'b.yaml', f);
    return ak;
  };

  test('different rows: both files commit, each with its own changes', () => {
    const ak = concurrently('2026.5', files(group('x'), group('y')));
    expect(errors(ak)).toEqual([]);
    expect(ak.all('authentik_core.group').map((g) => g.fields.name)).toEqual(['x', 'y']);
  });

  test('importer.py Importer.apply (2026.2, 2026.5): the second insert of one group is an IntegrityError, the file rolls back; the next discovery applies it', () => {
    for (const minor of ['2026.2', '2026.5'] as const) {
      const f = files(group('x'), group('x') + group('z'));
      const ak = concurrently(minor, f);
      expect(errors(ak)).toEqual([expect.stringMatching(/^b\.yaml: IntegrityError/)]);
      expect(ak.find('authentik_core.group', { name: 'z' })).toBeUndefined();
      ak.discover(f);
      expect(errors(ak)).toEqual([]);
      expect(ak.all('authentik_core.group')).toHaveLength(2);
    }
  });

  test('importer.py Importer._save_with_retry (2026.8.0-rc1): the entry is validated again and saves onto the committed row', () => {
    const ak = concurrently('2026.8', files(group('x'), group('x') + group('z')));
    expect(errors(ak)).toEqual([]);
    expect(ak.all('authentik_core.group').map((g) => g.fields.name)).toEqual(['x', 'z']);
  });

  test('a fresh install: two provider files meta-apply the same default flows at once', () => {
    const dist = mounted(path.join(ROOT, 'dist'));
    // ArgoCD's and Grafana's OIDC shards (docs/oidc-shards.md).
    const [argocd, grafana] = ['/oidc-providers-15.yaml', '/oidc-providers-11.yaml'].map((f) =>
      [...dist.keys()].find((p) => p.endsWith(f))!,
    );
    const install = (minor: AuthentikModel['minor']) => {
      const ak = freshAuthentik();
      ak.minor = minor;
      for (const v of [
        'UA_OIDC_ARGOCD_CLIENT_SECRET',
        'UA_OIDC_GRAFANA_CLIENT_SECRET',
        'UA_OIDC_INFISICAL_CLIENT_SECRET',
        'UA_AGENT_K8S_AGENT_APP_PASSWORD',
      ])
        ak.env[v] = `${v}-value`;
      ak.register(dist);
      ak.applyConcurrently(argocd, grafana, dist);
      return ak;
    };
    const failed = (ak: AuthentikModel) => ak.instances.filter((i) => i.status === 'error').map((i) => `${i.path}: ${i.error}`);
    // 2026.2 and 2026.5: the second file fails on the first default object both created, and waits
    // for the next discovery (blueprints/v1/tasks.py: hourly, or a file event), which applies it.
    for (const minor of ['2026.2', '2026.5'] as const) {
      const ak = install(minor);
      expect(failed(ak)).toEqual([expect.stringMatching(/oidc-providers-11\.yaml: IntegrityError: duplicate key \(authentik_/)]);
      ak.discover(dist);
      expect(errors(ak)).toEqual([]);
    }
    const ak = install('2026.8');
    expect(failed(ak)).toEqual([]);
    expect(ak.find('authentik_providers_oauth2.oauth2provider', { client_id: 'grafana' })).toBeDefined();
  });
});
