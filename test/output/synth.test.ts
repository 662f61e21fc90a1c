// The synthesizer's Kubernetes output and values files (issue 2), checked against the real
// model classes (@kubernetes-models/argo-cd, kubernetes-models) and by explicit assertions.
import path from 'node:path';
import { Application } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/Application';
import { Service } from 'kubernetes-models/v1/Service';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { ClusterRoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRoleBinding';
import yaml from 'js-yaml';
import { ROOT, defaultInput, doc, file, loadYamlFile, renderInput } from '../support/helpers';

const r = renderInput(defaultInput());
const apps = ['authentik', 'authentik-extras', 'argocd'].map((n) => doc(r, `apps/application-${n}.yaml`));

describe('dist/apps', () => {
  test('the authentik Namespace is privileged for enforce, warn and audit', () => {
    const ns = doc(r, 'apps/namespace-authentik.yaml');
    expect(ns.metadata.name).toBe('authentik');
    for (const mode of ['enforce', 'warn', 'audit']) {
      expect(ns.metadata.labels[`pod-security.kubernetes.io/${mode}`]).toBe('privileged');
    }
    expect(() => new Namespace(ns).validate()).not.toThrow();
  });

  test.each(apps.map((a) => [a.metadata.name, a]))('Application %s follows the ArgoCD conventions', (_n, app) => {
    expect(() => new Application(app).validate()).not.toThrow();
    expect(app.metadata.namespace).toBe('argocd');
    // ArgoCD managing itself gets no resources finalizer: deleting it must not cascade-delete ArgoCD.
    expect(app.metadata.finalizers).toEqual(app.metadata.name === 'argocd' ? undefined : ['resources-finalizer.argocd.argoproj.io']);
    expect(app.spec.project).toBe('infrastructure');
    // Only the generated raw manifests are pruned; the Helm releases are never pruned.
    expect(app.spec.syncPolicy.automated).toEqual(
      app.metadata.name === 'authentik-extras' ? { prune: true, selfHeal: true } : { selfHeal: true },
    );
    const opts: string[] = app.spec.syncPolicy.syncOptions;
    expect(opts).toEqual(expect.arrayContaining(['ServerSideApply=true', 'CreateNamespace=false']));
    expect(opts.includes('RespectIgnoreDifferences=true')).toBe(Boolean(app.spec.ignoreDifferences));
    // ArgoCD normalizes these away; emitting them shows permanent drift.
    const text = JSON.stringify(app);
    expect(text).not.toContain('"prune":false');
    expect(text).not.toContain('"group":""');
  });

  test('authentik: chart + $values ref; no ignoreDifferences (the chart renders none of the out-of-band Secrets)', () => {
    const app = apps[0];
    const [chart, values] = app.spec.sources;
    expect(chart).toEqual({
      repoURL: 'https://charts.goauthentik.io',
      chart: 'authentik',
      targetRevision: '2026.2.3',
      // The release's own values first, the generated auth keys last (they win).
      helm: { releaseName: 'authentik', valueFiles: ['$values/apps/authentik/values.yaml', '$values/dist/values/authentik.yaml'] },
    });
    expect(values).toEqual({ repoURL: 'https://github.com/derio-net/frank.git', targetRevision: 'main', ref: 'values' });
    expect(app.spec.ignoreDifferences).toBeUndefined();
    expect(app.spec.syncPolicy.syncOptions).not.toContain('RespectIgnoreDifferences=true');
    expect(app.spec.destination.namespace).toBe('authentik');
  });

  test('authentik-extras syncs its own dist directory', () => {
    expect(apps[1].spec.source).toEqual({
      repoURL: 'https://github.com/derio-net/frank.git',
      targetRevision: 'main',
      path: 'dist/authentik-extras',
    });
    expect(apps[1].spec.ignoreDifferences).toBeUndefined();
  });

  test('argocd manages itself from dist/values/argocd.yaml', () => {
    const [chart, values] = apps[2].spec.sources;
    expect(chart.chart).toBe('argo-cd');
    expect(chart.repoURL).toBe('https://argoproj.github.io/argo-helm');
    expect(chart.targetRevision).toBe('9.4.6');
    expect(chart.helm.valueFiles).toEqual(['$values/apps/argocd/values.yaml', '$values/dist/values/argocd.yaml']);
    expect(values.ref).toBe('values');
    // Only the Secret the argo-cd chart renders and argocd-server writes into (CI renders the chart to prove it exists).
    expect(apps[2].spec.ignoreDifferences).toEqual([
      { kind: 'Secret', name: 'argocd-secret', namespace: 'argocd', jsonPointers: ['/data'] },
    ]);
    expect(r.files.some((f) => f.path === 'values/argocd.yaml')).toBe(true);
  });
});

describe('dist/authentik-extras', () => {
  test('the LoadBalancer Service carries the Cilium LB-IPAM IP and the named ports', () => {
    const svc = doc(r, 'authentik-extras/service-authentik-server-lb.yaml');
    expect(() => new Service(svc).validate()).not.toThrow();
    expect(svc.spec.type).toBe('LoadBalancer');
    expect(svc.metadata.annotations).toEqual({ 'lbipam.cilium.io/ips': '192.168.55.211' });
    expect(svc.spec.ports).toEqual([
      { name: 'http', port: 9000, targetPort: 'http', protocol: 'TCP' },
      { name: 'https', port: 9443, targetPort: 'https', protocol: 'TCP' },
    ]);
    expect(svc.spec.selector).toEqual({ 'app.kubernetes.io/name': 'authentik', 'app.kubernetes.io/component': 'server' });
  });

  test('the Cilium IP pool and L2 announcement policy are opt-in and select only this Service', () => {
    expect(r.files.some((f) => /cilium/.test(f.path))).toBe(false);
    const input = defaultInput();
    input.cilium = { version: '1.18.2', manageIpPool: true, l2Interfaces: ['^eth[0-9]+$'] };
    const r2 = renderInput(input);
    const svc = doc(r2, 'authentik-extras/service-authentik-server-lb.yaml');
    const pool = doc(r2, 'authentik-extras/ciliumloadbalancerippool-authentik-server-lb.yaml');
    const l2 = doc(r2, 'authentik-extras/ciliuml2announcementpolicy-authentik-server-lb.yaml');
    expect(pool.apiVersion).toBe('cilium.io/v2');
    expect(pool.spec.blocks).toEqual([{ cidr: '192.168.55.200/27' }]);
    expect(l2.apiVersion).toBe('cilium.io/v2alpha1');
    expect(l2.spec).toMatchObject({ interfaces: ['^eth[0-9]+$'], loadBalancerIPs: true });
    for (const selector of [pool.spec.serviceSelector, l2.spec.serviceSelector]) {
      for (const [k, v] of Object.entries(selector.matchLabels)) expect(svc.metadata.labels[k]).toBe(v);
    }
    // Older Cilium: the deprecated group version and, before 1.15, `cidrs`.
    input.cilium = { version: '1.14.9', manageIpPool: true };
    const old = doc(renderInput(input), 'authentik-extras/ciliumloadbalancerippool-authentik-server-lb.yaml');
    expect(old.apiVersion).toBe('cilium.io/v2alpha1');
    expect(old.spec.cidrs).toEqual([{ cidr: '192.168.55.200/27' }]);
  });

  test('Cilium before 1.16 gets the old annotation name', () => {
    const input = defaultInput();
    input.cilium!.version = '1.15.7';
    const svc = doc(renderInput(input), 'authentik-extras/service-authentik-server-lb.yaml');
    expect(Object.keys(svc.metadata.annotations)).toEqual(['io.cilium/lb-ipam-ips']);
  });

  test('one ClusterRoleBinding per group with a Kubernetes role, named with the role (roleRef is immutable), subject = prefix + group', () => {
    const expected = { 'root-admins': 'cluster-admin', 'root-devops': 'admin', 'root-developers': 'view', 'root-agents': 'cluster-admin' };
    for (const [group, role] of Object.entries(expected)) {
      const crb = doc(r, `authentik-extras/clusterrolebinding-authentik-${group}.${role}.yaml`);
      expect(crb.metadata.name).toBe(`authentik-${group}.${role}`);
      expect(() => new ClusterRoleBinding(crb).validate()).not.toThrow();
      expect(crb.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role });
      expect(crb.subjects).toEqual([{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: group }]);
    }
    const input = defaultInput();
    input.kubernetes!.groupsPrefix = 'oidc:';
    input.groups[2].kubernetes = undefined;
    const r2 = renderInput(input);
    expect(doc(r2, 'authentik-extras/clusterrolebinding-authentik-root-admins.cluster-admin.yaml').subjects[0].name).toBe(
      'oidc:root-admins',
    );
    expect(r2.files.some((f) => f.path.includes('root-developers'))).toBe(false);
  });

  test('object names cannot collide: group a-b with role c vs group a with role b-c, a group named like a blueprint', () => {
    const input = defaultInput();
    // allowedGroups omitted: the kubectl client admits them all, so their bindings can match.
    delete input.services.find((s) => s.kubectl)!.allowedGroups;
    input.groups.push(
      { name: 'a-b', kubernetes: 'c' },
      { name: 'a', kubernetes: 'b-c' },
      { name: 'blueprint', kubernetes: 'oidc-providers-15' },
    );
    const names = renderInput(input).files.map((f) => f.path);
    expect(names).toEqual(
      expect.arrayContaining([
        'authentik-extras/clusterrolebinding-authentik-a-b.c.yaml',
        'authentik-extras/clusterrolebinding-authentik-a.b-c.yaml',
        'authentik-extras/clusterrolebinding-authentik-blueprint.oidc-providers-15.yaml',
        'authentik-extras/configmap-authentik-blueprint-oidc-providers-15.yaml',
      ]),
    );
  });

  test('every blueprint ConfigMap is a valid ConfigMap', () => {
    const cms = r.files.filter((f) => f.path.startsWith('authentik-extras/configmap-'));
    expect(cms.length).toBeGreaterThanOrEqual(6);
    for (const f of cms) expect(() => new ConfigMap(f.docs![0] as never).validate()).not.toThrow();
  });
});

