// Generated docs: content checks on the default cluster, plus one snapshot per document.
import path from 'node:path';
import yaml from 'js-yaml';
import { mermaidId } from '../../lib/reviewer-docs/architecture';
import type { SynthResult } from '../../lib/output/render';
import { ROOT, defaultInput, file, loadYamlFile, renderInput } from '../support/helpers';
import { OUTPUT } from '../../lib/base/paths';

const r = renderInput(defaultInput());
const text = (p: string, res: SynthResult = r) => file(res, p).text;

/** The matrix row of a group, as header -> cell. */
function accessRow(md: string, group: string): Record<string, string> {
  const rows = md.split('\n').filter((l) => l.startsWith('| '));
  const cells = (l: string) => l.slice(2, -2).split(' | ');
  const headers = cells(rows[0]);
  const row = rows.find((l) => cells(l)[0] === group);
  if (!row) throw new Error(`no row for ${group}`);
  return Object.fromEntries(cells(row).map((c, i) => [headers[i], c]));
}

describe('ACCESS.md', () => {
  const md = text(OUTPUT.accessDoc);

  test('root-developers: view / role:readonly / Viewer / Longhorn denied, Hubble allowed', () => {
    expect(accessRow(md, 'root-developers')).toMatchObject({
      'Kubernetes ClusterRole': 'view',
      ArgoCD: 'role:readonly',
      Grafana: 'Viewer',
      Longhorn: 'denied',
      Hubble: 'allowed',
      // The seed left Sympozium open by omission; the default config now restricts it.
      Sympozium: 'denied',
    });
  });

  test('open services are marked open in the service list, with the config that opened them', () => {
    expect(md).toContain('| Infisical | native OIDC | infisical.frank.derio.net | **open**: any authenticated user (allowedGroups: any) |');
    expect(md).toContain(
      '| Sympozium | forward auth (edge Traefik + embedded outpost) | sympozium.frank.derio.net | root-admins, root-devops |',
    );
  });

  test('root-admins and root-devops', () => {
    expect(accessRow(md, 'root-admins')).toMatchObject({
      Authentik: 'superuser (admin interface)',
      'Kubernetes ClusterRole': 'cluster-admin',
      ArgoCD: 'role:admin',
      Grafana: 'Admin',
      Longhorn: 'allowed',
    });
    expect(accessRow(md, 'root-devops')).toMatchObject({
      'Kubernetes ClusterRole': 'admin',
      ArgoCD: 'role:admin',
      Grafana: 'Editor',
      Longhorn: 'allowed',
    });
  });

  test('root-agents: cluster-admin, ArgoCD by policy.default, Grafana fallback', () => {
    expect(accessRow(md, 'root-agents')).toMatchObject({
      Members: 'agents: service account k8s-agent',
      'Kubernetes ClusterRole': 'cluster-admin',
      ArgoCD: 'role:readonly (policy.default)',
      Grafana: 'Viewer',
    });
  });

  test('the parent group has a row', () => {
    expect(accessRow(md, 'root (parent)')).toMatchObject({
      'Kubernetes ClusterRole': '—',
      Longhorn: 'denied',
      Infisical: 'any authenticated user',
    });
  });

  test('rows and columns follow the config order', () => {
    const groups = md
      .split('\n')
      .filter((l) => /^\| root/.test(l))
      .map((l) => l.split(' | ')[0].slice(2));
    expect(groups).toEqual(['root (parent)', 'root-admins', 'root-devops', 'root-developers', 'root-agents']);
    expect(md).toContain(
      '| Group | Members | Authentik | Kubernetes ClusterRole | ArgoCD | Grafana | Infisical | Longhorn | Hubble | Sympozium |',
    );
  });

  test('a public service is listed as public for every group', () => {
    const input = defaultInput();
    input.services.push({
      slug: 'status',
      name: 'Status',
      host: 'status.frank.derio.net',
      public: { upstream: 'http://192.168.55.215:80' },
    });
    const md2 = text(OUTPUT.accessDoc, renderInput(input));
    for (const g of ['root (parent)', 'root-admins', 'root-agents']) expect(accessRow(md2, g).Status).toBe('public (no authentication)');
  });

  test('strict Grafana: a group without a Grafana role is denied', () => {
    const input = defaultInput();
    input.grafana = { roleAttributeStrict: true };
    expect(accessRow(text(OUTPUT.accessDoc, renderInput(input)), 'root-agents').Grafana).toBe('denied (role_attribute_strict)');
  });
});

