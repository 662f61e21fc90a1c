// The pure derivation step: config in, every name and URL out, each computed exactly once.
// Renderers (charts/, lib/blueprints, lib/consumers, lib/docs) only read from the AuthModel.
import type { ClusterConfig, Group, SecretKeyRef, Service } from '../config/schema';
import { OUTPUT, repoPath } from '../paths';
import { authentikMinor, oauth2GrantTypes } from './authentik-versions';
import { authenticationConfigApiVersion, ciliumIpPoolFormat, lbIpamAnnotation, talosAuthForm, type TalosAuthForm } from './versions';
import { MODEL } from '../blueprints/models';
import {
  ARGOCD_CLI_CALLBACK,
  CONSUMER_CALLBACK_PATH,
  GRAFANA_ENV,
  KUBELOGIN_CALLBACKS,
  SCOPE_MAPPINGS,
  authentikEndpoints,
  authentikIssuer,
} from './upstream';
import { deriveEdge, type EdgeModel } from '../edge/model';
import { deriveValuesLayering, type ValuesLayering } from './values-layering';

export const AUTHENTIK_CHART_REPO = 'https://charts.goauthentik.io';
export const ARGOCD_CHART_REPO = 'https://argoproj.github.io/argo-helm';
export type Scope = keyof typeof SCOPE_MAPPINGS;
export { AUTHENTIK_ROUTE } from '../edge/model';
// Upstream conventions live in upstream.ts; re-exported for the modules that import them from here.
export {
  ARGOCD_CLI_CALLBACK,
  ARGOCD_SECRET,
  AUTHENTIK_BLUEPRINTS,
  DEFAULT_CERTIFICATE,
  DEFAULT_FLOWS,
  EMBEDDED_OUTPOST,
  GRAFANA_ENV,
  KUBELOGIN_CALLBACKS,
  SCOPE_MAPPINGS,
} from './upstream';
/** Where the browser-side PKCE of older ArgoCD UIs returns (3.x does PKCE server-side on /auth/callback). */
const ARGOCD_PKCE_VERIFY_PATH = '/pkce/verify';

/** Where each consumer reads its client secret when the config does not say. */
function defaultConsumerSecret(consumer: string, slug: string, argocdNs: string): SecretKeyRef {
  switch (consumer) {
    case 'argocd':
      return { namespace: argocdNs, name: 'argocd-oidc-secret', key: 'oidc.authentik.clientSecret' };
    case 'grafana':
      return { namespace: 'monitoring', name: 'grafana-oidc-secret', key: GRAFANA_ENV };
    default:
      return { namespace: slug, name: `${slug}-oidc-secret`, key: 'client-secret' };
  }
}

/** An OIDC app with a client secret: every one but a public (PKCE) client. */
export type ConfidentialApp = OidcApp & { clientSecret: ClientSecret };
export const confidentialApps = (m: Pick<AuthModel, 'oidcApps'>): ConfidentialApp[] =>
  m.oidcApps.filter((a): a is ConfidentialApp => !!a.clientSecret);
/** Confidential apps whose secret the blueprint sets from Authentik's Secret (secretMode managed). */
export const managedSecretApps = (m: Pick<AuthModel, 'oidcApps'>): ConfidentialApp[] =>
  confidentialApps(m).filter((a) => a.clientSecret.mode === 'managed');
/** The secret of a consumer that is always confidential (validation allows PKCE for ArgoCD only). */
export function secretOf(app: OidcApp): ClientSecret {
  if (!app.clientSecret) throw new Error(`internal: the ${app.slug} client is public and has no secret`);
  return app.clientSecret;
}

export interface BlueprintRef {
  /** metadata.name of the blueprint document. */
  name: string;
  configMapName: string;
  /** ConfigMap data key; must end in .yaml or Authentik never reads it (docs/field-traps.md#blueprint-configmaps). */
  fileName: string;
}

/**
 * Forward-auth services per blueprint file, on average at most. A blueprint is one file, and its
 * ConfigMap (like every Kubernetes object) must stay under 1 MiB: one forward-auth service takes
 * about 1.7 KiB, so 2000 of them in one file would not fit.
 */
