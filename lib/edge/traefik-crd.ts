// dist/edge/ (edge.mode traefik-crd): an IngressRoute per service and namespace (its routes split
// by PathPrefix, Service backends in that namespace), and the Middlewares this tool owns, emitted
// in every namespace whose routes use them: a local reference needs no allowCrossNamespace.
// The AuthEdge construct (lib/constructs/edge.ts) validates them against the CRD schema.
import { PART_OF_LABEL } from '../model/identity';
import { IngressRoute } from '@kubernetes-models/traefik/traefik.io/v1alpha1/IngressRoute';
import { Middleware } from '@kubernetes-models/traefik/traefik.io/v1alpha1/Middleware';
import type { AuthModel } from '../model/derive';
import { ownedMiddlewaresByNamespace, routesByObject, type ChainLink } from '../model/edge';
import { ownedMiddlewareSpec, traefikRule, traefikTls } from './traefik-file';

export const EDGE_LABELS = PART_OF_LABEL;

/** `{name}` for a middleware in the route's own namespace, `{name, namespace}` for a foreign one elsewhere. */
const middlewareRef = (l: ChainLink, namespace: string) =>
  l.kind === 'foreign' && l.namespace && l.namespace !== namespace ? { name: l.name, namespace: l.namespace } : { name: l.name };

export function ingressRoutes(m: AuthModel): IngressRoute[] {
  return routesByObject(m.edge.routes).map((o) => {
    const tls = o.routes[0].tls;
    return new IngressRoute({
      metadata: { name: o.name, namespace: o.namespace, labels: { ...EDGE_LABELS } },
      spec: {
        entryPoints: [...m.edge.entryPoints],
        routes: o.routes.map((r) => ({
          kind: 'Rule' as const,
          match: traefikRule(r),
          ...(r.chain.length ? { middlewares: r.chain.map((l) => middlewareRef(l, o.namespace)) } : {}),
          services: [r.backend.kind === 'service' ? { name: r.backend.name, port: r.backend.port } : { name: '' }],
        })),
        ...(tls ? { tls: traefikTls(tls) } : {}),
      },
    });
  });
}

/** The owned Middlewares (forwardAuth, IP allow lists), once in each namespace that references them. */
export function ownedMiddlewares(m: AuthModel): Middleware[] {
  const out: Middleware[] = [];
  for (const [namespace, links] of ownedMiddlewaresByNamespace(m.edge)) {
    for (const [name, l] of links) {
      out.push(new Middleware({ metadata: { name, namespace, labels: { ...EDGE_LABELS } }, spec: ownedMiddlewareSpec(m, l) }));
    }
  }
  return out;
}
