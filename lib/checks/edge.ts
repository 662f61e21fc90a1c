// The edge, read back from whichever form was rendered (the traefik-file config, IngressRoutes or
// HTTPRoutes with their Middlewares), held against the model and the blueprints: every route the
// config asks for exists with its backend; every forward-auth route goes through a forwardAuth
// middleware that calls the outpost on Authentik's Service with exactly Authentik's headers; no
// forward auth for a host without a proxy provider (the outpost answers 404); no two routes share
// host and path; an owned middleware a route references is emitted where the route looks for it.
import type { SynthResult } from '../output/render';
import { MODEL } from '../upstream/authentik-models';
import { OUTPUT } from '../base/paths';
import { AUTH_RESPONSE_HEADERS, OUTPOST_TRAEFIK_PATH, TRAEFIK_MIDDLEWARE_REF, backendKey, ipAllowListMiddleware } from '../model/edge';
import { asArray, docAt, isObj, k8sObjects, list, presentEntries, text } from './rendered';
import { valueAt, asString } from '../base/records';

export interface RenderedMiddleware {
  /** `<name>` (file) or `<namespace>/<name>`. */
  key: string;
  where: string;
  spec: unknown;
}

export interface RenderedRoute {
  where: string;
  hosts: string[];
  paths: string[];
  /** References in chain order, resolved to the rendered middleware when there is one. */
  middlewares: Array<{ key: string; rendered?: RenderedMiddleware }>;
  backends: string[];
}

export interface RenderedEdge {
  /** What the findings name: the file, or the edge directory. */
  source: string;
  present: boolean;
  routes: RenderedRoute[];
  middlewares: RenderedMiddleware[];
}

const ruleHosts = (rule: string) => [...rule.matchAll(/Host\(\s*`([^`]*)`\s*\)/g)].map((x) => x[1]);
const rulePaths = (rule: string) => {
  const p = [...rule.matchAll(/PathPrefix\(\s*`([^`]*)`\s*\)/g)].map((x) => x[1]);
  return p.length ? p : ['/'];
};

function readFileMode(r: SynthResult): RenderedEdge {
  const doc = docAt(r, OUTPUT.traefik);
  const src = OUTPUT.traefik;
  const mws = valueAt(doc, 'http', 'middlewares');
  const middlewares: RenderedMiddleware[] = isObj(mws)
    ? Object.entries(mws).map(([key, spec]) => ({ key, where: `${src} middleware "${key}"`, spec }))
    : [];
  const byKey = new Map(middlewares.map((x) => [x.key, x]));
  const services = valueAt(doc, 'http', 'services');
  const routers = valueAt(doc, 'http', 'routers');
  const routes: RenderedRoute[] = isObj(routers)
    ? Object.entries(routers).map(([name, rt]) => {
        const rule = asString(valueAt(rt, 'rule')) ?? '';
        const svc = asString(valueAt(rt, 'service'))?.replace(/@file$/, '');
        return {
          where: `${src} router "${name}"`,
          hosts: ruleHosts(rule),
          paths: rulePaths(rule),
          middlewares: asArray(valueAt(rt, 'middlewares')).map((x) => {
            const key = String(x).replace(/@file$/, '');
            return { key, rendered: byKey.get(key) };
          }),
          backends: asArray(valueAt(isObj(services) && svc ? services[svc] : undefined, 'loadBalancer', 'servers')).map((s) =>
            String(valueAt(s, 'url')),
          ),
        };
      })
    : [];
  return { source: src, present: doc !== undefined, routes, middlewares };
}

