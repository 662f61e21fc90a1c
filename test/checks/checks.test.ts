// Cross-system checks (lib/checks): each one passes on real output and fires when the output is
// tampered with the way a renderer bug would break it. Every tamper starts from a fresh render,
// and every finding must name both sides of the mismatch.
import path from 'node:path';
import yaml from 'js-yaml';
import { CHECKS, CheckError, findings, runChecks, type Check } from '../../lib/checks';
import { checkBlueprints } from '../../lib/checks/blueprints';
import { checkAuthentikHost } from '../../lib/checks/authentik-host';
import { checkBlueprintConfigMaps } from '../../lib/checks/blueprint-configmaps';
import { checkGroupReferences, grafanaPathGroups, policyCsvGroups } from '../../lib/checks/group-references';
import { checkIssuers } from '../../lib/checks/issuers';
import { checkCallbacks } from '../../lib/checks/callbacks';
import { checkGrafana } from '../../lib/checks/grafana';
import { checkForwardAuth } from '../../lib/checks/forward-auth';
import { checkEdge } from '../../lib/checks/edge';
import { checkPatterns } from '../../lib/checks/patterns';
import { checkRbac } from '../../lib/checks/rbac';
import { checkNoSecrets } from '../../lib/checks/secrets';
import { checkValueFiles } from '../../lib/checks/value-files';
import { checkSecretContract } from '../../lib/checks/secret-contract';
import { Find, KeyOf } from '../../lib/upstream/blueprint-tags';
import { accessExpression } from '../../lib/blueprints/access';
import type { BlueprintEntry } from '../../lib/upstream/blueprint-types';
import { render, type SynthResult } from '../../lib/output/render';
import { ClusterConfigSchema } from '../../lib/config/schema';
import type { ClusterConfigInput } from '../../lib/config/schema';
import { ROOT, defaultInput, doc, file, flagsForm, loadYamlFile, renderInput } from '../support/helpers';

const fresh = (edit?: (c: ClusterConfigInput) => void): SynthResult => {
  const input = defaultInput();
  edit?.(input);
  return renderInput(input);
};
const bp = (r: SynthResult, name: string) => r.blueprints.find((b) => b.name === `unified-auth-${name}`)!;
const entry = (r: SynthResult, name: string, pred: (e: BlueprintEntry) => boolean) => bp(r, name).entries.find(pred)!;
const env = (r: SynthResult) => doc(r, 'values/authentik.yaml').global.env as Array<{ name: string; value?: string }>;
const dropFile = (r: SynthResult, p: string) => {
  r.files = r.files.filter((f) => f.path !== p);
};
/** One finding of `check` containing every one of `parts`. */
const expectFinding = (check: Check, r: SynthResult, ...parts: string[]) => {
  const f = check(r);
  if (!f.some((line) => parts.every((p) => line.includes(p)))) {
    throw new Error(
      `${check.name}: no finding containing ${parts.map((p) => JSON.stringify(p)).join(' & ')}; findings:\n${f.join('\n') || '(none)'}`,
    );
  }
  return f;
};

const AUTH = 'https://auth.frank.derio.net';
const withPublic = (c: ClusterConfigInput) => {
  c.services.push({
    slug: 'status',
    name: 'Status page',
    host: 'status.frank.derio.net',
    public: { upstream: 'http://192.168.55.215:80' },
  });
};
const structured = (c: ClusterConfigInput) => {
  c.talos = { ...c.talos!, apiServerAuth: 'structured' };
};

describe('the real output passes every check', () => {
  const variants: Array<[string, () => SynthResult]> = [
    ['default config', () => fresh()],
    ['test/fixtures/other-cluster.yaml', () => renderInput(loadYamlFile(path.join(ROOT, 'test/fixtures/other-cluster.yaml')))],
    [
      'structured apiserver auth, two agents',
      () =>
        fresh((c) => {
          structured(c);
          c.services.push({ slug: 'ci-agent', name: 'CI agent', agent: { group: 'root-agents' } });
        }),
    ],
    [
      'a public service, no outpost management, a groups prefix',
      () =>
        fresh((c) => {
          withPublic(c);
          c.authentik.outpost = { manageProviders: false };
          c.kubernetes = { ...c.kubernetes, groupsPrefix: 'oidc:' };
        }),
    ],
    [
      'no agent, no grafana, no argocd',
      () =>
        fresh((c) => {
          c.services = c.services.filter((s) => !s.agent && s.oidc?.consumer !== 'grafana' && s.oidc?.consumer !== 'argocd');
          c.groups = c.groups.filter((g) => g.members !== 'agents');
        }),
    ],
  ];
  test.each(variants)('%s', (_name, make) => {
    const r = make();
    expect(findings(r)).toEqual([]);
    expect(() => runChecks(r)).not.toThrow();
  });

  test('CHECKS holds every check, blueprint validation first and the secret scan too', () => {
    expect(CHECKS[0]).toBe(checkBlueprints);
    for (const c of [
      checkBlueprintConfigMaps,
      checkValueFiles,
      checkAuthentikHost,
      checkGroupReferences,
      checkIssuers,
      checkCallbacks,
      checkGrafana,
      checkForwardAuth,
      checkEdge,
      checkPatterns,
      checkRbac,
      checkNoSecrets,
    ]) {
      expect(CHECKS).toContain(c);
    }
  });

  test('runChecks throws a CheckError with every finding; a check that crashes is a finding too', () => {
    const r = fresh();
    const boom: Check = function boom() {
      throw new Error('unexpected shape');
    };
    const failing: Check = () => ['one', 'two'];
    try {
      runChecks(r, [failing, boom]);
      throw new Error('no CheckError');
    } catch (e) {
      expect(e).toBeInstanceOf(CheckError);
      expect((e as CheckError).findings).toEqual(['one', 'two', 'boom could not read the rendered output: unexpected shape']);
    }
  });
});