describe('dist/values', () => {
  const values = doc(r, 'values/authentik.yaml');
  const env = Object.fromEntries(values.global.env.map((e: { name: string }) => [e.name, e]));

  const worker = Object.fromEntries(values.worker.env.map((e: { name: string }) => [e.name, e]));

  test('global.env (server and worker): AUTHENTIK_HOST, the secret key and the PostgreSQL password, nothing else', () => {
    expect(env.AUTHENTIK_HOST).toEqual({ name: 'AUTHENTIK_HOST', value: 'https://auth.frank.derio.net' });
    expect(env.AUTHENTIK_SECRET_KEY.valueFrom).toEqual({ secretKeyRef: { name: 'authentik-secrets', key: 'secret_key' } });
    expect(env.AUTHENTIK_POSTGRESQL__PASSWORD.valueFrom).toEqual({ secretKeyRef: { name: 'authentik-postgresql', key: 'password' } });
    expect(Object.keys(env)).toEqual(['AUTHENTIK_HOST', 'AUTHENTIK_SECRET_KEY', 'AUTHENTIK_POSTGRESQL__PASSWORD']);
    for (const e of values.global.env) if (e.name !== 'AUTHENTIK_HOST') expect(e.value).toBeUndefined();
  });

  test('worker.env: the blueprint inputs (bootstrap password, client secrets, app passwords) reach only the worker', () => {
    const ref = (key: string) => ({ secretKeyRef: { name: 'authentik-secrets', key } });
    expect(worker.AUTHENTIK_BOOTSTRAP_PASSWORD.valueFrom).toEqual(ref('bootstrap_password'));
    expect(worker.UA_OIDC_ARGOCD_CLIENT_SECRET.valueFrom).toEqual(ref('argocd_client_secret'));
    expect(worker.UA_AGENT_K8S_AGENT_APP_PASSWORD.valueFrom).toEqual(ref('k8s_agent_app_password'));
    for (const e of values.worker.env) expect(e.value).toBeUndefined();
    for (const name of Object.keys(worker)) expect(env).not.toHaveProperty(name);
  });

  test('the bundled PostgreSQL mounts a Secret of its own, holding only its password', () => {
    // The running release's own values decide whether PostgreSQL is bundled (test/consumers/values-layering.test.ts).
    expect(values.postgresql.enabled).toBeUndefined();
    expect(values.postgresql.auth).toEqual({
      existingSecret: 'authentik-postgresql',
      secretKeys: { adminPasswordKey: 'password', userPasswordKey: 'password' },
    });
  });

  test('blueprints.configMaps lists exactly the emitted blueprint ConfigMaps', () => {
    const emitted = r.files
      .filter((f) => f.path.startsWith('authentik-extras/configmap-'))
      .map((f) => (f.docs![0] as { metadata: { name: string } }).metadata.name);
    expect([...values.blueprints.configMaps].sort()).toEqual(emitted.sort());
  });

  test('argocd: url, oidc.config with the issuer and a Secret reference, RBAC from the groups, no Dex', () => {
    const a = doc(r, 'values/argocd.yaml');
    expect(a.configs.cm.url).toBe('https://argocd.frank.derio.net');
    const oidc = yaml.load(a.configs.cm['oidc.config']) as Record<string, unknown>;
    expect(oidc).toMatchObject({
      issuer: 'https://auth.frank.derio.net/application/o/argocd/',
      clientID: 'argocd',
      clientSecret: '$argocd-oidc-secret:oidc.authentik.clientSecret',
    });
    expect(oidc.requestedScopes).toEqual(['openid', 'email', 'profile', 'offline_access', 'groups']);
    // Only the keys the auth layer owns: global.domain and admin.enabled are the operator's.
    expect(a.global).toBeUndefined();
    expect(Object.keys(a.configs.cm)).toEqual(['url', 'oidc.config']);
    expect(a.dex.enabled).toBe(false);
    expect(a.configs.rbac).toEqual({
      'policy.csv': 'g, root-admins, role:admin\ng, root-devops, role:admin\ng, root-developers, role:readonly\n',
      'policy.default': 'role:readonly',
      scopes: '[groups]',
    });
  });
});