export const PROXY_APPS_PER_BLUEPRINT = 200;

/** 32-bit FNV-1a: a stable, well-spread hash of a slug, the same on every machine. */
function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (const c of Buffer.from(s, 'utf8')) h = Math.imul(h ^ c, 0x01000193) >>> 0;
  return h;
}

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

const blueprintRef = (id: string): BlueprintRef => ({
  name: `unified-auth-${id}`,
  configMapName: `authentik-blueprint-${id}`,
  fileName: `${id}.yaml`,
});

export interface ModelGroup {
  name: string;
  superuser: boolean;
  members: 'people' | 'agents';
  kubernetesRole?: string;
  argocdRole?: string;
  grafanaRole?: Group['grafana'];
  /** The Group subject a token carries: groups-claim prefix + name (docs/field-traps.md#rbac-subjects). */
  rbacSubject: string;
  clusterRoleBindingName: string;
  /** Blueprint entry id in the groups file. */
  blueprintId: string;
}

/** One side of the client-secret contract: the same value sits in two Secrets. */
export interface ClientSecret {
  /** Key in the Authentik out-of-band Secret, fed to the worker as `envVar`. */
  authentikKey: string;
  envVar: string;
  /** The consumer's own Secret (another namespace, so a second copy of the same value). */
  consumer: SecretKeyRef;
  /** The config's rotation marker, written into the blueprint so a rotation changes its text. */
  rotation?: string;
  /**
   * managed: the value is set by the blueprint from `authentikKey` (via `envVar`). existingSecret:
   * Authentik generated it and keeps it; only the consumer's copy is ours, authentikKey and envVar are unused.
   */
  mode: 'managed' | 'existingSecret';
}

/** Who may open an application: the one expression policy bound to it (see lib/blueprints/access.ts). */
export interface AccessPolicy {
  /** Policy name (unique in Authentik, built from the slug so renaming the service keeps it). */
  name: string;
  /** undefined: every authenticated user, because the config says `allowedGroups: any`. */
  allowedGroups?: string[];
}

export interface OidcApp {
  slug: string;
  name: string;
  host: string;
  url: string;
  consumer: 'argocd' | 'grafana' | 'infisical' | 'generic';
  clientId: string;
  providerName: string;
  issuer: string;
  /** OIDC discovery document of the issuer (what UI-configured consumers such as Infisical ask for). */
  discoveryUrl: string;
  redirectUris: string[];
  /** The callback the consumer itself will use (must be among redirectUris). */
  consumerCallback: string;
  launchUrl: string;
  /** Scope mappings on the provider; the consumer requests these (plus `groups`). */
  scopes: Scope[];
  accessTokenValidity: string;
  refreshTokenValidity: string;
  /** The provider's `grant_types`; undefined before the minor that has the field (authentik-versions.ts). */
  grantTypes?: string[];
  allowedGroups?: string[];
  access: AccessPolicy;
  /**
   * Public client with PKCE (ArgoCD with `oidc.cli`): the web UI and `argocd login --sso` share it,
   * so one issuer verifies both. Such a client has no secret (clientSecret undefined).
   */
  pkce: boolean;
  clientSecret?: ClientSecret;
  blueprint: BlueprintRef;
}

/** People at kubectl: a public client (PKCE, no secret) for kubelogin whose tokens the apiserver trusts. */
export interface KubectlApp {
  clientId: string;
  providerName: string;
  /** kubelogin's loopback callbacks. */
  redirectUris: string[];
  scopes: Scope[];
  slug: string;
  name: string;
  issuer: string;
  accessTokenValidity: string;
  refreshTokenValidity: string;
  /** The provider's `grant_types` (authorization code + refresh); undefined before the minor that has the field. */
  grantTypes?: string[];
  allowedGroups?: string[];
  /** Who may sign in: the application's access policy. */
  access: AccessPolicy;
  /** People groups this client admits that have a ClusterRole (what its tokens can match). */
  rbacGroups: string[];
  /** kubeconfig user and context names. */
  user: string;
  context: string;
  blueprint: BlueprintRef;
}

