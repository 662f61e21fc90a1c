// The shape of the AuthModel: every fact the renderers read, computed once by derive() (derive.ts)
// from the config, by the per-concern derivers in lib/model/derivers/ (docs/derived-facts.md).
import type { GitOpsModel } from './derivers/gitops';
import type { MigrationModel } from './migration';
import type { Group, SecretKeyRef } from '../config/schema';
import type { ValuesLayering } from './derivers/values-layering';
import type { EdgeModel } from './edge';
import type { SCOPE_MAPPINGS } from '../upstream/conventions';
import type { TalosAuthForm } from '../upstream/chart-versions';

export type Scope = keyof typeof SCOPE_MAPPINGS;

export interface BlueprintRef {
  /** metadata.name of the blueprint document. */
  name: string;
  configMapName: string;
  /** ConfigMap data key; must end in .yaml or Authentik never reads it (docs/field-traps.md#blueprint-configmaps). */
  fileName: string;
}

/** A pass-through blueprint file: its repository path and where it is mounted (its metadata.name is the file's own). */
export interface PassThroughRef {
  file: string;
  configMapName: string;
  fileName: string;
}

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
  /** Blueprint entry ids of its parents (groups[].parents, default the groupParent). */
  parentIds: string[];
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

/** A redirect URI on an OAuth2 provider, as Authentik stores it (`strict` or a `regex` fullmatch). */
export interface RedirectUri {
  url: string;
  matching: 'strict' | 'regex';
}

export interface OidcApp {
  /** The application's slug (the issuer path): the service's, or the live one it adopts. */
  slug: string;
  name: string;
  host: string;
  url: string;
  consumer: 'argocd' | 'grafana' | 'infisical' | 'generic';
  clientId: string;
  providerName: string;
  /**
   * The field the blueprint finds the provider by (an adopted one may be found by name), and
   * `clientIdKept` when found by name with no clientId configured: the blueprint leaves the live
   * client_id as it is (a partial update keeps it).
   */
  providerFoundBy: 'client_id' | 'name';
  clientIdKept: boolean;
  issuer: string;
  /** OIDC discovery document of the issuer (what UI-configured consumers such as Infisical ask for). */
  discoveryUrl: string;
  /** The consumer's callback first, then the CLI's and the config's extra ones. */
  redirectUris: RedirectUri[];
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
  redirectUris: RedirectUri[];
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
  /**
   * The slug of the application that held this proxy provider while the service also had `oidc`
   * (undefined when that is this application's own slug). Application.provider is one-to-one, so
   * an application of that slug still holding the provider is deleted first, in the same file.
   */
  handoverFrom?: string;
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
  /** The context (and user) the agent selects in the shared kubeconfig file. */
  kubeconfigContext: string;
  /** The documented command that generates the app password (see appPasswordHexBytes). */
  appPasswordCommand: string;
  /** The provider's `grant_types` (client_credentials); undefined before the minor that has the field. */
  grantTypes?: string[];
}

/** How a blueprint finds a provider: its model and the identifiers it is found by. */
export interface ProviderIdentity {
  model: string;
  identifiers: Record<string, string>;
}

export interface RetiredApp {
  /** The service's slug. */
  slug: string;
  /** What each of its integrations created: the application, its provider and its access policy. */
  applications: Array<{ slug: string; provider: ProviderIdentity; accessPolicyName: string }>;
  /** A retired agent's service account and its app-password token: deleted too, or they keep working. */
  agent?: { serviceAccount: string; tokenIdentifier: string };
}

/** An object a hand-written layer created, to delete (`retiredObjects` in the config). */
export interface ForeignObject {
  model: string;
  identifiers: Record<string, string | number>;
}

/** The opt-in PostSync hook that runs the blueprint-status check in the cluster (lib/constructs/verify-hook.ts). */
export interface VerifyHookModel {
  /** The Job's and its ConfigMap's name. */
  name: string;
  /** The Authentik server image the chart runs (it ships Python). */
  image: string;
  /** The server Service as the Job reaches it. */
  url: string;
  tokenSecret: { name: string; key: string };
  waitSeconds: number;
}

