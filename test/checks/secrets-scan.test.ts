// No secrets in output (lib/checks/secrets.ts): the committed dist/ on disk and every fresh
// render are clean; literal secrets are caught wherever a renderer bug could put them, and the
// legitimate references (and Secret KEY NAMES) are not mistaken for secrets.
import path from 'node:path';
import { CHECKS, runChecks, CheckError } from '../../lib/checks';
import {
  checkNoSecrets,
  formatSecretFinding,
  highEntropyTokens,
  isReference,
  scanDirectory,
  scanFile,
  shannonEntropy,
} from '../../lib/checks/secrets';
import { Env } from '../../lib/upstream/blueprint-tags';
import { renderBlueprint } from '../../lib/blueprints/build';
import { yamlFile, textFile } from '../../lib/base/file-text';
import type { SynthResult } from '../../lib/output/render';
import { ROOT, defaultInput, doc, file, loadYamlFile, renderInput } from '../support/helpers';

// Fixed, not random: the tests must not depend on a lucky draw. Each is a realistic secret shape.
const B64_SECRET = 'q7Xv3LpZk9TfR2mWc8NbY4sHd6Ju1AeG0oKiVxQ5tPw='; // 32 bytes, base64
const HEX_SECRET = '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08';
const JWT = 'eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJrOHMtYWdlbnQiLCJncm91cHMiOlsicm9vdC1hZ2VudHMiXX0.c2lnbmF0dXJlLXBsYWNlaG9sZGVy';

const fresh = () => renderInput(defaultInput());
const scan = (r: SynthResult) => checkNoSecrets(r);
const expectCaught = (r: SynthResult, ...parts: string[]) => {
  const f = scan(r);
  if (!f.some((l) => parts.every((p) => l.includes(p))))
    throw new Error(`not caught: ${parts.join(' & ')}; findings:\n${f.join('\n') || '(none)'}`);
  // Findings never repeat the secret itself.
  for (const s of [B64_SECRET, HEX_SECRET, JWT, 's3cr3t-P4ssw0rd!']) expect(f.join('\n')).not.toContain(s);
};

describe('real output is clean', () => {
  test('the committed dist/ directory on disk', () => {
    expect(scanDirectory(path.join(ROOT, 'dist')).map(formatSecretFinding)).toEqual([]);
  });

  test('a fresh render of the default config and of the other fixture', () => {
    expect(scan(fresh())).toEqual([]);
    expect(scan(renderInput(loadYamlFile(path.join(ROOT, 'test/fixtures/other-cluster.yaml'))))).toEqual([]);
  });

  test('the scan is in CHECKS, so synth refuses to write a secret', () => {
    expect(CHECKS).toContain(checkNoSecrets);
    const r = fresh();
    doc(r, 'values/authentik.yaml').authentik.secret_key = B64_SECRET;
    expect(() => runChecks(r)).toThrow(CheckError);
  });
});

