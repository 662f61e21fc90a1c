// The one typed cluster config. Everything in dist/ is derived from a value of this schema.
// Objects are strict: an unknown field is an error, never silently ignored (docs/field-traps.md#unknown-fields-are-dropped
// shows what silent dropping costs).
import * as z from 'zod';
import { DEFAULT_AUTHENTIK_CHART_VERSION } from '../upstream/authentik-versions';
import { type Describe, UNDESCRIBED, perDescribe } from './describe';
import { edgeSchema, routeSchema } from './edge-schema';

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
const blueprintNameSchema = perDescribe((d) =>
  z.strictObject({
    name: d(displayName(200), "The blueprint's metadata.name: the key Authentik's blueprint instance keeps (never rename it)."),
    configMapName: d(dnsName, 'The ConfigMap that carries the blueprint file.'),
    fileName: d(
      z
        .string()
        .regex(/^[-._a-zA-Z0-9]+\.yaml$/, 'must be a file name ending in .yaml (Authentik only reads *.yaml)')
        .optional(),
      "The file's key in the ConfigMap; ends in .yaml, the only files Authentik reads. Default: <configMapName>.yaml.",
    ),
  }),
);

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
const passThroughSchema = perDescribe((d) =>
  z.strictObject({
    /** The blueprint file, relative to the repository root (outside a git repository: to the config file's directory). */
    file: d(repoFile, "The blueprint file, relative to the repository root (outside a git repository: to the config file's directory)."),
    configMapName: d(dnsName.optional(), "The ConfigMap that carries it. Default: authentik-passthrough-<the file's name as a DNS label>."),
  }),
);

/** An application's identity in Authentik, to adopt a live one (default: the service's slug and name). */
const applicationIdentitySchema = perDescribe((d) =>
  z.strictObject({
    slug: d(label('slug').optional(), "The live application's slug (also its issuer path /application/o/<slug>/)."),
    name: d(
      authentikName().optional(),
      "The live application's display name: free text as in Authentik (Application.name, not unique; docs/names.md).",
    ),
  }),
);

/** A reference to one key of a Kubernetes Secret. Secrets are referenced, never inlined. */
const secretKeyRefSchema = perDescribe((d) =>
  z.strictObject({
    namespace: d(label('namespace name'), "The Secret's namespace."),
    name: d(label('Secret name'), "The Secret's name."),
    key: d(secretKeyName, 'The data key holding the value.'),
  }),
);

const groupSchema = perDescribe((d) =>
  z.strictObject({
    name: d(groupName, 'Authentik group name, free text as in Authentik (docs/names.md); also the value of the groups claim.'),
    // A blueprint finds a parent only once it is applied, so parents come earlier in the list.
    parents: d(
      z.array(groupName).min(1, 'must name at least one group (omit it for groupParent)').optional(),
      'The groups this one is a child of (several allowed), each groupParent or a group listed earlier. Default: [groupParent].',
    ),
    superuser: d(z.boolean().default(false), 'Members are Authentik superusers (the admin interface).'),
    members: d(
      z.enum(['people', 'agents']).default('people'),
      'Who is put in this group: people sign in; agents are service accounts (services[].agent).',
    ),
    kubernetes: d(label('ClusterRole name').optional(), 'The ClusterRole bound to this group (a ClusterRoleBinding); omit for none.'),
    // Custom ArgoCD roles would need policy lines of their own, which are not generated.
    argocd: d(
      z.enum(['role:admin', 'role:readonly']).optional(),
      'ArgoCD built-in role (policy.csv); omit for none, then argocd.defaultRole applies.',
    ),
    grafana: d(
      z.enum(['GrafanaAdmin', 'Admin', 'Editor', 'Viewer']).optional(),
      'Grafana organisation role; omit to fall through to the next group.',
    ),
    retired: d(
      z.boolean().default(false),
      'The groups blueprint deletes the group (and its bindings); remove the entry once Authentik applied that.',
    ),
    clusterRoleBindingName: d(
      dnsName.optional(),
      "Adoption: the live ClusterRoleBinding's name. Default: authentik-<name>.<ClusterRole> (name in its Kubernetes form).",
    ),
  }),
);

const ROTATION_MARKER = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/, 'is not a rotation marker (letters, digits, . _ -, e.g. 2026-11-30)')
  .optional();
