// The construct API as another cdk8s app uses it (lib/index.ts), tested with cdk8s `Testing`:
// the layer added to someone else's chart yields exactly the objects `npm run synth` writes to
// dist/, and the non-Kubernetes outputs come from the same object.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import yaml from 'js-yaml';
import { Chart, Testing } from 'cdk8s';
import { IngressRoute } from '@kubernetes-models/traefik/traefik.io/v1alpha1/IngressRoute';
import { Middleware } from '@kubernetes-models/traefik/traefik.io/v1alpha1/Middleware';
import { HTTPRoute } from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/HTTPRoute';
import {
  ArgoCdApplication,
  AuthEdge,
  AuthentikLoadBalancer,
  ConfigError,
  CrdObject,
  BlueprintConfigMap,
  GroupClusterRoleBinding,
  OUTPUT,
  UnifiedAuth,
  buildBlueprints,
  derive,
  manifests,
  parseConfig,
  type Manifest,
  render,
} from '../../lib';
import { listTree } from '../../lib/readback/tree';
import { legacyBindings } from '../../lib';

// cdk8s's Testing.app() makes a temporary output directory for each app and never removes it: one
// directory for this file, removed after it.
const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'construct-api-'));
afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));
const testChart = () => new Chart(Testing.app({ outdir }), 'test');
import { PlatformChart, synthExample } from '../../examples/existing-app/main';
import { ROOT, defaultInput, loadYamlFile } from '../support/helpers';

const DIST = path.join(ROOT, 'dist');
const config = parseConfig(defaultInput());
const key = (o: { kind: string; metadata: { name: string } }) => `${o.kind}/${o.metadata.name}`;

/** The Kubernetes objects committed under dist/<dir>/, by kind/name. */
function distObjects(dir: string): Map<string, unknown> {
  return new Map(
    listTree(path.join(DIST, dir)).map((f) => {
      const o = yaml.load(fs.readFileSync(path.join(DIST, dir, f), 'utf8')) as { kind: string; metadata: { name: string } };
      return [key(o), o];
    }),
  );
}

describe('UnifiedAuth in a chart of another app', () => {
  const chart = testChart();
  // As npm run synth does: the committed dist/ is the previous output, whose legacy group bindings get tombstones.
  const auth = new UnifiedAuth(chart, 'auth', { config, legacyBindings: legacyBindings(DIST) });
  const synthesized = Testing.synth(chart) as Array<{ kind: string; metadata: { name: string } }>;

  test('the chart holds exactly the objects of dist/apps and dist/authentik-extras', () => {
    const expected = new Map([...distObjects(OUTPUT.appsDir), ...distObjects(OUTPUT.extrasDir)]);
    expect(new Map(synthesized.map((o) => [key(o), o]))).toEqual(expected);
  });

  test('each part holds the objects of its directory', () => {
    expect(new Map(manifests(auth.applications).map((o) => [key(o), o]))).toEqual(distObjects(OUTPUT.appsDir));
    expect(new Map(manifests(auth.extras).map((o) => [key(o), o]))).toEqual(distObjects(OUTPUT.extrasDir));
  });

  test('the non-Kubernetes outputs are the files of dist/, byte for byte', () => {
    const k8sDirs = [OUTPUT.appsDir, OUTPUT.extrasDir].map((d) => `${d}/`);
    // The ownership manifest is the CLI's (npm run synth), not the layer's.
    const onDisk = listTree(DIST).filter((p) => !k8sDirs.some((d) => p.startsWith(d)) && p !== OUTPUT.manifest);
    expect(auth.files.map((f) => f.path).sort()).toEqual(onDisk.sort());
    for (const f of auth.files) expect(f.text).toBe(fs.readFileSync(path.join(DIST, f.path), 'utf8'));
    expect(auth.file(OUTPUT.traefik)?.text).toContain(auth.model.authentik.outpostTraefikUrl);
  });

  test('model and blueprints are exposed for the caller', () => {
    expect(auth.model.authentik.url).toBe('https://auth.frank.derio.net');
    expect(auth.blueprints.map((b) => b.configMapName)).toEqual(auth.extras.blueprintConfigMaps.map((c) => c.apiObject.metadata.name));
  });
});