/** An issuer the kube-apiserver trusts, with the audience (client id) its tokens carry. */
export interface ApiserverIssuer {
  kind: 'agent' | 'people';
  slug: string;
  issuer: string;
  clientId: string;
}

export interface ProxyApp {
  slug: string;
  /** The forward-auth blueprint file it is in (see proxyBlueprintRefs). */
  blueprint: BlueprintRef;
  name: string;
  host: string;
  externalHost: string;
  launchUrl: string;
  providerName: string;
  /** The outpost session's lifetime (the proxy provider's access_token_validity). */
  sessionValidity: string;
  allowedGroups?: string[];
  access: AccessPolicy;
}

export interface PublicApp {
  slug: string;
  name: string;
  host: string;
}

export interface AgentApp {
  slug: string;
  name: string;
  clientId: string;
  providerName: string;
  issuer: string;
  group: string;
  serviceAccount: string;
  /** The username the apiserver derives from the token (prefix + service account). */
  kubernetesUsername: string;
  accessTokenValidity: string;
  /** App-password token identifier of the service account. */
  tokenIdentifier: string;
  /** The app password lives in the Authentik Secret under this key, and reaches the blueprint via envVar. */
  tokenSecret: { authentikKey: string; envVar: string; rotation?: string };
  access: AccessPolicy;
  /** Env var the agent's kubeconfig reads its client secret from (base64 "user:app-password"). */
  kubeconfigEnvVar: string;
  /** The documented command that generates the app password (see appPasswordHexBytes). */
  appPasswordCommand: string;
  /** The provider's `grant_types` (client_credentials); undefined before the minor that has the field. */
  grantTypes?: string[];
}

export interface RetiredApp {
  slug: string;
  /** The provider's model and the identifiers its blueprint found it by. */
  provider: { model: string; identifiers: Record<string, string> };
  /** A retired agent's service account and its app-password token: deleted too, or they keep working. */
  agent?: { serviceAccount: string; tokenIdentifier: string };
  /** Its access policy (the binding goes with the application). */
  accessPolicyName: string;
}

export interface AuthModel {
  clusterName: string;
  domain: string;
  authentik: {
    url: string;
    host: string;
    namespace: string;
    chartRepo: string;
    chartVersion: string;
    /** The Authentik minor (`2026.5`): picks the API schema blueprints are validated against. */
    minor: string;
    releaseName: string;
    secret: { name: string; secretKey: string; bootstrapPassword: string };
    /** PostgreSQL's password, alone in its own Secret (the bundled PostgreSQL mounts it whole). */
    postgresqlSecret: { name: string; key: string };
    loadBalancer: {
      serviceName: string;
      /** Labels of the Service, which the Cilium pool and L2 policy select it by. */
      serviceLabels: Record<string, string>;
      ip: string;
      pool: string[];
      httpPort: number;
      httpsPort: number;
      annotation: string;
    };
    serverSelector: Record<string, string>;
    endpoints: { authorize: string; token: string; userinfo: string };
    /** Where the edge Traefik outside the cluster reaches Authentik itself: plain http on the LB IP (see edge/traefik-file.ts). */
    edgeUpstream: string;
    /** forwardAuth address: the LB IP (traefik-file) or the server Service (in-cluster), never the public host (= edge.forwardAuth.address; docs/field-traps.md#forward-auth-address). */
    outpostTraefikUrl: string;
    manageOutpostProviders: boolean;
    /** The authentik Application's values files: the operator's and the generated one, in order. */
    values: ValuesLayering;
  };
  argocd: {
    namespace: string;
    project: string;
    chartRepo: string;
    chartVersion: string;
    releaseName: string;
    defaultRole: string;
    /** The argocd Application's values files: the operator's and the generated one, in order. */
    values: ValuesLayering;
  };
  git: { repoURL: string; targetRevision: string; path: string };
  /** Cilium objects for the Authentik LoadBalancer, when the config asks for them. */
  cilium: {
    ipPool?: { name: string; apiVersion: string; blocksField: 'blocks' | 'cidrs'; cidrs: string[] };
    l2Policy?: { name: string; interfaces: string[] };
  };
  /** dist/ subdirectories, relative to the repository root (what Applications point at). */
  repoPaths: { apps: string; extras: string; edge: string; authentikValues: string; argocdValues: string };
  kubernetes: { usernameClaim: string; groupsClaim: string; usernamePrefix: string; groupsPrefix: string };
  talos: {
    version: string;
    apiServerAuth: 'flags' | 'structured';
    /** The Talos form the apiserver OIDC settings take, decided by version (see versions.ts). */
    form: TalosAuthForm;
    /** apiVersion of the AuthenticationConfiguration the machine-file form writes. */
    authenticationConfigApiVersion: string;
    omniCluster?: string;
    /** The Omni ConfigPatch carrying the apiserver patch, scoped to the control planes (only with omniCluster). */
    omniPatch?: { id: string; machineSet: string };
  };
  traefik: { certResolver: string; entryPoints: string[] };
  /** Every edge route, its chain and backend, in the configured mode (lib/edge/model.ts). */
  edge: EdgeModel;
  grafana: {
    roleAttributeStrict: boolean;
    /** The Application that runs Grafana (it must list the values file). */
    application: string;
    /** Subchart key the fragment is nested under; undefined for the standalone chart. */
    parentKey?: string;
  };
  parentGroup: { name: string; blueprintId: string };
  groups: ModelGroup[];
  /** Groups to delete (state: absent in the groups blueprint). */
  retiredGroups: string[];
  oidcApps: OidcApp[];
  proxyApps: ProxyApp[];
  publicApps: PublicApp[];
  agents: AgentApp[];
  /** Public clients for people at kubectl. */
  kubectlApps: KubectlApp[];
  /** Every issuer the apiserver trusts: agents first, then people, in config order. */
  apiserverIssuers: ApiserverIssuer[];
  retired: RetiredApp[];
  blueprints: {
    groups: BlueprintRef;
    /** The embedded outpost, in a file of its own when forward-auth services span several files. */
    outpost: BlueprintRef;
    agents: BlueprintRef;
    retired: BlueprintRef;
  };
}