/** Where a described field says more, in one place. */
const SEE_ROTATION = 'change it after rotating the value, so Authentik re-reads it (docs/secrets.md)';

const oidcSchema = perDescribe((d) =>
  z.strictObject({
    consumer: d(
      z.enum(['argocd', 'grafana', 'infisical', 'generic']),
      'Which consumer speaks to this provider; decides the redirect URI and the consumer-side files.',
    ),
    callbackPath: d(
      z
        .string()
        .regex(/^\/[^\s]*$/, 'is not an absolute path')
        .optional(),
      'Callback path on the service host; required for generic, fixed for the others.',
    ),
    // One Authentik issuer serves both the web UI and the CLI, so the CLI cannot have a client of its own.
    cli: d(
      z.boolean().default(false),
      "ArgoCD only: argocd login --sso. Makes ArgoCD's client public with PKCE, shared by web UI and CLI; no client secret then.",
    ),
    clientId: d(label('client id').optional(), "The OAuth2 client id (what finds the live provider). Default: the service's slug."),
    offlineAccess: d(
      z.boolean().default(true),
      "Put offline_access on the provider and in the consumer's scopes, so the consumer gets a refresh token.",
    ),
    accessTokenValidity: d(
      duration.default('hours=1'),
      'Lifetime of access and ID tokens (an Authentik duration, hours=1;minutes=2); the consumer refreshes them.',
    ),
    refreshTokenValidity: d(duration.default('days=30'), 'How long a login lasts without signing in again (only with offlineAccess).'),
    clientSecret: d(secretKeyRefSchema(d).optional(), 'Where the consumer reads the client secret. Default: per consumer kind.'),
    // Authentik reads !Env only when a blueprint's text changes, so the marker is what re-reads a secret.
    clientSecretRotation: d(ROTATION_MARKER, `Marker of the client secret's current value (e.g. the rotation date); ${SEE_ROTATION}.`),
    secretMode: d(
      z.enum(['managed', 'existingSecret']).default('managed'),
      "managed: the blueprint sets the client secret from Authentik's Secret (key <slug>_client_secret); existingSecret: Authentik keeps the secret it generated and you copy it to clientSecret (SECRETS.md shows how; no rotation marker, not with cli).",
    ),
    callbackUrl: d(
      httpUrl.optional(),
      "The consumer's callback in full, replacing https://<host><consumer path>: the one way to an http:// or IP callback.",
    ),
    redirectUris: d(
      z
        .array(
          z.strictObject({
            url: d(z.string().min(1, 'must not be empty'), 'The redirect URI, or a regex in the form of docs/redirect-uris.md.'),
            matching: d(z.enum(['strict', 'regex']).default('strict'), 'How Authentik compares it: exactly, or as a full-match regex.'),
          }),
        )
        .min(1, 'must list at least one redirect URI (omit it for none)')
        .optional(),
      "More redirect URIs next to the consumer's own callback (e.g. ArgoCD's /api/dex/callback).",
    ),
    providerName: d(
      authentikName().optional(),
      'Adoption: the live provider\'s name, free text, unique across all providers (Provider.name). Default: "<name> OIDC".',
    ),
    providerFoundBy: d(
      z.enum(['client_id', 'name']).default('client_id'),
      'Adoption: the field the blueprint finds the provider by. name keeps a live provider a hand-written blueprint finds by its name: the same object, its client_id left as it is unless clientId is set (Provider.name is unique, docs/names.md). Default: client_id.',
    ),
    application: d(
      applicationIdentitySchema(d).optional(),
      "Adoption: the live application's identity. Default: the service's slug and name.",
    ),
    blueprint: d(
      blueprintNameSchema(d).optional(),
      'Adoption: a blueprint file of its own. Default: one of the 16 shared OIDC shards (docs/oidc-shards.md).',
    ),
  }),
);

const forwardAuthSchema = perDescribe((d) =>
  z.strictObject({
    upstream: d(
      httpUrl.optional(),
      'The address the edge Traefik (outside the cluster) forwards to after auth, e.g. the backend LB IP (traefik-file mode; shorthand for one route at /). Give routes instead for more.',
    ),
    sessionValidity: d(duration.default('hours=24'), "How long the outpost's session lasts (the proxy provider's access_token_validity)."),
    providerName: d(
      authentikName().optional(),
      'Adoption: the live proxy provider\'s name, which is what finds it; free text, unique across all providers (Provider.name). Default: "<slug> forward auth".',
    ),
    application: d(
      applicationIdentitySchema(d).optional(),
      "Adoption: the live application's identity. Default: the service's slug and name, or <slug>-forward-auth beside oidc.",
    ),
    blueprint: d(
      blueprintNameSchema(d).optional(),
      'An adopted blueprint file; forward-auth services naming the same one share it, in config order. Default: the shared proxy-providers file.',
    ),
  }),
);