describe('literal secrets are caught', () => {
  test('a literal client_secret in a values document', () => {
    const r = fresh();
    doc(r, 'values/grafana.yaml').grafana['grafana.ini']['auth.generic_oauth'].client_secret = 'grafana-client-secret-value';
    expectCaught(r, 'values/grafana.yaml', 'grafana.grafana.ini.auth.generic_oauth.client_secret', '"client_secret" holds a literal value');
  });

  test('a literal in authentik.secret_key (normally "")', () => {
    const r = fresh();
    doc(r, 'values/authentik.yaml').authentik.secret_key = 'not-so-secret';
    expectCaught(r, 'values/authentik.yaml', 'authentik.secret_key', 'literal value');
  });

  test('a password as an env value instead of valueFrom', () => {
    const r = fresh();
    const env = doc(r, 'values/authentik.yaml').worker.env.find((e: any) => e.name === 'AUTHENTIK_BOOTSTRAP_PASSWORD');
    delete env.valueFrom;
    env.value = 's3cr3t-P4ssw0rd!';
    expectCaught(r, 'values/authentik.yaml', 'worker.env[0].value', 'env AUTHENTIK_BOOTSTRAP_PASSWORD holds a literal value');
  });

  test('an inlined high-entropy token in a ConfigMap (base64, hex, JWT)', () => {
    for (const token of [B64_SECRET, HEX_SECRET, JWT]) {
      const r = fresh();
      const cm = doc(r, 'authentik-extras/configmap-authentik-blueprint-groups.yaml');
      cm.data['notes.yaml'] = `note: ${token}\n`;
      expectCaught(r, 'configmap-authentik-blueprint-groups.yaml', 'high-entropy string');
    }
  });

  test('ArgoCD oidc.config clientSecret as a literal instead of $secret:key', () => {
    const r = fresh();
    const cm = doc(r, 'values/argocd.yaml').configs.cm;
    cm['oidc.config'] = cm['oidc.config'].replace('$argocd-oidc-secret:oidc.authentik.clientSecret', 'argocd-client-secret');
    expectCaught(r, 'values/argocd.yaml', 'oidc.config|yaml.clientSecret', '"clientSecret" holds a literal value');
  });

  test('a blueprint client_secret as a literal instead of !Env', () => {
    const r = fresh();
    const bp = r.blueprints.find((b) => b.name === 'unified-auth-oidc-providers-15')!;
    bp.entries.find((e) => e.model === 'authentik_providers_oauth2.oauth2provider')!.attrs!.client_secret = 'argocd-literal';
    const cm = doc(r, 'authentik-extras/configmap-authentik-blueprint-oidc-providers-15.yaml');
    cm.data[bp.fileName] = renderBlueprint(bp);
    expectCaught(r, 'oidc-providers-15.yaml|yaml', 'client_secret', 'literal value');
  });

  test('an app-password token key as a literal', () => {
    const r = fresh();
    const bp = r.blueprints.find((b) => b.name === 'unified-auth-agent-auth')!;
    bp.entries.find((e) => e.model === 'authentik_core.token')!.attrs!.key = 'app-password-literal';
    doc(r, 'authentik-extras/configmap-authentik-blueprint-agent-auth.yaml').data[bp.fileName] = renderBlueprint(bp);
    expectCaught(r, 'agent-auth.yaml|yaml', '"key" holds a literal value');
  });

  test('a literal --oidc-client-secret in the kubeconfig exec line', () => {
    const r = fresh();
    const exec = doc(r, 'kubeconfig/agent.yaml').users[0].user.exec;
    exec.args[1] = exec.args[1].replace(/--oidc-client-secret=\S+/, '--oidc-client-secret=hunter2hunter2');
    expectCaught(r, 'kubeconfig/agent.yaml', '--oidc-client-secret= carries a literal value');
  });

  test('a Secret manifest with data rendered into dist/', () => {
    const r = fresh();
    r.files.push(
      yamlFile('authentik-extras/secret-oops.yaml', {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'oops' },
        data: { password: 'aHVudGVyMg==' },
      }),
    );
    expectCaught(r, 'authentik-extras/secret-oops.yaml', 'a Secret with data (password)');
  });

  test('secrets in plain-text docs: a manifest value, an export, a --from-literal, a comment', () => {
    const r = fresh();
    r.files.push(
      textFile(
        'docs/LEAK.md',
        [
          '```yaml',
          'stringData:',
          '  secret_key: s3cr3t-P4ssw0rd!',
          '```',
          'export GRAFANA_CLIENT_SECRET=abcdef',
          'kubectl create secret generic x --from-literal=client-secret=topsecret',
        ].join('\n'),
      ),
    );
    r.files.push({
      ...file(r, 'values/grafana.yaml'),
      path: 'values/commented.yaml',
      text: `# token: ${B64_SECRET}\n${file(r, 'values/grafana.yaml').text}`,
    });
    expectCaught(r, 'docs/LEAK.md', 'line 3', '"secret_key" holds a literal value');
    expectCaught(r, 'docs/LEAK.md', 'line 5', 'GRAFANA_CLIENT_SECRET= assigns a literal value');
    expectCaught(r, 'docs/LEAK.md', 'line 6', '--from-literal=client-secret= carries a literal value');
    expectCaught(r, 'values/commented.yaml', 'line 1', 'high-entropy string');
  });

  test('a password in a URL, a token in a query string', () => {
    const f = scanFile({
      path: 'values/x.yaml',
      text: '',
      docs: [
        { repoURL: 'https://bot:hunter2hunter2@git.example.org/ops.git', hook: `https://hooks.example.org/notify?token=${B64_SECRET}` },
      ],
    });
    expect(f.map((x) => `${x.at}: ${x.reason}`)).toEqual([
      expect.stringMatching(/^repoURL: a URL carries a literal password/),
      expect.stringMatching(/^hook: a URL's query parameter "token" carries a literal value q7Xv…\(44 chars\)/),
      expect.stringMatching(/^hook: high-entropy string q7Xv…\(44 chars\)/),
    ]);
    expect(scanFile({ path: 'values/y.yaml', text: '', docs: [{ repoURL: 'https://bot:${GIT_TOKEN}@git.example.org/ops.git' }] })).toEqual(
      [],
    );
  });

  test('scanDirectory reads files back from disk the same way', () => {
    const f = scanFile({ path: 'values/x.yaml', text: `password: hunter2\nnested:\n  apiToken: "${B64_SECRET}"\n` });
    expect(f.map((x) => x.at)).toEqual(expect.arrayContaining(['password', 'nested.apiToken']));
  });
});