describe('checkValueFiles: the paths the Applications read are rendered', () => {
  test('a $values file that is not rendered', () => {
    const r = fresh();
    dropFile(r, 'values/argocd.yaml');
    expectFinding(
      checkValueFiles,
      r,
      'apps/application-argocd.yaml',
      'value file "$values/dist/values/argocd.yaml" is neither a rendered file',
    );
  });

  test('a value file through a ref no source defines', () => {
    const r = fresh();
    const app = doc(r, 'apps/application-authentik.yaml');
    app.spec.sources[1].ref = 'vals';
    expectFinding(
      checkValueFiles,
      r,
      'apps/application-authentik.yaml',
      'uses ref "$values"',
      'no source of https://github.com/derio-net/frank.git has ref "values"',
    );
  });

  test('a directory source with nothing rendered under it', () => {
    const r = fresh();
    r.files = r.files.filter((f) => !f.path.startsWith('authentik-extras/'));
    expectFinding(
      checkValueFiles,
      r,
      'apps/application-authentik-extras.yaml',
      'source path "dist/authentik-extras" holds no rendered file',
    );
  });
});

describe('checkAuthentikHost: AUTHENTIK_HOST and the embedded outpost', () => {
  test('AUTHENTIK_HOST missing from global.env', () => {
    const r = fresh();
    doc(r, 'values/authentik.yaml').global.env = env(r).filter((e) => e.name !== 'AUTHENTIK_HOST');
    expectFinding(checkAuthentikHost, r, 'values/authentik.yaml', 'no AUTHENTIK_HOST', AUTH);
  });

  test('AUTHENTIK_HOST over plain http', () => {
    const r = fresh();
    env(r).find((e) => e.name === 'AUTHENTIK_HOST')!.value = 'http://auth.frank.derio.net';
    expectFinding(checkAuthentikHost, r, '"http://auth.frank.derio.net"', 'not an https:// URL', AUTH);
  });

  test('AUTHENTIK_HOST differs from the model URL', () => {
    const r = fresh();
    env(r).find((e) => e.name === 'AUTHENTIK_HOST')!.value = 'https://sso.frank.derio.net';
    expectFinding(checkAuthentikHost, r, 'AUTHENTIK_HOST "https://sso.frank.derio.net"', `model's Authentik URL "${AUTH}"`);
  });

  test.each(['authentik_host', 'authentik_host_browser'])('outpost config.%s differs from AUTHENTIK_HOST', (field) => {
    const r = fresh();
    const outpost = entry(r, 'proxy-providers', (e) => e.model === 'authentik_outposts.outpost');
    (outpost.attrs!.config as any)[field] = 'http://0.0.0.0:9000';
    expectFinding(checkAuthentikHost, r, 'proxy-providers.yaml', `config.${field} "http://0.0.0.0:9000"`, `AUTHENTIK_HOST "${AUTH}"`);
  });

  test('no outpost entry although there are forward-auth services', () => {
    const r = fresh();
    const proxy = bp(r, 'proxy-providers');
    proxy.entries = proxy.entries.filter((e) => e.model !== 'authentik_outposts.outpost');
    expectFinding(checkAuthentikHost, r, 'embedded outpost', 'goauthentik.io/outposts/embedded', AUTH);
  });
});

