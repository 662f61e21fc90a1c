// Helpers every deriver shares: the facts derived from the Authentik URL and chart, and the
// naming rules (blueprint files, env var names, access policies) each defined once here.
import type { ClusterConfig } from '../../config/schema';
import { authentikMinor } from '../../upstream/authentik-versions';
import { integrationClientId, providerName, type AgentIntegration, type KubectlIntegration, type ServiceCore } from '../patterns';
import type { AccessPolicy } from '../types';
import { authentikIssuer } from '../../upstream/conventions';
import { authentikSides, deriveMigration, withoutSlash, type MigrationModel } from '../migration';

/** What several derivers need of Authentik: its URLs (no trailing slash), minor version, issuer rule. */
export interface AuthentikContext {
  /** The URL clients are given in this phase (the config's authentik.url outside a domain move). */
  url: string;
  host: string;
  /** The config's authentik.url: where a domain move goes. */
  destination: string;
  /** Every URL Authentik answers on in this phase, the destination first: Authentik builds a provider's issuer from the host it is asked on, so each is a valid issuer. */
  served: string[];
  minor: string;
  /** The issuer of the provider of an application slug, at `url`. */
  issuerFor: (slug: string) => string;
  migration?: MigrationModel;
}

export function authentikContext(c: ClusterConfig): AuthentikContext {
  const migration = deriveMigration(c);
  const destination = withoutSlash(c.authentik.url);
  const sides = authentikSides(migration, destination);
  const url = sides.current;
  return {
    url,
    host: new URL(url).host,
    destination,
    served: sides.served,
    minor: authentikMinor(c.authentik.chart.version),
    issuerFor: (slug) => authentikIssuer(url, slug),
    ...(migration ? { migration } : {}),
  };
}

/** A slug or account as an env var name part. */
export const envName = (s: string) => s.toUpperCase().replace(/[^A-Z0-9]/g, '_');
/** A slug or account as a key of the Authentik out-of-band Secret. */
export const keyName = (s: string) => s.replace(/-/g, '_');
export const accessPolicyName = (slug: string) => `unified-auth access ${slug}`;
export const tokenIdentifier = (serviceAccount: string) => `${serviceAccount}-app-password`;
/** The access policy of an application: named after its slug, so renaming the service keeps it. */
export const accessOf = (applicationSlug: string, allowedGroups: ServiceCore['allowedGroups']): AccessPolicy => ({
  name: accessPolicyName(applicationSlug),
  ...(Array.isArray(allowedGroups) ? { allowedGroups } : {}),
});

/**
 * What names an agent's or kubectl client's OAuth2 provider: its slug, client id, provider name,
 * issuer. The issuer is the destination's from a domain move's overlap on: the kubeconfigs handed
 * out then name it, and the apiserver trusts both until the move is done (deriveApiserverIssuers).
 */
export const clientIdentity = (i: AgentIntegration | KubectlIntegration, ak: AuthentikContext) => ({
  slug: i.service.slug,
  name: i.service.name,
  clientId: integrationClientId(i),
  providerName: providerName(i),
  issuer: authentikIssuer(ak.destination, i.service.slug),
});