const envName = (s: string) => s.toUpperCase().replace(/[^A-Z0-9]/g, '_');

/** The provider's display name. OAuth2 providers are identified by client_id, so it may change. */
export function providerName(s: Service): string {
  if (s.oidc) return `${s.name} OIDC`;
  // A proxy provider has no unique field but its name, which identifies it in blueprints: built
  // from the slug, so renaming the service does not orphan it.
  if (s.forwardAuth) return `${s.slug} forward auth`;
  if (s.kubectl) return `${s.name} (kubectl)`;
  return `${s.name} (client credentials)`;
}

/** How a blueprint finds a service's provider: client_id is unique for OAuth2 providers. */
export function providerIdentifiers(s: Service): { model: string; identifiers: Record<string, string> } {
  return s.forwardAuth
    ? { model: MODEL.proxyProvider, identifiers: { name: providerName(s) } }
    : { model: MODEL.oauth2Provider, identifiers: { client_id: clientIdOf(s) } };
}

/** Defaults the config leaves implicit, shared with validation so both agree. */
export const clientIdOf = (s: Service): string => s.oidc?.clientId ?? s.slug;
export const serviceAccountOf = (s: Service): string => s.agent?.serviceAccount ?? s.slug;
const tokenIdentifier = (serviceAccount: string) => `${serviceAccount}-app-password`;
const keyName = (s: string) => s.replace(/-/g, '_');
const accessPolicyName = (slug: string) => `unified-auth access ${slug}`;
const accessOf = (s: Service): AccessPolicy => ({
  name: accessPolicyName(s.slug),
  ...(Array.isArray(s.allowedGroups) ? { allowedGroups: s.allowedGroups } : {}),
});

/**
 * Bytes of the hex app password, at least 32, chosen so that "<service account>:<password>" is a
 * multiple of 3 long: its base64 (the agent's client secret) then has no `=` padding, and base64 of
 * a DNS label, `:` and hex digits never yields `+` or `/`. The secret is made of letters and digits
 * only, so it reads the same whether or not a client percent-escapes it in the Basic header (Go's
 * oauth2 does, Authentik before 2026.2.2 does not decode it).
 */