describe('SECRETS.md', () => {
  const md = text(OUTPUT.secretsDoc);

  test('lists argocd-oidc-secret in argocd with its key and the required label', () => {
    expect(md).toMatch(/^\| argocd \| argocd-oidc-secret \| oidc\.authentik\.clientSecret \| /m);
    expect(md).toContain('## argocd/argocd-oidc-secret');
    expect(md).toContain('`app.kubernetes.io/part-of: argocd`');
    expect(md).toContain('`$argocd-oidc-secret:oidc.authentik.clientSecret`');
  });

  test('lists every Secret with its SOPS command', () => {
    for (const [ns, name] of [
      ['authentik', 'authentik-secrets'],
      ['argocd', 'argocd-oidc-secret'],
      ['monitoring', 'grafana-oidc-secret'],
      ['infisical', 'infisical-oidc-secret'],
    ]) {
      expect(md).toContain(`sops --decrypt secrets/${ns}-${name}.sops.yaml | kubectl apply -f -`);
    }
  });

  test('Grafana: the key must equal the env var', () => {
    expect(md).toMatch(/^\| monitoring \| grafana-oidc-secret \| GF_AUTH_GENERIC_OAUTH_CLIENT_SECRET \| Grafana: envFromSecret/m);
  });

  test('names the values that must be equal', () => {
    expect(md).toContain(
      '| ArgoCD OIDC client secret | authentik/authentik-secrets key argocd_client_secret = argocd/argocd-oidc-secret key oidc.authentik.clientSecret |',
    );
    expect(md).toContain(
      'authentik/authentik-secrets key k8s_agent_app_password = env var K8S_AGENT_CLIENT_SECRET of the agent = base64("k8s-agent:P")',
    );
    expect(md).toMatch(/Infisical has no Helm value for OIDC/);
  });

  test('the Authentik Secret lists every key the chart values reference', () => {
    const env = (
      r.files.find((f) => f.path === 'values/authentik.yaml')!.docs![0] as {
        global: { env: Array<{ valueFrom?: { secretKeyRef: { key: string } } }> };
      }
    ).global.env;
    for (const e of env) if (e.valueFrom) expect(md).toContain(`| \`${e.valueFrom.secretKeyRef.key}\` |`);
  });
});