describe('checkBlueprintConfigMaps: blueprints.configMaps equals the emitted ConfigMaps', () => {
  test('an emitted ConfigMap missing from the list', () => {
    const r = fresh();
    const v = doc(r, 'values/authentik.yaml');
    v.blueprints.configMaps = v.blueprints.configMaps.filter((n: string) => n !== 'authentik-blueprint-oidc-providers-11');
    expectFinding(
      checkBlueprintConfigMaps,
      r,
      '"authentik-blueprint-oidc-providers-11"',
      'authentik-extras/',
      'not in values/authentik.yaml blueprints.configMaps',
    );
  });

  test('a listed ConfigMap that is not emitted', () => {
    const r = fresh();
    doc(r, 'values/authentik.yaml').blueprints.configMaps.push('authentik-blueprint-oidc-providers-1');
    expectFinding(
      checkBlueprintConfigMaps,
      r,
      'lists "authentik-blueprint-oidc-providers-1"',
      'no blueprint ConfigMap of that name is emitted in authentik-extras/',
    );
  });

  test('a ConfigMap file dropped from the output', () => {
    const r = fresh();
    dropFile(r, 'authentik-extras/configmap-authentik-blueprint-groups.yaml');
    expectFinding(checkBlueprintConfigMaps, r, 'lists "authentik-blueprint-groups"', 'no blueprint ConfigMap');
    expectFinding(checkBlueprintConfigMaps, r, 'blueprint unified-auth-groups', 'no ConfigMap "authentik-blueprint-groups"');
  });

  test('a data key that does not end in .yaml', () => {
    const r = fresh();
    const cm = doc(r, 'authentik-extras/configmap-authentik-blueprint-groups.yaml');
    cm.data = { 'groups.yml': cm.data['groups.yaml'] };
    expectFinding(
      checkBlueprintConfigMaps,
      r,
      'configmap-authentik-blueprint-groups.yaml',
      'data key "groups.yml"',
      'does not end in .yaml',
    );
  });

  test('ConfigMap data that is not the rendering of the blueprint the checks read', () => {
    const r = fresh();
    bp(r, 'groups').entries.pop();
    expectFinding(checkBlueprintConfigMaps, r, 'data key "groups.yaml"', 'not the rendering of blueprint unified-auth-groups');
  });

  test('a blueprint ConfigMap outside the Authentik namespace', () => {
    const r = fresh();
    doc(r, 'authentik-extras/configmap-authentik-blueprint-groups.yaml').metadata.namespace = 'default';
    expectFinding(checkBlueprintConfigMaps, r, 'namespace "default"', 'not Authentik\'s "authentik"');
  });
});

describe('checkGroupReferences: every referenced group exists in the groups blueprint', () => {
  test('parsers: policy.csv g lines and Grafana contains() clauses', () => {
    expect(policyCsvGroups('p, role:x, *, *, *, allow\ng, a-b, role:admin\n g ,c, role:readonly\n')).toEqual(['a-b', 'c']);
    expect(grafanaPathGroups("contains(groups[*], 'x') && 'Admin' || contains(groups[*], 'it\\'s') && 'Editor' || 'Viewer'")).toEqual([
      'x',
      "it's",
    ]);
  });

  test('ArgoCD policy.csv', () => {
    const r = fresh();
    doc(r, 'values/argocd.yaml').configs.rbac['policy.csv'] += 'g, root-ops, role:admin\n';
    expectFinding(
      checkGroupReferences,
      r,
      'values/argocd.yaml policy.csv',
      'group "root-ops"',
      'groups blueprint (groups.yaml)',
      '"root-admins"',
    );
  });

  test('Grafana role_attribute_path', () => {
    const r = fresh();
    const ini = doc(r, 'values/grafana.yaml').grafana['grafana.ini']['auth.generic_oauth'];
    ini.role_attribute_path = ini.role_attribute_path.replace("'root-devops'", "'root-devs'");
    expectFinding(checkGroupReferences, r, 'values/grafana.yaml role_attribute_path', 'group "root-devs"', 'groups blueprint');
  });

  test('ClusterRoleBinding Group subject', () => {
    const r = fresh();
    doc(r, 'authentik-extras/clusterrolebinding-authentik-root-developers.view.yaml').subjects[0].name = 'root-developer';
    expectFinding(checkGroupReferences, r, 'clusterrolebinding-authentik-root-developers.view.yaml subject', 'group "root-developer"');
  });

  test('policybinding !Find', () => {
    const r = fresh();
    const binding = entry(r, 'proxy-providers', (e) => e.model === 'authentik_policies.policybinding');
    binding.identifiers.group = new Find('authentik_core.group', ['name', 'admins']);
    expectFinding(checkGroupReferences, r, 'proxy-providers.yaml', 'authentik_policies.policybinding', 'group "admins"');
  });

  test('the groups an access policy expression names; an expression not in our shape is a finding too', () => {
    const r = fresh();
    const policy = entry(r, 'proxy-providers', (e) => e.model === 'authentik_policies_expression.expressionpolicy');
    policy.attrs!.expression = accessExpression(['root-admins', 'admins']);
    expectFinding(checkGroupReferences, r, 'proxy-providers.yaml', 'access policy unified-auth access longhorn', 'group "admins"');
    policy.attrs!.expression = 'return True';
    expectFinding(checkGroupReferences, r, 'access policy unified-auth access longhorn', '(unreadable expression)');
  });

  test("the agent service account's groups", () => {
    const r = fresh();
    const user = entry(r, 'agent-auth', (e) => e.model === 'authentik_core.user');
    user.attrs!.groups = [new Find('authentik_core.group', ['name', 'agents'])];
    expectFinding(checkGroupReferences, r, 'agent-auth.yaml', 'authentik_core.user', 'group "agents"');
  });

  test('a group dropped from the groups blueprint', () => {
    const r = fresh();
    const groups = bp(r, 'groups');
    groups.entries = groups.entries.filter((e) => e.identifiers.name !== 'root-devops');
    const f = checkGroupReferences(r);
    for (const from of [
      'policy.csv',
      'role_attribute_path',
      'clusterrolebinding-authentik-root-devops.admin.yaml',
      'proxy-providers.yaml',
      'model longhorn.allowedGroups',
    ]) {
      expect(f.some((l) => l.includes(from) && l.includes('"root-devops"'))).toBe(true);
    }
  });
});