export interface AuthModel {
  /** The GitOps engine that syncs the output (docs/flux.md). */
  gitops: GitOpsModel;
  /** How the Secrets come to exist: by hand from SOPS, or generated by ESO (lib/model/derivers/secrets.ts). */
  secrets: SecretsModel;
  clusterName: string;
  domain: string;
  authentik: {
    /** The URL clients are given in this phase (AUTHENTIK_HOST, the outpost, consumers); the config's authentik.url outside a domain move. */
    url: string;
    host: string;
    /** Every URL Authentik answers on and whose issuers stay valid in this phase, the destination first (docs/changing-domains.md). */
    servedUrls: string[];
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
      /** The Cilium LB-IPAM annotation; undefined without Cilium (the Service then requests no address). */
      annotation?: string;
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
    /** The cluster's Cilium version (config cilium.version): names the LB-IPAM annotation, shapes the pool; undefined without Cilium. */
    version?: string;
    ipPool?: { name: string; apiVersion: string; blocksField: 'blocks' | 'cidrs'; cidrs: string[] };
    l2Policy?: { name: string; interfaces: string[] };
  };
  /** dist/ subdirectories, relative to the repository root (what Applications point at). */
  repoPaths: { apps: string; extras: string; edge: string; secrets: string; authentikValues: string; argocdValues: string };
  kubernetes: { usernameClaim: string; groupsClaim: string; usernamePrefix: string; groupsPrefix: string };
  /** Undefined when the config has no talos block: the apiserver's OIDC settings are the operator's. */
  talos?: {
    version: string;
    apiServerAuth: 'flags' | 'structured';
    /** The Talos form the apiserver OIDC settings take, decided by version (see lib/upstream/chart-versions.ts). */
    form: TalosAuthForm;
    /** apiVersion of the AuthenticationConfiguration the machine-file form writes. */
    authenticationConfigApiVersion: string;
    omniCluster?: string;
    /** The Omni ConfigPatch carrying the apiserver patch, scoped to the control planes (only with omniCluster). */
    omniPatch?: { id: string; machineSet: string };
  };
  traefik: { certResolver: string; entryPoints: string[] };
  /** Every edge route, its chain and backend, in the configured mode (lib/model/edge.ts). */
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
  /** The in-cluster check, when verify.postSyncHook.enabled. */
  verifyHook?: VerifyHookModel;
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
  /** A domain move in progress: its phase and moves (lib/model/migration.ts). */
  migration?: MigrationModel;
  /** Objects of a hand-written layer to delete, in the retired blueprint. */
  retiredObjects: ForeignObject[];
  blueprints: {
    groups: BlueprintRef;
    /**
     * The embedded outpost, in a file of its own when forward-auth services span several files, or
     * when the config adopts a live outpost blueprint (`outpostAdopted`).
     */
    outpost: BlueprintRef;
    outpostAdopted: boolean;
    agents: BlueprintRef;
    retired: BlueprintRef;
    /** The pass-through blueprints, in config order: each file's ConfigMap and data key (docs/pass-through.md). */
    passThrough: PassThroughRef[];
  };
}

/** Where a value lives in the Authentik namespace: a Secret and its key. */
export interface SecretPlace {
  secret: string;
  key: string;
}

/** The ESO Password generator's settings (generators.external-secrets.io Password spec). */
export interface PasswordShape {
  length: number;
  /** Only lowercase letters and digits (an agent's app password, base64-encoded by the agent). */
  noUpper: boolean;
}

/** One value the layer needs in the Authentik namespace, and where it comes from in this generation. */
export interface SecretValue {
  /** Its key in Authentik's SOPS Secret (the id plan, state and docs use). */
  id: string;
  /** The service slug whose rotation counter applies; absent for the values that are never rotated. */
  slug?: string;
  what: string;
  generation: number;
  /** Where Authentik's pods read it in this generation. */
  place: SecretPlace;
  /** Where sops mode keeps it (and where adoption finds it). */
  sopsPlace: SecretPlace;
  /** The Password generator of this generation; absent when the value is adopted from the SOPS Secret. */
  generator?: { name: string; shape: PasswordShape };
}

/** One ESO-made Secret in the Authentik namespace: its ExternalSecret has the Secret's name. */
export interface GeneratedSecret {
  name: string;
  values: SecretValue[];
}

/** A consumer's copy of client secrets, made by an ExternalSecret in its namespace. */
export interface ConsumerCopy {
  namespace: string;
  name: string;
  labels: Record<string, string>;
  data: Array<{ key: string; from: SecretPlace; slug: string }>;
}

/** A consumer namespace's read access to the Authentik namespace: store, its account, Role, binding. */
export interface SecretStoreAccess {
  namespace: string;
  store: string;
  serviceAccount: string;
  /** Name of the Role and of its RoleBinding in the Authentik namespace. */
  role: string;
  /** The Secrets of the Authentik namespace its copies read: the Role's resourceNames. */
  secrets: string[];
}

export type SecretsModel =
  | { mode: 'sops' }
  | {
      mode: 'external-secrets';
      adopted: boolean;
      values: SecretValue[];
      generated: GeneratedSecret[];
      copies: ConsumerCopy[];
      stores: SecretStoreAccess[];
      /** The pod-template annotation that restarts a pod when a value it reads is rotated. */
      restartAnnotation: string;
    };
