// The apiserver OIDC patch for Talos, in both forms, and its Omni ConfigPatch wrapper.
import yaml from 'js-yaml';
import { AUTHENTICATION_CONFIG_PATH, usernamePrefixFlag } from '../../lib/consumers/talos-patch';
import type { ClusterConfigInput } from '../../lib/config/schema';
import { findings } from '../../lib/checks';
import { defaultInput, doc, file, flagsForm, renderInput } from '../support/helpers';
import { OUTPUT } from '../../lib/base/paths';

const withTalos = (
  talos: Partial<NonNullable<ClusterConfigInput['talos']>>,
  k8s: Partial<NonNullable<ClusterConfigInput['kubernetes']>> = {},
) => {
  const input = defaultInput();
  if (talos.apiServerAuth === 'flags') flagsForm(input);
  input.talos = { ...input.talos!, ...talos };
  input.kubernetes = { ...input.kubernetes, ...k8s };
  return input;
};
const paths = (input: ClusterConfigInput) => renderInput(input).files.map((f) => f.path);

const AGENT_JWT = {
  issuer: { url: 'https://auth.frank.derio.net/application/o/k8s-agent/', audiences: ['k8s-agent'] },
  claimMappings: { username: { claim: 'preferred_username', prefix: 'oidc:' }, groups: { claim: 'groups', prefix: '' } },
};
const PEOPLE_JWT = { ...AGENT_JWT, issuer: { url: 'https://auth.frank.derio.net/application/o/kubernetes/', audiences: ['kubernetes'] } };

describe('flags form (agent only)', () => {
  const r = renderInput(withTalos({ apiServerAuth: 'flags' }));
  const patch = doc(r, OUTPUT.talosPatch);
  const args = patch.cluster.apiServer.extraArgs;
  const agent = r.model.agents[0];

  test('extraArgs carry the agent issuer and client id', () => {
    expect(args).toEqual({
      'oidc-issuer-url': 'https://auth.frank.derio.net/application/o/k8s-agent/',
      'oidc-client-id': 'k8s-agent',
      'oidc-username-claim': 'preferred_username',
      'oidc-groups-claim': 'groups',
      'oidc-username-prefix': 'oidc:',
    });
    expect(args['oidc-issuer-url']).toBe(agent.issuer);
    expect(args['oidc-issuer-url'].endsWith('/')).toBe(true);
    expect(args['oidc-client-id']).toBe(agent.clientId);
  });

  test('the patch touches nothing but cluster.apiServer.extraArgs', () => {
    expect(Object.keys(patch)).toEqual(['cluster']);
    expect(Object.keys(patch.cluster.apiServer)).toEqual(['extraArgs']);
  });

  test('the username the apiserver derives is the model kubernetesUsername', () => {
    expect(`${args['oidc-username-prefix']}${agent.serviceAccount}`).toBe(agent.kubernetesUsername);
  });

  test('the text parses back to the same document', () => {
    expect(yaml.load(file(r, OUTPUT.talosPatch).text)).toEqual(patch);
  });
});

describe('username prefix', () => {
  test("an empty prefix is written as '-' (otherwise the apiserver prefixes '<issuer>#')", () => {
    expect(usernamePrefixFlag('')).toBe('-');
    const r = renderInput(withTalos({ apiServerAuth: 'flags' }, { usernamePrefix: '' }));
    expect(doc(r, OUTPUT.talosPatch).cluster.apiServer.extraArgs['oidc-username-prefix']).toBe('-');
    expect(r.model.agents[0].kubernetesUsername).toBe('k8s-agent');
  });

  test('the groups prefix is emitted only when set', () => {
    const flagArgs = doc(renderInput(withTalos({ apiServerAuth: 'flags' })), OUTPUT.talosPatch).cluster.apiServer.extraArgs;
    expect(flagArgs).not.toHaveProperty('oidc-groups-prefix');
    const args = doc(renderInput(withTalos({ apiServerAuth: 'flags' }, { groupsPrefix: 'authentik:' })), OUTPUT.talosPatch).cluster
      .apiServer.extraArgs;
    expect(args['oidc-groups-prefix']).toBe('authentik:');
  });
});

