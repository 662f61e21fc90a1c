// Typed service patterns: the config keeps one optional block per pattern on a service (its input
// shape), the model works on Integrations, a union on `kind` where each member carries only its own
// block. Code handling a forward-auth integration cannot reach an `oidc` field, and a service may
// carry several integrations (validation allows oidc plus forwardAuth on one host; the others alone).
import type { Service } from '../config/schema';
import { MODEL } from '../upstream/authentik-models';
import type { ProviderIdentity } from './types';

/** A service without its pattern blocks and host: what every integration may read of it. */
export type ServiceCore = Omit<Service, 'host' | 'oidc' | 'forwardAuth' | 'agent' | 'kubectl' | 'public'>;

/** The Authentik application an integration creates: its slug (also the issuer path) and name. */
export interface ApplicationIdentity {
  slug: string;
  name: string;
}

export type OidcIntegration = {
  kind: 'oidc';
  service: ServiceCore;
  host: string;
  oidc: NonNullable<Service['oidc']>;
  application: ApplicationIdentity;
};
export type ForwardAuthIntegration = {
  kind: 'forwardAuth';
  service: ServiceCore;
  host: string;
  forwardAuth: NonNullable<Service['forwardAuth']>;
  application: ApplicationIdentity;
};
export type AgentIntegration = {
  kind: 'agent';
  service: ServiceCore;
  agent: NonNullable<Service['agent']>;
  application: ApplicationIdentity;
};
export type KubectlIntegration = {
  kind: 'kubectl';
  service: ServiceCore;
  kubectl: NonNullable<Service['kubectl']>;
  application: ApplicationIdentity;
};
export type PublicIntegration = { kind: 'public'; service: ServiceCore; host: string; public: NonNullable<Service['public']> };

export type Integration = OidcIntegration | ForwardAuthIntegration | AgentIntegration | KubectlIntegration | PublicIntegration;
/** The integrations that create an Authentik provider (a public service creates nothing). */
export type ProviderIntegration = Exclude<Integration, PublicIntegration>;
export type IntegrationKind = Integration['kind'];

/**
 * The integrations a service carries, in a fixed order. A pattern that needs a host is left out
 * without one (validation reports that; derivation never sees a host-less oidc service). Each
 * provider integration gets its application identity here: the service's own slug and name,
 * unless the config adopts a live application, and a forward-auth application next to an OIDC one
 * on the same service needs a slug of its own (slugs are unique in Authentik).
 */
export function integrationsOf(s: Service): Integration[] {
  const { host, oidc, forwardAuth, agent, kubectl, public: open, ...service } = s;
  const own: ApplicationIdentity = { slug: s.slug, name: s.name };
  const out: Integration[] = [];
  if (oidc && host) {
    out.push({ kind: 'oidc', service, host, oidc, application: { ...own, ...oidc.application } });
  }
  if (forwardAuth && host) {
    const beside = oidc ? { slug: forwardAuthBesideSlug(s.slug), name: `${s.name} (forward auth)` } : own;
    out.push({ kind: 'forwardAuth', service, host, forwardAuth, application: { ...beside, ...forwardAuth.application } });
  }
  if (agent) out.push({ kind: 'agent', service, agent, application: own });
  if (kubectl) out.push({ kind: 'kubectl', service, kubectl, application: own });
  if (open && host) out.push({ kind: 'public', service, host, public: open });
  return out;
}

/** The default slug of a forward-auth application next to an OIDC one on the same service. */
export const forwardAuthBesideSlug = (serviceSlug: string): string => `${serviceSlug}-forward-auth`;

/** The integrations of one kind, typed as that member of the union. */
export const ofKind = <K extends IntegrationKind>(all: Integration[], kind: K): Array<Extract<Integration, { kind: K }>> =>
  all.filter((i): i is Extract<Integration, { kind: K }> => i.kind === kind);

/** Defaults the config leaves implicit, shared with validation so both agree. */
export const clientIdOf = (s: Pick<Service, 'slug' | 'oidc'>): string => s.oidc?.clientId ?? s.slug;
export const serviceAccountOf = (s: Pick<Service, 'slug' | 'agent'>): string => s.agent?.serviceAccount ?? s.slug;

/**
 * The provider's name (an adopted live provider keeps its own). OAuth2 providers are identified
 * by client_id, so theirs may change.
 */
export function providerName(i: ProviderIntegration): string {
  switch (i.kind) {
    case 'oidc':
      return i.oidc.providerName ?? `${i.service.name} OIDC`;
    // A proxy provider has no unique field but its name, which identifies it in blueprints: built
    // from the slug, so renaming the service does not orphan it.
    case 'forwardAuth':
      return i.forwardAuth.providerName ?? `${i.service.slug} forward auth`;
    case 'kubectl':
      return `${i.service.name} (kubectl)`;
    case 'agent':
      return `${i.service.name} (client credentials)`;
  }
}

/** The OAuth2 client id of a provider integration: the slug unless an oidc block names another. */
export const integrationClientId = (i: OidcIntegration | AgentIntegration | KubectlIntegration): string =>
  i.kind === 'oidc' ? clientIdOf({ slug: i.service.slug, oidc: i.oidc }) : i.service.slug;

/** How a blueprint finds a provider: client_id is unique for OAuth2 providers, a proxy provider has its name. */
export function providerIdentifiers(i: ProviderIntegration): ProviderIdentity {
  if (i.kind === 'forwardAuth') return { model: MODEL.proxyProvider, identifiers: { name: providerName(i) } };
  // An adopted provider the live layer finds by name keeps being found so (services[].oidc.providerFoundBy).
  if (i.kind === 'oidc' && i.oidc.providerFoundBy === 'name')
    return { model: MODEL.oauth2Provider, identifiers: { name: providerName(i) } };
  return { model: MODEL.oauth2Provider, identifiers: { client_id: integrationClientId(i) } };
}
