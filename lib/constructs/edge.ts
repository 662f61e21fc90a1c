// dist/edge/ (edge.mode traefik-crd or gateway-api): the in-cluster routes and the Middlewares this
// tool owns, each in its service's namespace, synced by the `edge` Application. Typed by the
// Traefik and Gateway API CRDs' kubernetes-models classes (lib/edge builds them from the model).
// In traefik-file mode the edge is a file for the Traefik outside the cluster, not an object here.
import { Construct } from 'constructs';
import type { IngressRoute } from '@kubernetes-models/traefik/traefik.io/v1alpha1/IngressRoute';
import type { Middleware } from '@kubernetes-models/traefik/traefik.io/v1alpha1/Middleware';
import type { HTTPRoute } from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/HTTPRoute';
import type { AuthModel } from '../model/derive';
import { CrdObject, type CrdModel } from './crd-object';

// Loaded on first use, by the in-cluster edge modes only: each pulls in a CRD model package
// (traefik, gateway-api) that start-up would otherwise initialise for every config (docs/design.md#start-up).
/* eslint-disable @typescript-eslint/no-require-imports */
const traefikCrd = () => require('../edge/traefik-crd') as typeof import('../edge/traefik-crd');
const gatewayApi = () => require('../edge/gateway-api') as typeof import('../edge/gateway-api');
/* eslint-enable @typescript-eslint/no-require-imports */

export interface AuthEdgeProps {
  /** The derived model: `derive(parseConfig(input))` (lib/model/derive.ts). */
  readonly model: AuthModel;
}

export class AuthEdge extends Construct {
  /** One route object per service and namespace: IngressRoutes (traefik-crd) or HTTPRoutes (gateway-api). */
  readonly routes: ReadonlyArray<CrdObject<IngressRoute> | CrdObject<HTTPRoute>>;
  /** The owned Middlewares (forwardAuth, IP allow lists), once in each namespace whose routes use them. */
  readonly middlewares: ReadonlyArray<CrdObject<Middleware>>;

  constructor(scope: Construct, id: string, props: AuthEdgeProps) {
    super(scope, id);
    const m = props.model;
    if (!m.edge.inCluster) {
      this.routes = [];
      this.middlewares = [];
      return;
    }
    const { ingressRoutes, ownedMiddlewares } = traefikCrd();
    this.routes =
      m.edge.mode === 'gateway-api'
        ? gatewayApi()
            .httpRoutes(m)
            .map((o) => this.object(o))
        : ingressRoutes(m).map((o) => this.object(o));
    this.middlewares = ownedMiddlewares(m).map((o) => this.object(o));
  }

  /** Names are unique per kind and namespace, so that is the construct id. */
  private object<T extends CrdModel>(o: T): CrdObject<T> {
    return new CrdObject(this, `${o.kind.toLowerCase()}-${o.metadata?.namespace ?? ''}.${o.metadata?.name ?? ''}`, o);
  }
}
