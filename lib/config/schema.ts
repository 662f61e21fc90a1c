// The one typed cluster config. Everything in dist/ is derived from a value of this schema.
// Objects are strict: an unknown field is an error, never silently ignored (docs/field-traps.md#unknown-fields-are-dropped
// shows what silent dropping costs).
import { z } from 'zod';
import { DEFAULT_AUTHENTIK_CHART_VERSION } from '../model/authentik-versions';
import { EdgeSchema, RouteSchema } from '../edge/schema';

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
 * A name Authentik keeps as free text (Group.name, a unique TextField with no validator; docs/names.md):
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
  name: displayName(200),
  configMapName: dnsName,
  /** The file's key in the ConfigMap; must end in .yaml (Authentik reads nothing else). Default: <configMapName>.yaml. */
  fileName: z
    .string()
    .regex(/^[-._a-zA-Z0-9]+\.yaml$/, 'must be a file name ending in .yaml (Authentik only reads *.yaml)')
    .optional(),
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
  file: repoFile,
  /**
   * The ConfigMap that carries it.
   * @default authentik-passthrough-<the file's name as a DNS label>
   */
  configMapName: dnsName.optional(),
});

/** An application's identity in Authentik, to adopt a live one (default: the service's slug and name). */
const ApplicationIdentitySchema = z.strictObject({ slug: label('slug').optional(), name: displayName(64).optional() });

/** A reference to one key of a Kubernetes Secret. Secrets are referenced, never inlined. */
export const SecretKeyRefSchema = z.strictObject({
  namespace: label('namespace name'),
  name: label('Secret name'),
  key: secretKeyName,
});

export const GroupSchema = z.strictObject({
  /** Authentik group name, free text as in Authentik (docs/names.md); also the value of the `groups` claim. */
  name: groupName,
  /**
   * The groups this one is a child of (2026.x allows several); each is groupParent or a group
   * listed earlier, since a blueprint finds a parent only once it is applied.
   * @default [groupParent]
   */
  parents: z.array(groupName).min(1, 'must name at least one group (omit it for groupParent)').optional(),
  superuser: z.boolean().default(false),
  /** Who is put in this group: people log in; agents are service accounts (see services[].agent). */
  members: z.enum(['people', 'agents']).default('people'),
  /** ClusterRole bound to this group; omit for none. */
  kubernetes: label('ClusterRole name').optional(),
  /**
   * ArgoCD built-in role; omit for none (policy.default applies). Custom roles would need policy
   * lines of their own, which are not generated.
   */
  argocd: z.enum(['role:admin', 'role:readonly']).optional(),
  /** Grafana organisation role; omit to fall through to the next group. */
  grafana: z.enum(['GrafanaAdmin', 'Admin', 'Editor', 'Viewer']).optional(),
  /** Retired: the groups blueprint deletes it (and with it its bindings); remove the entry after that synced. */
  retired: z.boolean().default(false),
  /** Adoption: the live ClusterRoleBinding's name (default authentik-<name>.<ClusterRole>). */
  clusterRoleBindingName: dnsName.optional(),
});

const ROTATION_MARKER = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/, 'is not a rotation marker (letters, digits, . _ -, e.g. 2026-11-30)')
  .optional();