describe('UnifiedAuth gitPath: the output where the app commits it', () => {
  const gitPath = 'clusters/frank/auth';
  const chart = testChart();
  const auth = new UnifiedAuth(chart, 'auth', { config, gitPath });
  const apps = new Map(manifests(auth.applications).map((o) => [o.metadata.name, o as Manifest & { spec: Record<string, unknown> }]));

  test('the Applications sync, and layer, files under it', () => {
    expect(apps.get('authentik-extras')?.spec.source).toMatchObject({ path: `${gitPath}/${OUTPUT.extrasDir}` });
    for (const [name, file] of [
      ['authentik', OUTPUT.authentikValues],
      ['argocd', OUTPUT.argocdValues],
    ]) {
      const sources = apps.get(name)?.spec.sources as Array<{ helm?: { valueFiles: string[] } }>;
      expect(sources[0].helm?.valueFiles.at(-1)).toBe(`$values/${gitPath}/${file}`);
    }
  });

  test('it is the same output as git.path set to it in the config, and the default is git.path', () => {
    const asConfig = new UnifiedAuth(testChart(), 'auth', {
      config: parseConfig({ ...defaultInput(), git: { ...config.git, path: gitPath } }),
    });
    expect(auth.outputFiles()).toEqual(asConfig.outputFiles());
    expect(auth.model.git.path).toBe(gitPath);
    expect(new UnifiedAuth(testChart(), 'auth', { config }).model.git.path).toBe(config.git.path);
  });

  test('a path outside the repository is a ConfigError naming git.path', () => {
    expect(() => new UnifiedAuth(testChart(), 'bad', { config, gitPath: '../elsewhere' })).toThrow(ConfigError);
    expect(() => new UnifiedAuth(testChart(), 'bad', { config, gitPath: '/abs' })).toThrow(
      /^git\.path: .*relative path inside the repository/,
    );
  });
});

describe('per-concern constructs', () => {
  const model = derive(config);

  test('GroupClusterRoleBinding (cdk8s-plus L2) binds the group subject its tokens carry', () => {
    const chart = testChart();
    new GroupClusterRoleBinding(chart, 'b', { group: 'root-developers', clusterRole: 'view' });
    expect(Testing.synth(chart)).toEqual([
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRoleBinding',
        metadata: { name: 'authentik-root-developers.view' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
        subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'root-developers' }],
      },
    ]);
  });

  test("BlueprintConfigMap carries one blueprint under a .yaml key in Authentik's namespace", () => {
    const chart = testChart();
    const [blueprint] = buildBlueprints(model);
    new BlueprintConfigMap(chart, 'bp', { blueprint, namespace: 'authentik' });
    const [cm] = Testing.synth(chart);
    expect(cm.metadata).toEqual({
      name: blueprint.configMapName,
      namespace: 'authentik',
      labels: { 'app.kubernetes.io/component': 'blueprint' },
    });
    expect(Object.keys(cm.data)).toEqual([blueprint.fileName]);
    expect(blueprint.fileName).toMatch(/\.yaml$/);
  });

  test('ArgoCdApplication validates against the Application CRD schema', () => {
    const chart = testChart();
    const spec = { project: 'p', destination: { server: 'https://kubernetes.default.svc' }, source: { repoURL: 'https://x', path: 'd' } };
    new ArgoCdApplication(chart, 'ok', { metadata: { name: 'ok', namespace: 'argocd' }, spec });
    expect(Testing.synth(chart)[0]).toMatchObject({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', spec });
    // `project` is required by the CRD.
    const bad = { ...spec, project: undefined } as unknown as typeof spec;
    expect(() => new ArgoCdApplication(testChart(), 'bad', { metadata: { name: 'bad', namespace: 'argocd' }, spec: bad })).toThrow(
      /project/,
    );
  });

  test('AuthentikLoadBalancer emits the typed Cilium pool and L2 policy only when asked', () => {
    const lbProps = { name: 'authentik-server-lb', namespace: 'authentik', ip: '192.168.55.211' };
    const chart = testChart();
    const lb = new AuthentikLoadBalancer(chart, 'lb', {
      ...lbProps,
      ciliumVersion: '1.18.0',
      ipPool: ['192.168.55.200/27'],
      l2Interfaces: ['^eth0$'],
    });
    expect(Testing.synth(chart).map((o) => `${o.apiVersion} ${o.kind}`)).toEqual([
      'v1 Service',
      'cilium.io/v2 CiliumLoadBalancerIPPool',
      'cilium.io/v2alpha1 CiliumL2AnnouncementPolicy',
    ]);
    expect(lb.ipPool?.toJson()).toMatchObject({ spec: { blocks: [{ cidr: '192.168.55.200/27' }] } });
    const plain = testChart();
    new AuthentikLoadBalancer(plain, 'lb', { ...lbProps, ciliumVersion: '1.16.5' });
    expect(Testing.synth(plain)).toEqual([
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: {
          name: 'authentik-server-lb',
          namespace: 'authentik',
          labels: { 'app.kubernetes.io/name': 'authentik-server-lb' },
          annotations: { 'lbipam.cilium.io/ips': '192.168.55.211' },
        },
        spec: {
          type: 'LoadBalancer',
          selector: { 'app.kubernetes.io/name': 'authentik', 'app.kubernetes.io/component': 'server' },
          ports: [
            { name: 'http', port: 9000, targetPort: 'http', protocol: 'TCP' },
            { name: 'https', port: 9443, targetPort: 'https', protocol: 'TCP' },
          ],
        },
      },
    ]);
    // Cilium before 1.15: the pool is v2alpha1 with its blocks under `cidrs`.
    const old = testChart();
    new AuthentikLoadBalancer(old, 'lb', { ...lbProps, ciliumVersion: '1.14.9', ipPool: ['10.0.0.0/28'] });
    expect(Testing.synth(old)[1]).toMatchObject({ apiVersion: 'cilium.io/v2alpha1', spec: { cidrs: [{ cidr: '10.0.0.0/28' }] } });
  });
});