describe('manual-operations.yaml', () => {
  const ops = yaml.load(text(OUTPUT.manualOperations)) as Array<Record<string, unknown>>;

  test('every entry has exactly the 8 fields, the layer label unified-auth and a known status', () => {
    expect(ops.length).toBeGreaterThan(0);
    for (const op of ops) {
      expect(Object.keys(op)).toEqual(['id', 'layer', 'app', 'when', 'why_manual', 'commands', 'verify', 'status']);
      expect(op.layer).toBe('unified-auth');
      expect(['pending', 'done', 'n/a']).toContain(op.status);
      expect(Array.isArray(op.commands) && (op.commands as unknown[]).length > 0).toBe(true);
      expect(Array.isArray(op.verify)).toBe(true);
    }
    const ids = ops.map((o) => o.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  test('the truly manual steps are there, named from the model', () => {
    const byId = Object.fromEntries(ops.map((o) => [o.id as string, o]));
    expect(Object.keys(byId)).toEqual([
      'create-secret-authentik-authentik-secrets',
      'create-secret-authentik-authentik-postgresql',
      'create-secret-argocd-argocd-oidc-secret',
      'create-secret-monitoring-grafana-oidc-secret',
      'create-secret-infisical-infisical-oidc-secret',
      'bootstrap-root-application',
      'talos-apiserver-oidc',
      'people-kubeconfig-kubernetes',
      'agent-credentials-k8s-agent',
      'edge-traefik-dynamic-config',
      'grafana-values-grafana',
      'infisical-oidc-ui-infisical',
      'rotate-argocd-client-secret',
      'rotate-grafana-client-secret',
      'rotate-infisical-client-secret',
      'rotate-k8s-agent-app-password',
    ]);
    // One control plane at a time: the others locked, Omni's machine-set patch applied once, then unlocked one by one.
    const talos = byId['talos-apiserver-oidc'].commands as string[];
    expect(talos.filter((c) => c.startsWith('omnictl apply'))).toEqual([
      'omnictl apply -f dist/talos/omni-configpatch-apiserver-oidc.yaml  # patch 150-frank-apiserver-oidc (machine set frank-control-planes): only the unlocked control plane takes it',
    ]);
    expect(talos.findIndex((c) => c.startsWith('lock every control-plane machine but the first'))).toBeLessThan(
      talos.findIndex((c) => c.startsWith('omnictl apply')),
    );
    expect(byId['infisical-oidc-ui-infisical']).toMatchObject({ app: 'infisical', status: 'pending' });
    expect(byId['rotate-argocd-client-secret'].status).toBe('n/a');
  });

  test('rotation, per secret, in the only order that works: both Secrets, restart and wait, then the trigger', () => {
    const byId = Object.fromEntries(ops.map((o) => [o.id as string, o as { commands: string[] }]));
    const manualOps = Object.values(byId);
    const cmds = byId['rotate-grafana-client-secret'].commands;
    const at = (re: RegExp) => cmds.findIndex((c) => re.test(c));
    const order = [
      /^sops secrets\/authentik-authentik-secrets\.sops\.yaml {2}# new value under grafana_client_secret/,
      /^sops secrets\/monitoring-grafana-oidc-secret\.sops\.yaml {2}# the same value/,
      /^sops --decrypt secrets\/authentik-authentik-secrets/,
      /^sops --decrypt secrets\/monitoring-grafana-oidc-secret/,
      /^kubectl -n authentik rollout restart/,
      /^kubectl -n authentik rollout status/,
      /^set services\[slug=grafana\]\.oidc\.clientSecretRotation to a new value/,
      /ak apply_blueprint \/blueprints\/mounted\/cm-authentik-blueprint-oidc-providers-11\/oidc-providers-11\.yaml$/,
      /^kubectl -n monitoring rollout restart deployment -l app\.kubernetes\.io\/name=grafana/,
    ].map(at);
    expect(order).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    // Nothing says a restart alone re-applies blueprints: it does not.
    expect(manualOps.flatMap((o) => o.commands).join('\n')).not.toMatch(/blueprints re-apply/);
    expect(byId['rotate-k8s-agent-app-password'].commands).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^set services\[slug=k8s-agent\]\.agent\.appPasswordRotation/),
        expect.stringMatching(/agent-auth\.yaml$/),
      ]),
    );
  });

  test('without Omni the patch is applied with talosctl', () => {
    const input = defaultInput();
    delete input.talos!.omniCluster;
    const ops2 = yaml.load(text(OUTPUT.manualOperations, renderInput(input))) as Array<{
      id: string;
      commands: string[];
      verify: string[];
    }>;
    const talos = ops2.find((o) => o.id === 'talos-apiserver-oidc')!;
    expect(talos.commands.filter((c) => c.startsWith('talosctl'))).toEqual([
      'talosctl -n <cp> patch mc --patch @dist/talos/apiserver-oidc.yaml  # ONE control plane (<cp>) at a time, never all nodes in one call',
    ]);
    // The health gates between two control planes: node Ready, that apiserver's /readyz, etcd members healthy.
    expect(talos.verify.slice(0, 4).map((v) => v.split('  #')[0])).toEqual([
      'kubectl wait --for=condition=Ready node/<cp node name> --timeout=10m',
      "kubectl --server=https://<cp>:6443 get --raw='/readyz?verbose'",
      'talosctl -n <cp> etcd members',
      'talosctl -n <every control plane> etcd status',
    ]);
  });
});

describe('architecture.md', () => {
  const md = text(OUTPUT.architectureDoc);

  test('a Mermaid flowchart with Authentik and the three patterns', () => {
    expect(md).toContain('```mermaid\nflowchart TB\n');
    expect(md).toMatch(/authentik\["Authentik: IdP \+ embedded outpost<br\/>auth\.frank\.derio\.net<br\/>LB 192\.168\.55\.211"\]/);
    for (const sg of ['native_oidc', 'forward_auth', 'kube_auth']) expect(md).toMatch(new RegExp(`^  subgraph ${sg}\\[`, 'm'));
  });

  test('one node per service', () => {
    const nodes = [
      ...r.model.oidcApps.map((a) => mermaidId('oidc', a.slug)),
      ...r.model.proxyApps.map((a) => mermaidId('proxy', a.slug)),
      ...r.model.agents.map((a) => mermaidId('agent', a.slug)),
      ...r.model.kubectlApps.map((a) => mermaidId('kubectl', a.slug)),
    ];
    expect(nodes).toHaveLength(8);
    for (const n of nodes) expect(md.match(new RegExp(`^    ${n}\\[`, 'gm'))).toHaveLength(1);
  });
});

test('nothing of the default cluster leaks into the docs of another cluster', () => {
  const other = renderInput(loadYamlFile(path.join(ROOT, 'test/fixtures/other-cluster.yaml')));
  for (const f of other.files.filter((x) => x.path.startsWith('docs/'))) expect(f.text).not.toMatch(/frank|derio|192\.168\.55/);
});
