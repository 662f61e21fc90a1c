// secrets.mode external-secrets (docs/secrets.md): the ESO objects validate against their CRDs,
// generate each value once, copy it to its consumer under least RBAC, and a rotation is one counter:
// new generation -> new Secret -> consumer copy follows -> pods restart -> blueprint marker changes,
// all named by the plan. ESO's behaviour comes from test/support/eso-harness.ts (cited there).
import path from 'node:path';
import { ExternalSecret } from '@kubernetes-models/external-secrets/external-secrets.io/v1/ExternalSecret';
import { SecretStore } from '@kubernetes-models/external-secrets/external-secrets.io/v1/SecretStore';
import { Password } from '@kubernetes-models/external-secrets/generators.external-secrets.io/v1alpha1/Password';
import { Role } from 'kubernetes-models/rbac.authorization.k8s.io/v1/Role';
import { RoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import { Application } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/Application';
import { parseConfig } from '../../lib/rules/validate';
import { render, type SynthResult } from '../../lib/output/render';
import { plan } from '../../lib/plan';
import { formatPlan } from '../../lib/plan/format';
import { scanFiles } from '../../lib/checks/secrets';
import { EsoHarness } from '../support/eso-harness';
import { readBaseline } from '../../lib/pipeline/baseline';
import { renderAndCheck } from '../../lib/pipeline/render-and-guard';
import { recordedSecretsIn } from '../../lib/state/secrets';
import { recordedIn } from '../../lib/state/recorded';
import { parseState, recordedOf, stateText } from '../../lib/state/file';
import { readBlueprintsIn } from '../../lib/previous/blueprints';
import { ROOT, defaultInput, loadYamlFile, renderInput } from '../support/helpers';

type Doc = Record<string, any>;
const FIXTURE = path.join(ROOT, 'test/fixtures/external-secrets.yaml');
const input = (): Doc => structuredClone(loadYamlFile(FIXTURE) as Doc);
const withSecrets = (over: Doc): Doc => {
  const c = input();
  c.secrets = { ...c.secrets, ...over };
  return c;
};
const synth = (c: unknown): SynthResult => renderInput(c);
const tree = (r: SynthResult) => new Map(r.files.map((f) => [f.path, f.text]));
const secretDocs = (r: SynthResult): Doc[] => r.files.filter((f) => f.path.startsWith('secrets/')).flatMap((f) => (f.docs ?? []) as Doc[]);
const fileDoc = (r: SynthResult, p: string): Doc => r.files.find((f) => f.path === p)!.docs![0] as Doc;
const configError = (c: unknown): string => {
  try {
    parseConfig(c);
  } catch (e) {
    return (e as Error).message;
  }
  return '';
};

const MODELS: Record<string, new (d: any) => { validate(): void }> = {
  ExternalSecret,
  SecretStore,
  Password,
  Role,
  RoleBinding,
  ServiceAccount,
};

describe('the fixture in external-secrets mode', () => {
  const r = synth(input());

  test('every object in secrets/ validates against its CRD or API schema', () => {
    const docs = secretDocs(r);
    expect(docs.length).toBeGreaterThan(20);
    for (const d of docs) expect(() => new MODELS[d.kind](d).validate()).not.toThrow();
  });

  test('the authentik-secrets Application syncs secrets/ in wave -1, pruning last', () => {
    const app = fileDoc(r, 'apps/application-authentik-secrets.yaml');
    expect(() => new Application(app as never).validate()).not.toThrow();
    expect(app.metadata.annotations['argocd.argoproj.io/sync-wave']).toBe('-1');
    expect(app.spec.source.path).toBe('dist/secrets');
    expect(app.spec.syncPolicy.syncOptions).toContain('PruneLast=true');
    expect(fileDoc(r, 'apps/application-authentik.yaml').metadata.annotations).toBeUndefined();
  });

  test('each Role in authentik allows only get on the Secrets its copies read, bound to one ServiceAccount', () => {
    const roles = secretDocs(r).filter((d) => d.kind === 'Role');
    expect(roles.map((x) => x.metadata.name).sort()).toEqual([
      'unified-auth-eso-argocd',
      'unified-auth-eso-infisical',
      'unified-auth-eso-monitoring',
      'unified-auth-eso-wiki',
    ]);
    for (const role of roles) {
      expect(role.metadata.namespace).toBe('authentik');
      expect(role.rules).toEqual([{ apiGroups: [''], resources: ['secrets'], verbs: ['get'], resourceNames: expect.any(Array) }]);
      expect(role.rules[0].resourceNames).not.toContain('authentik-secrets');
    }
    const grafana = roles.find((x) => x.metadata.name === 'unified-auth-eso-monitoring')!;
    expect(grafana.rules[0].resourceNames).toEqual(['authentik-secrets-grafana-client-secret-g0']);
  });

  test('no Secret value and no SOPS step anywhere in the output (the secret scan finds nothing)', () => {
    expect(scanFiles(r.files)).toEqual([]);
    for (const f of r.files) expect(f.text).not.toMatch(/sops --decrypt|sops --encrypt|\.sops\.yaml/);
    expect(r.files.some((f) => f.docs?.some((d: any) => d?.kind === 'Secret'))).toBe(false);
  });

  test('snapshot: secrets/, SECRETS.md and manual-operations.yaml', () => {
    const picked = r.files.filter(
      (f) => f.path.startsWith('secrets/') || f.path === 'docs/SECRETS.md' || f.path === 'docs/manual-operations.yaml',
    );
    expect(Object.fromEntries(picked.map((f) => [f.path, f.text]))).toMatchSnapshot();
  });

  test('manual operations: no Secret to create and no rotation runbook; the agent hand-over reads the generated Secret', () => {
    const ops = fileDoc(r, 'docs/manual-operations.yaml') as unknown as Array<Doc>;
    const ids = ops.map((o) => o.id);
    expect(ids.filter((i) => /^(create-secret|rotate|copy)-/.test(i))).toEqual([]);
    const agent = ops.find((o) => o.id === 'agent-credentials-k8s-agent')!;
    expect(agent.commands.join('\n')).toContain('get secret authentik-secrets-k8s-agent-app-password-g0');
  });

  test('the worker reads each client secret from its generation, through !Env as in sops mode', () => {
    const values = fileDoc(r, 'values/authentik.yaml');
    const env = values.worker.env.find((e: Doc) => e.name === 'UA_OIDC_GRAFANA_CLIENT_SECRET');
    expect(env.valueFrom.secretKeyRef).toEqual({ name: 'authentik-secrets-grafana-client-secret-g0', key: 'grafana_client_secret' });
    expect(values.worker.podAnnotations['unified-auth/rotation-generations']).toContain('grafana:0');
  });
});

describe('ESO semantics (harness)', () => {
  test('CreatedOnce generates each value once: a resync and a spec change leave it, a new name is a new value', () => {
    const eso = new EsoHarness();
    const docs = secretDocs(synth(input()));
    eso.sync(docs);
    eso.reconcile();
    const first = eso.value('authentik', 'authentik-secrets', 'secret_key');
    expect(first).toBeDefined();
    const count = eso.generated;
    eso.reconcile();
    // A spec change (here an annotation) is not a refresh under CreatedOnce (shouldRefresh).
    eso.sync(
      docs.map((d) =>
        d.kind === 'ExternalSecret' ? { ...d, metadata: { ...d.metadata, annotations: { ...d.metadata.annotations, touched: 'yes' } } } : d,
      ),
    );
    eso.reconcile();
    expect(eso.generated).toBe(count);
    expect(eso.value('authentik', 'authentik-secrets', 'secret_key')).toBe(first);
  });

  test('each consumer gets the same bytes under the key it reads; ArgoCD copy carries part-of: argocd', () => {
    const eso = new EsoHarness();
    eso.sync(secretDocs(synth(input())));
    eso.reconcile();
    const g = eso.value('authentik', 'authentik-secrets-grafana-client-secret-g0', 'grafana_client_secret');
    expect(eso.value('monitoring', 'grafana-oidc-secret', 'GF_AUTH_GENERIC_OAUTH_CLIENT_SECRET')).toBe(g);
    expect(eso.value('argocd', 'argocd-oidc-secret', 'oidc.authentik.clientSecret')).toBe(
      eso.value('authentik', 'authentik-secrets-argocd-client-secret-g0', 'argocd_client_secret'),
    );
    expect(eso.secrets.get('argocd/argocd-oidc-secret')!.labels).toEqual({ 'app.kubernetes.io/part-of': 'argocd' });
    // Least RBAC: Grafana's store may not read ArgoCD's value, nor Authentik's own Secret.
    expect(eso.allowed('authentik', 'authentik-secrets-argocd-client-secret-g0', 'monitoring', 'unified-auth-eso')).toBe(false);
    expect(eso.allowed('authentik', 'authentik-secrets', 'monitoring', 'unified-auth-eso')).toBe(false);
  });

  test('an agent app password is lowercase letters and digits, so base64("<account>:<password>") has no padding', () => {
    const r = synth(input());
    const pw = secretDocs(r).find((d) => d.kind === 'Password' && d.metadata.name.includes('app-password'))!;
    expect(pw.spec).toMatchObject({ noUpper: true, symbols: 0 });
    expect(('k8s-agent'.length + 1 + pw.spec.length) % 3).toBe(0);
  });
});

describe('rotation: one counter', () => {
  const before = synth(input());
  const after = synth(withSecrets({ rotate: { grafana: 1 } }));

  test('walk: new generator and Secret, copy follows, old generation pruned, other values untouched', () => {
    const eso = new EsoHarness();
    eso.sync(secretDocs(before));
    eso.reconcile();
    const old = eso.value('monitoring', 'grafana-oidc-secret', 'GF_AUTH_GENERIC_OAUTH_CLIENT_SECRET');
    const argocd = eso.value('argocd', 'argocd-oidc-secret', 'oidc.authentik.clientSecret');
    const key = eso.value('authentik', 'authentik-secrets', 'secret_key');
    eso.sync(secretDocs(after));
    eso.reconcile();
    const fresh = eso.value('authentik', 'authentik-secrets-grafana-client-secret-g1', 'grafana_client_secret');
    expect(fresh).toBeDefined();
    expect(fresh).not.toBe(old);
    expect(eso.value('monitoring', 'grafana-oidc-secret', 'GF_AUTH_GENERIC_OAUTH_CLIENT_SECRET')).toBe(fresh);
    expect(eso.secrets.has('authentik/authentik-secrets-grafana-client-secret-g0')).toBe(false);
    expect(eso.value('argocd', 'argocd-oidc-secret', 'oidc.authentik.clientSecret')).toBe(argocd);
    expect(eso.value('authentik', 'authentik-secrets', 'secret_key')).toBe(key);
  });

  test('the worker and Grafana restart, the blueprint marker changes, and the plan says all of it', () => {
    const env = (r: SynthResult) =>
      fileDoc(r, 'values/authentik.yaml').worker.env.find((e: Doc) => e.name === 'UA_OIDC_GRAFANA_CLIENT_SECRET');
    expect(env(after).valueFrom.secretKeyRef.name).toBe('authentik-secrets-grafana-client-secret-g1');
    const bp = after.blueprints.find((b) => b.entries.some((e: any) => e.identifiers?.client_id === 'grafana'))!;
    expect(bp.labels).toEqual(expect.objectContaining({ 'unified-auth/grafana_client_secret.rotation-id': 'generation-1' }));
    const p = plan(tree(before), tree(after));
    expect(p.restarts).toEqual([
      expect.stringMatching(/^Authentik worker pods .*grafana:0.* -> .*grafana:1/),
      expect.stringMatching(/^Grafana pods .*: grafana:0 -> grafana:1$/),
      expect.stringMatching(/^Secret monitoring\/grafana-oidc-secret gets the new value/),
    ]);
    expect(p.authentik.rotated.map((x) => x.label)).toEqual(['grafana_client_secret']);
    const text = formatPlan(p, 'text', 'plan');
    expect(text).toContain('Pods that restart');
    expect(text).toContain('Secrets rotated');
  });

  test("secrets.generation rotates every client secret and app password, never Authentik's own values", () => {
    const all = synth(withSecrets({ generation: 1 }));
    const names = secretDocs(all)
      .filter((d) => d.kind === 'ExternalSecret' && d.metadata.namespace === 'authentik')
      .map((d) => d.metadata.name);
    expect(names.filter((n) => n.endsWith('-g1')).length).toBe(5);
    expect(names).toContain('authentik-secrets');
    expect(names).toContain('authentik-postgresql');
  });
});

describe('adoption from sops', () => {
  test('generation 0 reads the SOPS Secrets in place: no generator, no copy, no Role; the first rotation takes over', () => {
    const adopt = synth(withSecrets({ adoptSops: true }));
    expect(secretDocs(adopt)).toEqual([]);
    const env = fileDoc(adopt, 'values/authentik.yaml').worker.env.find((e: Doc) => e.name === 'UA_OIDC_GRAFANA_CLIENT_SECRET');
    expect(env.valueFrom.secretKeyRef).toEqual({ name: 'authentik-secrets', key: 'grafana_client_secret' });

    // The cluster as sops mode left it: both sides hold the same value.
    const eso = new EsoHarness();
    eso.putSecret('authentik', 'authentik-secrets', { secret_key: 'k', grafana_client_secret: 'old' });
    eso.putSecret('monitoring', 'grafana-oidc-secret', { GF_AUTH_GENERIC_OAUTH_CLIENT_SECRET: 'old' });
    eso.sync(secretDocs(adopt));
    eso.reconcile();
    expect(eso.value('monitoring', 'grafana-oidc-secret', 'GF_AUTH_GENERIC_OAUTH_CLIENT_SECRET')).toBe('old');
    expect(eso.value('authentik', 'authentik-secrets', 'secret_key')).toBe('k');

    const rotated = synth(withSecrets({ adoptSops: true, rotate: { grafana: 1 } }));
    eso.sync(secretDocs(rotated));
    eso.reconcile();
    const fresh = eso.value('authentik', 'authentik-secrets-grafana-client-secret-g1', 'grafana_client_secret');
    expect(fresh).not.toBe('old');
    expect(eso.value('monitoring', 'grafana-oidc-secret', 'GF_AUTH_GENERIC_OAUTH_CLIENT_SECRET')).toBe(fresh);
    // Authentik's own SOPS Secret is never taken over.
    expect(eso.value('authentik', 'authentik-secrets', 'secret_key')).toBe('k');
  });
});

describe('sops mode is the default and unchanged', () => {
  test('no secrets/ directory and no authentik-secrets Application', () => {
    const r = render(parseConfig(defaultInput()));
    expect(r.files.some((f) => f.path.startsWith('secrets/') || f.path === 'apps/application-authentik-secrets.yaml')).toBe(false);
  });
});

describe('bad input: one line naming the config path', () => {
  test.each([
    [
      { consumerNamespaces: ['argocd', 'infisical', 'wiki'] },
      /^services\[1\]\.oidc: .*namespace monitoring, for which secrets\.consumerNamespaces grants ESO no Role; add monitoring there$/m,
    ],
    [
      { rotate: { longhorn: 1 } },
      /^secrets\.rotate\.longhorn: no service longhorn with a client secret or an agent app password to rotate$/m,
    ],
    [{ mode: 'sops', generation: 2 }, /^secrets\.generation: only read with secrets\.mode external-secrets/m],
  ])('%j', (over, message) => {
    expect(configError(withSecrets(over))).toMatch(message);
  });

  test('secretMode existingSecret and the sops rotation markers are refused in this mode', () => {
    const c = input();
    c.services[1].oidc.secretMode = 'existingSecret';
    c.services[0].oidc.clientSecretRotation = '2026-01-01';
    const msg = configError(c);
    expect(msg).toMatch(/services\[1\]\.oidc\.secretMode: existingSecret keeps the client secret inside Authentik/);
    expect(msg).toMatch(
      /services\[0\]\.oidc\.clientSecretRotation: with secrets\.mode external-secrets a rotation is secrets\.rotate\.argocd/,
    );
  });
});

describe('guards against the baseline (lib/state/secrets.ts)', () => {
  const guard = (previous: SynthResult, now: Doc): string[] => {
    const baseline = readBaseline({ kind: 'tree', tree: tree(previous), label: 'dist' });
    return renderAndCheck({ config: parseConfig(now), baseline }).secrets;
  };
  const sops = (): Doc => {
    const c = input();
    c.secrets = { mode: 'sops' };
    return c;
  };

  test('a rotation counter going back is refused, naming the config path', () => {
    const was = synth(withSecrets({ rotate: { grafana: 2 } }));
    expect(guard(was, withSecrets({ rotate: { grafana: 1 } }))).toEqual([
      'secrets.rotate.grafana: the generation of grafana_client_secret would go back from 2 to 1; generations only go up (raise it to 3 to rotate again)',
    ]);
    expect(guard(was, withSecrets({ rotate: { grafana: 3 } }))).toEqual([]);
  });

  test('external-secrets -> sops would drop the generated Secrets: refused', () => {
    expect(guard(synth(input()), sops())).toEqual([
      expect.stringMatching(/^secrets\.mode: the previous output generated its Secrets with ESO/),
    ]);
  });

  test('sops -> external-secrets on a running cluster needs adoptSops; with it, the switch passes', () => {
    const was = synth(sops());
    expect(guard(was, input())).toEqual([expect.stringMatching(/^secrets\.adoptSops: the previous output ran in sops mode/)]);
    expect(guard(was, withSecrets({ adoptSops: true }))).toEqual([]);
    // Once adopted, dropping adoptSops would generate over the SOPS Secrets.
    expect(guard(synth(withSecrets({ adoptSops: true, rotate: { grafana: 1 } })), withSecrets({ rotate: { grafana: 1 } }))).toEqual([
      expect.stringMatching(/^secrets\.adoptSops: the previous output read authentik-secrets and authentik-postgresql from SOPS in place/),
    ]);
  });

  test('adopted in place, a service added later has no SOPS key: it must start at generation 1', () => {
    const was = synth(withSecrets({ adoptSops: true }));
    const added = (over: Doc) => {
      const c = withSecrets({ adoptSops: true, ...over });
      c.services.push({
        slug: 'notes',
        name: 'Notes',
        host: 'notes.zero.example.org',
        allowedGroups: 'any',
        oidc: { consumer: 'generic', callbackPath: '/cb', clientSecret: { namespace: 'wiki', name: 'notes-oidc', key: 'client-secret' } },
      });
      return c;
    };
    expect(guard(was, added({}))).toEqual([
      'secrets.rotate.notes: notes_client_secret is new since the SOPS Secrets were adopted, so authentik-secrets has no such key; set secrets.rotate.notes: 1 to generate it',
    ]);
    expect(guard(was, added({ rotate: { notes: 1 } }))).toEqual([]);
  });

  test('the state file keeps the record, sorted, so a state baseline guards the same way', () => {
    const rec = recordedSecretsIn(tree(synth(withSecrets({ rotate: { grafana: 2 } }))))!;
    expect(rec).toEqual({
      mode: 'external-secrets',
      adopted: false,
      generations: expect.objectContaining({ grafana_client_secret: 2, argocd_client_secret: 0 }),
    });
    expect(recordedSecretsIn(tree(synth(sops())))).toBeUndefined();
  });
});

describe('the default cluster in external-secrets mode', () => {
  const c = defaultInput() as Doc;
  c.secrets = { mode: 'external-secrets', consumerNamespaces: ['argocd', 'monitoring', 'infisical'] };
  const r = synth(c);
  const ops = fileDoc(r, 'docs/manual-operations.yaml') as unknown as Doc[];

  test('no Secret is created by hand; what stays pending is the root Application and the kinds of issue 28 item 4, each with its reason', () => {
    const pending = ops.filter((o) => o.status === 'pending');
    const kinds = [...new Set(pending.map((o) => String(o.id).replace(/-(k8s-agent|kubernetes|grafana|infisical)$/, '')))];
    expect(kinds).toEqual([
      'bootstrap-root-application',
      'talos-apiserver-oidc',
      'people-kubeconfig',
      'agent-credentials',
      'edge-traefik-dynamic-config',
      'grafana-values',
      'infisical-oidc-ui',
    ]);
    for (const o of pending) expect(o.why_manual.length).toBeGreaterThan(40);
    expect(ops.filter((o) => o.status !== 'pending')).toEqual([]);
  });

  test('the state file records the generations and reads back the same record', () => {
    const rec = recordedIn('', tree(r), readBlueprintsIn(tree(r)).blueprints);
    const text = stateText('/tmp/x.state.json', undefined, parseConfig(c), rec);
    expect(JSON.parse(text).secrets).toEqual({
      mode: 'external-secrets',
      adopted: false,
      generations: { argocd_client_secret: 0, grafana_client_secret: 0, infisical_client_secret: 0, k8s_agent_app_password: 0 },
    });
    expect(recordedOf(parseState('/tmp/x.state.json', text), '').secrets).toEqual(rec.secrets);
  });
});
