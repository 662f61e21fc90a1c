// The edge part of the model: every route, its backend, its middleware chain and TLS, and the
// middlewares this tool owns, each name and address computed once here. The three renderers
// (traefik-file.ts, traefik-crd.ts, gateway-api.ts) and the checks only read it.
import type { ClusterConfig, Service } from '../config/schema';
import type { EdgeMode, MiddlewareRefConfig, RouteConfig, TlsConfig } from '../config/edge-schema';

/**
 * What the embedded outpost returns about the user, passed on to the backend: the headers its
 * addHeaders sets, in that order. Authentik 2026.2 gives proxy providers the entitlements scope,
 * so X-authentik-entitlements is among them (older lists of 11 headers drop it silently).
 */
export const AUTH_RESPONSE_HEADERS = [
  'X-authentik-username',
  'X-authentik-groups',
  'X-authentik-entitlements',
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

/** The edge's route (and traefik-file middleware) for Authentik itself; no service slug may take it. */
export const AUTHENTIK_ROUTE = 'authentik';

/** The outpost's Traefik forward-auth endpoint, on whichever Authentik address the edge reaches. */
export const OUTPOST_TRAEFIK_PATH = '/outpost.goauthentik.io/auth/traefik';
/** The Authentik chart's server Service http port (server.service.servicePortHttp, never overridden here). */
export const AUTHENTIK_SERVICE_HTTP_PORT = 80;
/** Kind and group an HTTPRoute's ExtensionRef filter names a Traefik Middleware by. */
export const TRAEFIK_MIDDLEWARE_REF = { group: 'traefik.io', kind: 'Middleware' } as const;

export type EdgeBackend = { kind: 'url'; url: string } | { kind: 'service'; namespace: string; name: string; port: number | string };

/** A backend as the rendered output and the docs show it: the URL, or `namespace/name:port`. */
export const backendKey = (b: EdgeBackend) => (b.kind === 'url' ? b.url : `${b.namespace}/${b.name}:${b.port}`);

/** One link of a route's chain, in order. Owned links are emitted by this tool; foreign ones are not. */
export type ChainLink =
  | { kind: 'foreign'; name: string; namespace?: string }
  | { kind: 'ipAllowList'; list: string; name: string; sourceRange: string[] }
  | { kind: 'forwardAuth'; name: string };

export type Protection = 'forward-auth' | 'oidc' | 'public' | 'authentik';

export interface EdgeTls {
  certResolver?: string;
  secretName?: string;
  domains?: Array<{ main: string; sans?: string[] }>;
}

export interface EdgeRoute {
  /** Owning service slug, or the Authentik route's name. */
  slug: string;
  /** Display name of the owning service. */
  serviceName: string;
  /** traefik-file router and service name; unique across the file. */
  routerName: string;
  /** In-cluster modes: the IngressRoute/HTTPRoute carrying this route (in its backend's namespace). */
  object?: { namespace: string; name: string };
  host: string;
  path: string;
  protection: Protection;
  /** forward-auth and oidc: who Authentik lets in (undefined: any authenticated user). */
  allowedGroups?: string[];
  backend: EdgeBackend;
  chain: ChainLink[];
  /** undefined in gateway-api mode: TLS terminates at the Gateway's listener. */
  tls?: EdgeTls;
}

export interface EdgeModel {
  mode: EdgeMode;
  /** In-cluster modes emit Kubernetes objects synced by the `edge` Application. */
  inCluster: boolean;
  entryPoints: string[];
  forwardAuth: {
    /** Name of the forwardAuth middleware (in the file, or in each namespace that needs it). */
    middlewareName: string;
    address: string;
    authResponseHeaders: string[];
  };
  /** The Authentik server Service the in-cluster modes route to and forward-auth to (no LB hop). */
  authentikService: { namespace: string; name: string; port: number };
  routes: EdgeRoute[];
  /** gateway-api mode: what every HTTPRoute attaches to. */
  parentRefs: Array<{ name: string; namespace?: string; sectionName?: string }>;
}

/** traefik-file mode keeps its historical middleware name; in-cluster it is descriptive, next to the service's own. */
export const FORWARD_AUTH_MIDDLEWARE = { file: AUTHENTIK_ROUTE, cluster: 'authentik-forward-auth' } as const;
export const ipAllowListMiddleware = (list: string) => `ip-allow-${list}`;

/** The chart's fullname: the release name when it contains the chart name, else `<release>-authentik` (Helm's convention). */
export const authentikServerService = (releaseName: string) =>
  `${releaseName.includes('authentik') ? releaseName : `${releaseName}-authentik`}-server`;

/** The routes a service's config asks for: its `routes`, or the `upstream` shorthand (one route at /). */
export function serviceRouteConfigs(s: Service): RouteConfig[] {
  if (s.routes) return s.routes;
  const upstream = s.forwardAuth?.upstream ?? s.public?.upstream;
  return upstream ? [{ path: '/', url: upstream }] : [];
}

export const protectionOf = (s: Service): Protection | undefined =>
  s.forwardAuth ? 'forward-auth' : s.public ? 'public' : s.oidc ? 'oidc' : undefined;

/** The host a TLS domain covers: exact, or one label under a `*.` wildcard. */
export function tlsDomainCovers(domain: string, host: string): boolean {
  if (!domain.startsWith('*.')) return domain === host;
  const dot = host.indexOf('.');
  return dot > 0 && host.slice(dot + 1) === domain.slice(2);
}

export interface EdgeInputs {
  authentikHost: string;
  authentikNamespace: string;
  releaseName: string;
  /** Where the edge outside the cluster reaches Authentik (the LB, plain http). */
  lbUpstream: string;
  /** During a domain move: Authentik's old host, routed too while the phase serves it. */
  oldAuthentikHost?: string;
  /** During a domain move: the services' stand-ins on their old hosts (lib/model/migration.ts). */
  oldHostStandIns?: ReadonlyArray<Service>;
}

/** The edge route (and in-cluster object) of Authentik's old host during a domain move. */
export const AUTHENTIK_OLD_HOST_ROUTE = `${AUTHENTIK_ROUTE}-old-host`;

/** A middleware reference as a link of a route's chain. */
function chainLink(e: ClusterConfig['edge'], ref: MiddlewareRefConfig): ChainLink {
  return ref.ipAllowList !== undefined
    ? {
        kind: 'ipAllowList',
        list: ref.ipAllowList,
        name: ipAllowListMiddleware(ref.ipAllowList),
        sourceRange: e.ipAllowLists[ref.ipAllowList] ?? [],
      }
    : // validation requires name when ipAllowList is absent; '' never reaches a rendered file
      { kind: 'foreign', name: ref.name ?? '', ...(ref.namespace ? { namespace: ref.namespace } : {}) };
}

/** A TLS block as the model carries it (none in gateway-api mode: the Gateway listener terminates TLS). */
function edgeTlsOf(e: ClusterConfig['edge'], t: TlsConfig | undefined): EdgeTls | undefined {
  return t && e.mode !== 'gateway-api'
    ? {
        ...(t.certResolver ? { certResolver: t.certResolver } : {}),
        ...(t.secretName ? { secretName: t.secretName } : {}),
        ...(t.domains ? { domains: t.domains.map((d) => ({ main: d.main, ...(d.sans ? { sans: [...d.sans] } : {}) })) } : {}),
      }
    : undefined;
}

/** Validation guarantees the port (and the backend kind fitting the mode). */
const backendOf = (r: RouteConfig): EdgeBackend =>
  r.service ? { kind: 'service', ...r.service, port: r.service.port! } : { kind: 'url', url: r.url ?? '' };

/** What the route builders share. */
interface EdgeContext {
  readonly e: ClusterConfig['edge'];
  readonly inCluster: boolean;
  readonly authentikService: EdgeModel['authentikService'];
  readonly forwardAuthName: string;
  readonly defaultTls: TlsConfig | undefined;
}

/** Authentik's own host (and its old one during a domain move), first among the routes. */
function authentikRoutes(x: EdgeContext, a: EdgeInputs): EdgeRoute[] {
  const { e, inCluster, authentikService } = x;
  const authentikBackend: EdgeBackend = inCluster ? { kind: 'service', ...authentikService } : { kind: 'url', url: a.lbUpstream };
  const authentikHosts = [
    { name: AUTHENTIK_ROUTE, host: a.authentikHost },
    ...(a.oldAuthentikHost ? [{ name: AUTHENTIK_OLD_HOST_ROUTE, host: a.oldAuthentikHost }] : []),
  ];
  return authentikHosts.map((h) => ({
    slug: h.name,
    serviceName: 'Authentik',
    routerName: h.name,
    ...(inCluster ? { object: { namespace: authentikService.namespace, name: h.name } } : {}),
    host: h.host,
    path: '/',
    protection: 'authentik',
    backend: authentikBackend,
    chain: e.middlewares.map((ref) => chainLink(e, ref)),
    tls: edgeTlsOf(e, x.defaultTls),
  }));
}

/** One route per route config of each active, protected service with a host. */
function serviceRoutes(x: EdgeContext, services: ReadonlyArray<Service>): EdgeRoute[] {
  const { e, inCluster } = x;
  const routed = services.filter((s): s is Service & { host: string } => !s.retired && !!s.host);
  return routed.flatMap((s) => {
    const protection = protectionOf(s);
    if (!protection) return [];
    return serviceRouteConfigs(s).map((r, i): EdgeRoute => {
      const backend = backendOf(r);
      return {
        slug: s.slug,
        serviceName: s.name,
        // A slug is a DNS label (no '_'), so `<slug>_<n>` never meets another service's name.
        routerName: i === 0 ? s.slug : `${s.slug}_${i}`,
        ...(inCluster && backend.kind === 'service' ? { object: { namespace: backend.namespace, name: s.slug } } : {}),
        host: s.host,
        path: r.path,
        protection,
        ...(Array.isArray(s.allowedGroups) && protection !== 'public' ? { allowedGroups: s.allowedGroups } : {}),
        backend,
        chain: [
          ...e.middlewares.map((ref) => chainLink(e, ref)),
          ...(r.middlewares ?? []).map((ref) => chainLink(e, ref)),
          // Last: cheaper refusals (an allow list) come first, and the backend sees Authentik's headers.
          ...(protection === 'forward-auth' ? [{ kind: 'forwardAuth' as const, name: x.forwardAuthName }] : []),
        ],
        tls: edgeTlsOf(e, r.tls ?? x.defaultTls),
      };
    });
  });
}

export function deriveEdge(c: ClusterConfig, a: EdgeInputs): EdgeModel {
  const e = c.edge;
  const inCluster = e.mode !== 'traefik-file';
  const authentikService = {
    namespace: a.authentikNamespace,
    name: authentikServerService(a.releaseName),
    port: AUTHENTIK_SERVICE_HTTP_PORT,
  };
  // In-cluster, Traefik calls the outpost on the server Service's cluster DNS name: no LB hop, and
  // no dependence on the LB IP. Outside, only the LB is reachable.
  const authentikBase = inCluster
    ? `http://${authentikService.name}.${authentikService.namespace}.svc.cluster.local:${authentikService.port}`
    : a.lbUpstream;
  const x: EdgeContext = {
    e,
    inCluster,
    authentikService,
    forwardAuthName: inCluster ? FORWARD_AUTH_MIDDLEWARE.cluster : FORWARD_AUTH_MIDDLEWARE.file,
    defaultTls: e.mode === 'gateway-api' ? undefined : (e.tls ?? { certResolver: c.traefik.certResolver }),
  };
  return {
    mode: e.mode,
    inCluster,
    entryPoints: c.traefik.entryPoints,
    forwardAuth: {
      middlewareName: x.forwardAuthName,
      address: `${authentikBase}${OUTPOST_TRAEFIK_PATH}`,
      authResponseHeaders: [...AUTH_RESPONSE_HEADERS],
    },
    authentikService,
    routes: [...authentikRoutes(x, a), ...serviceRoutes(x, [...c.services, ...(a.oldHostStandIns ?? [])])],
    parentRefs: (e.gateway?.parentRefs ?? []).map((p) => ({ ...p })),
  };
}

/** The routes of each in-cluster object (IngressRoute or HTTPRoute), in model order. */
export function routesByObject(routes: ReadonlyArray<EdgeRoute>): Array<{ namespace: string; name: string; routes: EdgeRoute[] }> {
  const out = new Map<string, { namespace: string; name: string; routes: EdgeRoute[] }>();
  for (const r of routes) {
    if (!r.object) continue;
    const key = `${r.object.namespace}/${r.object.name}`;
    const o = out.get(key) ?? { ...r.object, routes: [] };
    o.routes.push(r);
    out.set(key, o);
  }
  return [...out.values()];
}

/** In-cluster: the namespaces whose routes use each owned middleware, so it is emitted there once. */
export function ownedMiddlewaresByNamespace(m: EdgeModel): Map<string, Map<string, Exclude<ChainLink, { kind: 'foreign' }>>> {
  const out = new Map<string, Map<string, Exclude<ChainLink, { kind: 'foreign' }>>>();
  for (const r of m.routes) {
    if (!r.object) continue;
    for (const l of r.chain) {
      if (l.kind === 'foreign') continue;
      const ns = out.get(r.object.namespace) ?? new Map<string, Exclude<ChainLink, { kind: 'foreign' }>>();
      ns.set(l.name, l);
      out.set(r.object.namespace, ns);
    }
  }
  return out;
}