const OidcSchema = z.strictObject({
  /** Which consumer speaks to this provider; decides the redirect URI and the consumer-side files. */
  consumer: z.enum(['argocd', 'grafana', 'infisical', 'generic']),
  /** Callback path on the service host; required for `generic`, fixed for the others. */
  callbackPath: z
    .string()
    .regex(/^\/[^\s]*$/, 'is not an absolute path')
    .optional(),
  /**
   * ArgoCD only: `argocd login --sso`. Makes ArgoCD's client public with PKCE, shared by the web UI
   * and the CLI (one Authentik issuer for both; README, Access). No client secret then.
   */
  cli: z.boolean().default(false),
  clientId: label('client id').optional(),
  /** Put offline_access on the provider and in the consumer's scopes, so it gets a refresh token. */
  offlineAccess: z.boolean().default(true),
  /** Lifetime of access and ID tokens; the consumer refreshes them with the refresh token. */
  accessTokenValidity: duration.default('hours=1'),
  /** How long a login lasts without the user signing in again (only with offlineAccess). */
  refreshTokenValidity: duration.default('days=30'),
  /** Where the consumer reads the client secret; defaults per consumer kind. */
  clientSecret: SecretKeyRefSchema.optional(),
  /**
   * Marker of the client secret's current value (e.g. the rotation date). Authentik reads `!Env`
   * only when a blueprint's text changes, so changing this marker is what makes it re-read a
   * rotated secret (README § Rotating a secret).
   */
  clientSecretRotation: ROTATION_MARKER,
  /**
   * managed: the blueprint sets the client secret from Authentik's Secret. existingSecret: Authentik
   * keeps the secret it generated, and the operator copies it into clientSecret (SECRETS.md shows how).
   */
  secretMode: z.enum(['managed', 'existingSecret']).default('managed'),
  /**
   * The consumer's callback written out in full: the one way to register an `http://` or IP
   * callback (an app reached at http://<LB IP>:3000). Replaces https://<host><consumer path>.
   */
  callbackUrl: httpUrl.optional(),
  /** More redirect URIs next to the consumer's own callback (e.g. ArgoCD's /api/dex/callback). */
  redirectUris: z
    .array(z.strictObject({ url: z.string().min(1, 'must not be empty'), matching: z.enum(['strict', 'regex']).default('strict') }))
    .min(1, 'must list at least one redirect URI (omit it for none)')
    .optional(),
  /** Adoption: the live provider's name (default "<name> OIDC"). */
  providerName: displayName(200).optional(),
  /**
   * Adoption: the field the blueprint finds the provider by. `name` keeps a live provider that a
   * hand-written blueprint finds by its name (its client_id read from !Env or generated by
   * Authentik): the same object, its client_id left as it is unless clientId is set.
   * Provider.name is unique (docs/names.md).
   * @default client_id
   */
  providerFoundBy: z.enum(['client_id', 'name']).default('client_id'),
  application: ApplicationIdentitySchema.optional(),
  blueprint: BlueprintNameSchema.optional(),
});

const ForwardAuthSchema = z.strictObject({
  /** Address the edge Traefik forwards to after auth (traefik-file mode; shorthand for one route at /). */
  upstream: httpUrl.optional(),
  /** How long the outpost's session cookie lasts (the proxy provider's access_token_validity). */
  sessionValidity: duration.default('hours=24'),
  /** Adoption: the live proxy provider's name (default "<slug> forward auth"); it is what finds the provider. */
  providerName: displayName(200).optional(),
  /** Default: the service's slug and name, or "<slug>-forward-auth" when the service also has oidc. */
  application: ApplicationIdentitySchema.optional(),
  /** A blueprint file of its own for this service (default: the shared proxy-providers file). */
  blueprint: BlueprintNameSchema.optional(),
});

const KubectlSchema = z.strictObject({
  /** Lifetime of the ID token kubectl sends; kubelogin refreshes it with the refresh token. */
  accessTokenValidity: duration.default('minutes=15'),
  /** How long a person stays signed in at kubectl before the browser opens again. */
  refreshTokenValidity: duration.default('hours=12'),
});

const AgentSchema = z.strictObject({
  /** The group whose Kubernetes role the agent gets; its service account is made a member. */
  group: groupName,
  /** Authentik service-account username the agent's tokens are issued for (default: the slug). */
  serviceAccount: label('username').optional(),
  accessTokenValidity: duration.default('hours=8'),
  /** Marker of the app password's current value; change it after rotating (see oidc.clientSecretRotation). */
  appPasswordRotation: ROTATION_MARKER,
});

const PublicSchema = z.strictObject({
  /** Routed by the edge with no authentication at all (traefik-file mode; shorthand for one route at /). */
  upstream: httpUrl.optional(),
});

export const ServiceSchema = z.strictObject({
  /** Authentik application slug; also the default client id. */
  slug: label('slug'),
  name: displayName(64),
  host: dnsName.optional(),
  /**
   * Who may open the application: a list of groups, or `any` (every authenticated user, on
   * purpose). Required for oidc and forwardAuth services: open access is never a default.
   */
  allowedGroups: z
    .union([z.literal('any'), z.array(groupName).min(1, 'must name at least one group (or be "any")')], {
      error: 'must be a list of group names or "any"',
    })
    .optional(),
  /** Retired: emit state: absent tombstones so Authentik deletes what it created. */
  retired: z.boolean().default(false),
  oidc: OidcSchema.optional(),
  forwardAuth: ForwardAuthSchema.optional(),
  agent: AgentSchema.optional(),
  public: PublicSchema.optional(),
  /** People at kubectl: a public (PKCE) client for kubelogin, trusted by the apiserver. */
  kubectl: KubectlSchema.optional(),
  /** Edge routes of the service's host (README § Edge routes); one or more, split by path. */
  routes: z.array(RouteSchema).min(1, 'must list at least one route (omit it for none)').optional(),
});

