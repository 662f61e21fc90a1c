// The one typed cluster config. Everything in dist/ is derived from a value of this schema.
// Objects are strict: an unknown field is an error, never silently ignored (docs/field-traps.md#unknown-fields-are-dropped
// shows what silent dropping costs).
import * as z from 'zod';
import { DEFAULT_AUTHENTIK_CHART_VERSION } from '../upstream/authentik-versions';
import { EdgeSchema, RouteSchema } from './edge-schema';

export const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
export const DNS_NAME = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?(\.[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)*$/;
const SEMVER = /^\d+\.\d+\.\d+$/;
const IPV4 = /^((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;
const CIDR4 = /^((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\/(3[0-2]|[12]?\d)$/;
// Authentik's timedelta string, e.g. "hours=8" or "minutes=5;seconds=30".
const TIMEDELTA =
  /^(weeks|days|hours|minutes|seconds|microseconds|milliseconds)=\d+(;(weeks|days|hours|minutes|seconds|microseconds|milliseconds)=\d+)*$/;
// Kubernetes Secret data keys: alphanumerics, '-', '_' and '.'.
const SECRET_KEY = /^[-._a-zA-Z0-9]+$/;
/** A key in a Helm values file that a parent chart passes to a subchart (e.g. `grafana`). */
const VALUES_KEY = /^[A-Za-z0-9]([-A-Za-z0-9]{0,61}[A-Za-z0-9])?$/;

const label = (what = 'DNS label') => z.string().regex(DNS_LABEL, `is not a ${what}`);
const dnsName = z.string().regex(DNS_NAME, 'is not a DNS name');
const secretKeyName = z.string().regex(SECRET_KEY, 'is not a valid Secret key (letters, digits, -, _ and .)');
const duration = z.string().regex(TIMEDELTA, 'is not an Authentik duration (e.g. hours=1 or minutes=5;seconds=30)');
const port = z.number().int().min(1).max(65535);
/** One token: no whitespace (these values land in flags, YAML keys and Traefik rules). */
const word = z.string().regex(/^\S+$/, 'must be one word (no spaces or line breaks)');
export const HTTP_URL = /^https?:\/\/[^\s/]+(\/\S*)?$/;
const httpUrl = z.string().regex(HTTP_URL, 'is not an http(s) URL');
/** A name shown in Markdown tables and Authentik's UI: one line, no table or tag characters. */
const displayName = (max: number) =>
  z
    .string()
    .min(1, 'must not be empty')
    .max(max)
    // eslint-disable-next-line no-control-regex -- rejecting control characters is the point of this pattern
    .regex(/^[^\u0000-\u001f|<>`]*$/, 'must be one line without | < > or backticks')
    .regex(/^(\S.*\S|\S)?$/, 'must not start or end with a space');

/**
 * A name Authentik keeps as free text (Group.name, Provider.name and Application.name are TextFields
 * with no validator and no length limit; docs/names.md):
 * its API serializer (a DRF CharField) trims surrounding whitespace and refuses an empty value, NUL
 * and lone surrogates, so those are refused here instead of being changed on the way in.
 */
const authentikName = () =>
  z
    .string()
    .min(1, 'must not be empty')
    .refine((s) => s.trim() === s, 'must not start or end with whitespace (Authentik trims it)')
    // eslint-disable-next-line no-control-regex -- NUL is what Authentik's serializer refuses
    .refine((s) => !/\u0000|\p{Cs}/u.test(s), 'must not contain NUL or a lone surrogate (Authentik refuses both)');
const groupName = authentikName();

/**
 * A blueprint's identity, to take over a hand-written one in place: its `metadata.name` (what
 * Authentik's BlueprintInstance is named) and the ConfigMap that carries its file.
 */
export const BlueprintNameSchema = z.strictObject({
  name: displayName(200).describe("The blueprint's metadata.name: the key Authentik's blueprint instance keeps (never rename it)."),
  configMapName: dnsName.describe('The ConfigMap that carries the blueprint file.'),
  fileName: z
    .string()
    .regex(/^[-._a-zA-Z0-9]+\.yaml$/, 'must be a file name ending in .yaml (Authentik only reads *.yaml)')
    .optional()
    .describe("The file's key in the ConfigMap; ends in .yaml, the only files Authentik reads. Default: <configMapName>.yaml."),
});

/** A repository path: relative, `/`-separated, no `.` or `..` segment (it must stay inside the repository). */
const repoFile = z
  .string()
  .regex(/^[^/]/, 'must be a path relative to the repository root')
  // eslint-disable-next-line no-control-regex -- a path with a control character or backslash is never a repository path
  .refine((p) => !/[\\\u0000-\u001f]/.test(p), 'must not contain backslashes or control characters')
  .refine((p) => p.split('/').every((seg) => seg !== '' && seg !== '.' && seg !== '..'), 'must not contain empty, . or .. segments')
  .refine((p) => /\.ya?ml$/.test(p), 'must name a .yaml or .yml file');

/**
 * A blueprint the layer keeps as it is (flows, stages, policies, other provider kinds, users,
 * brands, sources): written byte for byte into a ConfigMap of its own (docs/pass-through.md).
 */
const PassThroughSchema = z.strictObject({
  /** The blueprint file, relative to the repository root (outside a git repository: to the config file's directory). */
  file: repoFile.describe(
    "The blueprint file, relative to the repository root (outside a git repository: to the config file's directory).",
  ),
  configMapName: dnsName
    .optional()
    .describe("The ConfigMap that carries it. Default: authentik-passthrough-<the file's name as a DNS label>."),
});

/** An application's identity in Authentik, to adopt a live one (default: the service's slug and name). */
const ApplicationIdentitySchema = z.strictObject({
  slug: label('slug').optional().describe("The live application's slug (also its issuer path /application/o/<slug>/)."),
  name: authentikName()
    .optional()
    .describe("The live application's display name: free text as in Authentik (Application.name, not unique; docs/names.md)."),
});

/** A reference to one key of a Kubernetes Secret. Secrets are referenced, never inlined. */
export const SecretKeyRefSchema = z.strictObject({
  namespace: label('namespace name').describe("The Secret's namespace."),
  name: label('Secret name').describe("The Secret's name."),
  key: secretKeyName.describe('The data key holding the value.'),
});

export const GroupSchema = z.strictObject({
  name: groupName.describe('Authentik group name, free text as in Authentik (docs/names.md); also the value of the groups claim.'),
  // A blueprint finds a parent only once it is applied, so parents come earlier in the list.
  parents: z
    .array(groupName)
    .min(1, 'must name at least one group (omit it for groupParent)')
    .optional()
    .describe('The groups this one is a child of (several allowed), each groupParent or a group listed earlier. Default: [groupParent].'),
  superuser: z.boolean().default(false).describe('Members are Authentik superusers (the admin interface).'),
  members: z
    .enum(['people', 'agents'])
    .default('people')
    .describe('Who is put in this group: people sign in; agents are service accounts (services[].agent).'),
  kubernetes: label('ClusterRole name').optional().describe('The ClusterRole bound to this group (a ClusterRoleBinding); omit for none.'),
  // Custom ArgoCD roles would need policy lines of their own, which are not generated.
  argocd: z
    .enum(['role:admin', 'role:readonly'])
    .optional()
    .describe('ArgoCD built-in role (policy.csv); omit for none, then argocd.defaultRole applies.'),
  grafana: z
    .enum(['GrafanaAdmin', 'Admin', 'Editor', 'Viewer'])
    .optional()
    .describe('Grafana organisation role; omit to fall through to the next group.'),
  retired: z
    .boolean()
    .default(false)
    .describe('The groups blueprint deletes the group (and its bindings); remove the entry once Authentik applied that.'),
  clusterRoleBindingName: dnsName
    .optional()
    .describe("Adoption: the live ClusterRoleBinding's name. Default: authentik-<name>.<ClusterRole> (name in its Kubernetes form)."),
});

const ROTATION_MARKER = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/, 'is not a rotation marker (letters, digits, . _ -, e.g. 2026-11-30)')
  .optional();
/** Where a described field says more, in one place. */
const SEE_ROTATION = 'change it after rotating the value, so Authentik re-reads it (docs/secrets.md)';

const OidcSchema = z.strictObject({
  consumer: z
    .enum(['argocd', 'grafana', 'infisical', 'generic'])
    .describe('Which consumer speaks to this provider; decides the redirect URI and the consumer-side files.'),
  callbackPath: z
    .string()
    .regex(/^\/[^\s]*$/, 'is not an absolute path')
    .optional()
    .describe('Callback path on the service host; required for generic, fixed for the others.'),
  // One Authentik issuer serves both the web UI and the CLI, so the CLI cannot have a client of its own.
  cli: z
    .boolean()
    .default(false)
    .describe("ArgoCD only: argocd login --sso. Makes ArgoCD's client public with PKCE, shared by web UI and CLI; no client secret then."),
  clientId: label('client id').optional().describe("The OAuth2 client id (what finds the live provider). Default: the service's slug."),
  offlineAccess: z
    .boolean()
    .default(true)
    .describe("Put offline_access on the provider and in the consumer's scopes, so the consumer gets a refresh token."),
  accessTokenValidity: duration
    .default('hours=1')
    .describe('Lifetime of access and ID tokens (an Authentik duration, hours=1;minutes=2); the consumer refreshes them.'),
  refreshTokenValidity: duration.default('days=30').describe('How long a login lasts without signing in again (only with offlineAccess).'),
  clientSecret: SecretKeyRefSchema.optional().describe('Where the consumer reads the client secret. Default: per consumer kind.'),
  // Authentik reads !Env only when a blueprint's text changes, so the marker is what re-reads a secret.
  clientSecretRotation: ROTATION_MARKER.describe(`Marker of the client secret's current value (e.g. the rotation date); ${SEE_ROTATION}.`),
  secretMode: z
    .enum(['managed', 'existingSecret'])
    .default('managed')
    .describe(
      "managed: the blueprint sets the client secret from Authentik's Secret (key <slug>_client_secret); existingSecret: Authentik keeps the secret it generated and you copy it to clientSecret (SECRETS.md shows how; no rotation marker, not with cli).",
    ),
  callbackUrl: httpUrl
    .optional()
    .describe("The consumer's callback in full, replacing https://<host><consumer path>: the one way to an http:// or IP callback."),
  redirectUris: z
    .array(
      z.strictObject({
        url: z.string().min(1, 'must not be empty').describe('The redirect URI, or a regex in the form of docs/redirect-uris.md.'),
        matching: z.enum(['strict', 'regex']).default('strict').describe('How Authentik compares it: exactly, or as a full-match regex.'),
      }),
    )
    .min(1, 'must list at least one redirect URI (omit it for none)')
    .optional()
    .describe("More redirect URIs next to the consumer's own callback (e.g. ArgoCD's /api/dex/callback)."),
  providerName: authentikName()
    .optional()
    .describe('Adoption: the live provider\'s name, free text, unique across all providers (Provider.name). Default: "<name> OIDC".'),
  providerFoundBy: z
    .enum(['client_id', 'name'])
    .default('client_id')
    .describe(
      'Adoption: the field the blueprint finds the provider by. name keeps a live provider a hand-written blueprint finds by its name: the same object, its client_id left as it is unless clientId is set (Provider.name is unique, docs/names.md). Default: client_id.',
    ),
  application: ApplicationIdentitySchema.optional().describe(
    "Adoption: the live application's identity. Default: the service's slug and name.",
  ),
  blueprint: BlueprintNameSchema.optional().describe(
    'Adoption: a blueprint file of its own. Default: one of the 16 shared OIDC shards (docs/oidc-shards.md).',
  ),
});

const ForwardAuthSchema = z.strictObject({
  upstream: httpUrl
    .optional()
    .describe(
      'The address the edge Traefik (outside the cluster) forwards to after auth, e.g. the backend LB IP (traefik-file mode; shorthand for one route at /). Give routes instead for more.',
    ),
  sessionValidity: duration
    .default('hours=24')
    .describe("How long the outpost's session lasts (the proxy provider's access_token_validity)."),
  providerName: authentikName()
    .optional()
    .describe(
      'Adoption: the live proxy provider\'s name, which is what finds it; free text, unique across all providers (Provider.name). Default: "<slug> forward auth".',
    ),
  application: ApplicationIdentitySchema.optional().describe(
    "Adoption: the live application's identity. Default: the service's slug and name, or <slug>-forward-auth beside oidc.",
  ),
  blueprint: BlueprintNameSchema.optional().describe(
    'An adopted blueprint file; forward-auth services naming the same one share it, in config order. Default: the shared proxy-providers file.',
  ),
});

const KubectlSchema = z.strictObject({
  accessTokenValidity: duration
    .default('minutes=15')
    .describe('Lifetime of the ID token kubectl sends; kubelogin refreshes it with the refresh token.'),
  refreshTokenValidity: duration
    .default('hours=12')
    .describe('How long a person stays signed in at kubectl before the browser opens again.'),
});

const AgentSchema = z.strictObject({
  group: groupName.describe('The group whose Kubernetes role the agent gets; its service account is made a member.'),
  serviceAccount: label('username')
    .optional()
    .describe("The Authentik service account the agent's tokens are issued for. Default: the service's slug."),
  accessTokenValidity: duration.default('hours=8').describe("Lifetime of the agent's tokens."),
  appPasswordRotation: ROTATION_MARKER.describe(`Marker of the app password's current value; ${SEE_ROTATION}.`),
});

const PublicSchema = z.strictObject({
  upstream: httpUrl
    .optional()
    .describe('Routed by the edge with no authentication (traefik-file mode; shorthand for one route at /). Give routes instead for more.'),
});

export const ServiceSchema = z.strictObject({
  slug: label('slug').describe('Authentik application slug (a DNS label); also the default client id and the issuer path.'),
  name: authentikName().describe(
    "The application's display name (Authentik, ACCESS.md): free text as in Authentik (Application.name, not unique; docs/names.md).",
  ),
  host: dnsName.optional().describe('The host the service is reached at (none for kubectl and agent services).'),
  // Open access is never a default: an application with no binding admits everyone.
  allowedGroups: z
    .union([z.literal('any'), z.array(groupName).min(1, 'must name at least one group (or be "any")')], {
      error: 'must be a list of group names or "any"',
    })
    .optional()
    .describe(
      'Who may open it: a list of groups, or any (every authenticated user, on purpose). Required for oidc and forwardAuth; for kubectl it limits who may sign in (left out: any) (docs/access.md).',
    ),
  retired: z
    .boolean()
    .default(false)
    .describe('Emit state: absent tombstones so Authentik deletes what it created; remove the entry once applied.'),
  oidc: OidcSchema.optional().describe('A native OIDC client: provider, application, access policy and the consumer side.'),
  forwardAuth: ForwardAuthSchema.optional().describe('Forward auth at the edge through the embedded outpost (a proxy provider).'),
  agent: AgentSchema.optional().describe('A machine client: client credentials through a service account in a group (docs/access.md).'),
  public: PublicSchema.optional().describe('Routed at the edge with no authentication (listed as public in ACCESS.md).'),
  kubectl: KubectlSchema.optional().describe('People at kubectl: a public (PKCE) client for kubelogin, trusted by the apiserver.'),
  routes: z
    .array(RouteSchema)
    .min(1, 'must list at least one route (omit it for none)')
    .optional()
    .describe(
      "The host's edge routes, split by path (docs/edge.md); no two share host and path. An oidc service without routes gets none.",
    ),
});

/** The Authentik URL's form (https, no port, no path), shared by authentik.url and the migration. */
const AUTHENTIK_URL = z.string().regex(/^https:\/\/[^/\s:]+\/?$/, 'must be an https:// URL with no port and no path');

/**
 * Moving the auth layer to a new domain in three phases (docs/changing-domains.md). The config's
 * own `authentik.url` and `services[].host` are the destination; this block says where they come
 * from and how far the move is.
 */
export const MIGRATION_PHASES = ['overlap', 'cutover', 'done'] as const;
export const MigrationSchema = z.strictObject({
  phase: z
    .enum(MIGRATION_PHASES)
    .describe(
      'overlap: both hosts work, clients still use the old one; cutover: clients move to the new one; done: the old one is retired.',
    ),
  authentik: z
    .strictObject({
      from: AUTHENTIK_URL.describe("Authentik's old URL."),
      to: AUTHENTIK_URL.describe("Authentik's new URL: authentik.url."),
    })
    .optional()
    .describe("Authentik's own move, when it moves."),
  hosts: z
    .array(
      z.strictObject({
        from: dnsName.describe('The old host.'),
        to: dnsName.describe("The new host: a configured service's host."),
      }),
    )
    .default([])
    .describe('Service hosts that move.'),
});

/** A file in the repository ArgoCD syncs (`git.repoURL`), relative to its root: the operator's own values. */
const repoValuesFile = z
  .string()
  .regex(
    /^(?!.*(^|\/)\.\.?(\/|$))[^/\s$][^\s]*\.ya?ml$/,
    'is not a values file path inside the repository (relative, no leading / or $, no . or .. segments, ends in .yaml or .yml)',
  );

/**
 * Values layering of a generated Application (docs/values-layering.md): the operator's own values
 * files are listed in its helm.valueFiles next to the generated one, so a sync keeps the keys the
 * auth layer does not own.
 */
const valuesLayering = (existingReleaseDefault: boolean) => ({
  valueFiles: z
    .array(repoValuesFile)
    .optional()
    .describe("Your own values files for the chart, paths in git.repoURL outside git.path, in Helm's order (docs/values-layering.md)."),
  valuesOrder: z
    .enum(['operatorFirst', 'generatedFirst'])
    .optional()
    .describe('Only with valueFiles. operatorFirst (the default): the generated auth keys win; generatedFirst: your keys win.'),
  existingRelease: z
    .boolean()
    .default(existingReleaseDefault)
    .describe(
      'The Application takes over a release that already runs: then valueFiles must name its values files, or noValueFiles be true.',
    ),
  noValueFiles: z
    .boolean()
    .optional()
    .describe('Acknowledges that the running release has no values files of its own; only with existingRelease, never with valueFiles.'),
});

/**
 * Which GitOps engine syncs the output (docs/flux.md): ArgoCD Applications, or Flux Kustomizations
 * and a HelmRelease. The blueprints and consumer configs are the same for both.
 */
export const GITOPS_ENGINES = ['argocd', 'flux'] as const;
/** How the layer's Secrets come to exist (docs/secrets.md). */
export const SecretsSchema = z.strictObject({
  /**
   * sops: every Secret is a SOPS file applied by hand (manual-operations.yaml). external-secrets: the
   * External Secrets Operator (v0.16 or later) generates each value once in the cluster and copies
   * the client secrets into their consumers' namespaces.
   * @default sops
   */
  mode: z
    .enum(['sops', 'external-secrets'])
    .default('sops')
    .describe(
      "sops: every Secret is a SOPS file applied by hand (manual-operations.yaml). external-secrets: the External Secrets Operator (v0.16 or later) generates each value once in the cluster and copies the client secrets into their consumers' namespaces. Default: sops.",
    ),
  /**
   * external-secrets: the namespaces ESO may copy a client secret into. Each gets a SecretStore of
   * the Kubernetes provider, and a Role in the Authentik namespace that may only get the Secrets its
   * copies read; a consumer namespace not listed here is refused.
   */
  consumerNamespaces: z
    .array(label('namespace name'))
    .default([])
    .describe(
      'external-secrets: the namespaces ESO may copy a client secret into; each gets a SecretStore and a Role in the Authentik namespace limited to the Secrets its copies read. A consumer namespace not listed is refused.',
    ),
  /** external-secrets: raise by one to rotate every client secret and agent app password at once. */
  generation: z
    .number()
    .int()
    .min(0, 'must be 0 or more')
    .default(0)
    .describe('external-secrets: raise by one to rotate every client secret and agent app password at once. Default: 0.'),
  /** external-secrets: a rotation counter per service slug (its client secret or app password), added to generation. */
  rotate: z
    .record(label('slug'), z.number().int().min(0, 'must be 0 or more'))
    .default({})
    .describe('external-secrets: a rotation counter per service slug (its client secret or app password), added to generation.'),
  /**
   * external-secrets on a cluster that ran in sops mode: generation 0 of every value is the one the
   * SOPS Secrets already hold (read in place, no generator); a rotation then generates the next one.
   * @default false
   */
  adoptSops: z
    .boolean()
    .default(false)
    .describe(
      'external-secrets on a cluster that ran in sops mode: generation 0 of every value is the one the SOPS Secrets already hold (read in place, no generator); a rotation then generates the next one. Default: false.',
    ),
});

export const GitOpsSchema = z.strictObject({
  engine: z
    .enum(GITOPS_ENGINES)
    .default('argocd')
    .describe('What syncs the output: ArgoCD Applications, or Flux Kustomizations and a HelmRelease (docs/flux.md).'),
  handoverTo: z
    .enum(GITOPS_ENGINES)
    .optional()
    .describe(
      "Phase 1 of switching engines (docs/flux.md#switching-engines): the engine the output is about to be handed to. The current engine's objects are released so that removing them later leaves Authentik running: ArgoCD's Applications lose the resources finalizer; Flux's Kustomizations orphan on deletion and the HelmRelease is suspended. Phase 2 is gitops.engine set to it.",
    ),
  /** Flux only: where its objects live and what they read. */
  flux: z
    .strictObject({
      namespace: label('namespace name')
        .default('flux-system')
        .describe('The namespace of the Kustomizations and of the GitRepository they read.'),
      gitRepository: label('GitRepository name')
        .default('flux-system')
        .describe('The GitRepository holding git.repoURL (flux bootstrap names it flux-system).'),
      valuesFrom: z
        .array(
          z.strictObject({
            kind: z.enum(['ConfigMap', 'Secret']).describe('What holds the values.'),
            name: label('ConfigMap or Secret name').describe('Its name, in the Authentik namespace.'),
            valuesKey: z
              .string()
              .regex(/^[-._a-zA-Z0-9]{1,253}$/, 'is not a ConfigMap/Secret data key')
              .default('values.yaml')
              .describe('The data key holding the YAML values.'),
          }),
        )
        .optional()
        .describe("Your own Authentik values (Flux valuesFrom), merged with the generated ConfigMap in authentik.valuesOrder's order."),
    })
    .optional()
    .describe('Flux only: where its objects live and what they read; an error with the argocd engine.'),
});

export const ClusterConfigSchema = z.strictObject({
  cluster: z
    .strictObject({
      name: label('cluster name').describe("The cluster's name (a DNS label; also the kubeconfigs' cluster name)."),
      domain: dnsName.describe('The base domain, shown in the docs.'),
    })
    .describe('Which cluster this is.'),
  authentik: z
    .strictObject({
      // No port: the edge Traefik routes Host(`<host>`) on its TLS entry point.
      url: AUTHENTIK_URL.describe(
        "Authentik's external URL, https:// only, no port or path: issuers, redirects and AUTHENTIK_HOST derive from it.",
      ),
      namespace: label('namespace name').default('authentik').describe("Authentik's namespace."),
      chart: z
        .strictObject({
          version: z
            .string()
            .regex(SEMVER, 'is not a chart version (x.y.z)')
            .default(DEFAULT_AUTHENTIK_CHART_VERSION)
            .describe(
              'The authentik chart release (= the Authentik release), one of the supported minors; a release with a known defect for what the config uses is refused (docs/upgrades.md).',
            ),
          releaseName: label('release name')
            .default('authentik')
            .describe('The Helm release; the LoadBalancer Service is <releaseName>-server-lb.'),
        })
        .prefault({})
        .describe('The authentik Helm chart.'),
      loadBalancer: z
        .strictObject({
          ip: z.string().regex(IPV4, 'is not an IPv4 address').describe("The Service's LB-IPAM address; must lie in pool."),
          pool: z
            .array(z.string().regex(CIDR4, 'is not an IPv4 CIDR'))
            .min(1)
            .describe('The CiliumLoadBalancerIPPool CIDR blocks the address comes from.'),
          httpPort: port.default(9000).describe("The Service's HTTP port (target port http)."),
          httpsPort: port.default(9443).describe("The Service's HTTPS port (target port https)."),
        })
        .describe("Authentik's LoadBalancer Service."),
      secret: z
        .strictObject({
          name: label('Secret name').default('authentik-secrets').describe("The Secret's name."),
          secretKey: secretKeyName.default('secret_key').describe("The key holding Authentik's secret key."),
          bootstrapPassword: secretKeyName.default('bootstrap_password').describe('The key holding the bootstrap password.'),
        })
        .prefault({})
        .describe("Authentik's out-of-band Secret (from SOPS, applied by hand) in its namespace."),
      // The bundled PostgreSQL mounts its whole existingSecret: sharing Authentik's would hand it every key.
      postgresqlSecret: z
        .strictObject({
          name: label('Secret name').default('authentik-postgresql').describe("The Secret's name."),
          key: secretKeyName.default('password').describe('The key holding the password.'),
          sharesAuthentikSecret: z
            .literal(true)
            .optional()
            .describe(
              "Adoption: PostgreSQL already reads Authentik's own Secret and keeps doing so, knowingly (it mounts every key). Unset: sharing is refused.",
            ),
        })
        .prefault({})
        .describe("PostgreSQL's password, in a Secret of its own."),
      outpost: z
        .strictObject({
          manageProviders: z
            .boolean()
            .default(true)
            .describe("Set the embedded outpost's provider list to the forward-auth providers (replaces hand-assigned ones)."),
        })
        .prefault({})
        .describe("Authentik's embedded outpost."),
      // A new Authentik is installed by its Application; say existingRelease when one already runs.
      ...valuesLayering(false),
      passThrough: z
        .array(PassThroughSchema)
        .default([])
        .describe(
          'Blueprints kept as they are (flows, stages, policies, other providers, users, brands, sources), each byte for byte in a ConfigMap of its own (docs/pass-through.md).',
        ),
      blueprints: z
        .strictObject({
          groups: BlueprintNameSchema.optional().describe('The groups blueprint. Default: unified-auth-groups.'),
          outpost: BlueprintNameSchema.optional().describe(
            'The embedded outpost blueprint (then a file of its own). Default: unified-auth-embedded-outpost.',
          ),
          agents: BlueprintNameSchema.optional().describe('The agents blueprint. Default: unified-auth-agent-auth.'),
          retired: BlueprintNameSchema.optional().describe('The tombstones blueprint. Default: unified-auth-retired.'),
        })
        .prefault({})
        .describe('Adoption: the shared blueprints, named as hand-written ones to take over in place.'),
    })
    .describe('Authentik: its URL, chart, Service, Secrets, values and shared blueprints.'),
  argocd: z
    .strictObject({
      namespace: label('namespace name').default('argocd').describe("ArgoCD's namespace; every generated Application lives there."),
      project: label('project name').describe('The ArgoCD project of every Application.'),
      chart: z
        .strictObject({
          version: z
            .string()
            .regex(SEMVER, 'is not a chart version (x.y.z)')
            .describe('The argo-helm argo-cd chart version (7.0 or newer).'),
          releaseName: label('release name').default('argocd').describe('The Helm release.'),
        })
        .describe('The argo-cd Helm chart ArgoCD runs from.'),
      defaultRole: z
        .enum(['role:admin', 'role:readonly', ''])
        .default('role:readonly')
        .describe("policy.default: the role of a user in no mapped group; '' for none."),
      // ArgoCD always runs before it can sync its own Application, so its release always exists.
      ...valuesLayering(true),
    })
    .describe('ArgoCD: where it runs, its chart and values, and its RBAC default.'),
  gitops: GitOpsSchema.prefault({}).describe('The GitOps engine that syncs the output.'),
  secrets: SecretsSchema.prefault({}).describe(
    'Where the random Secrets come from: SOPS by hand (default) or generated in the cluster by the External Secrets Operator (docs/secrets.md).',
  ),
  git: z
    .strictObject({
      repoURL: z
        .string()
        .regex(/^(https:\/\/|ssh:\/\/|git@)\S+$/, 'is not a git repository URL')
        .describe('The repository the GitOps engine syncs.'),
      targetRevision: word.default('main').describe('The branch or revision it syncs.'),
      path: z
        .string()
        .regex(
          /^(?!.*(^|\/)\.\.?(\/|$))[^/\s]([^\s]*[^/\s])?$/,
          'is not a relative path inside the repository (no leading /, no . or .. segments)',
        )
        .default('dist')
        .describe(
          'Where the output sits in the repository. Default: where --out is in it (an error when they disagree; --out outside a repository needs it set) (docs/getting-started.md).',
        ),
    })
    .describe('Where the output is committed.'),
  /**
   * Optional: the Authentik Service's address by Cilium LB-IPAM. Left out, the Service requests no
   * address and giving it authentik.loadBalancer.ip is the operator's (manual-operations.yaml says so).
   */
  cilium: z
    .strictObject({
      version: z
        .string()
        .regex(/^v?\d+\.\d+\.\d+$/, 'is not a Cilium version (x.y.z)')
        .describe('Decides the LB-IPAM annotation: lbipam.cilium.io/ips (1.16 and later) or io.cilium/lb-ipam-ips (1.13 to 1.15).'),
      // Cilium marks overlapping pools as conflicting and allocates from neither.
      manageIpPool: z
        .boolean()
        .default(false)
        .describe(
          'Also emit a CiliumLoadBalancerIPPool of authentik.loadBalancer.pool; leave off when a pool already covers those blocks.',
        ),
      l2Interfaces: z
        .array(z.string().min(1, 'must not be empty'))
        .min(1, 'must name at least one interface (omit it to emit no policy)')
        .optional()
        .describe(
          'Also emit a CiliumL2AnnouncementPolicy for the Authentik Service on these node interfaces (regexes; Cilium 1.14 and later).',
        ),
    })
    .optional()
    .describe(
      "Optional: Cilium LB-IPAM gives the Authentik Service its address. Left out, the Service requests none (manual-operations.yaml says what's left).",
    ),
  /**
   * Optional: the kube-apiserver's OIDC settings as a Talos patch. Left out, no patch is written and
   * configuring the apiserver is the operator's (manual-operations.yaml lists the issuers and claims).
   */
  talos: z
    .strictObject({
      version: z
        .string()
        .regex(/^v?\d+\.\d+\.\d+$/, 'is not a Talos version (vX.Y.Z)')
        .describe('Decides the form of the apiserver patch (docs/access.md).'),
      apiServerAuth: z
        .enum(['flags', 'structured'])
        .default('flags')
        .describe('flags: --oidc-* (one issuer and client id); structured: an AuthenticationConfiguration (several: agents and people).'),
      omniCluster: label('Omni cluster name').optional().describe('Also emit the Omni ConfigPatch for this Omni cluster.'),
      omniPatchId: z
        .string()
        .regex(/^[a-z0-9]([-a-z0-9.]{0,61}[a-z0-9])?$/, 'is not an Omni resource id (lowercase letters, digits, - and .)')
        .optional()
        .describe("Adoption: the live Omni ConfigPatch's id. Default: 150-<omniCluster>-apiserver-oidc."),
    })
    .optional()
    .describe(
      "Optional: the apiserver's OIDC settings as a Talos patch. Left out, none is written (manual-operations.yaml lists the issuers).",
    ),
  kubernetes: z
    .strictObject({
      usernameClaim: word.default('preferred_username').describe('The token claim the apiserver takes the username from.'),
      groupsClaim: word.default('groups').describe('The token claim the apiserver takes the groups from.'),
      usernamePrefix: z
        .string()
        .regex(/^[^\s]*$/, 'must not contain whitespace')
        .default('oidc:')
        .describe("Prepended to usernames by the apiserver; '' for none."),
      groupsPrefix: z
        .string()
        .regex(/^[^\s]*$/, 'must not contain whitespace')
        .default('')
        .describe('Prepended to group names by the apiserver; RBAC subjects use it too.'),
    })
    .prefault({})
    .describe('How the apiserver reads OIDC tokens.'),
  traefik: z
    .strictObject({
      certResolver: word.default('letsencrypt').describe('The cert resolver of every route, unless edge.tls says otherwise.'),
      entryPoints: z.array(word).min(1).default(['websecure']).describe('The entry points of the edge routers.'),
    })
    .prefault({})
    .describe('The edge Traefik.'),
  edge: EdgeSchema.describe('How requests reach the services: mode, chains, TLS (docs/edge.md).'),
  grafana: z
    .strictObject({
      roleAttributeStrict: z.boolean().default(false).describe('Deny Grafana login when no group maps to a role (instead of Viewer).'),
      application: label('Application name')
        .default('grafana')
        .describe('The ArgoCD Application that runs Grafana and must list dist/values/grafana.yaml in its valueFiles.'),
      parentKey: z
        .string()
        .regex(VALUES_KEY, 'is not a Helm values key (letters, digits and -, like a DNS label)')
        .optional()
        .describe(
          "Grafana is a subchart under this key of its parent chart's values (grafana in kube-prometheus-stack); omit for the grafana chart.",
        ),
    })
    .prefault({})
    .describe("Grafana's OIDC consumer side."),
  groupParent: groupName.default('root').describe('Top group of the hierarchy; every configured group is its child.'),
  groups: z.array(GroupSchema).min(1, 'must list at least one group').describe('The group hierarchy, and what each group may do.'),
  services: z
    .array(ServiceSchema)
    .describe('What people and agents sign in to; each has one pattern, or oidc and forwardAuth on one host.'),
  retiredObjects: z
    .array(
      z.strictObject({
        model: z
          .string()
          .regex(/^[a-z0-9_]+\.[a-z0-9_]+$/, 'is not an Authentik model (<app>.<model>, e.g. authentik_core.application)')
          .describe('The Authentik blueprint model, e.g. authentik_providers_proxy.proxyprovider.'),
        identifiers: z
          .record(z.string(), z.union([z.string(), z.number().int()]))
          .describe('The fields that find exactly this object, e.g. { name: "Longhorn (legacy)" }.'),
      }),
    )
    .default([])
    .describe('Objects this tool did not create, to delete: state: absent entries in the retired blueprint (docs/adopting.md).'),
  migration: MigrationSchema.optional().describe('A domain move in progress (docs/changing-domains.md); omit when none is.'),
  verify: z
    .strictObject({
      postSyncHook: z
        .strictObject({
          enabled: z
            .boolean()
            .default(false)
            .describe(
              'An ArgoCD PostSync hook Job in authentik-extras that runs the blueprint-status check after each sync and fails the sync when a blueprint did not apply (docs/verify.md#the-in-cluster-hook). Default: false (no Job, no ConfigMap).',
            ),
          tokenSecret: z
            .strictObject({
              name: label('Secret name').default('authentik-verify-token').describe('The Secret name. Default: authentik-verify-token.'),
              key: secretKeyName.default('token').describe('The key holding the token. Default: token.'),
            })
            .prefault({})
            .describe("The Secret the operator creates in Authentik's namespace with an API token (manual-operations.yaml says how)."),
          waitSeconds: z
            .number()
            .int()
            .min(30, 'must be at least 30 seconds')
            .max(3600, 'must be at most 3600 seconds')
            .default(600)
            .describe('How long the check waits for the worker to apply the synced blueprints before it fails, in seconds. Default: 600.'),
        })
        .prefault({})
        .describe('The opt-in in-cluster check after each ArgoCD sync (docs/verify.md#the-in-cluster-hook).'),
    })
    .prefault({})
    .describe('Checking the live Authentik against the output (docs/verify.md).'),
});

/** The config as written (defaults optional). */
export type ClusterConfigInput = z.input<typeof ClusterConfigSchema>;
/** The config after validation, defaults applied. */
export type ClusterConfig = z.output<typeof ClusterConfigSchema>;
export type Group = z.output<typeof GroupSchema>;
export type Service = z.output<typeof ServiceSchema>;
export type SecretKeyRef = z.output<typeof SecretKeyRefSchema>;
export type GitOpsConfig = z.output<typeof GitOpsSchema>;
export type SecretsConfig = z.output<typeof SecretsSchema>;
export type MigrationConfig = z.output<typeof MigrationSchema>;
export type MigrationPhase = MigrationConfig['phase'];