const kubectlSchema = perDescribe((d) =>
  z.strictObject({
    accessTokenValidity: d(
      duration.default('minutes=15'),
      'Lifetime of the ID token kubectl sends; kubelogin refreshes it with the refresh token.',
    ),
    refreshTokenValidity: d(duration.default('hours=12'), 'How long a person stays signed in at kubectl before the browser opens again.'),
  }),
);

const agentSchema = perDescribe((d) =>
  z.strictObject({
    group: d(groupName, 'The group whose Kubernetes role the agent gets; its service account is made a member.'),
    serviceAccount: d(
      label('username').optional(),
      "The Authentik service account the agent's tokens are issued for. Default: the service's slug.",
    ),
    accessTokenValidity: d(duration.default('hours=8'), "Lifetime of the agent's tokens."),
    appPasswordRotation: d(ROTATION_MARKER, `Marker of the app password's current value; ${SEE_ROTATION}.`),
  }),
);

const publicSchema = perDescribe((d) =>
  z.strictObject({
    upstream: d(
      httpUrl.optional(),
      'Routed by the edge with no authentication (traefik-file mode; shorthand for one route at /). Give routes instead for more.',
    ),
  }),
);

const serviceSchema = perDescribe((d) =>
  z.strictObject({
    slug: d(label('slug'), 'Authentik application slug (a DNS label); also the default client id and the issuer path.'),
    name: d(
      authentikName(),
      "The application's display name (Authentik, ACCESS.md): free text as in Authentik (Application.name, not unique; docs/names.md).",
    ),
    host: d(dnsName.optional(), 'The host the service is reached at (none for kubectl and agent services).'),
    // Open access is never a default: an application with no binding admits everyone.
    allowedGroups: d(
      z
        .union([z.literal('any'), z.array(groupName).min(1, 'must name at least one group (or be "any")')], {
          error: 'must be a list of group names or "any"',
        })
        .optional(),
      'Who may open it: a list of groups, or any (every authenticated user, on purpose). Required for oidc and forwardAuth; for kubectl it limits who may sign in (left out: any) (docs/access.md).',
    ),
    retired: d(
      z.boolean().default(false),
      'Emit state: absent tombstones so Authentik deletes what it created; remove the entry once applied.',
    ),
    oidc: d(oidcSchema(d).optional(), 'A native OIDC client: provider, application, access policy and the consumer side.'),
    forwardAuth: d(forwardAuthSchema(d).optional(), 'Forward auth at the edge through the embedded outpost (a proxy provider).'),
    agent: d(agentSchema(d).optional(), 'A machine client: client credentials through a service account in a group (docs/access.md).'),
    public: d(publicSchema(d).optional(), 'Routed at the edge with no authentication (listed as public in ACCESS.md).'),
    kubectl: d(kubectlSchema(d).optional(), 'People at kubectl: a public (PKCE) client for kubelogin, trusted by the apiserver.'),
    routes: d(
      z.array(routeSchema(d)).min(1, 'must list at least one route (omit it for none)').optional(),
      "The host's edge routes, split by path (docs/edge.md); no two share host and path. An oidc service without routes gets none.",
    ),
  }),
);

/** The Authentik URL's form (https, no port, no path), shared by authentik.url and the migration. */
const AUTHENTIK_URL = z.string().regex(/^https:\/\/[^/\s:]+\/?$/, 'must be an https:// URL with no port and no path');

/**
 * Moving the auth layer to a new domain in three phases (docs/changing-domains.md). The config's
 * own `authentik.url` and `services[].host` are the destination; this block says where they come
 * from and how far the move is.
 */