describe('AuthEdge: the in-cluster edge as typed objects of the chart', () => {
  const edgeConfig = (mode: string) => parseConfig(loadYamlFile(path.join(ROOT, `test/fixtures/edge-${mode}.yaml`)));
  /** The edge/ files `npm run synth` writes for the same config, as parsed documents by path. */
  const edgeDocs = (c: ReturnType<typeof parseConfig>) =>
    new Map(
      render(c)
        .files.filter((f) => f.path.startsWith(`${OUTPUT.edgeDir}/`))
        .map((f) => [f.path, f.docs?.[0]]),
    );

  test.each([
    ['traefik-crd', 'IngressRoute', IngressRoute],
    ['gateway-api', 'HTTPRoute', HTTPRoute],
  ] as const)('%s: %s and Middleware objects join the chart, each keeping its typed model', (mode, routeKind, RouteClass) => {
    const config = edgeConfig(mode);
    const chart = testChart();
    const auth = new UnifiedAuth(chart, 'auth', { config });
    expect(auth.edge.routes.length).toBeGreaterThan(0);
    expect(auth.edge.middlewares.length).toBeGreaterThan(0);
    for (const r of auth.edge.routes) expect(r.object).toBeInstanceOf(RouteClass);
    for (const mw of auth.edge.middlewares) expect(mw.object).toBeInstanceOf(Middleware);
    const edgeObjects = (Testing.synth(chart) as Manifest[]).filter((o) => o.kind === routeKind || o.kind === 'Middleware');
    expect(edgeObjects).toHaveLength(auth.edge.routes.length + auth.edge.middlewares.length);
    // What the chart holds is what dist/edge/ gets, object for object (one file each, namespace in the name).
    const byPath = new Map(
      edgeObjects.map((o) => [`${OUTPUT.edgeDir}/${o.kind.toLowerCase()}-${o.metadata.namespace}.${o.metadata.name}.yaml`, o]),
    );
    expect(byPath).toEqual(edgeDocs(config));
    // Not in `files`: those are the non-Kubernetes outputs.
    expect(auth.files.some((f) => f.path.startsWith(`${OUTPUT.edgeDir}/`) || f.path === OUTPUT.traefik)).toBe(false);
  });

  test('traefik-file: no edge objects, the Traefik file config is in files', () => {
    const chart = testChart();
    const auth = new UnifiedAuth(chart, 'auth', { config: edgeConfig('traefik-file') });
    expect([...auth.edge.routes, ...auth.edge.middlewares]).toEqual([]);
    expect(manifests(auth.edge)).toEqual([]);
    expect(auth.file(OUTPUT.traefik)?.docs?.[0]).toMatchObject({ http: { routers: expect.any(Object) } });
  });

  test('AuthEdge on its own builds from a model alone', () => {
    const chart = testChart();
    const edge = new AuthEdge(chart, 'edge', { model: derive(edgeConfig('traefik-crd')) });
    expect(Testing.synth(chart).map((o) => o.kind)).toEqual([
      ...edge.routes.map(() => 'IngressRoute'),
      ...edge.middlewares.map(() => 'Middleware'),
    ]);
  });

  test("CrdObject refuses what the CRD's schema rejects", () => {
    const ok = new Middleware({ metadata: { name: 'm', namespace: 'n' }, spec: { stripPrefix: { prefixes: ['/x'] } } });
    expect(new CrdObject(testChart(), 'ok', ok).toJson()).toEqual({
      apiVersion: 'traefik.io/v1alpha1',
      kind: 'Middleware',
      metadata: { name: 'm', namespace: 'n' },
      spec: { stripPrefix: { prefixes: ['/x'] } },
    });
    // An IngressRoute route without its `match` rule.
    const bad = new IngressRoute({
      metadata: { name: 'r', namespace: 'n' },
      spec: { routes: [{ kind: 'Rule', services: [{ name: 's', port: 80 }] }] as unknown as IngressRoute['spec']['routes'] },
    });
    expect(() => new CrdObject(testChart(), 'bad', bad)).toThrow(/match/);
  });
});

