// The edge in its three modes (test/fixtures/edge-*.yaml): each synthesizes, every object passes
// its typed model's validate() (@kubernetes-models/traefik, gateway-api, argo-cd), the route
// shapes are what the config says, and the checks fire on tampered output in every mode.
import path from 'node:path';
import { IngressRoute } from '@kubernetes-models/traefik/traefik.io/v1alpha1/IngressRoute';
import { Middleware } from '@kubernetes-models/traefik/traefik.io/v1alpha1/Middleware';
import { HTTPRoute } from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/HTTPRoute';
import { Application } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/Application';
import { findings } from '../../lib/checks';
import { checkEdge } from '../../lib/checks/edge';
import { checkPatterns } from '../../lib/checks/patterns';
import { checkForwardAuth } from '../../lib/checks/forward-auth';
import { AUTH_RESPONSE_HEADERS } from '../../lib/model/edge';
import type { SynthResult } from '../../lib/output/render';
import { ROOT, defaultInput, doc, file, loadYamlFile, renderInput } from '../support/helpers';

const fixture = (mode: string) => loadYamlFile(path.join(ROOT, `test/fixtures/edge-${mode}.yaml`)) as any;
const render = (mode: string, edit?: (c: any) => void) => {
  const c = fixture(mode);
  edit?.(c);
  return renderInput(c);
};
const objects = (r: SynthResult, kind: string) =>
  r.files
    .filter((f) => f.path.startsWith('edge/'))
    .map((f) => f.docs![0] as any)
    .filter((d) => d.kind === kind);
const obj = (r: SynthResult, kind: string, ns: string, name: string) => {
  const o = objects(r, kind).find((d) => d.metadata.namespace === ns && d.metadata.name === name);
  if (!o) throw new Error(`no ${kind} ${ns}/${name}`);
  return o;
};
const dropFile = (r: SynthResult, p: string) => {
  const n = r.files.length;
  r.files = r.files.filter((f) => f.path !== p);
  expect(r.files.length).toBe(n - 1);
};
/** One finding of `check` containing every part. */
const expectFinding = (check: (r: SynthResult) => string[], r: SynthResult, ...parts: string[]) => {
  const f = check(r);
  if (!f.some((l) => parts.every((p) => l.includes(p))))
    throw new Error(`no finding with ${parts.join(' & ')}; findings:\n${f.join('\n') || '(none)'}`);
};
const CLUSTER_ADDRESS = 'http://authentik-server.authentik.svc.cluster.local:80/outpost.goauthentik.io/auth/traefik';

describe('every mode synthesizes, passes every check and its typed models', () => {
  test.each(['traefik-file', 'traefik-crd', 'gateway-api'])('%s', (mode) => {
    const r = render(mode);
    expect(findings(r)).toEqual([]);
    expect(r.model.edge.mode).toBe(mode);
    for (const d of objects(r, 'IngressRoute')) expect(() => new IngressRoute(d).validate()).not.toThrow();
    for (const d of objects(r, 'Middleware')) expect(() => new Middleware(d).validate()).not.toThrow();
    for (const d of objects(r, 'HTTPRoute')) expect(() => new HTTPRoute(d).validate()).not.toThrow();
    const edgeApp = r.files.find((f) => f.path === 'apps/application-edge.yaml');
    if (mode === 'traefik-file') {
      expect(edgeApp).toBeUndefined();
      expect(r.files.filter((f) => f.path.startsWith('edge/'))).toEqual([]);
    } else {
      const app = new Application(edgeApp!.docs![0] as any);
      expect(() => app.validate()).not.toThrow();
      expect(app.spec.source?.path).toBe(r.model.repoPaths.edge);
      expect(app.spec.syncPolicy?.automated).toEqual({ prune: true, selfHeal: true });
    }
  });

  test('the typed models reject what the apiserver would: a route without match, a string port in an HTTPRoute', () => {
    const r = render('gateway-api');
    const hr = structuredClone(obj(r, 'HTTPRoute', 'sympozium-system', 'sympozium'));
    hr.spec.rules[0].backendRefs[0].port = '8080';
    expect(() => new HTTPRoute(hr).validate()).toThrow(/port/);
    const c = render('traefik-crd');
    const ir = structuredClone(obj(c, 'IngressRoute', 'longhorn-system', 'longhorn'));
    delete ir.spec.routes[0].match;
    expect(() => new IngressRoute(ir).validate()).toThrow(/match/);
  });

  test('the default config stays a traefik-file edge with no edge directory and no edge Application', () => {
    const r = renderInput(defaultInput());
    expect(r.model.edge.mode).toBe('traefik-file');
    expect(r.files.some((f) => f.path.startsWith('edge/') || f.path === 'apps/application-edge.yaml')).toBe(false);
  });
});

