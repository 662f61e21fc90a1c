// Every application slug belongs to exactly one integration (a service with oidc and forwardAuth has
// two applications under two slugs), and the artifacts say so: an Authentik application only for oidc, forwardAuth, agent and kubectl services; none for a public service, which
// the edge routes without the Authentik middleware (in any mode) and the access matrix lists as "public".
import type { SynthResult } from '../output/render';
import { MODEL } from '../upstream/authentik-models';
import { OUTPUT } from '../base/paths';
import { fileAt, list, presentEntries, where } from './rendered';
import { isForwardAuth, readEdge } from './edge';
import { asString } from '../base/records';

export function checkPatterns(r: SynthResult): string[] {
  const m = r.model;
  const out: string[] = [];
  const kinds = new Map<string, string[]>();
  const add = (slug: string, kind: string) => kinds.set(slug, [...(kinds.get(slug) ?? []), kind]);
  m.oidcApps.forEach((a) => add(a.slug, 'oidc'));
  m.proxyApps.forEach((a) => add(a.slug, 'forwardAuth'));
  m.publicApps.forEach((a) => add(a.slug, 'public'));
  m.agents.forEach((a) => add(a.slug, 'agent'));
  m.kubectlApps.forEach((a) => add(a.slug, 'kubectl'));
  for (const [slug, ks] of kinds)
    if (ks.length > 1)
      out.push(`service ${slug} has ${ks.length} integration patterns in the model (${ks.join(', ')}); exactly one is allowed`);

  const publicSlugs = new Set(m.publicApps.map((a) => a.slug));
  for (const { bp, e } of presentEntries(r, MODEL.application)) {
    const slug = asString(e.identifiers.slug) ?? '';
    const ks = kinds.get(slug) ?? [];
    if (publicSlugs.has(slug))
      out.push(`${where(bp)}: public service ${slug} has an Authentik application; public services are routed without Authentik`);
    else if (!ks.length)
      out.push(`${where(bp)}: application "${slug}" belongs to no oidc, forwardAuth, agent or kubectl service of the model`);
  }

  const edge = readEdge(r);
  const access = fileAt(r, OUTPUT.accessDoc)?.text;
  if (m.publicApps.length && access === undefined)
    out.push(`${OUTPUT.accessDoc} is missing, but the model has public services (${list(m.publicApps.map((a) => a.slug))})`);
  for (const app of m.publicApps) {
    if (edge.present) {
      const routes = edge.routes.filter((x) => x.hosts.includes(app.host));
      if (!routes.length) out.push(`${edge.source} has no route for public service ${app.slug} (Host(\`${app.host}\`))`);
      for (const route of routes.filter((x) => x.middlewares.some((mw) => isForwardAuth(mw.rendered)))) {
        out.push(`${route.where} puts public service ${app.slug} behind Authentik forward auth`);
      }
    }
    if (access !== undefined) {
      const rows = access
        .split('\n')
        .filter((l) => l.includes(app.host) || new RegExp(`\\b${app.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`).test(l));
      if (!rows.some((l) => /\bpublic\b/i.test(l))) {
        out.push(`${OUTPUT.accessDoc} does not say that ${app.slug} (${app.host}) is public (no line naming it says "public")`);
      }
    }
  }
  return out;
}
