// The agent kubeconfig template: an exec user running kubelogin with the client-credentials grant,
// the secret coming from an environment variable at run time, never from the file.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import yaml from 'js-yaml';
import { KUBE_API_PLACEHOLDER } from '../../lib/consumers/kubeconfig';
import { defaultInput, doc, file, renderInput } from '../support/helpers';
import { OUTPUT } from '../../lib/base/paths';

const r = renderInput(defaultInput());
const kc = doc(r, OUTPUT.kubeconfig);
const agent = r.model.agents[0];
const exec = kc.users[0].user.exec;

test('one agent: dist/kubeconfig/agent.yaml with one cluster, user and context', () => {
  expect(r.files.filter((f) => f.path.startsWith('kubeconfig/')).map((f) => f.path)).toEqual([
    'kubeconfig/agent.yaml',
    'kubeconfig/people.yaml',
  ]);
  expect(kc).toMatchObject({ apiVersion: 'v1', kind: 'Config', 'current-context': 'k8s-agent@frank' });
  expect(kc.clusters).toHaveLength(1);
  expect(kc.contexts).toEqual([{ name: 'k8s-agent@frank', context: { cluster: 'frank', user: 'k8s-agent' } }]);
});

test('the server is a marked placeholder, named in the file header', () => {
  expect(kc.clusters[0].cluster.server).toBe(KUBE_API_PLACEHOLDER);
  expect(KUBE_API_PLACEHOLDER).toBe('https://<kubernetes-api>:6443');
  const text = file(r, OUTPUT.kubeconfig).text;
  expect(text).toMatch(/^# Template: replace the cluster server/m);
  expect(text).toContain(`#   ${agent.kubeconfigEnvVar}=base64("k8s-agent:<app password>")`);
  expect(yaml.load(text)).toEqual(kc);
});

test('the exec plugin is v1, never interactive, and runs kubelogin through sh', () => {
  expect(exec).toMatchObject({ apiVersion: 'client.authentication.k8s.io/v1', interactiveMode: 'Never', command: 'sh' });
  expect(exec.args[0]).toBe('-c');
  const line: string = exec.args[1];
  expect(line.startsWith('exec kubectl oidc-login get-token ')).toBe(true);
  for (const flag of [
    `--oidc-issuer-url=${agent.issuer}`,
    '--oidc-client-id=k8s-agent',
    '--grant-type=client-credentials',
    '--oidc-extra-scope=profile',
  ]) {
    expect(line.split(' ')).toContain(flag);
  }
  expect(agent.issuer).toBe('https://auth.frank.derio.net/application/o/k8s-agent/');
});

test('the client secret is read from the env var at run time, never inline', () => {
  expect(agent.kubeconfigEnvVar).toBe('K8S_AGENT_CLIENT_SECRET');
  expect(exec.args[1]).toContain('--oidc-client-secret="${K8S_AGENT_CLIENT_SECRET:?');
  expect(exec).not.toHaveProperty('env');
});

describe('the shell line, run by sh with kubectl replaced by a stub', () => {
  // A fake `kubectl` that prints its arguments, one per line.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubeconfig-test-'));
  fs.writeFileSync(path.join(dir, 'kubectl'), '#!/bin/sh\nfor a in "$@"; do printf "%s\\n" "$a"; done\n', { mode: 0o755 });
  const run = (env: Record<string, string>) =>
    execFileSync('sh', exec.args, { env: { PATH: `${dir}:/usr/bin:/bin`, ...env }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('expands the env var into --oidc-client-secret, keeping it one argument', () => {
    const secret = Buffer.from('k8s-agent:p4ss w/ $pace').toString('base64');
    const argv = run({ K8S_AGENT_CLIENT_SECRET: secret }).trimEnd().split('\n');
    expect(argv.slice(0, 2)).toEqual(['oidc-login', 'get-token']);
    expect(argv).toContain(`--oidc-client-secret=${secret}`);
    expect(argv).toContain('--grant-type=client-credentials');
  });

  test('fails loudly when the env var is unset', () => {
    expect(() => run({})).toThrow(/K8S_AGENT_CLIENT_SECRET/);
  });
});

test('several agents: still one file, one user and context each', () => {
  const input = defaultInput();
  input.talos = { ...input.talos!, apiServerAuth: 'structured' };
  input.services.push({ slug: 'ci-bot', name: 'CI bot', agent: { group: 'root-devops' } });
  const r2 = renderInput(input);
  const kc2 = doc(r2, OUTPUT.kubeconfig);
  expect(r2.files.filter((f) => f.path.startsWith('kubeconfig/')).map((f) => f.path)).toEqual([
    'kubeconfig/agent.yaml',
    'kubeconfig/people.yaml',
  ]);
  expect(kc2.users.map((u: { name: string }) => u.name)).toEqual(['k8s-agent', 'ci-bot']);
  expect(kc2.contexts.map((c: { name: string }) => c.name)).toEqual(['k8s-agent@frank', 'ci-bot@frank']);
  expect(kc2.users[1].user.exec.args[1]).toContain('--oidc-client-secret="${CI_BOT_CLIENT_SECRET:?');
  expect(kc2.users[1].user.exec.args[1]).toContain('--oidc-issuer-url=https://auth.frank.derio.net/application/o/ci-bot/');
});

test('no agent: no kubeconfig', () => {
  const input = defaultInput();
  input.services = input.services.filter((s) => !s.agent);
  input.groups = input.groups.filter((g) => g.members !== 'agents');
  expect(renderInput(input).files.map((f) => f.path)).not.toContain(OUTPUT.kubeconfig);
});

test('a slug starting with a digit still gives a valid shell variable', () => {
  const input = defaultInput();
  input.services[6].slug = '1st-agent';
  const m = renderInput(input).model;
  expect(m.agents[0].kubeconfigEnvVar).toBe('AGENT_1ST_AGENT_CLIENT_SECRET');
  expect(m.agents[0].kubeconfigEnvVar).toMatch(/^[A-Za-z_][A-Za-z0-9_]*$/);
});

test('people: dist/kubeconfig/people.yaml runs kubelogin with PKCE against the public client, and holds no secret', () => {
  const people = doc(r, OUTPUT.peopleKubeconfig);
  const k = r.model.kubectlApps[0];
  expect(people.contexts).toEqual([{ name: 'kubernetes@frank', context: { cluster: 'frank', user: 'kubernetes-oidc' } }]);
  expect(people['current-context']).toBe('kubernetes@frank');
  const exec = people.users[0].user.exec;
  expect(exec).toMatchObject({ apiVersion: 'client.authentication.k8s.io/v1', command: 'kubectl', interactiveMode: 'IfAvailable' });
  expect(exec.args).toEqual([
    'oidc-login',
    'get-token',
    `--oidc-issuer-url=${k.issuer}`,
    '--oidc-client-id=kubernetes',
    '--oidc-pkce-method=S256',
    '--oidc-extra-scope=email',
    '--oidc-extra-scope=profile',
    '--oidc-extra-scope=offline_access',
  ]);
  // The issuer is one the apiserver trusts, with this client id as the audience.
  expect(r.model.apiserverIssuers).toContainEqual({ kind: 'people', slug: 'kubernetes', issuer: k.issuer, clientId: 'kubernetes' });
  const body = toYamlBody(file(r, OUTPUT.peopleKubeconfig).text);
  expect(body).not.toMatch(/secret|password|token:/i);
  expect(exec).not.toHaveProperty('env');
});

/** The YAML without its leading comment lines. */
function toYamlBody(text: string): string {
  return text
    .split('\n')
    .filter((l) => !l.startsWith('#'))
    .join('\n');
}