/** The Authentik URL's form (https, no port, no path), shared by authentik.url and the migration. */
const AUTHENTIK_URL = z.string().regex(/^https:\/\/[^/\s:]+\/?$/, 'must be an https:// URL with no port and no path');

/**
 * Moving the auth layer to a new domain in three phases (README § Changing domains). The config's
 * own `authentik.url` and `services[].host` are the destination; this block says where they come
 * from and how far the move is.
 */
export const MIGRATION_PHASES = ['overlap', 'cutover', 'done'] as const;
export const MigrationSchema = z.strictObject({
  /** overlap: both hosts work, clients still use the old one; cutover: clients move to the new one; done: the old one is retired. */
  phase: z.enum(MIGRATION_PHASES),
  /** Authentik's own URL: `to` must be `authentik.url`. */
  authentik: z.strictObject({ from: AUTHENTIK_URL, to: AUTHENTIK_URL }).optional(),
  /** Service hosts: each `to` is the `host` of a configured service. */
  hosts: z.array(z.strictObject({ from: dnsName, to: dnsName })).default([]),
});

/** A file in the repository ArgoCD syncs (`git.repoURL`), relative to its root: the operator's own values. */
const repoValuesFile = z
  .string()
  .regex(
    /^(?!.*(^|\/)\.\.?(\/|$))[^/\s$][^\s]*\.ya?ml$/,
    'is not a values file path inside the repository (relative, no leading / or $, no . or .. segments, ends in .yaml or .yml)',
  );

/**
 * Values layering of a generated Application (README § Values layering): the operator's own values
 * files are listed in its helm.valueFiles next to the generated one, so a sync keeps the keys the
 * auth layer does not own.
 */
const valuesLayering = (existingReleaseDefault: boolean) => ({
  /** The operator's values files, repository paths (same repository as git.repoURL), in Helm's order. */
  valueFiles: z.array(repoValuesFile).optional(),
  /** operatorFirst: the generated auth keys win; generatedFirst: the operator's keys win. */
  valuesOrder: z.enum(['operatorFirst', 'generatedFirst']).optional(),
  /** The Application takes over a release that already runs (then its values files must be named). */
  existingRelease: z.boolean().default(existingReleaseDefault),
  /** The acknowledgement that a running release really has no values files of its own. */
  noValueFiles: z.boolean().optional(),
});

/**
 * Which GitOps engine syncs the output (docs/flux.md): ArgoCD Applications, or Flux Kustomizations
 * and a HelmRelease. The blueprints and consumer configs are the same for both.
 */
export const GITOPS_ENGINES = ['argocd', 'flux'] as const;
export const GitOpsSchema = z.strictObject({
  engine: z.enum(GITOPS_ENGINES).default('argocd'),
  /** Flux only: where its objects live and what they read. */
  flux: z
    .strictObject({
      /** The namespace of the Kustomizations and of the GitRepository they read. */
      namespace: label('namespace name').default('flux-system'),
      /** The GitRepository holding git.repoURL (`flux bootstrap` names it flux-system). */
      gitRepository: label('GitRepository name').default('flux-system'),
      /**
       * The operator's own Authentik values, ConfigMaps or Secrets in the Authentik namespace, merged
       * with the generated ConfigMap in the order authentik.valuesOrder asks for (Flux valuesFrom).
       */
      valuesFrom: z
        .array(
          z.strictObject({
            kind: z.enum(['ConfigMap', 'Secret']),
            name: label('ConfigMap or Secret name'),
            /** The data key holding the YAML values. */
            valuesKey: z
              .string()
              .regex(/^[-._a-zA-Z0-9]{1,253}$/, 'is not a ConfigMap/Secret data key')
              .default('values.yaml'),
          }),
        )
        .optional(),
    })
    .optional(),
});