describe('examples/existing-app', () => {
  test('its chart holds its own objects and the auth layer, side by side', () => {
    const chart = new PlatformChart(Testing.app({ outdir }), 'platform', { authConfig: config, disableResourceNameHashes: true });
    const names = Testing.synth(chart).map((o) => key(o));
    expect(names).toContain('Namespace/monitoring');
    expect(names).toContain('Application/authentik-extras');
    expect(names).toContain('ConfigMap/authentik-blueprint-groups');
    expect(chart.auth).toBeInstanceOf(UnifiedAuth);
    expect(Chart.of(chart.auth)).toBe(chart);
  });

  test('synthExample writes the manifest and the other outputs', () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'ua-example-'));
    try {
      synthExample(path.join(ROOT, 'test/fixtures/other-cluster.yaml'), out, 'clusters/lab');
      const manifest = yaml.loadAll(fs.readFileSync(path.join(out, 'platform.k8s.yaml'), 'utf8')) as Array<
        Manifest & { spec: Record<string, unknown> }
      >;
      const apps = manifest.filter((o) => o.kind === 'Application');
      expect(apps).toHaveLength(3);
      expect(fs.existsSync(path.join(out, 'unified-auth', OUTPUT.authentikValues))).toBe(true);
      expect(fs.existsSync(path.join(out, 'unified-auth', OUTPUT.traefik))).toBe(true);
      // Every repository path an Application names is where the example wrote it (out = clusters/lab).
      const extras = apps.find((a) => a.metadata.name === 'authentik-extras')?.spec.source as { path: string };
      expect(extras.path).toBe(`clusters/lab/unified-auth/${OUTPUT.extrasDir}`);
      expect(fs.readdirSync(path.join(out, 'unified-auth', OUTPUT.extrasDir)).length).toBeGreaterThan(0);
      const authentik = apps.find((a) => a.metadata.name === 'authentik')?.spec.sources as Array<{ helm?: { valueFiles: string[] } }>;
      expect(authentik[0].helm?.valueFiles.at(-1)).toBe(`$values/clusters/lab/unified-auth/${OUTPUT.authentikValues}`);
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });
});