export function appPasswordHexBytes(serviceAccount: string): number {
  let n = 32;
  while ((serviceAccount.length + 1 + 2 * n) % 3 !== 0) n++;
  return n;
}

export function derive(c: ClusterConfig): AuthModel {
  const akMinor = authentikMinor(c.authentik.chart.version);
  const authUrl = c.authentik.url.replace(/\/$/, '');
  const authHost = new URL(authUrl).host;
  const issuerFor = (slug: string) => authentikIssuer(authUrl, slug);
  const active = c.services.filter((s) => !s.retired);

  const oidcApps: OidcApp[] = active
    .filter((s): s is Service & { oidc: NonNullable<Service['oidc']>; host: string } => !!s.oidc && !!s.host)
    .map((s) => {
      const o = s.oidc;
      const url = `https://${s.host}`;
      const consumerCallback = url + (o.consumer === 'generic' ? o.callbackPath! : CONSUMER_CALLBACK_PATH[o.consumer]);
      const scopes: Scope[] = ['openid', 'email', 'profile', ...(o.offlineAccess ? (['offline_access'] as const) : [])];
      return {
        slug: s.slug,
        name: s.name,
        host: s.host,
        url,
        consumer: o.consumer,
        clientId: clientIdOf(s),
        providerName: providerName(s),
        issuer: issuerFor(s.slug),
        discoveryUrl: `${issuerFor(s.slug)}.well-known/openid-configuration`,
        // With cli the ArgoCD client is public: the CLI's loopback and the old UI's PKCE callback too.
        redirectUris: o.cli ? [consumerCallback, url + ARGOCD_PKCE_VERIFY_PATH, ARGOCD_CLI_CALLBACK] : [consumerCallback],
        consumerCallback,
        launchUrl: `${url}/`,
        scopes,
        accessTokenValidity: o.accessTokenValidity,
        refreshTokenValidity: o.refreshTokenValidity,
        grantTypes: oauth2GrantTypes(akMinor, 'oidc'),
        allowedGroups: s.allowedGroups === 'any' ? undefined : s.allowedGroups,
        access: accessOf(s),
        pkce: o.cli,
        ...(o.cli
          ? {}
          : {
              clientSecret: {
                authentikKey: `${keyName(s.slug)}_client_secret`,
                envVar: `UA_OIDC_${envName(s.slug)}_CLIENT_SECRET`,
                consumer: o.clientSecret ?? defaultConsumerSecret(o.consumer, s.slug, c.argocd.namespace),
                mode: o.secretMode,
                ...(o.clientSecretRotation ? { rotation: o.clientSecretRotation } : {}),
              },
            }),
        blueprint: blueprintRef(`provider-${s.slug}`),
      };
    });

  const proxied = active.filter((s) => s.forwardAuth && s.host);
  const proxyApps: ProxyApp[] = proxied.map((s) => ({
    slug: s.slug,
    blueprint: proxyBlueprintOf(s.slug, proxied.length),
    name: s.name,
    host: s.host!,
    externalHost: `https://${s.host}`,
    launchUrl: `https://${s.host}/`,
    providerName: providerName(s),
    sessionValidity: s.forwardAuth!.sessionValidity,
    allowedGroups: s.allowedGroups === 'any' ? undefined : s.allowedGroups,
    access: accessOf(s),
  }));

  const publicApps: PublicApp[] = active.filter((s) => s.public && s.host).map((s) => ({ slug: s.slug, name: s.name, host: s.host! }));

  const agents: AgentApp[] = active
    .filter((s) => s.agent)
    .map((s) => {
      const sa = serviceAccountOf(s);
      return {
        slug: s.slug,
        name: s.name,
        clientId: s.slug,
        providerName: providerName(s),
        issuer: issuerFor(s.slug),
        group: s.agent!.group,
        serviceAccount: sa,
        kubernetesUsername: `${c.kubernetes.usernamePrefix}${sa}`,
        accessTokenValidity: s.agent!.accessTokenValidity,
        tokenIdentifier: tokenIdentifier(sa),
        tokenSecret: {
          authentikKey: `${keyName(sa)}_app_password`,
          envVar: `UA_AGENT_${envName(sa)}_APP_PASSWORD`,
          ...(s.agent!.appPasswordRotation ? { rotation: s.agent!.appPasswordRotation } : {}),
        },
        // Only the agent's group may get tokens: any user with an app password could otherwise.
        access: { name: accessPolicyName(s.slug), allowedGroups: [s.agent!.group] },
        // A shell variable may not start with a digit; slugs may.
        kubeconfigEnvVar: `${envName(s.slug)}_CLIENT_SECRET`.replace(/^(?=\d)/, 'AGENT_'),
        appPasswordCommand: `openssl rand -hex ${appPasswordHexBytes(sa)}`,
        grantTypes: oauth2GrantTypes(akMinor, 'agent'),
      };
    });

  const peopleRoles = new Set(c.groups.filter((g) => !g.retired && g.members === 'people' && g.kubernetes).map((g) => g.name));
  const kubectlApps: KubectlApp[] = active
    .filter((s) => s.kubectl)
    .map((s) => ({
      slug: s.slug,
      name: s.name,
      clientId: s.slug,
      providerName: providerName(s),
      issuer: issuerFor(s.slug),
      redirectUris: [...KUBELOGIN_CALLBACKS],
      // profile carries the groups claim; offline_access gives kubelogin a refresh token.
      scopes: ['openid', 'email', 'profile', 'offline_access'],
      accessTokenValidity: s.kubectl!.accessTokenValidity,
      refreshTokenValidity: s.kubectl!.refreshTokenValidity,
      grantTypes: oauth2GrantTypes(akMinor, 'oidc'),
      // Omitted or `any`: every authenticated user may sign in (the ClusterRoleBindings decide).
      allowedGroups: Array.isArray(s.allowedGroups) ? s.allowedGroups : undefined,
      access: accessOf(s),
      rbacGroups: [...peopleRoles].filter((g) => !Array.isArray(s.allowedGroups) || s.allowedGroups.includes(g)),
      user: `${s.slug}-oidc`,
      context: `${s.slug}@${c.cluster.name}`,
      blueprint: blueprintRef(`provider-${s.slug}`),
    }));
  const apiserverIssuers: ApiserverIssuer[] = [
    ...agents.map((a) => ({ kind: 'agent' as const, slug: a.slug, issuer: a.issuer, clientId: a.clientId })),
    ...kubectlApps.map((k) => ({ kind: 'people' as const, slug: k.slug, issuer: k.issuer, clientId: k.clientId })),
  ];

  // A public service created nothing in Authentik, so there is nothing to delete.
  const retired: RetiredApp[] = c.services
    .filter((s) => s.retired && !s.public)
    .map((s) => ({
      slug: s.slug,
      provider: providerIdentifiers(s),
      accessPolicyName: accessPolicyName(s.slug),
      ...(s.agent ? { agent: { serviceAccount: serviceAccountOf(s), tokenIdentifier: tokenIdentifier(serviceAccountOf(s)) } } : {}),
    }));

  const groups: ModelGroup[] = c.groups
    .filter((g) => !g.retired)
    .map((g) => ({
      name: g.name,
      superuser: g.superuser,
      members: g.members,
      kubernetesRole: g.kubernetes,
      argocdRole: g.argocd,
      grafanaRole: g.grafana,
      rbacSubject: `${c.kubernetes.groupsPrefix}${g.name}`,
      // The role is part of the name: roleRef is immutable, so a new role must be a new binding
      // (the old one is pruned by the authentik-extras Application).
      // '.' cannot occur in either name, so two groups never collide (a-b + c vs a + b-c).
      clusterRoleBindingName: g.kubernetes ? `authentik-${g.name}.${g.kubernetes}` : `authentik-${g.name}`,
      blueprintId: `group-${g.name}`,
    }));

  const lb = c.authentik.loadBalancer;
  const serviceName = `${c.authentik.chart.releaseName}-server-lb`;
  const edgeUpstream = `http://${lb.ip}:${lb.httpPort}`;
  const distPath = c.git.path;
  const edge = deriveEdge(c, {
    authentikHost: authHost,
    authentikNamespace: c.authentik.namespace,
    releaseName: c.authentik.chart.releaseName,
    lbUpstream: edgeUpstream,
  });
  return {
    clusterName: c.cluster.name,
    domain: c.cluster.domain,
    authentik: {
      url: authUrl,
      host: authHost,
      namespace: c.authentik.namespace,
      chartRepo: AUTHENTIK_CHART_REPO,
      chartVersion: c.authentik.chart.version,
      minor: akMinor,
      releaseName: c.authentik.chart.releaseName,
      secret: { ...c.authentik.secret },
      postgresqlSecret: { ...c.authentik.postgresqlSecret },
      loadBalancer: {
        serviceName,
        serviceLabels: { 'app.kubernetes.io/name': serviceName, 'app.kubernetes.io/part-of': 'unified-auth' },
        ip: lb.ip,
        pool: lb.pool,
        httpPort: lb.httpPort,
        httpsPort: lb.httpsPort,
        annotation: lbIpamAnnotation(c.cilium.version),
      },
      serverSelector: { 'app.kubernetes.io/name': 'authentik', 'app.kubernetes.io/component': 'server' },
      endpoints: authentikEndpoints(authUrl),
      edgeUpstream,
      outpostTraefikUrl: edge.forwardAuth.address,
      manageOutpostProviders: c.authentik.outpost.manageProviders,
      values: deriveValuesLayering(c.authentik, repoPath(distPath, OUTPUT.authentikValues)),
    },
    argocd: {
      namespace: c.argocd.namespace,
      project: c.argocd.project,
      chartRepo: ARGOCD_CHART_REPO,
      chartVersion: c.argocd.chart.version,
      releaseName: c.argocd.chart.releaseName,
      defaultRole: c.argocd.defaultRole,
      values: deriveValuesLayering(c.argocd, repoPath(distPath, OUTPUT.argocdValues)),
    },
    git: { ...c.git },
    cilium: {
      ...(c.cilium.manageIpPool ? { ipPool: { name: serviceName, ...ciliumIpPoolFormat(c.cilium.version), cidrs: lb.pool } } : {}),
      ...(c.cilium.l2Interfaces ? { l2Policy: { name: serviceName, interfaces: c.cilium.l2Interfaces } } : {}),
    },
    repoPaths: {
      apps: repoPath(distPath, OUTPUT.appsDir),
      extras: repoPath(distPath, OUTPUT.extrasDir),
      edge: repoPath(distPath, OUTPUT.edgeDir),
      authentikValues: repoPath(distPath, OUTPUT.authentikValues),
      argocdValues: repoPath(distPath, OUTPUT.argocdValues),
    },
    kubernetes: { ...c.kubernetes },
    talos: {
      ...c.talos,
      form: talosAuthForm(c.talos.version, c.talos.apiServerAuth),
      authenticationConfigApiVersion: authenticationConfigApiVersion(c.talos.version),
      // ConfigPatch ids are global in Omni's namespace, so the cluster name is part of it.
      ...(c.talos.omniCluster
        ? { omniPatch: { id: `150-${c.talos.omniCluster}-apiserver-oidc`, machineSet: `${c.talos.omniCluster}-control-planes` } }
        : {}),
    },
    traefik: { certResolver: c.traefik.certResolver, entryPoints: c.traefik.entryPoints },
    edge,
    grafana: {
      roleAttributeStrict: c.grafana.roleAttributeStrict,
      application: c.grafana.application,
      ...(c.grafana.parentKey ? { parentKey: c.grafana.parentKey } : {}),
    },
    parentGroup: { name: c.groupParent, blueprintId: `group-${c.groupParent}` },
    groups,
    retiredGroups: c.groups.filter((g) => g.retired).map((g) => g.name),
    oidcApps,
    proxyApps,
    publicApps,
    agents,
    kubectlApps,
    apiserverIssuers,
    retired,
    blueprints: {
      groups: blueprintRef('groups'),
      outpost: blueprintRef('embedded-outpost'),
      agents: blueprintRef('agent-auth'),
      retired: blueprintRef('retired'),
    },
  };
}

/** The OIDC app a consumer kind talks to, if configured. */
export const consumerApp = (m: AuthModel, consumer: OidcApp['consumer']) => m.oidcApps.find((a) => a.consumer === consumer);