export const MIGRATION_PHASES = ['overlap', 'cutover', 'done'] as const;
const migrationSchema = perDescribe((d) =>
  z.strictObject({
    phase: d(
      z.enum(MIGRATION_PHASES),
      'overlap: both hosts work, clients still use the old one; cutover: clients move to the new one; done: the old one is retired.',
    ),
    authentik: d(
      z
        .strictObject({
          from: d(AUTHENTIK_URL, "Authentik's old URL."),
          to: d(AUTHENTIK_URL, "Authentik's new URL: authentik.url."),
        })
        .optional(),
      "Authentik's own move, when it moves.",
    ),
    hosts: d(
      z
        .array(
          z.strictObject({
            from: d(dnsName, 'The old host.'),
            to: d(dnsName, "The new host: a configured service's host."),
          }),
        )
        .default([]),
      'Service hosts that move.',
    ),
  }),
);

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
const valuesLayering = (d: Describe, existingReleaseDefault: boolean) => ({
  valueFiles: d(
    z.array(repoValuesFile).optional(),
    "Your own values files for the chart, paths in git.repoURL outside git.path, in Helm's order (docs/values-layering.md).",
  ),
  valuesOrder: d(
    z.enum(['operatorFirst', 'generatedFirst']).optional(),
    'Only with valueFiles. operatorFirst (the default): the generated auth keys win; generatedFirst: your keys win.',
  ),
  existingRelease: d(
    z.boolean().default(existingReleaseDefault),
    'The Application takes over a release that already runs: then valueFiles must name its values files, or noValueFiles be true.',
  ),
  noValueFiles: d(
    z.boolean().optional(),
    'Acknowledges that the running release has no values files of its own; only with existingRelease, never with valueFiles.',
  ),
});

/**
 * Which GitOps engine syncs the output (docs/flux.md): ArgoCD Applications, or Flux Kustomizations
 * and a HelmRelease. The blueprints and consumer configs are the same for both.
 */
export const GITOPS_ENGINES = ['argocd', 'flux'] as const;
/** How the layer's Secrets come to exist (docs/secrets.md). */
const secretsSchema = perDescribe((d) =>
  z.strictObject({
    /**
     * sops: every Secret is a SOPS file applied by hand (manual-operations.yaml). external-secrets: the
     * External Secrets Operator (v0.16 or later) generates each value once in the cluster and copies
     * the client secrets into their consumers' namespaces.
     * @default sops
     */
    mode: d(
      z.enum(['sops', 'external-secrets']).default('sops'),
      "sops: every Secret is a SOPS file applied by hand (manual-operations.yaml). external-secrets: the External Secrets Operator (v0.16 or later) generates each value once in the cluster and copies the client secrets into their consumers' namespaces. Default: sops.",
    ),
    /**
     * external-secrets: the namespaces ESO may copy a client secret into. Each gets a SecretStore of
     * the Kubernetes provider, and a Role in the Authentik namespace that may only get the Secrets its
     * copies read; a consumer namespace not listed here is refused.
     */
    consumerNamespaces: d(
      z.array(label('namespace name')).default([]),
      'external-secrets: the namespaces ESO may copy a client secret into; each gets a SecretStore and a Role in the Authentik namespace limited to the Secrets its copies read. A consumer namespace not listed is refused.',
    ),
    /** external-secrets: raise by one to rotate every client secret and agent app password at once. */
    generation: d(
      z.number().int().min(0, 'must be 0 or more').default(0),
      'external-secrets: raise by one to rotate every client secret and agent app password at once. Default: 0.',
    ),
    /** external-secrets: a rotation counter per service slug (its client secret or app password), added to generation. */
    rotate: d(
      z.record(label('slug'), z.number().int().min(0, 'must be 0 or more')).default({}),
      'external-secrets: a rotation counter per service slug (its client secret or app password), added to generation.',
    ),
    /**
     * external-secrets on a cluster that ran in sops mode: generation 0 of every value is the one the
     * SOPS Secrets already hold (read in place, no generator); a rotation then generates the next one.
     * @default false
     */
    adoptSops: d(
      z.boolean().default(false),
      'external-secrets on a cluster that ran in sops mode: generation 0 of every value is the one the SOPS Secrets already hold (read in place, no generator); a rotation then generates the next one. Default: false.',
    ),
  }),
);