describe('checkIssuers: consumers trust exactly the provider issuer', () => {
  const argocdIssuer = `${AUTH}/application/o/argocd/`;
  const agentIssuer = `${AUTH}/application/o/k8s-agent/`;

  test('ArgoCD oidc.config without the trailing slash', () => {
    const r = fresh();
    const cm = doc(r, 'values/argocd.yaml').configs.cm;
    cm['oidc.config'] = cm['oidc.config'].replace(argocdIssuer, `${AUTH}/application/o/argocd`);
    expectFinding(checkIssuers, r, 'values/argocd.yaml oidc.config', `"${AUTH}/application/o/argocd"`, `"${argocdIssuer}"`);
  });

  test('ArgoCD oidc.config clientID differs from the provider', () => {
    const r = fresh();
    const cm = doc(r, 'values/argocd.yaml').configs.cm;
    cm['oidc.config'] = cm['oidc.config'].replace('clientID: argocd', 'clientID: argo-cd');
    expectFinding(checkIssuers, r, 'clientID "argo-cd"', 'client_id "argocd"');
  });

  test('the model issuer differs from the blueprint (application slug)', () => {
    const r = fresh();
    entry(r, 'oidc-providers-15', (e) => e.model === 'authentik_core.application').identifiers.slug = 'argo';
    expectFinding(checkIssuers, r, `"${argocdIssuer}"`, `"${AUTH}/application/o/argo/"`);
  });

  test('Talos flags: oidc-issuer-url differs', () => {
    const r = fresh(flagsForm);
    doc(r, 'talos/apiserver-oidc.yaml').cluster.apiServer.extraArgs['oidc-issuer-url'] = `${AUTH}/application/o/k8s-agents/`;
    expectFinding(checkIssuers, r, 'talos/apiserver-oidc.yaml', `"${AUTH}/application/o/k8s-agents/"`, `"${agentIssuer}"`);
  });

  test('Talos flags: oidc-client-id differs', () => {
    const r = fresh(flagsForm);
    doc(r, 'talos/apiserver-oidc.yaml').cluster.apiServer.extraArgs['oidc-client-id'] = 'kubernetes';
    expectFinding(checkIssuers, r, 'talos/apiserver-oidc.yaml', '"kubernetes"', 'client_id is "k8s-agent"');
  });

  test('the Omni ConfigPatch carries a different issuer than the agent', () => {
    const r = fresh();
    const omni = doc(r, 'talos/omni-configpatch-apiserver-oidc.yaml');
    omni.spec.data = omni.spec.data.replace(agentIssuer, `${AUTH}/application/o/k8s-agent`);
    expectFinding(checkIssuers, r, 'talos/omni-configpatch-apiserver-oidc.yaml', `"${AUTH}/application/o/k8s-agent"`, `"${agentIssuer}"`);
  });

  test('Talos structured: AuthenticationConfiguration jwt issuer inside machine.files content', () => {
    const r = fresh(structured);
    const f = doc(r, 'talos/apiserver-oidc.yaml').machine.files[0];
    expect(checkIssuers(r)).toEqual([]);
    f.content = f.content.replace(agentIssuer, 'https://auth.frank.derio.net/application/o/k8s-agent');
    expectFinding(
      checkIssuers,
      r,
      'talos/apiserver-oidc.yaml',
      '"https://auth.frank.derio.net/application/o/k8s-agent"',
      `"${agentIssuer}"`,
    );
  });

  test('kubeconfig --oidc-issuer-url differs', () => {
    const r = fresh();
    const user = doc(r, 'kubeconfig/agent.yaml').users[0].user.exec;
    user.args[1] = user.args[1].replace(agentIssuer, `${AUTH}/application/o/kubernetes/`);
    expectFinding(
      checkIssuers,
      r,
      'kubeconfig/agent.yaml user k8s-agent --oidc-issuer-url',
      `"${AUTH}/application/o/kubernetes/"`,
      `"${agentIssuer}"`,
    );
  });

  test('consumer files are required exactly when the model has the consumer', () => {
    const r = fresh();
    dropFile(r, 'talos/apiserver-oidc.yaml');
    dropFile(r, 'kubeconfig/agent.yaml');
    dropFile(r, 'values/argocd.yaml');
    expectFinding(checkIssuers, r, 'talos/apiserver-oidc.yaml is missing', '"k8s-agent"');
    expectFinding(checkIssuers, r, 'kubeconfig/agent.yaml is missing', '"k8s-agent"');
    expectFinding(checkIssuers, r, 'values/argocd.yaml is missing', 'argocd OIDC app "argocd"');

    const none = fresh((c) => {
      flagsForm(c);
      c.services = c.services.filter((s) => !s.agent);
      c.groups = c.groups.filter((g) => g.members !== 'agents');
    });
    expect(none.files.some((f) => f.path.startsWith('talos/') || f.path.startsWith('kubeconfig/'))).toBe(false);
    expect(checkIssuers(none)).toEqual([]);
  });

  test('without an ArgoCD OIDC app, values/argocd.yaml stays but must not configure OIDC', () => {
    const r = fresh((c) => {
      c.services = c.services.filter((s) => s.oidc?.consumer !== 'argocd');
    });
    expect(checkIssuers(r)).toEqual([]);
    doc(r, 'values/argocd.yaml').configs.cm = { 'oidc.config': `issuer: ${argocdIssuer}\n` };
    expectFinding(checkIssuers, r, 'values/argocd.yaml configures oidc.config', 'no argocd OIDC app');
  });
});

