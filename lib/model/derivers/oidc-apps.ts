// OIDC apps: one confidential (or, for ArgoCD with cli, public PKCE) OAuth2 client per oidc
// integration, with the callback its consumer uses and the two sides of its client secret.
import type { SecretKeyRef } from '../../config/schema';
import { oauth2GrantTypes } from '../../upstream/authentik-versions';
import { integrationClientId, providerName, type OidcIntegration } from '../patterns';
import type { OidcApp, RedirectUri, Scope } from '../types';
import { adoptedBlueprint, oidcShardBlueprint } from '../identity';
import type { BlueprintRef } from '../types';
import { ARGOCD_CLI_CALLBACK, CONSUMER_CALLBACK_PATH, GRAFANA_ENV } from '../../upstream/conventions';
import { accessOf, envName, keyName, type AuthentikContext } from './shared';
import { hostSides, type Sides } from '../migration';

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

/**
 * Where the consumer lives and calls back: https://<host> + its path (fixed per known consumer,
 * configured for a generic one), or the callback written out in full (`oidc.callbackUrl`, the one
 * way to an http:// or IP callback), whose origin is then the consumer's URL too.
 */
function consumerUrls({ service, oidc }: OidcIntegration, host: string): { url: string; callback: string } {
  if (oidc.callbackUrl !== undefined) return { url: new URL(oidc.callbackUrl).origin, callback: oidc.callbackUrl };
  const url = `https://${host}`;
  if (oidc.consumer !== 'generic') return { url, callback: url + CONSUMER_CALLBACK_PATH[oidc.consumer] };
  if (oidc.callbackPath === undefined)
    throw new Error(`internal: ${service.slug} is a generic consumer without oidc.callbackPath (validation requires it)`);
  return { url, callback: url + oidc.callbackPath };
}

const strict = (url: string): RedirectUri => ({ url, matching: 'strict' });

/**
 * Every redirect URI of the provider, built here only: the consumer's callback on each host the
 * phase serves (one outside a domain move; during one a consumer may call back on the old or the
 * new host, the new first, so the list keeps its order between phases; a callbackUrl written out
 * in full does not move), for ArgoCD's public client (cli) the old UI's PKCE callback on each host
 * and the CLI's loopback, then the config's extra redirect URIs as written.
 */
function redirectUrisOf(i: OidcIntegration, hosts: Sides): RedirectUri[] {
  const each = hosts.served.map((h) => consumerUrls(i, h));
  const once = (urls: string[]) => [...new Set(urls)].map(strict);
  return [
    ...once(each.map((e) => e.callback)),
    // With cli the ArgoCD client is public: the CLI's loopback and the old UI's PKCE callback too.
    ...(i.oidc.cli ? [...once(each.map((e) => e.url + ARGOCD_PKCE_VERIFY_PATH)), strict(ARGOCD_CLI_CALLBACK)] : []),
    ...(i.oidc.redirectUris ?? []),
  ];
}

/**
 * OIDC apps. Each lives in its service's shard file (identity.ts), unless the config adopts a live
 * blueprint, or the service also has forward auth: then it shares the forward-auth file
 * (`besideForwardAuth`, by service slug), so an application moving between the two providers
 * changes in one file (Application.provider is one-to-one; docs/oidc-shards.md).
 */
export function deriveOidcApps(
  integrations: OidcIntegration[],
  ak: AuthentikContext,
  argocdNamespace: string,
  besideForwardAuth: ReadonlyMap<string, BlueprintRef> = new Map(),
): OidcApp[] {
  return integrations.map((i): OidcApp => {
    const { service: s, oidc: o, application: app } = i;
    // During a domain move the consumer is pointed at the host of the phase (hostSides).
    const hosts = hostSides(ak.migration, i.host);
    const { url, callback: consumerCallback } = consumerUrls(i, hosts.current);
    const scopes: Scope[] = ['openid', 'email', 'profile'];
    if (o.offlineAccess) scopes.push('offline_access');
    return {
      slug: app.slug,
      name: app.name,
      host: hosts.current,
      url,
      consumer: o.consumer,
      clientId: integrationClientId(i),
      providerName: providerName(i),
      providerFoundBy: i.oidc.providerFoundBy,
      clientIdKept: i.oidc.providerFoundBy === 'name' && i.oidc.clientId === undefined,
      issuer: ak.issuerFor(app.slug),
      discoveryUrl: `${ak.issuerFor(app.slug)}.well-known/openid-configuration`,
      redirectUris: redirectUrisOf(i, hosts),
      consumerCallback,
      launchUrl: `${url}/`,
      scopes,
      accessTokenValidity: o.accessTokenValidity,
      refreshTokenValidity: o.refreshTokenValidity,
      grantTypes: oauth2GrantTypes(ak.minor, 'oidc'),
      allowedGroups: s.allowedGroups === 'any' ? undefined : s.allowedGroups,
      access: accessOf(app.slug, s.allowedGroups),
      pkce: o.cli,
      ...(o.cli
        ? {}
        : {
            clientSecret: {
              authentikKey: `${keyName(s.slug)}_client_secret`,
              envVar: `UA_OIDC_${envName(s.slug)}_CLIENT_SECRET`,
              consumer: o.clientSecret ?? defaultConsumerSecret(o.consumer, s.slug, argocdNamespace),
              mode: o.secretMode,
              ...(o.clientSecretRotation ? { rotation: o.clientSecretRotation } : {}),
            },
          }),
      blueprint: o.blueprint ? adoptedBlueprint(o.blueprint) : (besideForwardAuth.get(s.slug) ?? oidcShardBlueprint(s.slug)),
    };
  });
}
