// dist/values/argocd.yaml: ArgoCD's own chart values (it manages itself), with OIDC against
// Authentik and RBAC derived from the groups.
import { toYaml } from '../render';
import type { AuthModel, ClientSecret, OidcApp } from '../model/derive';

/** `$<secret>:<key>` makes ArgoCD read the value from that Secret (a whole-value match, docs/field-traps.md#issuer-trailing-slash). */
export const argocdSecretRef = (secret: ClientSecret) => `$${secret.consumer.name}:${secret.consumer.key}`;

export function argocdOidcConfig(app: OidcApp) {
  return {
    name: 'Authentik',
    issuer: app.issuer,
    clientID: app.clientId,
    // With cli the client is public: ArgoCD's UI and `argocd login --sso` both use PKCE and
    // clientID (no cliClientID), so argocd-server verifies both against this one issuer.
    ...(app.clientSecret ? { clientSecret: argocdSecretRef(app.clientSecret) } : { enablePKCEAuthentication: true }),
    // offline_access (when configured) gets ArgoCD a refresh token, so a session outlives the ID token.
    requestedScopes: [...app.scopes, 'groups'],
  };
}

/** policy.csv lines: one `g, <group>, <role>` per group with an ArgoCD role. */
export function argocdPolicyCsv(m: AuthModel): string {
  return m.groups
    .filter((g) => g.argocdRole)
    .map((g) => `g, ${g.name}, ${g.argocdRole}`)
    .join('\n')
    .concat('\n');
}

export function argocdRbac(m: AuthModel) {
  return {
    'policy.csv': argocdPolicyCsv(m),
    'policy.default': m.argocd.defaultRole,
    scopes: '[groups]',
  };
}

/**
 * Without an ArgoCD OIDC service the file is still emitted (the `argocd` Application reads it), with
 * only the RBAC defaults: group mappings would never match without group claims.
 */
export function argocdValues(m: AuthModel, app: OidcApp | undefined) {
  if (!app) return { configs: { rbac: { 'policy.default': m.argocd.defaultRole } } };
  return {
    // The chart builds every URL it renders (argocd-cm url default, notifications' argocdUrl,
    // ingress hosts) from global.domain; left unset they point at argocd.example.com.
    global: { domain: app.host },
    configs: {
      cm: {
        url: app.url,
        'oidc.config': toYaml(argocdOidcConfig(app)),
        'admin.enabled': true,
      },
      rbac: argocdRbac(m),
    },
    // Authentik replaces Dex.
    dex: { enabled: false },
  };
}
