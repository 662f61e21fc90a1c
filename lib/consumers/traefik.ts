// dist/traefik/authentik.yaml: dynamic configuration for the edge Traefik v3 (file provider; it
// runs outside the cluster). Forward-auth apps go through the Authentik middleware, public apps
// and Authentik itself do not.
import { AUTHENTIK_ROUTE, type AuthModel } from '../model/derive';

/** What the embedded outpost returns about the user, passed on to the backend (docs/field-traps.md#forward-auth-address). */
export const AUTH_RESPONSE_HEADERS = [
  'X-authentik-username',
  'X-authentik-groups',
  'X-authentik-email',
  'X-authentik-name',
  'X-authentik-uid',
  'X-authentik-jwt',
  'X-authentik-meta-jwks',
  'X-authentik-meta-outpost',
  'X-authentik-meta-provider',
  'X-authentik-meta-app',
  'X-authentik-meta-version',
] as const;

interface Route {
  name: string;
  host: string;
  upstream: string;
  protected: boolean;
}

export function traefikDynamicConfig(m: AuthModel) {
  const routes: Route[] = [
    // Plain http to the LB port: the backend TLS port serves Authentik's self-signed certificate,
    // which Traefik would reject (or need insecureSkipVerify for). The hop stays on the LAN, and
    // Authentik trusts X-Forwarded-Proto from private ranges, so it still sees https.
    { name: AUTHENTIK_ROUTE, host: m.authentik.host, upstream: m.authentik.edgeUpstream, protected: false },
    ...m.proxyApps.map((a) => ({ name: a.slug, host: a.host, upstream: a.upstream, protected: true })),
    ...m.publicApps.map((a) => ({ name: a.slug, host: a.host, upstream: a.upstream, protected: false })),
  ];
  const clash = routes.find((r, i) => routes.findIndex((o) => o.name === r.name) !== i);
  if (clash) throw new Error(`traefik: two routers named "${clash.name}" (a service slug may not be "${AUTHENTIK_ROUTE}")`);

  return {
    http: {
      middlewares: {
        [AUTHENTIK_ROUTE]: {
          forwardAuth: {
            address: m.authentik.outpostTraefikUrl,
            trustForwardHeader: true,
            authResponseHeaders: [...AUTH_RESPONSE_HEADERS],
          },
        },
      },
      routers: Object.fromEntries(
        routes.map((r) => [
          r.name,
          {
            rule: `Host(\`${r.host}\`)`,
            entryPoints: [...m.traefik.entryPoints],
            service: r.name,
            ...(r.protected ? { middlewares: [AUTHENTIK_ROUTE] } : {}),
            tls: { certResolver: m.traefik.certResolver },
          },
        ]),
      ),
      services: Object.fromEntries(routes.map((r) => [r.name, { loadBalancer: { servers: [{ url: r.upstream }] } }])),
    },
  };
}
