// Cross-field rules of the edge config, one line per problem with its config path: which backend
// and which references fit the mode, route collisions, TLS coverage.
import type { ClusterConfig } from '../config/schema';
import type { MiddlewareRefConfig, TlsConfig } from '../config/edge-schema';
import {
  FORWARD_AUTH_MIDDLEWARE,
  authentikServerService,
  ipAllowListMiddleware,
  serviceRouteConfigs,
  tlsDomainCovers,
} from '../model/edge';

const OWNED_NAMES: string[] = Object.values(FORWARD_AUTH_MIDDLEWARE);

type Service = ClusterConfig['services'][number];
type Route = NonNullable<Service['routes']>[number];

/** What every edge rule reads: the config and its edge mode. */
interface Edge {
  readonly c: ClusterConfig;
  readonly e: ClusterConfig['edge'];
  readonly mode: ClusterConfig['edge']['mode'];
  /** The edge routes to Kubernetes Services (every mode but traefik-file). */
  readonly inCluster: boolean;
  readonly gateway: boolean;
  readonly authHost: string;
}

function gatewayProblems({ e, mode, gateway }: Edge): string[] {
  if (gateway && !e.gateway)
    return ['edge.gateway.parentRefs: is required in gateway-api mode (the Gateway listener every HTTPRoute attaches to)'];
  if (!gateway && e.gateway) return [`edge.gateway: only applies in gateway-api mode, not "${mode}"; remove it`];
  return [];
}

/** A middleware given by name: not one this tool emits, and referenced the way the mode can. */
function namedRefProblems(
  { mode, gateway }: Edge,
  ref: MiddlewareRefConfig,
  name: string,
  at: string,
  routeNs: string | undefined,
): string[] {
  const out: string[] = [];
  if (OWNED_NAMES.includes(name) || name.startsWith(ipAllowListMiddleware(''))) {
    out.push(
      `${at}.name: "${name}" is a middleware name this tool emits (forward auth, ip-allow-*); forward auth is added to forwardAuth services, allow lists go through ipAllowList`,
    );
  }
  if (name.includes('@') && mode !== 'traefik-file')
    out.push(`${at}.name: "${name}" names a provider; only traefik-file mode references middlewares as name@provider`);
  if (ref.namespace === undefined) return out;
  if (mode === 'traefik-file') out.push(`${at}.namespace: traefik-file mode has no namespaces; reference the middleware as name@provider`);
  else if (gateway && routeNs === undefined)
    out.push(
      `${at}.namespace: a global ExtensionRef applies in every route's namespace; remove the namespace and create "${name}" in each`,
    );
  else if (gateway && ref.namespace !== routeNs) {
    out.push(
      `${at}.namespace: "${ref.namespace}" is not the HTTPRoute's namespace "${routeNs}": an ExtensionRef names a Middleware in its own namespace only`,
    );
  }
  return out;
}

/** `routeNs`: the namespace of the object that carries the route (undefined: every namespace). */
function middlewareRefProblems(x: Edge, ref: MiddlewareRefConfig, at: string, routeNs: string | undefined): string[] {
  if (ref.name === undefined && ref.ipAllowList === undefined)
    return [`${at}: needs name (a middleware) or ipAllowList (one of edge.ipAllowLists)`];
  if (ref.name !== undefined && ref.ipAllowList !== undefined)
    return [`${at}: has both name and ipAllowList; one link names one middleware`];
  if (ref.name !== undefined) return namedRefProblems(x, ref, ref.name, at, routeNs);
  const out: string[] = [];
  if (ref.ipAllowList !== undefined && !(ref.ipAllowList in x.e.ipAllowLists))
    out.push(`${at}.ipAllowList: unknown allow list "${ref.ipAllowList}" (not in edge.ipAllowLists)`);
  if (ref.namespace !== undefined) out.push(`${at}.namespace: an ipAllowList is emitted next to each route; remove the namespace`);
  return out;
}

