// dist/traefik/authentik.yaml (edge.mode traefik-file): dynamic configuration for a Traefik v3
// that runs outside the cluster (file provider). One router and service per route, URL backends;
// forward-auth routes go through the Authentik middleware, public routes and Authentik itself do not.
import type { AuthModel } from '../model/derive';
import type { ChainLink, EdgeRoute, EdgeTls } from '../model/edge';

/** Rule of a route: its host, and its PathPrefix unless it is the whole host. */
export const traefikRule = (r: Pick<EdgeRoute, 'host' | 'path'>) =>
  r.path === '/' ? `Host(\`${r.host}\`)` : `Host(\`${r.host}\`) && PathPrefix(\`${r.path}\`)`;

/** Traefik's router tls block (file provider and IngressRoute share the shape, bar secretName). */
export const traefikTls = (t: EdgeTls) => ({
  ...(t.secretName ? { secretName: t.secretName } : {}),
  ...(t.certResolver ? { certResolver: t.certResolver } : {}),
  ...(t.domains ? { domains: t.domains.map((d) => ({ main: d.main, ...(d.sans ? { sans: [...d.sans] } : {}) })) } : {}),
});

/** The spec of a middleware this tool owns (a file-provider entry or a Middleware CRD spec). */
export function ownedMiddlewareSpec(m: AuthModel, l: Exclude<ChainLink, { kind: 'foreign' }>) {
  if (l.kind === 'ipAllowList') return { ipAllowList: { sourceRange: [...l.sourceRange] } };
  return {
    forwardAuth: {
      address: m.edge.forwardAuth.address,
      trustForwardHeader: true,
      authResponseHeaders: [...m.edge.forwardAuth.authResponseHeaders],
    },
  };
}

export function traefikDynamicConfig(m: AuthModel) {
  const routes = m.edge.routes;
  const clash = routes.find((r, i) => routes.findIndex((o) => o.routerName === r.routerName) !== i);
  if (clash) throw new Error(`traefik: two routers named "${clash.routerName}"`);

  // The forwardAuth middleware first (always present), then the allow lists in use, by name.
  const owned = new Map<string, Exclude<ChainLink, { kind: 'foreign' }>>();
  owned.set(m.edge.forwardAuth.middlewareName, { kind: 'forwardAuth', name: m.edge.forwardAuth.middlewareName });
  const lists = routes.flatMap((r) => r.chain.filter((l): l is Extract<ChainLink, { kind: 'ipAllowList' }> => l.kind === 'ipAllowList'));
  for (const l of [...lists].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) owned.set(l.name, l);

  return {
    http: {
      middlewares: Object.fromEntries([...owned].map(([name, l]) => [name, ownedMiddlewareSpec(m, l)])),
      routers: Object.fromEntries(
        routes.map((r) => [
          r.routerName,
          {
            rule: traefikRule(r),
            entryPoints: [...m.edge.entryPoints],
            service: r.routerName,
            ...(r.chain.length ? { middlewares: r.chain.map((l) => l.name) } : {}),
            ...(r.tls ? { tls: traefikTls(r.tls) } : {}),
          },
        ]),
      ),
      services: Object.fromEntries(
        routes.map((r) => [r.routerName, { loadBalancer: { servers: [{ url: r.backend.kind === 'url' ? r.backend.url : '' }] } }]),
      ),
    },
  };
}