describe('checkCallbacks: the consumer callback is among the redirect_uris', () => {
  test('kubectl client: both kubelogin loopback callbacks, and a public client', () => {
    const r = fresh();
    const p = entry(r, 'provider-kubernetes', (e) => e.model === 'authentik_providers_oauth2.oauth2provider');
    p.attrs!.redirect_uris = [{ matching_mode: 'strict', url: 'http://localhost:8000' }];
    p.attrs!.client_type = 'confidential';
    expectFinding(checkCallbacks, r, 'callback "http://localhost:18000"', 'kubectl client "kubernetes"');
    expectFinding(checkCallbacks, r, 'kubectl client "kubernetes"', '"confidential"', 'must be public');
  });

  test('ArgoCD configs.cm.url on another host', () => {
    const r = fresh();
    doc(r, 'values/argocd.yaml').configs.cm.url = 'https://cd.frank.derio.net';
    expectFinding(
      checkCallbacks,
      r,
      'values/argocd.yaml configs.cm.url + /auth/callback = "https://cd.frank.derio.net/auth/callback"',
      '"https://argocd.frank.derio.net/auth/callback"',
      'oidc-providers-15.yaml',
    );
  });

  test('Grafana root_url under a sub-path', () => {
    const r = fresh();
    doc(r, 'values/grafana.yaml').grafana['grafana.ini'].server.root_url = 'https://grafana.frank.derio.net/grafana';
    expectFinding(
      checkCallbacks,
      r,
      '"https://grafana.frank.derio.net/grafana/login/generic_oauth"',
      '"https://grafana.frank.derio.net/login/generic_oauth"',
    );
  });

  test('a provider whose redirect_uris lost the callback', () => {
    const r = fresh();
    entry(r, 'oidc-providers-5', (e) => e.model === 'authentik_providers_oauth2.oauth2provider').attrs!.redirect_uris = [
      { matching_mode: 'strict', url: 'https://infisical.frank.derio.net/callback' },
    ];
    expectFinding(
      checkCallbacks,
      r,
      '"https://infisical.frank.derio.net/api/v1/sso/oidc/callback"',
      '"https://infisical.frank.derio.net/callback"',
      'oidc-providers-5.yaml',
    );
  });

  test('a regex redirect URI admits the callback', () => {
    const r = fresh();
    entry(r, 'oidc-providers-11', (e) => e.model === 'authentik_providers_oauth2.oauth2provider').attrs!.redirect_uris = [
      { matching_mode: 'regex', url: '^https://grafana\\.frank\\.derio\\.net/.*$' },
    ];
    expect(checkCallbacks(r)).toEqual([]);
  });

  test('an agent provider that allows browser redirects', () => {
    const r = fresh();
    entry(r, 'agent-auth', (e) => e.model === 'authentik_providers_oauth2.oauth2provider').attrs!.redirect_uris = [
      { matching_mode: 'strict', url: 'http://localhost:8000/callback' },
    ];
    expectFinding(checkCallbacks, r, 'agent provider "k8s-agent"', '"http://localhost:8000/callback"');
  });
});