describe('references and Secret key names pass', () => {
  test.each([
    ['ArgoCD $secret:key', '$argocd-oidc-secret:oidc.authentik.clientSecret'],
    ['ArgoCD $key', '$oidc.authentik.clientSecret'],
    ['Grafana $__env{}', '$__env{GF_AUTH_GENERIC_OAUTH_CLIENT_SECRET}'],
    ['Grafana $__file{}', '$__file{/etc/secrets/client_secret}'],
    ['shell ${VAR:?msg}', '"${K8S_AGENT_CLIENT_SECRET:?set it}"'],
    ['shell $VAR', '$APP_PASSWORD'],
    ['command substitution', '$(cat /run/secrets/token)'],
    ['a placeholder', '<app password>'],
    ['a placeholder around a name with ">" (found by the property test)', '<> OIDC client secret>'],
    ['empty', ''],
  ])('%s', (_name, value) => {
    expect(isReference(value)).toBe(true);
  });

  test('!Env tags, and null/boolean values', () => {
    expect(isReference(new Env('UA_OIDC_ARGOCD_CLIENT_SECRET'))).toBe(true);
    expect(isReference(null)).toBe(true);
    expect(isReference(false)).toBe(true);
  });

  test.each([
    ['a literal', 'hunter2'],
    ['a number', 123456],
    ['a bare secret-looking word', 'client-secret'],
  ])('%s is not a reference', (_n, v) => {
    expect(isReference(v)).toBe(false);
  });

  test('Secret names and key names under secret-ish keys are not secrets', () => {
    const values = {
      global: { env: [{ name: 'AUTHENTIK_SECRET_KEY', valueFrom: { secretKeyRef: { name: 'authentik-secrets', key: 'secret_key' } } }] },
      authentik: { secret_key: '', bootstrap_password: '', postgresql: { password: '' } },
      postgresql: {
        auth: {
          existingSecret: 'authentik-secrets',
          secretKeys: { adminPasswordKey: 'postgresql_password', userPasswordKey: 'postgresql_password' },
        },
      },
      grafana: {
        envFromSecret: 'grafana-oidc-secret',
        'grafana.ini': {
          'auth.generic_oauth': {
            token_url: 'https://auth.example.org/application/o/token/',
            client_secret: '$__env{GF_AUTH_GENERIC_OAUTH_CLIENT_SECRET}',
          },
        },
      },
      provider: { access_token_validity: 'hours=8', client_secret: new Env('X'), key: new Env('Y') },
      env: [
        { name: 'TOKEN_TTL', value: '3600' },
        { name: 'AUTHENTIK_HOST', value: 'https://auth.example.org' },
      ],
    };
    expect(scanFile({ path: 'values/x.yaml', text: '', docs: [values] })).toEqual([]);
  });

  test('identifiers are not high-entropy secrets; random tokens are', () => {
    const text = [
      'authentik-blueprint-oidc-providers-5 default-provider-authorization-implicit-consent',
      'UA_OIDC_INFISICAL_CLIENT_SECRET ConfigPatches.omni.sidero.dev pod-security.kubernetes.io/enforce',
      'https://auth.frank.derio.net/application/o/k8s-agent/ /var/etc/kubernetes/authentication-config.yaml',
      '00000000-0000-4000-8000-000000000000 X-authentik-meta-provider authentik_providers_oauth2.scopemapping',
      'A0/talos/apiserver-oidc.yaml K8S_AGENT_CLIENT_SECRET=base64 clusters/lab/dist/values/authentik.yaml',
    ].join('\n');
    expect(highEntropyTokens(text)).toEqual([]);
    expect(highEntropyTokens(`a ${B64_SECRET} b ${HEX_SECRET} c ${JWT}`)).toHaveLength(3);
    // base64 may contain '/': it is still one token, not a path.
    expect(highEntropyTokens('k: q7Xv3LpZk9/TfR2mWc8NbY4sHd6Ju1AeG0oKiVxQ5tPw=')).toHaveLength(1);
    expect(shannonEntropy('aaaa')).toBe(0);
    expect(shannonEntropy('abcd')).toBe(2);
  });
});
