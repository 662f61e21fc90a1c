// How the systems this layer configures name and build things: Authentik, ArgoCD, Grafana. These
// are their conventions, not our choices, so each is written down once here. The derivers (derive.ts) build
// the model from them; a check that acts as an oracle ("this is how ArgoCD builds its callback") reads
// the same definition, so the format cannot drift while the inputs it is applied to differ.
// See docs/derived-facts.md.

// --- Authentik ------------------------------------------------------------------------------

/**
 * The issuer Authentik serves a provider under: the slug of the APPLICATION using it, with a
 * trailing slash that is part of the issuer (docs/field-traps.md#issuer-trailing-slash).
 */
export const authentikIssuer = (authentikUrl: string, applicationSlug: string): string =>
  `${authentikUrl}/application/o/${applicationSlug}/`;

/** Authentik's global OAuth2 endpoints (Grafana's auth/token/api URLs). */
export const authentikEndpoints = (authentikUrl: string) => ({
  authorize: `${authentikUrl}/application/o/authorize/`,
  token: `${authentikUrl}/application/o/token/`,
  userinfo: `${authentikUrl}/application/o/userinfo/`,
});

/** Flows a fresh Authentik ships (slugs), which blueprints may `!Find` (docs/field-traps.md#authentik-defaults). */
export const AUTHENTIK_FLOWS = {
  authentication: 'default-authentication-flow',
  implicitConsent: 'default-provider-authorization-implicit-consent',
  explicitConsent: 'default-provider-authorization-explicit-consent',
  invalidation: 'default-provider-invalidation-flow',
} as const;

/** The flows every generated provider uses. */
export const DEFAULT_FLOWS = {
  authentication: AUTHENTIK_FLOWS.authentication,
  authorization: AUTHENTIK_FLOWS.implicitConsent,
  invalidation: AUTHENTIK_FLOWS.invalidation,
} as const;

/**
 * Authentik's own blueprints (paths under its blueprints directory) that create what our blueprints
 * `!Find`: applying them first (metaapplyblueprint, by path: their names are display text) means a
 * first install does not depend on which file the worker happens to discover first. Each flow file
 * is keyed by the slug of the flow it creates: that flow existing shows the file was applied.
 */
export const AUTHENTIK_BLUEPRINTS = {
  flows: {
    [AUTHENTIK_FLOWS.authentication]: 'default/flow-default-authentication-flow.yaml',
    [AUTHENTIK_FLOWS.implicitConsent]: 'default/flow-default-provider-authorization-implicit-consent.yaml',
    [AUTHENTIK_FLOWS.invalidation]: 'default/flow-default-provider-invalidation.yaml',
  } as Readonly<Record<string, string>>,
  oauth2Scopes: 'system/providers-oauth2.yaml',
  proxyScopes: 'system/providers-proxy.yaml',
} as const;

/**
 * The Authentik chart's worker mounts each ConfigMap of `blueprints.configMaps` as a volume named
 * this prefix plus the ConfigMap's name (templates/worker/deployment.yaml, the same in every
 * supported chart). A volume name is a DNS-1123 label, so it caps the ConfigMap's name.
 */
export const CHART_BLUEPRINT_VOLUME_PREFIX = 'blueprints-cm-';

/** Kubernetes' limit on a DNS-1123 label (volume and container names, most object names in a label). */
export const DNS_LABEL_MAX = 63;

/**
 * Helm refuses a release name over 53 characters (helm template / install), so charts may append
 * up to ten characters to it and stay within a DNS label; our LB Service `<release>-server-lb` does.
 */
export const HELM_RELEASE_NAME_MAX = 53;

/** The longest blueprint ConfigMap name whose worker volume name still fits a DNS-1123 label (49). */
export const BLUEPRINT_CONFIGMAP_MAX = DNS_LABEL_MAX - CHART_BLUEPRINT_VOLUME_PREFIX.length;

/** The certificate a fresh Authentik ships; the providers' signing key. */
export const DEFAULT_CERTIFICATE = 'authentik Self-signed Certificate';

/** The embedded outpost's `managed` key (docs/field-traps.md#embedded-outpost). */
export const EMBEDDED_OUTPOST = 'goauthentik.io/outposts/embedded';

/** The name Authentik creates the embedded outpost with (outposts/apps.py MANAGED_OUTPOST_NAME). */
export const EMBEDDED_OUTPOST_NAME = 'authentik Embedded Outpost';

/**
 * Authentik's default scope mappings by their `managed` identifier (the system blueprint
 * providers-oauth2.yaml sets it). `scope_name` is not unique: a custom mapping may reuse it.
 */
export const SCOPE_MAPPINGS = {
  openid: 'goauthentik.io/providers/oauth2/scope-openid',
  email: 'goauthentik.io/providers/oauth2/scope-email',
  profile: 'goauthentik.io/providers/oauth2/scope-profile',
  offline_access: 'goauthentik.io/providers/oauth2/scope-offline_access',
} as const;