const gitOpsSchema = perDescribe((d) =>
  z.strictObject({
    engine: d(
      z.enum(GITOPS_ENGINES).default('argocd'),
      'What syncs the output: ArgoCD Applications, or Flux Kustomizations and a HelmRelease (docs/flux.md).',
    ),
    handoverTo: d(
      z.enum(GITOPS_ENGINES).optional(),
      "Phase 1 of switching engines (docs/flux.md#switching-engines): the engine the output is about to be handed to. The current engine's objects are released so that removing them later leaves Authentik running: ArgoCD's Applications lose the resources finalizer; Flux's Kustomizations orphan on deletion and the HelmRelease is suspended. Phase 2 is gitops.engine set to it.",
    ),
    /** Flux only: where its objects live and what they read. */
    flux: d(
      z
        .strictObject({
          namespace: d(
            label('namespace name').default('flux-system'),
            'The namespace of the Kustomizations and of the GitRepository they read.',
          ),
          gitRepository: d(
            label('GitRepository name').default('flux-system'),
            'The GitRepository holding git.repoURL (flux bootstrap names it flux-system).',
          ),
          valuesFrom: d(
            z
              .array(
                z.strictObject({
                  kind: d(z.enum(['ConfigMap', 'Secret']), 'What holds the values.'),
                  name: d(label('ConfigMap or Secret name'), 'Its name, in the Authentik namespace.'),
                  valuesKey: d(
                    z
                      .string()
                      .regex(/^[-._a-zA-Z0-9]{1,253}$/, 'is not a ConfigMap/Secret data key')
                      .default('values.yaml'),
                    'The data key holding the YAML values.',
                  ),
                }),
              )
              .optional(),
            "Your own Authentik values (Flux valuesFrom), merged with the generated ConfigMap in authentik.valuesOrder's order.",
          ),
        })
        .optional(),
      'Flux only: where its objects live and what they read; an error with the argocd engine.',
    ),
  }),
);

// The blocks of the cluster config, each a function of how to describe it (./describe.ts).
const authentikChartSchema = (d: Describe) =>
  z
    .strictObject({
      version: d(
        z.string().regex(SEMVER, 'is not a chart version (x.y.z)').default(DEFAULT_AUTHENTIK_CHART_VERSION),
        'The authentik chart release (= the Authentik release), one of the supported minors; a release with a known defect for what the config uses is refused (docs/upgrades.md).',
      ),
      releaseName: d(label('release name').default('authentik'), 'The Helm release; the LoadBalancer Service is <releaseName>-server-lb.'),
    })
    .prefault({});

const loadBalancerSchema = (d: Describe) =>
  z.strictObject({
    ip: d(z.string().regex(IPV4, 'is not an IPv4 address'), "The Service's LB-IPAM address; must lie in pool."),
    pool: d(
      z.array(z.string().regex(CIDR4, 'is not an IPv4 CIDR')).min(1),
      'The CiliumLoadBalancerIPPool CIDR blocks the address comes from.',
    ),
    httpPort: d(port.default(9000), "The Service's HTTP port (target port http)."),
    httpsPort: d(port.default(9443), "The Service's HTTPS port (target port https)."),
  });

const authentikSecretSchema = (d: Describe) =>
  z
    .strictObject({
      name: d(label('Secret name').default('authentik-secrets'), "The Secret's name."),
      secretKey: d(secretKeyName.default('secret_key'), "The key holding Authentik's secret key."),
      bootstrapPassword: d(secretKeyName.default('bootstrap_password'), 'The key holding the bootstrap password.'),
    })
    .prefault({});

const postgresqlSecretSchema = (d: Describe) =>
  z
    .strictObject({
      name: d(label('Secret name').default('authentik-postgresql'), "The Secret's name."),
      key: d(secretKeyName.default('password'), 'The key holding the password.'),
      sharesAuthentikSecret: d(
        z.literal(true).optional(),
        "Adoption: PostgreSQL already reads Authentik's own Secret and keeps doing so, knowingly (it mounts every key). Unset: sharing is refused.",
      ),
    })
    .prefault({});

const outpostSchema = (d: Describe) =>
  z
    .strictObject({
      manageProviders: d(
        z.boolean().default(true),
        "Set the embedded outpost's provider list to the forward-auth providers (replaces hand-assigned ones).",
      ),
    })
    .prefault({});

const sharedBlueprintsSchema = (d: Describe) =>
  z
    .strictObject({
      groups: d(blueprintNameSchema(d).optional(), 'The groups blueprint. Default: unified-auth-groups.'),
      outpost: d(
        blueprintNameSchema(d).optional(),
        'The embedded outpost blueprint (then a file of its own). Default: unified-auth-embedded-outpost.',
      ),
      agents: d(blueprintNameSchema(d).optional(), 'The agents blueprint. Default: unified-auth-agent-auth.'),
      retired: d(blueprintNameSchema(d).optional(), 'The tombstones blueprint. Default: unified-auth-retired.'),
    })
    .prefault({});

