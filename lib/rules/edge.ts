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

export function edgeProblems(c: ClusterConfig, authHost: string): string[] {
  const out: string[] = [];
  const e = c.edge;
  const mode = e.mode;
  const inCluster = mode !== 'traefik-file';
  const gateway = mode === 'gateway-api';

  if (gateway && !e.gateway)
    out.push('edge.gateway.parentRefs: is required in gateway-api mode (the Gateway listener every HTTPRoute attaches to)');
  if (!gateway && e.gateway) out.push(`edge.gateway: only applies in gateway-api mode, not "${mode}"; remove it`);

  /** `routeNs`: the namespace of the object that carries the route (undefined: every namespace). */
  const checkRef = (ref: MiddlewareRefConfig, at: string, routeNs: string | undefined) => {
    if (ref.name === undefined && ref.ipAllowList === undefined)
      return void out.push(`${at}: needs name (a middleware) or ipAllowList (one of edge.ipAllowLists)`);
    if (ref.name !== undefined && ref.ipAllowList !== undefined)
      return void out.push(`${at}: has both name and ipAllowList; one link names one middleware`);
    if (ref.ipAllowList !== undefined) {
      if (!(ref.ipAllowList in e.ipAllowLists))
        out.push(`${at}.ipAllowList: unknown allow list "${ref.ipAllowList}" (not in edge.ipAllowLists)`);
      if (ref.namespace !== undefined) out.push(`${at}.namespace: an ipAllowList is emitted next to each route; remove the namespace`);
      return;
    }
    const name = ref.name!;
    if (OWNED_NAMES.includes(name) || name.startsWith(ipAllowListMiddleware(''))) {
      out.push(
        `${at}.name: "${name}" is a middleware name this tool emits (forward auth, ip-allow-*); forward auth is added to forwardAuth services, allow lists go through ipAllowList`,
      );
    }
    if (name.includes('@') && mode !== 'traefik-file')
      out.push(`${at}.name: "${name}" names a provider; only traefik-file mode references middlewares as name@provider`);
    if (ref.namespace !== undefined) {
      if (mode === 'traefik-file')
        out.push(`${at}.namespace: traefik-file mode has no namespaces; reference the middleware as name@provider`);
      else if (gateway && routeNs === undefined)
        out.push(
          `${at}.namespace: a global ExtensionRef applies in every route's namespace; remove the namespace and create "${name}" in each`,
        );
      else if (gateway && ref.namespace !== routeNs) {
        out.push(
          `${at}.namespace: "${ref.namespace}" is not the HTTPRoute's namespace "${routeNs}": an ExtensionRef names a Middleware in its own namespace only`,
        );
      }
    }
  };
  const checkTls = (t: TlsConfig | undefined, at: string) => {
    if (!t) return;
    if (gateway) return void out.push(`${at}: TLS terminates at the Gateway listener in gateway-api mode; remove it`);
    if (t.certResolver && t.secretName) out.push(`${at}: has both certResolver and secretName; choose one`);
    if (t.secretName && mode === 'traefik-file')
      out.push(`${at}.secretName: traefik-file mode has no Secrets; use certResolver (or the file provider's tls.certificates)`);
  };
  /** A domain-restricted TLS block must cover every host it serves: one line per block. */
  const uncovered = (t: TlsConfig | undefined, hosts: string[]) => {
    if (!t?.domains || gateway) return [];
    const names = t.domains.flatMap((d) => [d.main, ...(d.sans ?? [])]);
    return hosts.filter((h) => !names.some((d) => tlsDomainCovers(d, h)));
  };
  const coverLine = (t: TlsConfig, at: string, hosts: string[]) =>
    `${at}.domains: no domain covers ${hosts.join(', ')} (domains ${t.domains!.flatMap((d) => [d.main, ...(d.sans ?? [])]).join(', ')}; *.name covers one label under name)`;
  /** Hosts served by edge.tls (routes without a tls of their own), Authentik's first. */
  const globalTlsHosts = [authHost];

  for (const list of Object.keys(e.ipAllowLists)) {
    if (ipAllowListMiddleware(list).length > 63)
      out.push(`edge.ipAllowLists.${list}: the Middleware name "${ipAllowListMiddleware(list)}" is longer than 63 characters`);
  }
  e.middlewares.forEach((ref, k) => checkRef(ref, `edge.middlewares[${k}]`, undefined));
  checkTls(e.tls, 'edge.tls');

  c.services.forEach((s, i) => {
    const at = `services[${i}]`;
    if (s.agent && s.routes) out.push(`${at}.routes: an agent has no host to route; remove them`);
    // A retired service is routed nowhere; its leftovers must not block the retirement.
    if (s.retired) return;
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
    if (!s.host || s.agent) return;
    const firstInNs = new Map<string, number>();
    (s.routes ?? []).forEach((r, j) => {
      const rt = `${at}.routes[${j}]`;
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
      const ns = r.service?.namespace;
      (r.middlewares ?? []).forEach((ref, k) => checkRef(ref, `${rt}.middlewares[${k}]`, ns));
      checkTls(r.tls, `${rt}.tls`);
      if (r.tls && uncovered(r.tls, [s.host!]).length) out.push(coverLine(r.tls, `${rt}.tls`, [s.host!]));
      // One IngressRoute per service and namespace carries a single tls block.
      if (mode === 'traefik-crd' && ns !== undefined) {
        const k = firstInNs.get(ns);
        if (k === undefined) firstInNs.set(ns, j);
        else if (JSON.stringify(r.tls ?? null) !== JSON.stringify(s.routes![k].tls ?? null)) {
          out.push(
            `${rt}.tls: differs from routes[${k}].tls, but both are routes of the one IngressRoute "${s.slug}" in "${ns}", which has one tls`,
          );
        }
      }
    });
    if (serviceRouteConfigs(s).some((r) => !r.tls)) globalTlsHosts.push(s.host);
    // Hosts are unique across services (and not Authentik's), so a collision is within one service.
    const routed = new Map<string, number>();
    (s.routes ?? []).forEach((r, j) => {
      const prev = routed.get(r.path);
      if (prev !== undefined)
        out.push(
          `${at}.routes[${j}].path: ${s.host} ${r.path} is already routed by routes[${prev}]; two routes may not share host and path`,
        );
      else routed.set(r.path, j);
    });
  });
  const bad = uncovered(e.tls, globalTlsHosts);
  if (bad.length) out.push(coverLine(e.tls!, 'edge.tls', bad));
  if (inCluster && authentikServerService(c.authentik.chart.releaseName).length > 63) {
    out.push(
      `authentik.chart.releaseName: the server Service name "${authentikServerService(c.authentik.chart.releaseName)}" is longer than 63 characters`,
    );
  }
  return out;
}