describe("traefik-crd: the seed cluster's 25 IngressRoutes", () => {
  const r = render('traefik-crd');
  const routes = objects(r, 'IngressRoute');

  test('25 IngressRoutes and 26 routes, one per service and namespace, Authentik and OIDC apps included', () => {
    expect(routes).toHaveLength(25);
    expect(routes.flatMap((o) => o.spec.routes)).toHaveLength(26);
    expect(obj(r, 'IngressRoute', 'authentik', 'authentik').spec.routes).toEqual([
      {
        kind: 'Rule',
        match: 'Host(`auth.frank.derio.net`)',
        middlewares: [{ name: 'security-headers', namespace: 'traefik' }],
        services: [{ name: 'authentik-server', port: 80 }],
      },
    ]);
    expect(obj(r, 'IngressRoute', 'argocd', 'argocd').spec.routes[0].middlewares).toEqual([
      { name: 'security-headers', namespace: 'traefik' },
    ]);
  });

  test('one host split by PathPrefix, each route with its own Service backend', () => {
    const s = obj(r, 'IngressRoute', 'sympozium-system', 'sympozium').spec.routes;
    expect(s.map((x: any) => [x.match, x.services])).toEqual([
      ['Host(`sympozium.frank.derio.net`) && PathPrefix(`/api`)', [{ name: 'sympozium-apiserver', port: 8080 }]],
      ['Host(`sympozium.frank.derio.net`)', [{ name: 'sympozium-web', port: 'http' }]],
    ]);
  });

  test('the chain: global headers (foreign, by namespace), the allow list, then forward auth', () => {
    expect(obj(r, 'IngressRoute', 'longhorn-system', 'longhorn').spec.routes[0].middlewares).toEqual([
      { name: 'security-headers', namespace: 'traefik' },
      { name: 'ip-allow-lan' },
      { name: 'authentik-forward-auth' },
    ]);
    expect(obj(r, 'Middleware', 'longhorn-system', 'ip-allow-lan').spec).toEqual({
      ipAllowList: { sourceRange: ['192.168.0.0/16', '10.0.0.0/8'] },
    });
  });

  test('forward auth calls the Authentik server Service by cluster DNS, once per namespace that needs it', () => {
    const fa = objects(r, 'Middleware').filter((d) => d.spec.forwardAuth);
    const namespaces = fa.map((d) => d.metadata.namespace);
    expect(new Set(namespaces).size).toBe(namespaces.length);
    const needing = new Set(
      routes
        .filter((o) => o.spec.routes.some((x: any) => x.middlewares?.some((mw: any) => mw.name === 'authentik-forward-auth')))
        .map((o) => o.metadata.namespace),
    );
    expect(new Set(namespaces)).toEqual(needing);
    for (const d of fa) {
      expect(d.spec.forwardAuth).toEqual({
        address: CLUSTER_ADDRESS,
        trustForwardHeader: true,
        authResponseHeaders: [...AUTH_RESPONSE_HEADERS],
      });
    }
    expect(r.model.authentik.outpostTraefikUrl).toBe(CLUSTER_ADDRESS);
  });

  test('wildcard TLS through the cert resolver; a route of its own Secret', () => {
    expect(obj(r, 'IngressRoute', 'monitoring', 'grafana').spec.tls).toEqual({
      certResolver: 'letsencrypt',
      domains: [{ main: 'frank.derio.net', sans: ['*.frank.derio.net'] }],
    });
    expect(obj(r, 'IngressRoute', 'blog', 'blog').spec.tls).toEqual({ secretName: 'blog-tls' });
  });

  test('ACCESS.md lists every route with its protection', () => {
    const text = file(r, 'docs/ACCESS.md').text;
    const rows = text.split('\n').filter((l) => /^\| \S+\.frank\.derio\.net \| \//.test(l));
    expect(rows).toHaveLength(26);
    expect(rows.find((l) => l.includes('longhorn.'))).toBe(
      '| longhorn.frank.derio.net | / | longhorn-system/longhorn-frontend:80 | forward auth (embedded outpost): root-admins, root-devops; IP allow-listed (lan: 192.168.0.0/16, 10.0.0.0/8) | traefik/security-headers → ip-allow-lan → authentik-forward-auth |',
    );
    expect(rows.find((l) => l.includes('git.'))).toContain('OIDC in the app: root-admins, root-devops, root-developers');
    expect(rows.find((l) => l.includes('status.'))).toContain('public (no authentication)');
    expect(rows.find((l) => l.includes('auth.frank'))).toContain('Authentik itself');
  });
});

describe('gateway-api: HTTPRoutes with ExtensionRef Middlewares in their own namespace', () => {
  const r = render('gateway-api');

  test('parentRefs, hostnames, PathPrefix rules, no TLS on the route', () => {
    const hr = obj(r, 'HTTPRoute', 'sympozium-system', 'sympozium');
    expect(hr.spec.parentRefs).toEqual([{ name: 'edge', namespace: 'gateway-system', sectionName: 'websecure' }]);
    expect(hr.spec.hostnames).toEqual(['sympozium.lab.example.org']);
    expect(hr.spec.rules.map((x: any) => [x.matches[0].path, x.backendRefs])).toEqual([
      [{ type: 'PathPrefix', value: '/api' }, [{ name: 'sympozium-apiserver', port: 8080 }]],
      [{ type: 'PathPrefix', value: '/' }, [{ name: 'sympozium-web', port: 80 }]],
    ]);
    expect(JSON.stringify(objects(r, 'HTTPRoute'))).not.toContain('tls');
  });

  test("every ExtensionRef names a Middleware emitted in the HTTPRoute's namespace (owned ones once per namespace)", () => {
    const mws = new Set(objects(r, 'Middleware').map((d) => `${d.metadata.namespace}/${d.metadata.name}`));
    expect(objects(r, 'Middleware')).toHaveLength(mws.size);
    for (const hr of objects(r, 'HTTPRoute')) {
      for (const f of hr.spec.rules.flatMap((x: any) => x.filters ?? [])) {
        expect(f).toMatchObject({ type: 'ExtensionRef', extensionRef: { group: 'traefik.io', kind: 'Middleware' } });
        if (f.extensionRef.name !== 'compress') expect(mws).toContain(`${hr.metadata.namespace}/${f.extensionRef.name}`);
      }
    }
    // The release is "sso": the chart's server Service is sso-authentik-server.
    expect(obj(r, 'Middleware', 'monitoring', 'authentik-forward-auth').spec.forwardAuth.address).toBe(
      'http://sso-authentik-server.authentik.svc.cluster.local:80/outpost.goauthentik.io/auth/traefik',
    );
    expect(obj(r, 'HTTPRoute', 'authentik', 'authentik').spec.rules[0].backendRefs).toEqual([{ name: 'sso-authentik-server', port: 80 }]);
  });
});

describe('traefik-file: URL backends, path split, chains and wildcard TLS', () => {
  const r = render('traefik-file');
  const http = doc(r, 'traefik/authentik.yaml').http;

  test('routers and services', () => {
    expect(http.routers.sympozium.rule).toBe('Host(`sympozium.lab.example.org`) && PathPrefix(`/api`)');
    expect(http.routers.sympozium_1.rule).toBe('Host(`sympozium.lab.example.org`)');
    expect(http.services.sympozium_1.loadBalancer.servers).toEqual([{ url: 'http://10.20.0.63:80' }]);
    expect(http.routers.prometheus.middlewares).toEqual(['security-headers@file', 'ip-allow-lan', 'authentik']);
    expect(http.routers.argo.middlewares).toEqual(['security-headers@file']);
    expect(http.routers.argo.tls).toEqual({
      certResolver: 'letsencrypt',
      domains: [{ main: 'lab.example.org', sans: ['*.lab.example.org'] }],
    });
    expect(http.middlewares['ip-allow-lan']).toEqual({ ipAllowList: { sourceRange: ['10.20.0.0/16'] } });
  });
});

describe('the checks fire on tampered output in every mode', () => {
  test('traefik-crd: a route without forward auth, a wrong address, headers, a missing Middleware, a backend, a collision', () => {
    let r = render('traefik-crd');
    obj(r, 'IngressRoute', 'kube-system', 'hubble').spec.routes[0].middlewares.pop();
    expectFinding(checkEdge, r, 'ingressroute-kube-system.hubble.yaml routes[0]', 'hubble.frank.derio.net', 'open to anyone');

    r = render('traefik-crd');
    obj(r, 'Middleware', 'n8n', 'authentik-forward-auth').spec.forwardAuth.address =
      'http://192.168.55.211:9000/outpost.goauthentik.io/auth/traefik';
    expectFinding(
      checkEdge,
      r,
      'Middleware n8n/authentik-forward-auth',
      '"http://192.168.55.211:9000/',
      `not the outpost at "${CLUSTER_ADDRESS}"`,
    );

    r = render('traefik-crd');
    const h = obj(r, 'Middleware', 'ai', 'authentik-forward-auth').spec.forwardAuth;
    h.authResponseHeaders = [...h.authResponseHeaders.filter((x: string) => x !== 'X-authentik-groups'), 'X-authentik-role'];
    expectFinding(
      checkEdge,
      r,
      'Middleware ai/authentik-forward-auth',
      'missing "X-authentik-groups"',
      'not sent by Authentik "X-authentik-role"',
    );

    r = render('traefik-crd');
    dropFile(r, 'edge/middleware-minio.authentik-forward-auth.yaml');
    expectFinding(
      checkEdge,
      r,
      'ingressroute-minio.minio-console.yaml',
      'references middleware "minio/authentik-forward-auth", which is not emitted',
    );
    expectFinding(checkEdge, r, 'minio.frank.derio.net', 'open to anyone');

    r = render('traefik-crd');
    obj(r, 'IngressRoute', 'sympozium-system', 'sympozium').spec.routes[0].services[0].port = 9090;
    expectFinding(
      checkEdge,
      r,
      'sympozium.yaml routes[0]',
      '"sympozium-system/sympozium-apiserver:9090"',
      'not the configured backend "sympozium-system/sympozium-apiserver:8080"',
    );

    r = render('traefik-crd');
    const s = obj(r, 'IngressRoute', 'sympozium-system', 'sympozium').spec.routes;
    s[0].match = s[1].match;
    expectFinding(checkEdge, r, 'routes sympozium.frank.derio.net /', 'one of them never receives a request');
    expectFinding(checkEdge, r, 'no route for forward-auth service sympozium (sympozium.frank.derio.net /api)');
  });

  test('traefik-crd: forward auth on a host without a proxy provider, and on a public service', () => {
    const r = render('traefik-crd');
    obj(r, 'IngressRoute', 'argocd', 'argocd').spec.routes[0].middlewares.push({ name: 'authentik-forward-auth' });
    obj(r, 'IngressRoute', 'uptime-kuma', 'status').spec.routes[0].middlewares = [{ name: 'authentik-forward-auth' }];
    // The Middleware is not in those namespaces either.
    expectFinding(checkEdge, r, 'references middleware "argocd/authentik-forward-auth", which is not emitted');
    r.files.push({
      path: 'edge/middleware-argocd.authentik-forward-auth.yaml',
      text: '',
      docs: [
        { ...obj(r, 'Middleware', 'n8n', 'authentik-forward-auth'), metadata: { name: 'authentik-forward-auth', namespace: 'argocd' } },
      ],
    });
    r.files.push({
      path: 'edge/middleware-uptime-kuma.authentik-forward-auth.yaml',
      text: '',
      docs: [
        {
          ...obj(r, 'Middleware', 'n8n', 'authentik-forward-auth'),
          metadata: { name: 'authentik-forward-auth', namespace: 'uptime-kuma' },
        },
      ],
    });
    expectFinding(
      checkEdge,
      r,
      'ingressroute-argocd.argocd.yaml routes[0] sends argocd.frank.derio.net through Authentik forward auth',
      'no proxy provider has external_host https://argocd.frank.derio.net',
    );
    expectFinding(
      checkPatterns,
      r,
      'ingressroute-uptime-kuma.status.yaml routes[0] puts public service status behind Authentik forward auth',
    );
  });

  test('traefik-crd: the blueprint side holds for every forward-auth route (provider, outpost slot)', () => {
    const r = render('traefik-crd');
    expect(checkForwardAuth(r)).toEqual([]);
    const outpost = r.blueprints.flatMap((b) => b.entries).find((e) => e.model === 'authentik_outposts.outpost')!;
    (outpost.attrs!.providers as unknown[]).splice(0, 1);
    expectFinding(checkForwardAuth, r, "not in the embedded outpost's providers", 'longhorn.frank.derio.net');
  });

  test('gateway-api: a Middleware missing from the HTTPRoute namespace, a filter removed, a collision, headers', () => {
    let r = render('gateway-api');
    dropFile(r, 'edge/middleware-sympozium-system.authentik-forward-auth.yaml');
    expectFinding(checkEdge, r, 'httproute-sympozium-system.sympozium.yaml rules[0]', 'not emitted', "HTTPRoute's own namespace");

    r = render('gateway-api');
    obj(r, 'HTTPRoute', 'monitoring', 'prometheus').spec.rules[0].filters.pop();
    expectFinding(checkEdge, r, 'httproute-monitoring.prometheus.yaml rules[0]', 'prometheus.lab.example.org', 'open to anyone');

    r = render('gateway-api');
    obj(r, 'HTTPRoute', 'sympozium-system', 'sympozium').spec.rules[0].matches[0].path.value = '/';
    expectFinding(checkEdge, r, 'routes sympozium.lab.example.org /', 'one of them never receives a request');

    r = render('gateway-api');
    obj(r, 'Middleware', 'monitoring', 'authentik-forward-auth').spec.forwardAuth.authResponseHeaders.pop();
    expectFinding(checkEdge, r, 'Middleware monitoring/authentik-forward-auth', 'missing "X-authentik-meta-version"');

    r = render('gateway-api');
    r.model.edge.forwardAuth.address = 'http://authentik-server.authentik.svc.cluster.local:80/outpost.goauthentik.io/auth/traefik';
    expectFinding(checkEdge, r, 'not Authentik\'s Service "http://sso-authentik-server.authentik.svc.cluster.local:80/');
  });

  test('traefik-file: a header list, a collision, a missing allow list, and an address off the LB Service', () => {
    let r = render('traefik-file');
    doc(r, 'traefik/authentik.yaml').http.middlewares.authentik.forwardAuth.authResponseHeaders.push('X-Forwarded-User');
    expectFinding(checkEdge, r, 'middleware "authentik"', 'not sent by Authentik "X-Forwarded-User"');

    r = render('traefik-file');
    const t = doc(r, 'traefik/authentik.yaml').http;
    t.routers.sympozium.rule = t.routers.sympozium_1.rule;
    expectFinding(
      checkEdge,
      r,
      'router "sympozium_1" routes sympozium.lab.example.org /',
      'as traefik/authentik.yaml router "sympozium" does',
    );

    r = render('traefik-file');
    delete doc(r, 'traefik/authentik.yaml').http.middlewares['ip-allow-lan'];
    expectFinding(checkEdge, r, 'router "prometheus" references middleware "ip-allow-lan", which is not emitted');

    r = render('traefik-file');
    const lb = r.files.find((f) => f.path === 'authentik-extras/service-authentik-server-lb.yaml')!.docs![0] as any;
    lb.spec.ports[0].port = 9100;
    expectFinding(
      checkEdge,
      r,
      'middleware "authentik" forwards auth to "http://10.20.0.50:9000/',
      'not the outpost at "http://10.20.0.50:9100/',
    );
  });
});

describe('what stays manual follows the mode', () => {
  const ids = (mode: string) => (doc(render(mode), 'docs/manual-operations.yaml') as Array<{ id: string }>).map((o) => o.id);

  test('traefik-file copies the file; the in-cluster modes list the switches they rely on', () => {
    expect(ids('traefik-file')).toContain('edge-traefik-dynamic-config');
    const crd = ids('traefik-crd');
    expect(crd).not.toContain('edge-traefik-dynamic-config');
    expect(crd).toEqual(expect.arrayContaining(['traefik-allow-cross-namespace', 'edge-tls-secrets', 'edge-foreign-middlewares']));
    const gw = ids('gateway-api');
    expect(gw).toEqual(expect.arrayContaining(['gateway-allowed-routes', 'edge-foreign-middlewares']));
    expect(gw).not.toContain('traefik-allow-cross-namespace');
  });

  test('an in-cluster edge whose objects are all gone is a finding', () => {
    const r = render('gateway-api');
    r.files = r.files.filter((f) => !f.path.startsWith('edge/'));
    expectFinding(checkEdge, r, 'edge/ is missing', '"authentik", "argo"');
  });
});
