// Forward auth spans three systems: a proxy provider whose external_host is the service URL,
// the embedded outpost serving it (only assigned providers are served: DESIGN.md §4.6), and an
// edge Traefik router that sends the request through the Authentik forwardAuth middleware
// (§4.19). Missing any one of them is an open service or a 404 from the outpost.
import type { SynthResult } from '../synth';
import { MODEL } from '../blueprints/models';
import { OUTPUT } from '../paths';
import { EMBEDDED_OUTPOST } from '../model/derive';
import { Find, KeyOf } from '../blueprints/tags';
import { asArray, docAt, get, isObj, list, presentEntries, where, type Obj } from './util';

export interface TraefikRouter {
  name: string;
  hosts: string[];
  middlewares: string[];
  service?: string;
}

/** Routers of a Traefik dynamic config, with the hosts of their Host(`…`) rules. */
export function traefikRouters(doc: unknown): TraefikRouter[] {
  const routers = get(doc, 'http', 'routers');
  if (!isObj(routers)) return [];
  return Object.entries(routers).map(([name, r]) => ({
    name,
    hosts: [...String(get(r, 'rule') ?? '').matchAll(/Host\(\s*`([^`]*)`\s*\)/g)].map((m) => m[1]),
    middlewares: asArray(get(r, 'middlewares')).map((x) => String(x).replace(/@file$/, '')),
    service: typeof get(r, 'service') === 'string' ? String(get(r, 'service')).replace(/@file$/, '') : undefined,
  }));
}

/** Names of middlewares that forward to the Authentik outpost address. */
export function authMiddlewares(doc: unknown, address: string): { ok: string[]; wrong: Array<{ name: string; address: unknown }> } {
  const mws = get(doc, 'http', 'middlewares');
  const ok: string[] = [];
  const wrong: Array<{ name: string; address: unknown }> = [];
  if (isObj(mws)) {
    for (const [name, mw] of Object.entries(mws)) {
      const fa = get(mw, 'forwardAuth');
      if (!isObj(fa)) continue;
      if (fa.address === address) ok.push(name);
      else wrong.push({ name, address: fa.address });
    }
  }
  return { ok, wrong };
}

export function checkForwardAuth(r: SynthResult): string[] {
  const m = r.model;
  const out: string[] = [];
  const providers = presentEntries(r, MODEL.proxyProvider);
  const outposts = presentEntries(r, MODEL.outpost).filter(({ e }) => e.identifiers.managed === EMBEDDED_OUTPOST);

  // Indexes, so each service is a lookup rather than a scan (the check stays linear).
  const byExternalHost = new Map<unknown, (typeof providers)[number]>();
  for (const p of providers) {
    const host = get(p.e.attrs, 'external_host');
    if (!byExternalHost.has(host)) byExternalHost.set(host, p);
  }
  const servedIds = new Set(
    presentEntries(r, MODEL.application).flatMap(({ bp, e }) => (e.attrs?.provider instanceof KeyOf ? [`${bp.name}\u0000${e.attrs.provider.id}`] : [])),
  );
  // The outpost lists providers of its own blueprint by !KeyOf and those of other shards of the
  // proxy blueprint by !Find on the name (lib/blueprints/shard.ts): both name one provider.
  const providerByName = new Map(providers.map((p) => [p.e.identifiers.name, p]));
  const outpostIds = new Set(
    outposts.flatMap(({ bp, e }) =>
      asArray(get(e.attrs, 'providers')).flatMap((k) => {
        if (k instanceof KeyOf) return [`${bp.name}\u0000${k.id}`];
        if (k instanceof Find && k.model === MODEL.proxyProvider && k.query.length === 1 && k.query[0][0] === 'name') {
          const p = providerByName.get(k.query[0][1]);
          return p ? [`${p.bp.name}\u0000${p.e.id}`] : [];
        }
        return [];
      }),
    ),
  );

  for (const app of m.proxyApps) {
    const p = byExternalHost.get(app.externalHost);
    if (!p) {
      out.push(`forward-auth service ${app.slug} (${app.externalHost}) has no proxy provider with that external_host in any blueprint; the outpost answers 404`);
      continue;
    }
    if (get(p.e.attrs, 'mode') !== 'forward_single') {
      out.push(`${where(p.bp)}: proxy provider of ${app.slug} has mode ${JSON.stringify(get(p.e.attrs, 'mode'))}, not forward_single`);
    }
    const key = `${p.bp.name}\u0000${p.e.id}`;
    if (!servedIds.has(key)) out.push(`${where(p.bp)}: proxy provider "${String(p.e.identifiers.name)}" of ${app.slug} has no application`);
    if (m.authentik.manageOutpostProviders && !outpostIds.has(key)) {
      out.push(`${where(p.bp)}: proxy provider "${String(p.e.identifiers.name)}" of ${app.slug} is not in the embedded outpost's providers, so forward auth for ${app.host} answers 404`);
    }
  }
  if (!m.authentik.manageOutpostProviders) {
    for (const { bp } of outposts.filter(({ e }) => get(e.attrs, 'providers') !== undefined)) {
      out.push(`${where(bp)}: outpost management is opted out, but the embedded outpost entry sets providers (that replaces the hand-assigned list)`);
    }
  }

  const doc = docAt(r, OUTPUT.traefik);
  if (doc === undefined) {
    if (m.proxyApps.length || m.publicApps.length) out.push(`${OUTPUT.traefik} is missing, but the model has edge-routed services (${list([...m.proxyApps, ...m.publicApps].map((a) => a.slug))})`);
    return out;
  }
  const routers = traefikRouters(doc);
  const { ok: auth, wrong } = authMiddlewares(doc, m.authentik.outpostTraefikUrl);
  for (const w of wrong) {
    out.push(`${OUTPUT.traefik} middleware "${w.name}" forwards auth to ${JSON.stringify(w.address)}, not the outpost at "${m.authentik.outpostTraefikUrl}"`);
  }
  const services = get(doc, 'http', 'services');
  const upstreams = (svc?: string) =>
    asArray(get(isObj(services) && svc ? (services as Obj)[svc] : undefined, 'loadBalancer', 'servers')).map((s) => get(s, 'url'));

  const routerByHost = new Map<string, TraefikRouter>();
  for (const router of routers) for (const h of router.hosts) if (!routerByHost.has(h)) routerByHost.set(h, router);
  for (const app of m.proxyApps) {
    const router = routerByHost.get(app.host);
    if (!router) {
      out.push(`${OUTPUT.traefik} has no router for forward-auth service ${app.slug} (Host(\`${app.host}\`))`);
    } else if (!router.middlewares.some((mw) => auth.includes(mw))) {
      out.push(`${OUTPUT.traefik} router "${router.name}" for ${app.host} does not use the Authentik forwardAuth middleware (${list(auth)}); ${app.slug} would be open to anyone`);
    } else if (!upstreams(router.service).includes(app.upstream)) {
      out.push(`${OUTPUT.traefik} router "${router.name}" for ${app.host} sends to ${list(upstreams(router.service).map(String))}, not the configured upstream "${app.upstream}"`);
    }
  }
  // The reverse: a protected router for a host Authentik has no proxy provider for gets 404s.
  const proxyHosts = new Set(m.proxyApps.map((a) => a.host));
  for (const router of routers.filter((x) => x.middlewares.some((mw) => auth.includes(mw)))) {
    for (const h of router.hosts.filter((x) => !proxyHosts.has(x))) {
      out.push(`${OUTPUT.traefik} router "${router.name}" sends ${h} through Authentik forward auth, but no proxy provider has external_host https://${h}`);
    }
  }
  return out;
}
