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
 * first install does not depend on which file the worker happens to discover first.
 */
export const AUTHENTIK_BLUEPRINTS = {
  flows: [
    'default/flow-default-authentication-flow.yaml',
    'default/flow-default-provider-authorization-implicit-consent.yaml',
    'default/flow-default-provider-invalidation.yaml',
  ],
  oauth2Scopes: 'system/providers-oauth2.yaml',
} as const;

/** The certificate a fresh Authentik ships; the providers' signing key. */
export const DEFAULT_CERTIFICATE = 'authentik Self-signed Certificate';

/** The embedded outpost's `managed` key (docs/field-traps.md#embedded-outpost). */
export const EMBEDDED_OUTPOST = 'goauthentik.io/outposts/embedded';

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
export const ARGOCD_SECRET = 'argocd-secret';

/**
 * envFromSecret turns each Secret key into an env var of that name, so Grafana's client-secret key
 * must be exactly this (docs/field-traps.md#grafana-env-from-secret).
 */
export const GRAFANA_ENV = 'GF_AUTH_GENERIC_OAUTH_CLIENT_SECRET';