const clusterSchema = (d: Describe) =>
  z.strictObject({
    name: d(label('cluster name'), "The cluster's name (a DNS label; also the kubeconfigs' cluster name)."),
    domain: d(dnsName, 'The base domain, shown in the docs.'),
  });

const authentikSchema = (d: Describe) =>
  z.strictObject({
    // No port: the edge Traefik routes Host(`<host>`) on its TLS entry point.
    url: d(
      AUTHENTIK_URL,
      "Authentik's external URL, https:// only, no port or path: issuers, redirects and AUTHENTIK_HOST derive from it.",
    ),
    namespace: d(label('namespace name').default('authentik'), "Authentik's namespace."),
    chart: d(authentikChartSchema(d), 'The authentik Helm chart.'),
    loadBalancer: d(loadBalancerSchema(d), "Authentik's LoadBalancer Service."),
    secret: d(authentikSecretSchema(d), "Authentik's out-of-band Secret (from SOPS, applied by hand) in its namespace."),
    // The bundled PostgreSQL mounts its whole existingSecret: sharing Authentik's would hand it every key.
    postgresqlSecret: d(postgresqlSecretSchema(d), "PostgreSQL's password, in a Secret of its own."),
    outpost: d(outpostSchema(d), "Authentik's embedded outpost."),
    // A new Authentik is installed by its Application; say existingRelease when one already runs.
    ...valuesLayering(d, false),
    passThrough: d(
      z.array(passThroughSchema(d)).default([]),
      'Blueprints kept as they are (flows, stages, policies, other providers, users, brands, sources), each byte for byte in a ConfigMap of its own (docs/pass-through.md).',
    ),
    blueprints: d(sharedBlueprintsSchema(d), 'Adoption: the shared blueprints, named as hand-written ones to take over in place.'),
  });

const argocdSchema = (d: Describe) =>
  z.strictObject({
    namespace: d(label('namespace name').default('argocd'), "ArgoCD's namespace; every generated Application lives there."),
    project: d(label('project name'), 'The ArgoCD project of every Application.'),
    chart: d(
      z.strictObject({
        version: d(z.string().regex(SEMVER, 'is not a chart version (x.y.z)'), 'The argo-helm argo-cd chart version (7.0 or newer).'),
        releaseName: d(label('release name').default('argocd'), 'The Helm release.'),
      }),
      'The argo-cd Helm chart ArgoCD runs from.',
    ),
    defaultRole: d(
      z.enum(['role:admin', 'role:readonly', '']).default('role:readonly'),
      "policy.default: the role of a user in no mapped group; '' for none.",
    ),
    // ArgoCD always runs before it can sync its own Application, so its release always exists.
    ...valuesLayering(d, true),
  });

const gitSchema = (d: Describe) =>
  z.strictObject({
    repoURL: d(
      z.string().regex(/^(https:\/\/|ssh:\/\/|git@)\S+$/, 'is not a git repository URL'),
      'The repository the GitOps engine syncs.',
    ),
    targetRevision: d(word.default('main'), 'The branch or revision it syncs.'),
    path: d(
      z
        .string()
        .regex(
          /^(?!.*(^|\/)\.\.?(\/|$))[^/\s]([^\s]*[^/\s])?$/,
          'is not a relative path inside the repository (no leading /, no . or .. segments)',
        )
        .default('dist'),
      'Where the output sits in the repository. Default: where --out is in it (an error when they disagree; --out outside a repository needs it set) (docs/getting-started.md).',
    ),
  });

const ciliumSchema = (d: Describe) =>
  z
    .strictObject({
      version: d(
        z.string().regex(/^v?\d+\.\d+\.\d+$/, 'is not a Cilium version (x.y.z)'),
        'Decides the LB-IPAM annotation: lbipam.cilium.io/ips (1.16 and later) or io.cilium/lb-ipam-ips (1.13 to 1.15).',
      ),
      // Cilium marks overlapping pools as conflicting and allocates from neither.
      manageIpPool: d(
        z.boolean().default(false),
        'Also emit a CiliumLoadBalancerIPPool of authentik.loadBalancer.pool; leave off when a pool already covers those blocks.',
      ),
      l2Interfaces: d(
        z.array(z.string().min(1, 'must not be empty')).min(1, 'must name at least one interface (omit it to emit no policy)').optional(),
        'Also emit a CiliumL2AnnouncementPolicy for the Authentik Service on these node interfaces (regexes; Cilium 1.14 and later).',
      ),
    })
    .optional();