/**
 * The scope mappings a proxy provider gets (authentik/providers/proxy/models.py,
 * ProxyProvider.set_oauth_defaults: the ones of these that exist when the provider is saved; the
 * same five on 2026.2, 2026.5 and 2026.8.0-rc1), with the system blueprint that creates each.
 */
export const PROXY_SCOPE_MAPPINGS = [
  { managed: SCOPE_MAPPINGS.openid, blueprint: AUTHENTIK_BLUEPRINTS.oauth2Scopes },
  { managed: SCOPE_MAPPINGS.profile, blueprint: AUTHENTIK_BLUEPRINTS.oauth2Scopes },
  { managed: SCOPE_MAPPINGS.email, blueprint: AUTHENTIK_BLUEPRINTS.oauth2Scopes },
  { managed: 'goauthentik.io/providers/oauth2/scope-entitlements', blueprint: AUTHENTIK_BLUEPRINTS.oauth2Scopes },
  // The user attributes and superuser flag the outpost turns into the X-authentik-* headers.
  { managed: 'goauthentik.io/providers/proxy/scope-proxy', blueprint: AUTHENTIK_BLUEPRINTS.proxyScopes },
] as const;

/**
 * Environment variables the Authentik chart's pods read (global.env reaches server and worker,
 * docs/field-traps.md#authentik-host). `__` is Authentik's nesting separator.
 */
export const AUTHENTIK_ENV = {
  host: 'AUTHENTIK_HOST',
  secretKey: 'AUTHENTIK_SECRET_KEY',
  bootstrapPassword: 'AUTHENTIK_BOOTSTRAP_PASSWORD',
  postgresqlPassword: 'AUTHENTIK_POSTGRESQL__PASSWORD',
} as const;

// --- consumers ------------------------------------------------------------------------------

/**
 * The callback path each known consumer appends to its own URL (ArgoCD: configs.cm.url; Grafana:
 * server.root_url). derivers/oidc-apps.ts puts URL + path into the provider's redirect_uris; checks/callbacks.ts
 * rebuilds the consumer's callback from the consumer's RENDERED file with the same path, so a
 * renderer that drifts from the model is caught.
 */
export const CONSUMER_CALLBACK_PATH = {
  argocd: '/auth/callback',
  grafana: '/login/generic_oauth',
  infisical: '/api/v1/sso/oidc/callback',
} as const;

/**
 * kubelogin's loopback callbacks: it binds 127.0.0.1:8000, or 127.0.0.1:18000 when 8000 is taken,
 * and sends http://localhost:<port> as the redirect URI (its --listen-address default).
 */
export const KUBELOGIN_CALLBACKS = ['http://localhost:8000', 'http://localhost:18000'] as const;

/** `argocd login --sso` listens here (its default --sso-port). */
export const ARGOCD_CLI_CALLBACK = 'http://localhost:8085/auth/callback';

/**
 * The volume the Authentik chart's worker mounts a listed blueprint ConfigMap as (its
 * templates/worker/deployment.yaml: `blueprints-cm-<name>`, one per blueprints.configMaps entry).
 */
export const blueprintVolumeName = (configMapName: string): string => `blueprints-cm-${configMapName}`;

/** The Secret the argo-cd chart renders and argocd-server writes server.secretkey into. */
/** ArgoCD's sync-wave annotation: a lower wave is applied, and Healthy, before a higher one. */
export const SYNC_WAVE = 'argocd.argoproj.io/sync-wave';
export const ARGOCD_SECRET = 'argocd-secret';

/**
 * envFromSecret turns each Secret key into an env var of that name, so Grafana's client-secret key
 * must be exactly this (docs/field-traps.md#grafana-env-from-secret).
 */
export const GRAFANA_ENV = 'GF_AUTH_GENERIC_OAUTH_CLIENT_SECRET';

/**
 * Narrowing is not retroactive (providers/oauth2/views/token.py: a refresh runs no application
 * policy and rolls the refresh token; an outpost session lasts its provider's
 * access_token_validity; token.py issues a refresh token only for the offline_access scope). How to end a person's existing access now: deleting an authenticated
 * session ends the outpost sessions and the session's access tokens (outposts/signals.py
 * outpost_logout_revoke, providers/oauth2/signals.py), refresh tokens are deleted on their own.
 */
export const END_SESSIONS_STEP =
  'to end it now, for each person who lost access: Authentik admin UI, Directory > Users > (the user), delete their sessions on the Sessions tab (API: DELETE /api/v3/core/authenticated_sessions/{uuid}/)';
/** The second half for an OAuth2 provider: its refresh tokens outlive the session. */
export const END_REFRESH_STEP =
  'and their tokens of this application on the OAuth Refresh Tokens tab (API: DELETE /api/v3/oauth2/refresh_tokens/{id}/)';

/** Authentik's default OAuth2 refresh_token_validity (providers/oauth2/models.py), when a provider does not set one. */
export const AUTHENTIK_DEFAULT_REFRESH_VALIDITY = 'days=30';