describe('checkGrafana: $__env{X} is the key of the envFromSecret Secret', () => {
  test('client_secret reads a variable the Secret does not provide', () => {
    const r = fresh();
    doc(r, 'values/grafana.yaml').grafana['grafana.ini']['auth.generic_oauth'].client_secret = '$__env{client_secret}';
    expectFinding(checkGrafana, r, '$__env{client_secret}', 'envFromSecret "grafana-oidc-secret"', '"GF_AUTH_GENERIC_OAUTH_CLIENT_SECRET"');
  });

  test('envFromSecret names another Secret', () => {
    const r = fresh();
    doc(r, 'values/grafana.yaml').grafana.envFromSecret = 'grafana-secrets';
    expectFinding(checkGrafana, r, 'envFromSecret "grafana-secrets"', 'Secret "grafana-oidc-secret"');
  });

  test('a client_secret that is not an env reference', () => {
    const r = fresh();
    doc(r, 'values/grafana.yaml').grafana['grafana.ini']['auth.generic_oauth'].client_secret = 'GF_AUTH_GENERIC_OAUTH_CLIENT_SECRET';
    expectFinding(
      checkGrafana,
      r,
      'client_secret "GF_AUTH_GENERIC_OAUTH_CLIENT_SECRET" is not a $__env{...} reference',
      'grafana-oidc-secret',
    );
  });

  test('token_url of another server, client_id of another provider', () => {
    const r = fresh();
    const ini = doc(r, 'values/grafana.yaml').grafana['grafana.ini']['auth.generic_oauth'];
    ini.token_url = 'https://grafana.frank.derio.net/token';
    ini.client_id = 'grafana-oidc';
    expectFinding(checkGrafana, r, 'token_url "https://grafana.frank.derio.net/token"', `"${AUTH}/application/o/token/"`);
    expectFinding(checkGrafana, r, 'client_id "grafana-oidc"', 'client_id "grafana"');
  });

  test('values/grafana.yaml missing while the model has a grafana app; absent and not needed without one', () => {
    const r = fresh();
    dropFile(r, 'values/grafana.yaml');
    expectFinding(checkGrafana, r, 'values/grafana.yaml is missing', 'grafana OIDC app "grafana"');
    const none = fresh((c) => {
      c.services = c.services.filter((s) => s.oidc?.consumer !== 'grafana');
    });
    expect(none.files.some((f) => f.path === 'values/grafana.yaml')).toBe(false);
    expect(checkGrafana(none)).toEqual([]);
  });
});

describe('checkForwardAuth: provider and outpost slot for every forward-auth service', () => {
  const outpost = (r: SynthResult) => entry(r, 'proxy-providers', (e) => e.model === 'authentik_outposts.outpost');

  test('a provider left out of the outpost', () => {
    const r = fresh();
    outpost(r).attrs!.providers = [new KeyOf('provider-longhorn'), new KeyOf('provider-sympozium')];
    expectFinding(
      checkForwardAuth,
      r,
      '"hubble forward auth" of hubble',
      "not in the embedded outpost's providers",
      'hubble.frank.derio.net',
    );
  });

  test('no proxy provider for the service host', () => {
    const r = fresh();
    entry(r, 'proxy-providers', (e) => e.id === 'provider-sympozium').attrs!.external_host = 'https://sympozium.example.org';
    expectFinding(checkForwardAuth, r, 'forward-auth service sympozium (https://sympozium.frank.derio.net)', 'no proxy provider');
  });

  test('outpost management opted out: no providers list expected, and setting one is a finding', () => {
    const r = fresh((c) => {
      c.authentik.outpost = { manageProviders: false };
    });
    expect(checkForwardAuth(r)).toEqual([]);
    outpost(r).attrs!.providers = [new KeyOf('provider-longhorn')];
    expectFinding(checkForwardAuth, r, 'outpost management is opted out', 'sets providers');
  });
});

describe('checkEdge (traefik-file): routes, middleware, backends as rendered', () => {
  test('a router without the Authentik middleware', () => {
    const r = fresh();
    delete doc(r, 'traefik/authentik.yaml').http.routers.longhorn.middlewares;
    expectFinding(checkEdge, r, 'traefik/authentik.yaml router "longhorn"', 'longhorn.frank.derio.net', '"authentik"', 'open to anyone');
  });

  test('no router at all, and the middleware forwarding to the public host', () => {
    const r = fresh();
    const t = doc(r, 'traefik/authentik.yaml');
    delete t.http.routers.hubble;
    t.http.middlewares.authentik.forwardAuth.address = `${AUTH}/outpost.goauthentik.io/auth/traefik`;
    expectFinding(checkEdge, r, 'no route for forward-auth service hubble', 'Host(`hubble.frank.derio.net`)');
    expectFinding(
      checkEdge,
      r,
      'middleware "authentik"',
      `"${AUTH}/outpost.goauthentik.io/auth/traefik"`,
      '"http://192.168.55.211:9000/outpost.goauthentik.io/auth/traefik"',
    );
  });

  test('a router sending to another upstream', () => {
    const r = fresh();
    doc(r, 'traefik/authentik.yaml').http.services.longhorn.loadBalancer.servers[0].url = 'http://192.168.55.299:80';
    expectFinding(checkEdge, r, 'router "longhorn"', '"http://192.168.55.299:80"', '"http://192.168.55.212:80"');
  });

  test('a protected router for a host with no proxy provider', () => {
    const r = fresh();
    doc(r, 'traefik/authentik.yaml').http.routers.argocd = {
      rule: 'Host(`argocd.frank.derio.net`)',
      service: 'longhorn',
      middlewares: ['authentik@file'],
    };
    expectFinding(
      checkEdge,
      r,
      'router "argocd"',
      'argocd.frank.derio.net',
      'no proxy provider has external_host https://argocd.frank.derio.net',
    );
  });

  test('traefik/authentik.yaml missing', () => {
    const r = fresh();
    dropFile(r, 'traefik/authentik.yaml');
    expectFinding(checkEdge, r, 'traefik/authentik.yaml is missing', '"longhorn", "hubble", "sympozium"');
  });
});