const talosSchema = (d: Describe) =>
  z
    .strictObject({
      version: d(
        z.string().regex(/^v?\d+\.\d+\.\d+$/, 'is not a Talos version (vX.Y.Z)'),
        'Decides the form of the apiserver patch (docs/access.md).',
      ),
      apiServerAuth: d(
        z.enum(['flags', 'structured']).default('flags'),
        'flags: --oidc-* (one issuer and client id); structured: an AuthenticationConfiguration (several: agents and people).',
      ),
      omniCluster: d(label('Omni cluster name').optional(), 'Also emit the Omni ConfigPatch for this Omni cluster.'),
      omniPatchId: d(
        z
          .string()
          .regex(/^[a-z0-9]([-a-z0-9.]{0,61}[a-z0-9])?$/, 'is not an Omni resource id (lowercase letters, digits, - and .)')
          .optional(),
        "Adoption: the live Omni ConfigPatch's id. Default: 150-<omniCluster>-apiserver-oidc.",
      ),
    })
    .optional();

const kubernetesSchema = (d: Describe) =>
  z
    .strictObject({
      usernameClaim: d(word.default('preferred_username'), 'The token claim the apiserver takes the username from.'),
      groupsClaim: d(word.default('groups'), 'The token claim the apiserver takes the groups from.'),
      usernamePrefix: d(
        z
          .string()
          .regex(/^[^\s]*$/, 'must not contain whitespace')
          .default('oidc:'),
        "Prepended to usernames by the apiserver; '' for none.",
      ),
      groupsPrefix: d(
        z
          .string()
          .regex(/^[^\s]*$/, 'must not contain whitespace')
          .default(''),
        'Prepended to group names by the apiserver; RBAC subjects use it too.',
      ),
    })
    .prefault({});

const traefikSchema = (d: Describe) =>
  z
    .strictObject({
      certResolver: d(word.default('letsencrypt'), 'The cert resolver of every route, unless edge.tls says otherwise.'),
      entryPoints: d(z.array(word).min(1).default(['websecure']), 'The entry points of the edge routers.'),
    })
    .prefault({});

const grafanaSchema = (d: Describe) =>
  z
    .strictObject({
      roleAttributeStrict: d(z.boolean().default(false), 'Deny Grafana login when no group maps to a role (instead of Viewer).'),
      application: d(
        label('Application name').default('grafana'),
        'The ArgoCD Application that runs Grafana and must list dist/values/grafana.yaml in its valueFiles.',
      ),
      parentKey: d(
        z.string().regex(VALUES_KEY, 'is not a Helm values key (letters, digits and -, like a DNS label)').optional(),
        "Grafana is a subchart under this key of its parent chart's values (grafana in kube-prometheus-stack); omit for the grafana chart.",
      ),
    })
    .prefault({});

const retiredObjectsSchema = (d: Describe) =>
  z
    .array(
      z.strictObject({
        model: d(
          z.string().regex(/^[a-z0-9_]+\.[a-z0-9_]+$/, 'is not an Authentik model (<app>.<model>, e.g. authentik_core.application)'),
          'The Authentik blueprint model, e.g. authentik_providers_proxy.proxyprovider.',
        ),
        identifiers: d(
          z.record(z.string(), z.union([z.string(), z.number().int()])),
          'The fields that find exactly this object, e.g. { name: "Longhorn (legacy)" }.',
        ),
      }),
    )
    .default([]);

const verifySchema = (d: Describe) =>
  z
    .strictObject({
      postSyncHook: d(
        z
          .strictObject({
            enabled: d(
              z.boolean().default(false),
              'An ArgoCD PostSync hook Job in authentik-extras that runs the blueprint-status check after each sync and fails the sync when a blueprint did not apply (docs/verify.md#the-in-cluster-hook). Default: false (no Job, no ConfigMap).',
            ),
            tokenSecret: d(
              z
                .strictObject({
                  name: d(label('Secret name').default('authentik-verify-token'), 'The Secret name. Default: authentik-verify-token.'),
                  key: d(secretKeyName.default('token'), 'The key holding the token. Default: token.'),
                })
                .prefault({}),
              "The Secret the operator creates in Authentik's namespace with an API token (manual-operations.yaml says how).",
            ),
            waitSeconds: d(
              z.number().int().min(30, 'must be at least 30 seconds').max(3600, 'must be at most 3600 seconds').default(600),
              'How long the check waits for the worker to apply the synced blueprints before it fails, in seconds. Default: 600.',
            ),
          })
          .prefault({}),
        'The opt-in in-cluster check after each ArgoCD sync (docs/verify.md#the-in-cluster-hook).',
      ),
    })
    .prefault({});