export const ClusterConfigSchema = z.strictObject({
  cluster: z.strictObject({
    name: label('cluster name'),
    domain: dnsName,
  }),
  authentik: z.strictObject({
    /** External URL, https only, no path: issuer, redirects and AUTHENTIK_HOST derive from it. */
    // No port: the edge Traefik routes Host(`<host>`) on its TLS entry point.
    url: AUTHENTIK_URL,
    namespace: label('namespace name').default('authentik'),
    chart: z
      .strictObject({
        /** The authentik chart (= Authentik) release; new clusters get the newest supported one. */
        version: z.string().regex(SEMVER, 'is not a chart version (x.y.z)').default(DEFAULT_AUTHENTIK_CHART_VERSION),
        releaseName: label('release name').default('authentik'),
      })
      .prefault({}),
    loadBalancer: z.strictObject({
      ip: z.string().regex(IPV4, 'is not an IPv4 address'),
      /** CiliumLoadBalancerIPPool blocks the IP must come from. */
      pool: z.array(z.string().regex(CIDR4, 'is not an IPv4 CIDR')).min(1),
      httpPort: port.default(9000),
      httpsPort: port.default(9443),
    }),
    /** The out-of-band Secret (SOPS, applied by hand) in the Authentik namespace. */
    secret: z
      .strictObject({
        name: label('Secret name').default('authentik-secrets'),
        secretKey: secretKeyName.default('secret_key'),
        bootstrapPassword: secretKeyName.default('bootstrap_password'),
      })
      .prefault({}),
    /**
     * The PostgreSQL password, in a Secret of its own: the bundled PostgreSQL mounts its whole
     * existingSecret, so sharing Authentik's Secret would hand it every other key too.
     */
    postgresqlSecret: z
      .strictObject({
        name: label('Secret name').default('authentik-postgresql'),
        key: secretKeyName.default('password'),
        /**
         * An adopted cluster whose PostgreSQL already reads Authentik's own Secret: true keeps it so,
         * knowingly (PostgreSQL then mounts every key of it). Moving the password to a Secret of its own is the fix.
         * @default unset: sharing is refused
         */
        sharesAuthentikSecret: z.literal(true).optional(),
      })
      .prefault({}),
    outpost: z
      .strictObject({
        /** Manage the embedded outpost's provider list (replaces hand-assigned providers). */
        manageProviders: z.boolean().default(true),
      })
      .prefault({}),
    // A new Authentik is installed by its Application; say existingRelease when one already runs.
    ...valuesLayering(false),
    /** Blueprints kept as they are, each in a ConfigMap of its own (docs/pass-through.md). */
    passThrough: z.array(PassThroughSchema).default([]),
    /** Adoption: names of the shared blueprints, to take over hand-written ones in place. */
    blueprints: z
      .strictObject({
        groups: BlueprintNameSchema.optional(),
        outpost: BlueprintNameSchema.optional(),
        agents: BlueprintNameSchema.optional(),
        retired: BlueprintNameSchema.optional(),
      })
      .prefault({}),
  }),
  argocd: z.strictObject({
    namespace: label('namespace name').default('argocd'),
    project: label('project name'),
    chart: z.strictObject({
      version: z.string().regex(SEMVER, 'is not a chart version (x.y.z)'),
      releaseName: label('release name').default('argocd'),
    }),
    defaultRole: z.enum(['role:admin', 'role:readonly', '']).default('role:readonly'),
    // ArgoCD always runs before it can sync its own Application, so its release always exists.
    ...valuesLayering(true),
  }),
  gitops: GitOpsSchema.prefault({}),
  git: z.strictObject({
    repoURL: z.string().regex(/^(https:\/\/|ssh:\/\/|git@)\S+$/, 'is not a git repository URL'),
    targetRevision: word.default('main'),
    /** Where dist/ lives inside the repository. */
    path: z
      .string()
      .regex(
        /^(?!.*(^|\/)\.\.?(\/|$))[^/\s]([^\s]*[^/\s])?$/,
        'is not a relative path inside the repository (no leading /, no . or .. segments)',
      )
      .default('dist'),
  }),
  /**
   * Optional: the Authentik Service's address by Cilium LB-IPAM. Left out, the Service requests no
   * address and giving it authentik.loadBalancer.ip is the operator's (manual-operations.yaml says so).
   */
  cilium: z
    .strictObject({
      version: z.string().regex(/^v?\d+\.\d+\.\d+$/, 'is not a Cilium version (x.y.z)'),
      /**
       * Also emit a CiliumLoadBalancerIPPool of authentik.loadBalancer.pool, reserved for the Authentik
       * Service. Leave it off when a pool already covers these blocks: Cilium marks overlapping pools
       * as conflicting and allocates from neither.
       */
      manageIpPool: z.boolean().default(false),
      /** Also emit a CiliumL2AnnouncementPolicy for the Authentik Service on these node interfaces (regexes). */
      l2Interfaces: z
        .array(z.string().min(1, 'must not be empty'))
        .min(1, 'must name at least one interface (omit it to emit no policy)')
        .optional(),
    })
    .optional(),
  /**
   * Optional: the kube-apiserver's OIDC settings as a Talos patch. Left out, no patch is written and
   * configuring the apiserver is the operator's (manual-operations.yaml lists the issuers and claims).
   */
  talos: z
    .strictObject({
      version: z.string().regex(/^v?\d+\.\d+\.\d+$/, 'is not a Talos version (vX.Y.Z)'),
      /** flags: --oidc-* (one issuer); structured: AuthenticationConfiguration (several). */
      apiServerAuth: z.enum(['flags', 'structured']).default('flags'),
      /** When set, also emit the Omni ConfigPatch for this Omni cluster. */
      omniCluster: label('Omni cluster name').optional(),
      /** Adoption: the live Omni ConfigPatch's id (default 150-<omniCluster>-apiserver-oidc). */
      omniPatchId: z
        .string()
        .regex(/^[a-z0-9]([-a-z0-9.]{0,61}[a-z0-9])?$/, 'is not an Omni resource id (lowercase letters, digits, - and .)')
        .optional(),
    })
    .optional(),
  kubernetes: z
    .strictObject({
      usernameClaim: word.default('preferred_username'),
      groupsClaim: word.default('groups'),
      /** Prepended to usernames; "" for none. */
      usernamePrefix: z
        .string()
        .regex(/^[^\s]*$/, 'must not contain whitespace')
        .default('oidc:'),
      /** Prepended to group names in tokens; RBAC subjects use it too. */
      groupsPrefix: z
        .string()
        .regex(/^[^\s]*$/, 'must not contain whitespace')
        .default(''),
    })
    .prefault({}),
  traefik: z
    .strictObject({
      certResolver: word.default('letsencrypt'),
      entryPoints: z.array(word).min(1).default(['websecure']),
    })
    .prefault({}),
  /** How requests reach the services: mode, chains, TLS (README § Edge routes). */
  edge: EdgeSchema,
  grafana: z
    .strictObject({
      /** Deny login when no group maps to a role (instead of Viewer). */
      roleAttributeStrict: z.boolean().default(false),
      /** The ArgoCD Application that runs Grafana and must list dist/values/grafana.yaml in its valueFiles. */
      application: label('Application name').default('grafana'),
      /**
       * Grafana runs as a subchart under this key of the parent chart's values (e.g. `grafana` in
       * victoria-metrics-k8s-stack or kube-prometheus-stack); omit for the standalone grafana chart.
       */
      parentKey: z.string().regex(VALUES_KEY, 'is not a Helm values key (letters, digits and -, like a DNS label)').optional(),
    })
    .prefault({}),
  /** Top group of the hierarchy; every configured group is its child. */
  groupParent: groupName.default('root'),
  groups: z.array(GroupSchema).min(1, 'must list at least one group'),
  services: z.array(ServiceSchema),
  /**
   * Objects this tool did not create, to delete (legacy providers and applications of a
   * hand-written layer): state: absent entries in the retired blueprint.
   */
  retiredObjects: z
    .array(
      z.strictObject({
        /** Authentik blueprint model, e.g. authentik_providers_proxy.proxyprovider. */
        model: z.string().regex(/^[a-z0-9_]+\.[a-z0-9_]+$/, 'is not an Authentik model (<app>.<model>, e.g. authentik_core.application)'),
        /** The fields that find exactly this object, e.g. { name: "Longhorn (legacy)" }. */
        identifiers: z.record(z.string(), z.union([z.string(), z.number().int()])),
      }),
    )
    .default([]),
  /** A domain move in progress (README § Changing domains); omit when none is. */
  migration: MigrationSchema.optional(),
});

/** The config as written (defaults optional). */
export type ClusterConfigInput = z.input<typeof ClusterConfigSchema>;
/** The config after validation, defaults applied. */
export type ClusterConfig = z.output<typeof ClusterConfigSchema>;
export type Group = z.output<typeof GroupSchema>;
export type Service = z.output<typeof ServiceSchema>;
export type SecretKeyRef = z.output<typeof SecretKeyRefSchema>;
export type GitOpsConfig = z.output<typeof GitOpsSchema>;
export type MigrationConfig = z.output<typeof MigrationSchema>;
export type MigrationPhase = MigrationConfig['phase'];
