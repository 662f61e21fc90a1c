// OIDC apps: one confidential (or, for ArgoCD with cli, public PKCE) OAuth2 client per oidc
// integration, with the callback its consumer uses and the two sides of its client secret.
import type { SecretKeyRef } from '../../config/schema';
import { oauth2GrantTypes } from '../authentik-versions';
import { integrationClientId, providerName, type OidcIntegration } from '../patterns';
import type { OidcApp, Scope } from '../types';
import { ARGOCD_CLI_CALLBACK, CONSUMER_CALLBACK_PATH, GRAFANA_ENV } from '../upstream';
import { accessOf, blueprintRef, envName, keyName, type AuthentikContext } from './shared';
import { hostSides, type Sides } from '../../migration/model';

/** Where the browser-side PKCE of older ArgoCD UIs returns (3.x does PKCE server-side on /auth/callback). */
const ARGOCD_PKCE_VERIFY_PATH = '/pkce/verify';

/** Where each consumer reads its client secret when the config does not say. */
function defaultConsumerSecret(consumer: OidcApp['consumer'], slug: string, argocdNs: string): SecretKeyRef {
  switch (consumer) {
    case 'argocd':
      return { namespace: argocdNs, name: 'argocd-oidc-secret', key: 'oidc.authentik.clientSecret' };
    case 'grafana':
      return { namespace: 'monitoring', name: 'grafana-oidc-secret', key: GRAFANA_ENV };
    default:
      return { namespace: slug, name: `${slug}-oidc-secret`, key: 'client-secret' };
  }
}

/** The path the consumer calls back on: fixed per known consumer, configured for a generic one. */
function callbackPathOf({ service, oidc }: OidcIntegration): string {
  if (oidc.consumer !== 'generic') return CONSUMER_CALLBACK_PATH[oidc.consumer];
  if (oidc.callbackPath === undefined)
    throw new Error(`internal: ${service.slug} is a generic consumer without oidc.callbackPath (validation requires it)`);
  return oidc.callbackPath;
}

/**
 * Every redirect URI of the provider, built here only: the consumer's callback on each host the
 * phase serves (one outside a domain move; during one a consumer may call back on the old or the
 * new host, the new first, so the list does not change order between phases), then, for
 * ArgoCD's public client (cli), the old UI's PKCE callback on each host and the CLI's loopback.
 */
function redirectUrisOf(i: OidcIntegration, hosts: Sides): string[] {
  const on = (path: string) => hosts.served.map((h) => `https://${h}${path}`);
  // With cli the ArgoCD client is public: the CLI's loopback and the old UI's PKCE callback too.
  return i.oidc.cli ? [...on(callbackPathOf(i)), ...on(ARGOCD_PKCE_VERIFY_PATH), ARGOCD_CLI_CALLBACK] : on(callbackPathOf(i));
}

export function deriveOidcApps(integrations: OidcIntegration[], ak: AuthentikContext, argocdNamespace: string): OidcApp[] {
  return integrations.map((i): OidcApp => {
    const { service: s, oidc: o } = i;
    // During a domain move the consumer is pointed at the host of the phase (hostSides).
    const hosts = hostSides(ak.migration, i.host);
    const url = `https://${hosts.current}`;
    const consumerCallback = url + callbackPathOf(i);
    const scopes: Scope[] = ['openid', 'email', 'profile'];
    if (o.offlineAccess) scopes.push('offline_access');
    return {
      slug: s.slug,
      name: s.name,
      host: hosts.current,
      url,
      consumer: o.consumer,
      clientId: integrationClientId(i),
      providerName: providerName(i),
      issuer: ak.issuerFor(s.slug),
      discoveryUrl: `${ak.issuerFor(s.slug)}.well-known/openid-configuration`,
      redirectUris: redirectUrisOf(i, hosts),
      consumerCallback,
      launchUrl: `${url}/`,
      scopes,
      accessTokenValidity: o.accessTokenValidity,
      refreshTokenValidity: o.refreshTokenValidity,
      grantTypes: oauth2GrantTypes(ak.minor, 'oidc'),
      allowedGroups: s.allowedGroups === 'any' ? undefined : s.allowedGroups,
      access: accessOf(s),
      pkce: o.cli,
      ...(o.cli
        ? {}
        : {
            clientSecret: {
              authentikKey: `${keyName(s.slug)}_client_secret`,
              envVar: `UA_OIDC_${envName(s.slug)}_CLIENT_SECRET`,
              consumer: o.clientSecret ?? defaultConsumerSecret(o.consumer, s.slug, argocdNamespace),
              ...(o.clientSecretRotation ? { rotation: o.clientSecretRotation } : {}),
            },
          }),
      blueprint: blueprintRef(`provider-${s.slug}`),
    };
  });
}