describe('checkPatterns: one pattern per service; public means public everywhere', () => {
  test('a slug with two patterns in the model', () => {
    const r = fresh();
    r.model.proxyApps.push({ ...r.model.proxyApps[0], slug: 'grafana' });
    expectFinding(checkPatterns, r, 'service grafana has 2 integration patterns', 'oidc, forwardAuth');
  });

  test('a public service: ACCESS.md says public; an Authentik application or an auth middleware for it is a finding', () => {
    const r = fresh(withPublic);
    expect(checkPatterns(r)).toEqual([]);
    const row = file(r, 'docs/ACCESS.md')
      .text.split('\n')
      .find((l) => l.includes('status.frank.derio.net'));
    expect(row).toMatch(/public/);

    const access = file(r, 'docs/ACCESS.md');
    access.text = access.text
      .split('\n')
      .map((l) => (l.includes('status.frank.derio.net') ? l.replace(/public[^|]*/i, 'forward auth') : l))
      .join('\n');
    expectFinding(checkPatterns, r, 'docs/ACCESS.md', 'status (status.frank.derio.net) is public');

    doc(r, 'traefik/authentik.yaml').http.routers.status.middlewares = ['authentik'];
    expectFinding(checkPatterns, r, 'router "status"', 'public service status behind Authentik');

    bp(r, 'proxy-providers').entries.push({
      model: 'authentik_core.application',
      identifiers: { slug: 'status' },
      attrs: { name: 'Status' },
    });
    expectFinding(checkPatterns, r, 'proxy-providers.yaml', 'public service status has an Authentik application');
  });

  test('an application that belongs to no service', () => {
    const r = fresh();
    bp(r, 'groups').entries.push({ model: 'authentik_core.application', identifiers: { slug: 'gitea' }, attrs: { name: 'Gitea' } });
    expectFinding(checkPatterns, r, 'groups.yaml', 'application "gitea" belongs to no oidc, forwardAuth, agent or kubectl service');
  });
});

describe('checkRbac: every ClusterRoleBinding can match a token', () => {
  const kubectlProvider = (r: SynthResult) =>
    entry(r, 'provider-kubernetes', (e) => e.model === 'authentik_providers_oauth2.oauth2provider');
  const people = ['root-admins.cluster-admin', 'root-devops.admin', 'root-developers.view'];

  test('people bindings match: a trusted people client maps the groups claim and admits each group', () => {
    expect(checkRbac(fresh())).toEqual([]);
    // Without the profile scope mapping the token carries no groups claim.
    const r = fresh();
    const p = kubectlProvider(r);
    p.attrs!.property_mappings = (p.attrs!.property_mappings as Find[]).filter((f) => !f.query[0][1].endsWith('scope-profile'));
    for (const b of people) expectFinding(checkRbac, r, `clusterrolebinding-authentik-${b}.yaml`, 'people group', 'never matches');
  });

  test('people bindings: the apiserver does not trust the people issuer', () => {
    const r = fresh();
    const f = doc(r, 'talos/apiserver-oidc.yaml').machine.files[0];
    const cfg: any = yaml.load(f.content);
    cfg.jwt = cfg.jwt.filter((j: any) => !j.issuer.url.endsWith('/kubernetes/'));
    f.content = yaml.dump(cfg);
    expectFinding(
      checkRbac,
      r,
      'clusterrolebinding-authentik-root-admins.cluster-admin.yaml',
      'no OIDC client whose issuer talos/apiserver-oidc.yaml trusts',
    );
  });

  test('people bindings: the people application does not admit the group', () => {
    const r = fresh();
    const b = bp(r, 'provider-kubernetes');
    // The access policy no longer names root-developers.
    const policy = b.entries.find((e) => e.model === 'authentik_policies_expression.expressionpolicy')!;
    policy.attrs!.expression = accessExpression(['root-admins', 'root-devops']);
    const f = expectFinding(
      checkRbac,
      r,
      'clusterrolebinding-authentik-root-developers.view.yaml',
      'people group "root-developers"',
      'admits that group',
    );
    expect(f.filter((l) => l.includes('people group'))).toHaveLength(1);
  });

  test('the agent service account is not in its group', () => {
    const r = fresh();
    entry(r, 'agent-auth', (e) => e.model === 'authentik_core.user').attrs!.groups = [];
    expectFinding(
      checkRbac,
      r,
      'clusterrolebinding-authentik-root-agents.cluster-admin.yaml',
      'cluster-admin',
      'agents group "root-agents"',
      'never matches',
    );
    expectFinding(checkRbac, r, 'service account "k8s-agent"', 'not a member of its group "root-agents"');
  });

  test('an agents group no agent account joins', () => {
    const r = fresh();
    r.model.groups.find((g) => g.name === 'root-devops')!.members = 'agents';
    expectFinding(checkRbac, r, 'clusterrolebinding-authentik-root-devops.admin.yaml', 'agents group "root-devops"', 'members: (none)');
  });

  test('a Group subject without the groups prefix', () => {
    const r = fresh((c) => {
      c.kubernetes = { ...c.kubernetes, groupsPrefix: 'oidc:' };
    });
    expect(checkRbac(r)).toEqual([]);
    doc(r, 'authentik-extras/clusterrolebinding-authentik-root-admins.cluster-admin.yaml').subjects[0].name = 'root-admins';
    expectFinding(
      checkRbac,
      r,
      'clusterrolebinding-authentik-root-admins.cluster-admin.yaml',
      'Group subject "root-admins"',
      'groups prefix "oidc:"',
      '"oidc:root-admins"',
    );
  });

  test('the apiserver adds another groups prefix or reads another claim than the bindings expect', () => {
    const r = fresh(flagsForm);
    const args = doc(r, 'talos/apiserver-oidc.yaml').cluster.apiServer.extraArgs;
    args['oidc-groups-prefix'] = 'authentik:';
    args['oidc-groups-claim'] = 'roles';
    expectFinding(checkRbac, r, 'talos/apiserver-oidc.yaml', 'prefix groups with "authentik:"', 'expect ""');
    expectFinding(checkRbac, r, 'talos/apiserver-oidc.yaml', 'claim "roles"', 'groups claim is "groups"');
  });

  test('structured form: the claimMappings groups prefix differs', () => {
    const r = fresh(structured);
    const f = doc(r, 'talos/apiserver-oidc.yaml').machine.files[0];
    const cfg: any = yaml.load(f.content);
    cfg.jwt[0].claimMappings.groups.prefix = 'oidc:';
    f.content = yaml.dump(cfg);
    expectFinding(checkRbac, r, 'talos/apiserver-oidc.yaml', 'prefix groups with "oidc:"', 'expect ""');
  });
});

