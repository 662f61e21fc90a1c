// The edge Traefik's dynamic config: forward-auth apps behind the Authentik middleware, public
// apps and Authentik itself without it.
import yaml from 'js-yaml';
import { AUTH_RESPONSE_HEADERS } from '../../lib/model/edge';
import { defaultInput, doc, file, renderInput } from '../support/helpers';
import { OUTPUT } from '../../lib/base/paths';

const r = renderInput(defaultInput());
const http = doc(r, OUTPUT.traefik).http;

test('the authentik middleware asks the embedded outpost on the LB IP, never the public host', () => {
  expect(http.middlewares).toEqual({
    authentik: {
      forwardAuth: {
        address: 'http://192.168.55.211:9000/outpost.goauthentik.io/auth/traefik',
        trustForwardHeader: true,
        authResponseHeaders: [...AUTH_RESPONSE_HEADERS],
      },
    },
  });
  expect(http.middlewares.authentik.forwardAuth.address).toBe(r.model.authentik.outpostTraefikUrl);
  expect(AUTH_RESPONSE_HEADERS).toHaveLength(12);
  expect(AUTH_RESPONSE_HEADERS).toContain('X-authentik-entitlements');
  expect(AUTH_RESPONSE_HEADERS).toContain('X-authentik-meta-jwks');
});

test('every forward-auth app has a router through the middleware and a service to its upstream', () => {
  expect(r.model.proxyApps.map((a) => a.slug)).toEqual(['longhorn', 'hubble', 'sympozium']);
  for (const app of r.model.proxyApps) {
    expect(http.routers[app.slug]).toEqual({
      rule: `Host(\`${app.host}\`)`,
      entryPoints: ['websecure'],
      service: app.slug,
      middlewares: ['authentik'],
      tls: { certResolver: 'letsencrypt' },
    });
    const upstream = defaultInput().services.find((s) => s.slug === app.slug)!.forwardAuth!.upstream;
    expect(http.services[app.slug]).toEqual({ loadBalancer: { servers: [{ url: upstream }] } });
  }
});

test('the Authentik router has no middleware and goes to the LB over plain http', () => {
  expect(http.routers.authentik).toEqual({
    rule: 'Host(`auth.frank.derio.net`)',
    entryPoints: ['websecure'],
    service: 'authentik',
    tls: { certResolver: 'letsencrypt' },
  });
  expect(http.services.authentik).toEqual({ loadBalancer: { servers: [{ url: 'http://192.168.55.211:9000' }] } });
});

test('only the forward-auth routers use the middleware', () => {
  const guarded = Object.entries(http.routers as Record<string, { middlewares?: string[] }>)
    .filter(([, rt]) => rt.middlewares?.includes('authentik'))
    .map(([name]) => name);
  expect(guarded).toEqual(r.model.proxyApps.map((a) => a.slug));
  expect(Object.keys(http.services)).toEqual(Object.keys(http.routers));
});

test('the text parses back to the same document', () => {
  expect(yaml.load(file(r, OUTPUT.traefik).text)).toEqual(doc(r, OUTPUT.traefik));
});

test('a public service is routed without authentication; entry points and resolver follow the config', () => {
  const input = defaultInput();
  input.services.push({ slug: 'status', name: 'Status', host: 'status.frank.derio.net', public: { upstream: 'http://192.168.55.215:80' } });
  input.traefik = { certResolver: 'internal', entryPoints: ['web', 'websecure'] };
  const h = doc(renderInput(input), OUTPUT.traefik).http;
  expect(h.routers.status).toEqual({
    rule: 'Host(`status.frank.derio.net`)',
    entryPoints: ['web', 'websecure'],
    service: 'status',
    tls: { certResolver: 'internal' },
  });
  expect(h.services.status.loadBalancer.servers).toEqual([{ url: 'http://192.168.55.215:80' }]);
  expect(h.routers.longhorn.tls).toEqual({ certResolver: 'internal' });
});

test('a service slugged like the Authentik router is refused', () => {
  const input = defaultInput();
  input.services.push({
    slug: 'authentik',
    name: 'Clash',
    host: 'clash.frank.derio.net',
    public: { upstream: 'http://192.168.55.216:80' },
  });
  expect(() => renderInput(input)).toThrow(/two routers named "authentik"/);
});