function readClusterMode(r: SynthResult): RenderedEdge {
  const src = `${OUTPUT.edgeDir}/`;
  const inEdge = (kind: string) => k8sObjects(r, kind).filter((o) => o.file.startsWith(src));
  const nsOf = (o: { obj: { metadata?: { namespace?: string } } }) => o.obj.metadata?.namespace ?? '';
  const middlewares: RenderedMiddleware[] = inEdge('Middleware').map((o) => ({
    key: `${nsOf(o)}/${o.obj.metadata?.name ?? ''}`,
    where: `${o.file} Middleware ${nsOf(o)}/${o.obj.metadata?.name ?? ''}`,
    spec: o.obj.spec,
  }));
  const byKey = new Map(middlewares.map((x) => [x.key, x]));
  const ref = (key: string) => ({ key, rendered: byKey.get(key) });
  const routes: RenderedRoute[] = [];
  for (const o of inEdge('IngressRoute')) {
    const ns = nsOf(o);
    asArray(valueAt(o.obj, 'spec', 'routes')).forEach((rt, i) => {
      const rule = asString(valueAt(rt, 'match')) ?? '';
      routes.push({
        where: `${o.file} routes[${i}]`,
        hosts: ruleHosts(rule),
        paths: rulePaths(rule),
        middlewares: asArray(valueAt(rt, 'middlewares')).map((x) =>
          ref(`${asString(valueAt(x, 'namespace')) ?? ns}/${String(valueAt(x, 'name'))}`),
        ),
        backends: asArray(valueAt(rt, 'services')).map(
          (x) => `${asString(valueAt(x, 'namespace')) ?? ns}/${String(valueAt(x, 'name'))}:${String(valueAt(x, 'port'))}`,
        ),
      });
    });
  }
  for (const o of inEdge('HTTPRoute')) {
    const ns = nsOf(o);
    const hosts = asArray(valueAt(o.obj, 'spec', 'hostnames')).map(String);
    asArray(valueAt(o.obj, 'spec', 'rules')).forEach((rule, i) => {
      const paths = asArray(valueAt(rule, 'matches')).map((x) => asString(valueAt(x, 'path', 'value')) ?? '/');
      routes.push({
        where: `${o.file} rules[${i}]`,
        hosts,
        paths: paths.length ? paths : ['/'],
        // An ExtensionRef is local: the Middleware must be in the HTTPRoute's namespace.
        middlewares: asArray(valueAt(rule, 'filters'))
          .filter(
            (f) =>
              valueAt(f, 'type') === 'ExtensionRef' &&
              valueAt(f, 'extensionRef', 'kind') === TRAEFIK_MIDDLEWARE_REF.kind &&
              valueAt(f, 'extensionRef', 'group') === TRAEFIK_MIDDLEWARE_REF.group,
          )
          .map((f) => ref(`${ns}/${String(valueAt(f, 'extensionRef', 'name'))}`)),
        backends: asArray(valueAt(rule, 'backendRefs')).map(
          (x) => `${asString(valueAt(x, 'namespace')) ?? ns}/${String(valueAt(x, 'name'))}:${String(valueAt(x, 'port'))}`,
        ),
      });
    });
  }
  return { source: src, present: routes.length > 0, routes, middlewares };
}

/** The edge as rendered, in the model's mode. */
export const readEdge = (r: SynthResult): RenderedEdge => (r.model.edge.inCluster ? readClusterMode(r) : readFileMode(r));

/** Is this rendered middleware a forwardAuth one? */
export const isForwardAuth = (mw?: RenderedMiddleware) => isObj(valueAt(mw?.spec, 'forwardAuth'));

/**
 * Where the forwardAuth address must point, from Authentik's Service: the rendered LoadBalancer
 * Service's IP and http port for the edge outside the cluster, the server Service in-cluster.
 */
function expectedAddress(r: SynthResult): string {
  const m = r.model;
  if (m.edge.inCluster) {
    const s = m.edge.authentikService;
    return `http://${s.name}.${s.namespace}.svc.cluster.local:${s.port}${OUTPOST_TRAEFIK_PATH}`;
  }
  const lb = k8sObjects(r, 'Service').find((o) => o.obj.metadata?.name === m.authentik.loadBalancer.serviceName)?.obj;
  const annotation = m.authentik.loadBalancer.annotation;
  const ip = (annotation ? asString(valueAt(lb, 'metadata', 'annotations', annotation)) : undefined) ?? m.authentik.loadBalancer.ip;
  const port = asArray(valueAt(lb, 'spec', 'ports')).find((p) => valueAt(p, 'name') === 'http');
  return `http://${ip}:${text(valueAt(port, 'port') ?? m.authentik.loadBalancer.httpPort)}${OUTPOST_TRAEFIK_PATH}`;
}