describe('checkSecretContract: one value per key of the Authentik Secret', () => {
  test("least privilege: a client secret in global.env reaches the server; PostgreSQL mounting Authentik's Secret", () => {
    const r = fresh();
    const values = doc(r, 'values/authentik.yaml');
    values.global.env.push(values.worker.env.find((e: any) => e.name === 'UA_OIDC_ARGOCD_CLIENT_SECRET'));
    values.postgresql.auth.existingSecret = 'authentik-secrets';
    expectFinding(
      checkSecretContract,
      r,
      'global.env UA_OIDC_ARGOCD_CLIENT_SECRET',
      'authentik-secrets/argocd_client_secret',
      'only the worker needs it',
    );
    expectFinding(checkSecretContract, r, 'postgresql.auth.existingSecret "authentik-secrets"', 'mounts that Secret whole');
  });

  test("the signing key under a client secret's key", () => {
    const input = defaultInput();
    input.authentik.secret = { ...input.authentik.secret, secretKey: 'grafana_client_secret' };
    // Validation refuses the collision (lib/model/derived-names.ts); the check is the second line of defence.
    expect(() => renderInput(input)).toThrow(/derives the key of Authentik's Secret .*"grafana_client_secret"/);
    expectFinding(
      checkSecretContract,
      render(ClusterConfigSchema.parse(input)),
      'key "grafana_client_secret"',
      'AUTHENTIK_SECRET_KEY',
      'the grafana client secret',
    );
  });
  test('the default config has none', () => expect(checkSecretContract(renderInput(defaultInput()))).toEqual([]));
  test("a consumer's default Secret that is Authentik's own", () => {
    const input = defaultInput();
    input.argocd.namespace = 'authentik';
    input.authentik.secret = { ...input.authentik.secret, name: 'argocd-oidc-secret' };
    input.authentik.namespace = 'authentik';
    // (validation refuses the shared namespace; the check is the second line of defence on the model)
    const r = render(ClusterConfigSchema.parse(input));
    expectFinding(checkSecretContract, r, 'argocd client secret', "Authentik's own Secret authentik/argocd-oidc-secret");
  });
  test('two clients reading one Secret key', () => {
    const input = defaultInput();
    const ref = { namespace: 'shared', name: 'oidc', key: 'client-secret' };
    input.services[2].oidc = { consumer: 'infisical', clientSecret: ref };
    input.services.push({
      slug: 'wiki',
      name: 'Wiki',
      host: 'wiki.frank.derio.net',
      allowedGroups: 'any',
      oidc: { consumer: 'generic', callbackPath: '/cb', clientSecret: ref },
    });
    // Validation refuses the collision (lib/model/derived-names.ts); the check is the second line of defence.
    expect(() => renderInput(input)).toThrow(/derives the Secret key a consumer reads its client secret from "shared\/oidc:client-secret"/);
    const r = render(ClusterConfigSchema.parse(input));
    expectFinding(checkSecretContract, r, 'wiki and infisical client secrets', 'shared/oidc key client-secret');
  });
});