describe('structured form', () => {
  const r = renderInput(withTalos({ apiServerAuth: 'structured' }));
  const patch = doc(r, OUTPUT.talosPatch);
  const [f] = patch.machine.files;

  test('the AuthenticationConfiguration is written under /var with mode 0644 (420)', () => {
    expect(patch.machine.files).toHaveLength(1);
    expect(f.path).toBe(AUTHENTICATION_CONFIG_PATH);
    expect(f.path.startsWith('/var/')).toBe(true);
    expect(f.permissions).toBe(420);
    expect(f.op).toBe('create');
    // The rendered YAML holds a plain decimal, which Talos reads as the mode.
    expect(file(r, OUTPUT.talosPatch).text).toMatch(/^\s+permissions: 420$/m);
  });

  test('the file content is one JWT authenticator per agent and per people kubectl client', () => {
    expect(yaml.load(f.content)).toEqual({
      apiVersion: 'apiserver.config.k8s.io/v1',
      kind: 'AuthenticationConfiguration',
      jwt: [AGENT_JWT, PEOPLE_JWT],
    });
    // The apiserver refuses a configuration with two authenticators for one issuer.
    expect(new Set(r.model.apiserverIssuers.map((i) => i.issuer)).size).toBe(r.model.apiserverIssuers.length);
  });

  test('the apiserver reads it through --authentication-config and a read-only mount; no --oidc-* flag', () => {
    expect(patch.cluster.apiServer.extraArgs).toEqual({ 'authentication-config': AUTHENTICATION_CONFIG_PATH });
    expect(patch.cluster.apiServer.extraVolumes).toEqual([
      { hostPath: AUTHENTICATION_CONFIG_PATH, mountPath: AUTHENTICATION_CONFIG_PATH, readonly: true },
    ]);
  });

  test('several agents: several issuers (the reason for the structured form)', () => {
    const input = withTalos({ apiServerAuth: 'structured' });
    input.services.push({ slug: 'ci-bot', name: 'CI bot', agent: { group: 'root-devops' } });
    const content = yaml.load(doc(renderInput(input), OUTPUT.talosPatch).machine.files[0].content) as {
      jwt: Array<{ issuer: { url: string; audiences: string[] } }>;
    };
    expect(content.jwt.map((j) => j.issuer)).toEqual([
      { url: 'https://auth.frank.derio.net/application/o/k8s-agent/', audiences: ['k8s-agent'] },
      { url: 'https://auth.frank.derio.net/application/o/ci-bot/', audiences: ['ci-bot'] },
      { url: 'https://auth.frank.derio.net/application/o/kubernetes/', audiences: ['kubernetes'] },
    ]);
  });

  test('an empty username prefix stays empty in the structured form', () => {
    const input = withTalos({ apiServerAuth: 'structured' }, { usernamePrefix: '' });
    const content = yaml.load(doc(renderInput(input), OUTPUT.talosPatch).machine.files[0].content) as {
      jwt: Array<{ claimMappings: { username: { prefix: string } } }>;
    };
    expect(content.jwt[0].claimMappings.username.prefix).toBe('');
  });
});

describe('Omni ConfigPatch', () => {
  test('with omniCluster: the patch wrapped for the control-plane machine set', () => {
    const r = renderInput(defaultInput());
    const omni = doc(r, OUTPUT.omniPatch);
    expect(omni.metadata).toEqual({
      namespace: 'default',
      type: 'ConfigPatches.omni.sidero.dev',
      id: '150-frank-apiserver-oidc',
      labels: { 'omni.sidero.dev/cluster': 'frank', 'omni.sidero.dev/machine-set': 'frank-control-planes' },
    });
    expect(yaml.load(omni.spec.data)).toEqual(doc(r, OUTPUT.talosPatch));
  });

  test('the structured form is wrapped the same way', () => {
    const r = renderInput(withTalos({ apiServerAuth: 'structured' }));
    expect(yaml.load(doc(r, OUTPUT.omniPatch).spec.data)).toEqual(doc(r, OUTPUT.talosPatch));
  });

  test('without omniCluster: no wrapper', () => {
    const input = defaultInput();
    delete input.talos!.omniCluster;
    expect(paths(input)).toContain(OUTPUT.talosPatch);
    expect(paths(input)).not.toContain(OUTPUT.omniPatch);
  });
});

test('no agent and no kubectl client: no Talos files at all', () => {
  const input = defaultInput();
  flagsForm(input);
  input.services = input.services.filter((s) => !s.agent);
  input.groups = input.groups.filter((g) => g.members !== 'agents');
  expect(paths(input).filter((p) => p.startsWith('talos/'))).toEqual([]);
});

