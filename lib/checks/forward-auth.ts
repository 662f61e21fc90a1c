// Forward auth spans three systems: a proxy provider whose external_host is the service URL,
// the embedded outpost serving it (only assigned providers are served: docs/field-traps.md#embedded-outpost),
// and an edge route that sends the request through the Authentik forwardAuth middleware (checked on
// the rendered edge, in any mode, by ./edge.ts). Missing any one of them is an open service or a 404.
import type { SynthResult } from '../output/render';
import { MODEL } from '../upstream/authentik-models';
import { EMBEDDED_OUTPOST } from '../upstream/conventions';
import { Find, KeyOf } from '../upstream/blueprint-tags';
import { asArray, presentEntries, text, where } from './rendered';
import { valueAt } from '../base/records';

export function checkForwardAuth(r: SynthResult): string[] {
  const m = r.model;
  const out: string[] = [];
  const providers = presentEntries(r, MODEL.proxyProvider);
  const outposts = presentEntries(r, MODEL.outpost).filter(({ e }) => e.identifiers.managed === EMBEDDED_OUTPOST);

  // Indexes, so each service is a lookup rather than a scan (the check stays linear).
  const byExternalHost = new Map<unknown, (typeof providers)[number]>();
  for (const p of providers) {
    const host = valueAt(p.e.attrs, 'external_host');
    if (!byExternalHost.has(host)) byExternalHost.set(host, p);
  }
  const servedIds = new Set(
    presentEntries(r, MODEL.application).flatMap(({ bp, e }) =>
      e.attrs?.provider instanceof KeyOf ? [`${bp.name}\u0000${e.attrs.provider.id}`] : [],
    ),
  );
  // The outpost lists providers by !KeyOf (same file) or, when they span files, by !Find on name.
  const byName = new Map(providers.map((p) => [p.e.identifiers.name, `${p.bp.name}\u0000${p.e.id}`]));
  const outpostIds = new Set(
    outposts.flatMap(({ bp, e }) =>
      asArray(valueAt(e.attrs, 'providers')).flatMap((k) =>
        k instanceof KeyOf
          ? [`${bp.name}\u0000${k.id}`]
          : k instanceof Find && k.model === MODEL.proxyProvider
            ? [byName.get(k.query[0]?.[1]) ?? '']
            : [],
      ),
    ),
  );

  for (const app of m.proxyApps) {
    const p = byExternalHost.get(app.externalHost);
    if (!p) {
      out.push(
        `forward-auth service ${app.slug} (${app.externalHost}) has no proxy provider with that external_host in any blueprint; the outpost answers 404`,
      );
      continue;
    }
    if (valueAt(p.e.attrs, 'mode') !== 'forward_single') {
      out.push(`${where(p.bp)}: proxy provider of ${app.slug} has mode ${JSON.stringify(valueAt(p.e.attrs, 'mode'))}, not forward_single`);
    }
    const key = `${p.bp.name}\u0000${p.e.id}`;
    if (!servedIds.has(key)) out.push(`${where(p.bp)}: proxy provider "${text(p.e.identifiers.name)}" of ${app.slug} has no application`);
    if (m.authentik.manageOutpostProviders && !outpostIds.has(key)) {
      out.push(
        `${where(p.bp)}: proxy provider "${text(p.e.identifiers.name)}" of ${app.slug} is not in the embedded outpost's providers, so forward auth for ${app.host} answers 404`,
      );
    }
  }
  if (!m.authentik.manageOutpostProviders) {
    for (const { bp } of outposts.filter(({ e }) => valueAt(e.attrs, 'providers') !== undefined)) {
      out.push(
        `${where(bp)}: outpost management is opted out, but the embedded outpost entry sets providers (that replaces the hand-assigned list)`,
      );
    }
  }

  return out;
}