/** The cluster config, described as `d` says (./describe.ts). */
export const clusterConfigSchema = perDescribe((d) =>
  z.strictObject({
    cluster: d(clusterSchema(d), 'Which cluster this is.'),
    authentik: d(authentikSchema(d), 'Authentik: its URL, chart, Service, Secrets, values and shared blueprints.'),
    argocd: d(argocdSchema(d), 'ArgoCD: where it runs, its chart and values, and its RBAC default.'),
    gitops: d(gitOpsSchema(d).prefault({}), 'The GitOps engine that syncs the output.'),
    secrets: d(
      secretsSchema(d).prefault({}),
      'Where the random Secrets come from: SOPS by hand (default) or generated in the cluster by the External Secrets Operator (docs/secrets.md).',
    ),
    git: d(gitSchema(d), 'Where the output is committed.'),
    /**
     * Optional: the Authentik Service's address by Cilium LB-IPAM. Left out, the Service requests no
     * address and giving it authentik.loadBalancer.ip is the operator's (manual-operations.yaml says so).
     */
    cilium: d(
      ciliumSchema(d),
      "Optional: Cilium LB-IPAM gives the Authentik Service its address. Left out, the Service requests none (manual-operations.yaml says what's left).",
    ),
    /**
     * Optional: the kube-apiserver's OIDC settings as a Talos patch. Left out, no patch is written and
     * configuring the apiserver is the operator's (manual-operations.yaml lists the issuers and claims).
     */
    talos: d(
      talosSchema(d),
      "Optional: the apiserver's OIDC settings as a Talos patch. Left out, none is written (manual-operations.yaml lists the issuers).",
    ),
    kubernetes: d(kubernetesSchema(d), 'How the apiserver reads OIDC tokens.'),
    traefik: d(traefikSchema(d), 'The edge Traefik.'),
    edge: d(edgeSchema(d), 'How requests reach the services: mode, chains, TLS (docs/edge.md).'),
    grafana: d(grafanaSchema(d), "Grafana's OIDC consumer side."),
    groupParent: d(groupName.default('root'), 'Top group of the hierarchy; every configured group is its child.'),
    groups: d(z.array(groupSchema(d)).min(1, 'must list at least one group'), 'The group hierarchy, and what each group may do.'),
    services: d(z.array(serviceSchema(d)), 'What people and agents sign in to; each has one pattern, or oidc and forwardAuth on one host.'),
    retiredObjects: d(
      retiredObjectsSchema(d),
      'Objects this tool did not create, to delete: state: absent entries in the retired blueprint (docs/adopting.md).',
    ),
    migration: d(migrationSchema(d).optional(), 'A domain move in progress (docs/changing-domains.md); omit when none is.'),
    verify: d(verifySchema(d), 'Checking the live Authentik against the output (docs/verify.md).'),
  }),
);

/** The schema synth validates a config with: no descriptions, otherwise the documented one. */
export const ClusterConfigSchema = clusterConfigSchema(UNDESCRIBED);

/** The config as written (defaults optional). */
export type ClusterConfigInput = z.input<typeof ClusterConfigSchema>;
/** The config after validation, defaults applied. */
export type ClusterConfig = z.output<typeof ClusterConfigSchema>;
export type Group = z.output<ReturnType<typeof groupSchema>>;
export type Service = z.output<ReturnType<typeof serviceSchema>>;
export type SecretKeyRef = z.output<ReturnType<typeof secretKeyRefSchema>>;
export type GitOpsConfig = z.output<ReturnType<typeof gitOpsSchema>>;
export type SecretsConfig = z.output<ReturnType<typeof secretsSchema>>;
export type MigrationConfig = z.output<ReturnType<typeof migrationSchema>>;
export type MigrationPhase = MigrationConfig['phase'];