function tlsProblems({ mode, gateway }: Edge, t: TlsConfig | undefined, at: string): string[] {
  if (!t) return [];
  if (gateway) return [`${at}: TLS terminates at the Gateway listener in gateway-api mode; remove it`];
  const out: string[] = [];
  if (t.certResolver && t.secretName) out.push(`${at}: has both certResolver and secretName; choose one`);
  if (t.secretName && mode === 'traefik-file')
    out.push(`${at}.secretName: traefik-file mode has no Secrets; use certResolver (or the file provider's tls.certificates)`);
  return out;
}

/** A domain-restricted TLS block must cover every host it serves: one line per block. */
function coverageProblems({ gateway }: Edge, t: TlsConfig | undefined, at: string, hosts: string[]): string[] {
  if (!t?.domains || gateway) return [];
  const names = t.domains.flatMap((d) => [d.main, ...(d.sans ?? [])]);
  const bad = hosts.filter((h) => !names.some((d) => tlsDomainCovers(d, h)));
  if (!bad.length) return [];
  return [`${at}.domains: no domain covers ${bad.join(', ')} (domains ${names.join(', ')}; *.name covers one label under name)`];
}

function allowListNameProblems({ e }: Edge): string[] {
  return Object.keys(e.ipAllowLists)
    .filter((list) => ipAllowListMiddleware(list).length > 63)
    .map((list) => `edge.ipAllowLists.${list}: the Middleware name "${ipAllowListMiddleware(list)}" is longer than 63 characters`);
}

/** One rule about one service; `at` is its config path. */
type ServiceRule = (x: Edge, s: Service, at: string) => string[];

/** forwardAuth and public services need exactly one backend, of the kind the mode routes to. */
const backendProblems: ServiceRule = ({ mode, inCluster }, s, at) => {
  const out: string[] = [];
  for (const kind of ['forwardAuth', 'public'] as const) {
    const p = s[kind];
    if (!p) continue;
    if (p.upstream !== undefined && s.routes) out.push(`${at}.${kind}.upstream: is set next to routes; give the backend in routes only`);
    else if (p.upstream === undefined && !s.routes) {
      out.push(`${at}.${kind}: needs a backend: ${inCluster ? 'routes (with a Kubernetes service)' : 'upstream (a URL) or routes'}`);
    } else if (p.upstream !== undefined && inCluster) {
      out.push(
        `${at}.${kind}.upstream: a URL upstream is for traefik-file mode; edge.mode "${mode}" routes to Kubernetes Services (give routes with service)`,
      );
    }
  }
  return out;
};

function routeBackendProblems({ mode, inCluster, gateway }: Edge, r: Route, rt: string): string[] {
  const out: string[] = [];
  if (r.url !== undefined && r.service !== undefined) out.push(`${rt}: has both url and service; one backend per route`);
  else if (r.url === undefined && r.service === undefined)
    out.push(`${rt}: needs a backend: ${inCluster ? 'service (namespace, name, port)' : 'url'}`);
  else if (r.url !== undefined && inCluster)
    out.push(`${rt}.url: edge.mode "${mode}" routes to Kubernetes Services; give service (namespace, name, port)`);
  else if (r.service !== undefined && !inCluster)
    out.push(`${rt}.service: traefik-file mode routes to URLs (that Traefik runs outside the cluster); give url`);
  if (r.service && r.service.port === undefined)
    out.push(`${rt}.service.port: is required (the Service port${gateway ? ' number' : ': a number or its name'})`);
  if (gateway && typeof r.service?.port === 'string')
    out.push(`${rt}.service.port: "${r.service.port}" is a port name; an HTTPRoute backendRef needs the port number`);
  return out;
}

