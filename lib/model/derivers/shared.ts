// Helpers every deriver shares: the facts derived from the Authentik URL and chart, and the
// naming rules (blueprint files, env var names, access policies) each defined once here.
import type { ClusterConfig } from '../../config/schema';
import { authentikMinor } from '../authentik-versions';
import { integrationClientId, providerName, type AgentIntegration, type KubectlIntegration, type ServiceCore } from '../patterns';
import type { AccessPolicy, BlueprintRef } from '../types';
import { authentikIssuer } from '../upstream';

/** What several derivers need of Authentik: its URL (no trailing slash), minor version, issuer rule. */
export interface AuthentikContext {
  url: string;
  host: string;
  minor: string;
  /** The issuer of the provider of an application slug. */
  issuerFor: (slug: string) => string;
}

export function authentikContext(c: ClusterConfig): AuthentikContext {
  const url = c.authentik.url.replace(/\/$/, '');
  return {
    url,
    host: new URL(url).host,
    minor: authentikMinor(c.authentik.chart.version),
    issuerFor: (slug) => authentikIssuer(url, slug),
  };
}

export const blueprintRef = (id: string): BlueprintRef => ({
  name: `unified-auth-${id}`,
  configMapName: `authentik-blueprint-${id}`,
  fileName: `${id}.yaml`,
});

/** A slug or account as an env var name part. */
export const envName = (s: string) => s.toUpperCase().replace(/[^A-Z0-9]/g, '_');
/** A slug or account as a key of the Authentik out-of-band Secret. */
export const keyName = (s: string) => s.replace(/-/g, '_');
export const accessPolicyName = (slug: string) => `unified-auth access ${slug}`;
export const tokenIdentifier = (serviceAccount: string) => `${serviceAccount}-app-password`;
export const accessOf = (s: ServiceCore): AccessPolicy => ({
  name: accessPolicyName(s.slug),
  ...(Array.isArray(s.allowedGroups) ? { allowedGroups: s.allowedGroups } : {}),
});

/** What names an agent's or kubectl client's OAuth2 provider: its slug, client id, provider name, issuer. */
export const clientIdentity = (i: AgentIntegration | KubectlIntegration, ak: AuthentikContext) => ({
  slug: i.service.slug,
  name: i.service.name,
  clientId: integrationClientId(i),
  providerName: providerName(i),
  issuer: ak.issuerFor(i.service.slug),
});
