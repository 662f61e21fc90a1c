// dist/edge/ (edge.mode gateway-api): an HTTPRoute per service and namespace, attached to the
// configured Gateway listener(s), one rule per route (PathPrefix, Service backend), its chain as
// ExtensionRef filters. An ExtensionRef is a local reference, so each Traefik Middleware it names
// lives in the HTTPRoute's namespace: the owned ones are emitted there, once per namespace.
// TLS terminates at the Gateway's listener, which this tool does not own. The AuthEdge construct
// (lib/constructs/edge.ts) validates them against the CRD schema.
import { HTTPRoute } from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/HTTPRoute';
import type { AuthModel } from '../model/derive';
import { TRAEFIK_MIDDLEWARE_REF, routesByObject } from '../model/edge';
import { EDGE_LABELS } from './traefik-crd';

export function httpRoutes(m: AuthModel): HTTPRoute[] {
  return routesByObject(m.edge.routes).map((o) => {
    return new HTTPRoute({
      metadata: { name: o.name, namespace: o.namespace, labels: { ...EDGE_LABELS } },
      spec: {
        parentRefs: m.edge.parentRefs.map((p) => ({ ...p })),
        hostnames: [...new Set(o.routes.map((r) => r.host))],
        rules: o.routes.map((r) => ({
          matches: [{ path: { type: 'PathPrefix' as const, value: r.path } }],
          ...(r.chain.length
            ? {
                filters: r.chain.map((l) => ({ type: 'ExtensionRef' as const, extensionRef: { ...TRAEFIK_MIDDLEWARE_REF, name: l.name } })),
              }
            : {}),
          backendRefs: [r.backend.kind === 'service' ? { name: r.backend.name, port: Number(r.backend.port) } : { name: '' }],
        })),
      },
    });
  });
}
