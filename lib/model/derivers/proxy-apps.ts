// Proxy apps: one proxy provider per forward-auth integration, served by the embedded outpost and
// spread over blueprint files so each ConfigMap stays small; and the public (unauthenticated) apps.
import { forwardAuthBesideSlug, providerName, type ForwardAuthIntegration, type PublicIntegration } from '../patterns';
import type { BlueprintRef, ProxyApp, PublicApp } from '../types';
import { accessOf } from './shared';
import { adoptedBlueprint, blueprintRef, fnv1a } from '../identity';
import { hostSides, type MigrationModel } from '../migration';

/**
 * Forward-auth services per blueprint file, on average at most. A blueprint is one file, and its
 * ConfigMap (like every Kubernetes object) must stay under 1 MiB: one forward-auth service takes
 * about 2.5 KiB (its five scope mappings listed), so 2000 of them in one file would not fit.
 */
export const PROXY_APPS_PER_BLUEPRINT = 200;

/**
 * One blueprint file for up to PROXY_APPS_PER_BLUEPRINT forward-auth services, else a power of two
 * of them, each service in file hash(slug) mod count: adding a service moves no other, and
 * doubling the count moves about half. A service moving between files is harmless to Authentik
 * (its objects are found by name, whichever file names them).
 */
function proxyBlueprintOf(slug: string, total: number): BlueprintRef {
  if (total <= PROXY_APPS_PER_BLUEPRINT) return blueprintRef('proxy-providers');
  const files = 2 ** Math.ceil(Math.log2(Math.ceil(total / PROXY_APPS_PER_BLUEPRINT)));
  return blueprintRef(`proxy-providers-${fnv1a(slug) % files}`);
}

/**
 * A forward-auth-only service may have had `oidc` beside it: its proxy provider was then held by
 * application `<slug>-forward-auth`, and now goes back to the service's own application.
 */
function handoverFrom(i: ForwardAuthIntegration): { handoverFrom?: string } {
  const beside = forwardAuthBesideSlug(i.service.slug);
  return i.application.slug === beside ? {} : { handoverFrom: beside };
}

/**
 * Forward-auth apps; one whose config adopts a live blueprint keeps that file, the others share.
 * During a domain move `integrations` include the stand-ins on the old hosts (a provider has one
 * external host, and the outpost picks the provider by the request's host). Each provider keeps
 * its own host; the launch URL is the host the phase points people at.
 */
export function deriveProxyApps(integrations: ForwardAuthIntegration[], migration?: MigrationModel): ProxyApp[] {
  const shared = integrations.filter((i) => !i.forwardAuth.blueprint).length;
  return integrations.map((i): ProxyApp => ({
    slug: i.application.slug,
    blueprint: i.forwardAuth.blueprint ? adoptedBlueprint(i.forwardAuth.blueprint) : proxyBlueprintOf(i.application.slug, shared),
    name: i.application.name,
    host: i.host,
    externalHost: `https://${i.host}`,
    launchUrl: `https://${hostSides(migration, i.host).current}/`,
    providerName: providerName(i),
    ...handoverFrom(i),
    sessionValidity: i.forwardAuth.sessionValidity,
    allowedGroups: i.service.allowedGroups === 'any' ? undefined : i.service.allowedGroups,
    access: accessOf(i.application.slug, i.service.allowedGroups),
  }));
}

export const derivePublicApps = (integrations: PublicIntegration[]): PublicApp[] =>
  integrations.map((i) => ({ slug: i.service.slug, name: i.service.name, host: i.host }));