export function checkEdge(r: SynthResult): string[] {
  const m = r.model;
  const out: string[] = [];
  const edge = readEdge(r);
  if (!edge.present) {
    // Authentik's own route is always expected, so an empty edge is always a finding.
    if (m.edge.routes.length || m.proxyApps.length || m.publicApps.length) {
      out.push(`${edge.source} is missing, but the model has edge-routed services (${list(m.edge.routes.map((x) => x.slug))})`);
    }
    return out;
  }

  const address = expectedAddress(r);
  if (m.edge.forwardAuth.address !== address)
    out.push(`the model's forwardAuth address "${m.edge.forwardAuth.address}" is not Authentik's Service "${address}"`);
  const want = [...AUTH_RESPONSE_HEADERS];
  for (const mw of edge.middlewares.filter(isForwardAuth)) {
    const fa = valueAt(mw.spec, 'forwardAuth');
    if (valueAt(fa, 'address') !== address)
      out.push(`${mw.where} forwards auth to ${JSON.stringify(valueAt(fa, 'address'))}, not the outpost at "${address}"`);
    const got = asArray(valueAt(fa, 'authResponseHeaders')).map(String);
    const missing = want.filter((h) => !got.includes(h));
    const extra = got.filter((h) => !want.includes(h as (typeof want)[number]));
    if (missing.length || extra.length) {
      out.push(
        `${mw.where} authResponseHeaders differ from the headers Authentik's outpost sends: ${[missing.length ? `missing ${list(missing)}` : '', extra.length ? `not sent by Authentik ${list(extra)}` : ''].filter(Boolean).join('; ')}`,
      );
    }
  }

  // Every route the model asks for, with its backend; forward-auth ones through the middleware.
  const at = (host: string, path: string) => edge.routes.filter((x) => x.hosts.includes(host) && x.paths.includes(path));
  for (const route of m.edge.routes) {
    const [found] = at(route.host, route.path);
    const what = `${route.protection} service ${route.slug} (${route.host}${route.path === '/' ? '' : ` ${route.path}`})`;
    if (!found) {
      out.push(`${edge.source} has no route for ${what}${route.path === '/' ? ` (Host(\`${route.host}\`))` : ''}`);
      continue;
    }
    const auth = found.middlewares.filter((x) => isForwardAuth(x.rendered));
    if (route.protection === 'forward-auth' && !auth.length) {
      out.push(
        `${found.where} for ${route.host} does not use the Authentik forwardAuth middleware ("${m.edge.forwardAuth.middlewareName}"); ${route.slug} would be open to anyone`,
      );
    }
    const backend = backendKey(route.backend);
    if (!found.backends.includes(backend))
      out.push(`${found.where} for ${route.host} sends to ${list(found.backends)}, not the configured backend "${backend}"`);
  }

  // Every edge-routed service's host is there at all (whatever the model's routes say).
  for (const app of [...m.proxyApps, ...m.publicApps]) {
    if (!edge.routes.some((x) => x.hosts.includes(app.host)))
      out.push(`${edge.source} has no route for service ${app.slug} (Host(\`${app.host}\`))`);
  }

  // Forward auth only where Authentik has a proxy provider for the host.
  const providerHosts = new Set(presentEntries(r, MODEL.proxyProvider).map(({ e }) => asString(valueAt(e.attrs, 'external_host')) ?? ''));
  for (const route of edge.routes.filter((x) => x.middlewares.some((mw) => isForwardAuth(mw.rendered)))) {
    for (const h of route.hosts.filter((x) => !providerHosts.has(`https://${x}`))) {
      out.push(`${route.where} sends ${h} through Authentik forward auth, but no proxy provider has external_host https://${h}`);
    }
  }

  // Collisions: one host and path, one route.
  const seen = new Map<string, string>();
  for (const route of edge.routes) {
    for (const h of route.hosts) {
      for (const p of route.paths) {
        const prev = seen.get(`${h} ${p}`);
        if (prev) out.push(`${route.where} routes ${h} ${p}, as ${prev} does; one of them never receives a request`);
        else seen.set(`${h} ${p}`, route.where);
      }
    }
  }

  // An owned middleware a route names must be there (in-cluster: in the namespace it is looked up in).
  const owned = (key: string) => {
    const name = key.slice(key.lastIndexOf('/') + 1);
    return name === m.edge.forwardAuth.middlewareName || name.startsWith(ipAllowListMiddleware(''));
  };
  for (const route of edge.routes) {
    for (const mw of route.middlewares.filter((x) => !x.rendered && owned(x.key))) {
      out.push(
        `${route.where} references middleware "${mw.key}", which is not emitted${m.edge.mode === 'gateway-api' ? " (an ExtensionRef names a Middleware in the HTTPRoute's own namespace)" : ''}`,
      );
    }
  }
  return out;
}