/** Each route: its backend, middlewares and TLS; one IngressRoute per namespace carries one tls. */
const routeProblems: ServiceRule = (x, s, at) => {
  const firstInNs = new Map<string, number>();
  const routes = s.routes ?? [];
  return routes.flatMap((r, j) => {
    const rt = `${at}.routes[${j}]`;
    const ns = r.service?.namespace;
    const out = [
      ...routeBackendProblems(x, r, rt),
      ...(r.middlewares ?? []).flatMap((ref, k) => middlewareRefProblems(x, ref, `${rt}.middlewares[${k}]`, ns)),
      ...tlsProblems(x, r.tls, `${rt}.tls`),
      ...(r.tls && s.host ? coverageProblems(x, r.tls, `${rt}.tls`, [s.host]) : []),
    ];
    if (x.mode === 'traefik-crd' && ns !== undefined) {
      const k = firstInNs.get(ns);
      if (k === undefined) firstInNs.set(ns, j);
      else if (JSON.stringify(r.tls ?? null) !== JSON.stringify(routes[k].tls ?? null)) {
        out.push(
          `${rt}.tls: differs from routes[${k}].tls, but both are routes of the one IngressRoute "${s.slug}" in "${ns}", which has one tls`,
        );
      }
    }
    return out;
  });
};

/** Hosts are unique across services (and not Authentik's), so a collision is within one service. */
const pathProblems: ServiceRule = (_x, s, at) => {
  const routed = new Map<string, number>();
  return (s.routes ?? []).flatMap((r, j) => {
    const prev = routed.get(r.path);
    if (prev === undefined) routed.set(r.path, j);
    return prev === undefined
      ? []
      : [`${at}.routes[${j}].path: ${s.host} ${r.path} is already routed by routes[${prev}]; two routes may not share host and path`];
  });
};

/** A service the edge routes: active, with a host, not an agent. */
const isRouted = (s: Service) => !s.retired && !!s.host && !s.agent;

function serviceProblems(x: Edge): string[] {
  return x.c.services.flatMap((s, i) => {
    const at = `services[${i}]`;
    const agentRoutes = s.agent && s.routes ? [`${at}.routes: an agent has no host to route; remove them`] : [];
    // A retired service is routed nowhere; its leftovers must not block the retirement.
    if (s.retired) return agentRoutes;
    const routed = isRouted(s) ? [...routeProblems(x, s, at), ...pathProblems(x, s, at)] : [];
    return [...agentRoutes, ...backendProblems(x, s, at), ...routed];
  });
}

/** Hosts served by edge.tls (routes without a tls of their own), Authentik's first. */
function globalTlsProblems(x: Edge): string[] {
  const hosts = [x.authHost, ...x.c.services.filter((s) => isRouted(s) && serviceRouteConfigs(s).some((r) => !r.tls)).map((s) => s.host!)];
  return coverageProblems(x, x.e.tls, 'edge.tls', hosts);
}

function serverServiceNameProblems({ c, inCluster }: Edge): string[] {
  const name = authentikServerService(c.authentik.chart.releaseName);
  if (!inCluster || name.length <= 63) return [];
  return [`authentik.chart.releaseName: the server Service name "${name}" is longer than 63 characters`];
}

/** The edge rules, in the order their messages appear. */
const EDGE_RULES: ReadonlyArray<(x: Edge) => string[]> = [
  gatewayProblems,
  allowListNameProblems,
  (x) => x.e.middlewares.flatMap((ref, k) => middlewareRefProblems(x, ref, `edge.middlewares[${k}]`, undefined)),
  (x) => tlsProblems(x, x.e.tls, 'edge.tls'),
  serviceProblems,
  globalTlsProblems,
  serverServiceNameProblems,
];

export function edgeProblems(c: ClusterConfig, authHost: string): string[] {
  const mode = c.edge.mode;
  const x: Edge = { c, e: c.edge, mode, inCluster: mode !== 'traefik-file', gateway: mode === 'gateway-api', authHost };
  return EDGE_RULES.flatMap((rule) => rule(x));
}