describe('Talos 1.14+: the KubeAuthenticationConfig document', () => {
  const input = defaultInput();
  input.talos = { ...input.talos, version: 'v1.14.2', apiServerAuth: 'structured' };
  const r = renderInput(input);
  const d = doc(r, 'talos/apiserver-oidc.yaml');

  test('replaces extraArgs and machine.files with the document, keeping anonymous health checks', () => {
    expect(d.apiVersion).toBe('v1alpha1');
    expect(d.kind).toBe('KubeAuthenticationConfig');
    expect(d.cluster).toBeUndefined();
    expect(d.machine).toBeUndefined();
    expect(d.configuration.anonymous).toEqual({
      enabled: true,
      conditions: [{ path: '/livez' }, { path: '/readyz' }, { path: '/healthz' }],
    });
    expect(d.configuration.jwt).toEqual([AGENT_JWT, PEOPLE_JWT]);
  });

  test('every synth-time check reads the document form (issuer, groups prefix)', () => {
    expect(findings(r)).toEqual([]);
    const tampered = structuredClone(d);
    tampered.configuration.jwt[0].issuer.url = 'https://auth.frank.derio.net/application/o/k8s-agent';
    const f = findings({ ...r, files: r.files.map((x) => (x.path === OUTPUT.talosPatch ? { ...x, docs: [tampered] } : x)) });
    expect(f.join('\n')).toContain('https://auth.frank.derio.net/application/o/k8s-agent/');
  });

  test('the Omni ConfigPatch carries the same document', () => {
    const omni = doc(r, 'talos/omni-configpatch-apiserver-oidc.yaml');
    expect(yaml.load(omni.spec.data)).toEqual(d);
  });
});

test('AuthenticationConfiguration is v1 from Talos 1.11 (Kubernetes 1.34) and v1beta1 before', () => {
  const apiVersionOn = (version: string) => {
    const d = doc(renderInput(withTalos({ version, apiServerAuth: 'structured' })), OUTPUT.talosPatch);
    return (yaml.load(d.machine.files[0].content) as { apiVersion: string }).apiVersion;
  };
  expect(apiVersionOn('v1.10.6')).toBe('apiserver.config.k8s.io/v1beta1');
  expect(apiVersionOn('v1.11.0')).toBe('apiserver.config.k8s.io/v1');
  expect(apiVersionOn('v1.13.9')).toBe('apiserver.config.k8s.io/v1');
});

test('flags form with people only (no agent): one issuer, the people client', () => {
  const input = defaultInput();
  input.talos = { ...input.talos!, apiServerAuth: 'flags' };
  input.services = input.services.filter((s) => !s.agent);
  input.groups = input.groups.filter((g) => g.members !== 'agents');
  const r = renderInput(input);
  expect(doc(r, OUTPUT.talosPatch).cluster.apiServer.extraArgs).toMatchObject({
    'oidc-issuer-url': 'https://auth.frank.derio.net/application/o/kubernetes/',
    'oidc-client-id': 'kubernetes',
  });
  expect(findings(r)).toEqual([]);
});

test('retiring the kubectl client tombstones it and the apiserver stops trusting it', () => {
  const input = defaultInput();
  input.services.find((s) => s.kubectl)!.retired = true;
  for (const g of input.groups) if (g.members !== 'agents') delete g.kubernetes;
  const r = renderInput(input);
  const content = yaml.load(doc(r, OUTPUT.talosPatch).machine.files[0].content) as { jwt: Array<{ issuer: { url: string } }> };
  expect(content.jwt.map((j) => j.issuer.url)).toEqual(['https://auth.frank.derio.net/application/o/k8s-agent/']);
  expect(r.files.map((f) => f.path)).not.toContain(OUTPUT.peopleKubeconfig);
  const retired = r.blueprints.find((b) => b.name === 'unified-auth-retired')!;
  expect(retired.entries.map((e) => [e.model, e.identifiers])).toEqual([
    ['authentik_core.application', { slug: 'kubernetes' }],
    ['authentik_providers_oauth2.oauth2provider', { client_id: 'kubernetes' }],
    ['authentik_policies_expression.expressionpolicy', { name: 'unified-auth access kubernetes' }],
  ]);
  expect(findings(r)).toEqual([]);
});
