// dist/values/argocd.yaml: ArgoCD's own chart values (it manages itself), with OIDC against
// Authentik and RBAC derived from the groups.
import { toYaml } from '../base/file-text';
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

/**
 * One field of a policy.csv rule. ArgoCD reads each line as a CSV record (fields split at commas,
 * leading spaces trimmed, double quotes quote a field and "" is a quote inside it), so a name that
 * is not one plain token is quoted; a plain one stays bare, as ArgoCD's docs write them. Line
 * breaks cannot be carried at all: lib/rules/group-rules.ts refuses them (docs/names.md).
 */
export function policyCsvField(s: string): string {
  return /^[A-Za-z0-9][-A-Za-z0-9_.:@/]*$/.test(s) ? s : `"${s.replace(/"/g, '""')}"`;
}

/** policy.csv lines: one `g, <group>, <role>` per group with an ArgoCD role. */
export function argocdPolicyCsv(m: AuthModel): string {
  return m.groups
    .filter((g) => g.argocdRole)
    .map((g) => `g, ${policyCsvField(g.name)}, ${g.argocdRole}`)
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
 * Only the keys the auth layer owns: it is layered over the operator's own values files
 * (docs/values-layering.md), and any key here overrides theirs (or is overridden by it, with generatedFirst).
 * So no global.domain (ingress hosts and notifications are the operator's; url below is all OIDC
 * needs) and no admin.enabled (the break-glass admin is the operator's decision).
 *
 * Without an ArgoCD OIDC service the file is still emitted (the `argocd` Application reads it), with
 * only the RBAC defaults: group mappings would never match without group claims.
 */
export function argocdValues(m: AuthModel, app: OidcApp | undefined) {
  if (!app) return { configs: { rbac: { 'policy.default': m.argocd.defaultRole } } };
  return {
    configs: {
      cm: {
        // The base of the OIDC callback (<url>/auth/callback).
        url: app.url,
        'oidc.config': toYaml(argocdOidcConfig(app)),
      },
      // policy.csv is ours whole; the operator's own lines go in policy.<name>.csv keys, which ArgoCD appends.
      rbac: argocdRbac(m),
    },
    // Authentik replaces Dex.
    dex: { enabled: false },
    ...serverRestart(m, app),
  };
}

/**
 * external-secrets mode: argocd-server's pod template names its client secret's generation, so a
 * rotation rolls it rather than relying on when it re-reads the resolved secret (docs/secrets.md).
 */
function serverRestart(m: AuthModel, app: OidcApp) {
  if (m.secrets.mode === 'sops' || !app.clientSecret) return {};
  const v = m.secrets.values.find((x) => x.id === app.clientSecret!.authentikKey);
  return v ? { server: { podAnnotations: { [m.secrets.restartAnnotation]: `${app.slug}:${v.generation}` } } } : {};
}