describe('synth behaviour', () => {
  test('two renders are byte-identical', () => {
    const again = renderInput(defaultInput());
    expect(again.files.map((f) => [f.path, f.text])).toEqual(r.files.map((f) => [f.path, f.text]));
  });

  test('a YAML config for another cluster renders a matching tree', () => {
    const other = renderInput(loadYamlFile(path.join(ROOT, 'test/fixtures/other-cluster.yaml')));
    const authentik = doc(other, 'apps/application-authentik.yaml');
    expect(authentik.spec.project).toBe('platform');
    expect(authentik.spec.sources[0].helm.valueFiles).toEqual(['$values/clusters/lab/dist/values/authentik.yaml']);
    expect(doc(other, 'apps/application-authentik-extras.yaml').spec.source.path).toBe('clusters/lab/dist/authentik-extras');
    const svc = doc(other, 'authentik-extras/service-authentik-server-lb.yaml');
    expect(svc.metadata.annotations).toEqual({ 'io.cilium/lb-ipam-ips': '10.20.0.50' });
    const env = doc(other, 'values/authentik.yaml').global.env;
    expect(env[0]).toEqual({ name: 'AUTHENTIK_HOST', value: 'https://sso.lab.example.org' });
    expect(file(other, 'authentik-extras/configmap-authentik-blueprint-oidc-providers-1.yaml').text).toContain(
      'url: https://wiki.lab.example.org/oauth2/callback',
    );
    // Nothing of the default cluster leaks into another cluster's output.
    for (const f of other.files) expect(f.text).not.toMatch(/frank|derio|192\.168\.55/);
  });
});
