// dist/docs/manual-operations.yaml: only what truly stays manual, in the runbook shape
// (id, layer, app, when, why_manual, commands, verify, status). Everything else is synced.
// A fresh synth knows nothing of the cluster's state, so one-time steps start as `pending`;
// the operator's tracker records `done`.
import type { FluxModel } from '../model/derivers/gitops';
import { confidentialApps, secretOf, type AuthModel, type ConfidentialApp } from '../model/derive';
import { agentContext } from '../consumers/kubeconfig';
import { yamlFile } from '../base/file-text';
import { secretInventory, type SecretDoc } from './secrets';
import { OUTPUT, repoPath } from '../base/paths';
import type { Blueprint } from '../upstream/blueprint-types';
import { blueprintMountPath } from '../blueprints/build';
import { edgeManualOperations } from './edge-manual-operations';
import { controlPlaneRollout } from './control-plane-rollout';
import { migrationOperations } from './migration-runbook';
import { placeOf } from '../model/derivers/secrets';
import { engineWords } from './engine-words';

/**
 * The runbook's `layer` label: which part of the platform an entry belongs to. The name of the
 * layer, not a cluster-specific number, so it means the same on every cluster.
 */
export const LAYER = 'unified-auth';

export type ManualStatus = 'pending' | 'done' | 'n/a';

export interface ManualOperation {
  id: string;
  layer: string;
  app: string;
  when: string;
  why_manual: string;
  commands: string[];
  verify: string[];
  status: ManualStatus;
}

/** What every rule reads: the model, the blueprints, and the few phrasings entries share. */
export interface OperationContext {
  readonly m: AuthModel;
  readonly blueprints: ReadonlyArray<Blueprint>;
  /** sops mode: Secrets and rotations are runbooks; external-secrets mode: ESO's (docs/secrets.md). */
  readonly sops: boolean;
  /** A path of the output as the repository has it. */
  readonly dist: (p: string) => string;
  /** The shell command that prints one value of the Authentik namespace (its generation's Secret in external-secrets mode). */
  readonly akData: (key: string) => string;
}

/** One kind of operation: the entries it contributes, in the runbook's order. */
export type OperationRule = (ctx: OperationContext) => ManualOperation[];

// The filled-in copy the agent uses (dist/ holds only the template).
const agentKubeconfig = (slug: string) => `<kubeconfig of ${slug}>`;
const agentOpId = (slug: string) => `agent-credentials-${slug}`;

/**
 * Every kind of manual operation, in the runbook's order; a new kind is one more row. A domain
 * move's phase runbook comes first: it orders the other steps while it lasts.
 */
export const OPERATIONS: ReadonlyArray<OperationRule> = [
  ({ m, blueprints }) => migrationOperations(m, m.migration, LAYER, blueprints),
  createSecrets,
  ({ m }) => [m.gitops.engine === 'flux' ? rootKustomization(m, m.gitops.flux) : rootApplication(m)],
  ({ m }) => (m.verifyHook ? [verifyHookToken(m, m.verifyHook)] : []),
  ({ m }) => (m.authentik.loadBalancer.annotation ? [] : [loadBalancerAddress(m)]),
  ({ m }) => (m.apiserverIssuers.length && !m.talos ? [apiserverOidc(m)] : []),
  talosPatch,
  peopleKubeconfigs,
  agentCredentials,
  ({ m }) => edgeManualOperations(m, LAYER),
  ({ m, akData }) => m.oidcApps.flatMap((app) => consumerWiring(m, app, akData)),
  clientSecretRotations,
  appPasswordRotations,
];

function context(m: AuthModel, blueprints: ReadonlyArray<Blueprint>): OperationContext {
  const ak = m.authentik;
  return {
    m,
    blueprints,
    sops: m.secrets.mode === 'sops',
    dist: (p) => repoPath(m.git.path, p),
    akData: (key) => {
      const at = placeOf(m.secrets, { secret: ak.secret.name, key });
      return `kubectl -n ${ak.namespace} get secret ${at.secret} -o jsonpath='{.data.${at.key}}' | base64 -d`;
    },
  };
}

export function manualOperations(m: AuthModel, blueprints: ReadonlyArray<Blueprint> = []): ManualOperation[] {
  const ctx = context(m, blueprints);
  return OPERATIONS.flatMap((rule) => rule(ctx));
}

/** sops mode: each Secret is a SOPS file applied by hand (external-secrets mode: ESO makes them). */
function createSecrets({ m, sops }: OperationContext): ManualOperation[] {
  if (!sops) return [];
  return secretInventory(m).map((s) => ({
    id: `create-secret-${s.namespace}-${s.name}`,
    layer: LAYER,
    app: s.app,
    when: `before the first ${engineWords(m).sync} of ${s.app}; again whenever ${s.sopsFile} changes`,
    why_manual: `SOPS-encrypted Secrets are applied out-of-band and never ${engineWords(m).applied} by ${engineWords(m).name}: the decryption key stays off the cluster.`,
    commands: [s.applyCommand],
    verify: [
      // describe lists key names and sizes, never values.
      `kubectl -n ${s.namespace} describe secret ${s.name}  # keys: ${s.keys.map((k) => k.key).join(', ')}`,
      ...Object.entries(s.labels).map(
        ([k, v]) => `kubectl -n ${s.namespace} get secret ${s.name} -o jsonpath='{.metadata.labels}'  # must include ${k}: ${v}`,
      ),
    ],
    status: 'pending' as const,
  }));
}

function talosPatch({ m, dist }: OperationContext): ManualOperation[] {
  if (!m.apiserverIssuers.length || !m.talos) return [];
  const omni = m.talos.omniPatch;
  const rollout = controlPlaneRollout(m, [
    ...m.agents.map(
      (a) =>
        `kubectl --kubeconfig ${agentKubeconfig(a.slug)} --context ${agentContext(m, a)} auth whoami  # ${a.kubernetesUsername}, groups include ${a.group}`,
    ),
    ...m.kubectlApps.map(
      (k) =>
        `kubectl --kubeconfig <your copy of ${dist(OUTPUT.peopleKubeconfig)}> --context ${k.context} auth whoami  # ${m.kubernetes.usernamePrefix}<your username> and your groups`,
    ),
  ]);
  return [
    {
      id: 'talos-apiserver-oidc',
      layer: LAYER,
      app: 'kube-apiserver',
      when: `after the first synth, and whenever ${dist(OUTPUT.talosPatch)} changes`,
      why_manual:
        `The apiserver OIDC configuration lives in the Talos machine config, which ${engineWords(m).name} cannot apply; applying it restarts kube-apiserver on each control plane it reaches, so control planes get it one at a time with health gates in between (a bad patch on all of them at once takes etcd quorum down). ` +
        (omni
          ? 'Omni replaces the whole ConfigPatch, so switching between the flags and structured forms needs nothing else.'
          : 'talosctl merges patches: when switching between the flags and structured forms, remove the other form’s extraArgs first (the two are mutually exclusive).'),
      commands: rollout.commands,
      verify: rollout.verify,
      status: 'pending',
    },
  ];
}

function peopleKubeconfigs({ m, dist }: OperationContext): ManualOperation[] {
  if (!m.apiserverIssuers.length) return [];
  return m.kubectlApps.map((k) => ({
    id: `people-kubeconfig-${k.slug}`,
    layer: LAYER,
    app: k.slug,
    when: 'once per person who needs kubectl (a member of one of the groups this client admits)',
    why_manual:
      "kubectl runs on each person's machine; the kubeconfig carries no secret (a public client, the browser login decides), but it is copied there by hand.",
    commands: [
      'kubectl krew install oidc-login  # kubelogin, as the kubectl plugin oidc-login',
      `cp ${dist(OUTPUT.peopleKubeconfig)} ~/.kube/${m.clusterName}-people.yaml  # then fill in the server and certificate-authority-data placeholders`,
    ],
    verify: [
      `KUBECONFIG=~/.kube/${m.clusterName}-people.yaml kubectl --context ${k.context} auth whoami  # opens the browser once; then ${m.kubernetes.usernamePrefix}<username>, groups ${k.rbacGroups.join(', ')} as applicable`,
    ],
    status: 'pending' as const,
  }));
}

function agentCredentials({ m, dist, akData, sops }: OperationContext): ManualOperation[] {
  if (!m.apiserverIssuers.length) return [];
  return m.agents.map((a) => ({
    id: agentOpId(a.slug),
    layer: LAYER,
    app: a.slug,
    when: sops
      ? 'when the agent is set up, and after the app password is rotated'
      : `when the agent is set up, and after each rotation (secrets.rotate.${a.slug})`,
    why_manual:
      'The agent runs outside the cluster; its credential (base64 of service account and app password) is handed over by the operator, never committed.',
    commands: [
      `cp ${dist(OUTPUT.kubeconfig)} ${agentKubeconfig(a.slug)}  # then fill in the server and certificate-authority-data placeholders`,
      `APP_PASSWORD="$(${akData(a.tokenSecret.authentikKey)})"`,
      `export ${a.kubeconfigEnvVar}="$(printf '%s:%s' '${a.serviceAccount}' "$APP_PASSWORD" | base64 | tr -d '\\n')"  # in the agent's environment`,
    ],
    verify: [
      `kubectl --kubeconfig ${agentKubeconfig(a.slug)} --context ${agentContext(m, a)} auth whoami  # ${a.kubernetesUsername}, groups include ${a.group}`,
    ],
    status: 'pending' as const,
  }));
}

/** The consumer side this project cannot own: Grafana's Application or HelmRelease, a generic app, Infisical's UI. */
function consumerWiring(m: AuthModel, app: AuthModel['oidcApps'][number], akData: (key: string) => string): ManualOperation[] {
  if (app.consumer === 'generic') return [genericConsumer(app)];
  if (app.consumer === 'grafana') return [m.gitops.engine === 'flux' ? grafanaValuesFlux(m, app) : grafanaValues(m, app)];
  if (app.consumer === 'infisical')
    return [
      {
        id: `infisical-oidc-ui-${app.slug}`,
        layer: LAYER,
        app: app.slug,
        when: 'once, after the Authentik blueprint has created the provider',
        why_manual: 'Infisical has no Helm value for OIDC: its consumer side is configured in its admin UI.',
        commands: [
          `Infisical admin UI -> organization settings -> SSO -> OIDC, discovery URL ${app.discoveryUrl}`,
          `client id ${app.clientId}; callback ${app.consumerCallback}`,
          `client secret: ${akData(secretOf(app).authentikKey)}`,
        ],
        verify: [`log in at ${app.url} through Authentik`],
        status: 'pending',
      },
    ];
  return [];
}

/**
 * Grafana's values file in the operator's own Application: the one line to add, exactly where it
 * goes. Helm merges valueFiles in order, so it goes last, after the Application's own files.
 * `$values/` names the source with `ref: values`, and ArgoCD ignores spec.source once spec.sources
 * is set (ArgoCD docs/user-guide/multiple_sources.md, "Helm value files from external Git repository").
 */
function grafanaValues(m: AuthModel, app: AuthModel['oidcApps'][number]): ManualOperation {
  const g = m.grafana;
  const file = `$values/${dist(m, OUTPUT.grafanaValues)}`;
  return {
    id: `grafana-values-${app.slug}`,
    layer: LAYER,
    app: app.slug,
    when: `once, in the Application ${g.application}, which runs Grafana`,
    why_manual: `Grafana is deployed by the Application ${g.application}, which is yours, not generated here: a second Application for the same release would fight it over every object, and synth never edits files outside ${m.git.path}/. So its helm.valueFiles must list the OIDC values file (${grafanaNesting(g)}).`,
    commands: [
      `in spec.sources of Application ${g.application}, append this line to the chart source's helm.valueFiles, after your own files (Helm merges later files over earlier ones): - ${file}`,
      `the same spec.sources must hold the git source $values names (keep yours if it is there, and write $<its ref>/ instead if it is not called values): {repoURL: ${m.git.repoURL}, targetRevision: ${m.git.targetRevision}, ref: values}; a single-source Application becomes multi-source: move spec.source into spec.sources`,
    ],
    verify: [
      `kubectl -n ${m.argocd.namespace} get application ${g.application} -o jsonpath='{.spec.sources[*].helm.valueFiles}'  # ends with ${file}`,
      `${app.url}/login shows "Sign in with Authentik"`,
    ],
    status: 'pending',
  };
}

/** Where Grafana's chart reads the OIDC values file: under the parent chart's key, or at the top level. */
const grafanaNesting = (g: AuthModel['grafana']): string =>
  g.parentKey
    ? `nested under ${g.parentKey}:, the key its chart passes to the Grafana subchart`
    : 'the standalone grafana chart reads it at the top level';

/**
 * Under Flux, the operator's own HelmRelease runs Grafana, and a HelmRelease reads values only inline
 * or from ConfigMaps and Secrets in its namespace (spec.valuesFrom, merged in list order, later keys
 * winning, inline spec.values over all of them: helm-controller docs/spec/v2/helmreleases.md, "Values
 * references"). So the file becomes a ConfigMap beside the release: kustomize-controller builds
 * without kustomize's load restriction, so a configMapGenerator may name the file in the output.
 */
function grafanaValuesFlux(m: AuthModel, app: AuthModel['oidcApps'][number]): ManualOperation {
  const g = m.grafana;
  const file = dist(m, OUTPUT.grafanaValues);
  // A name of the operator's choosing; the hash suffix is off, as kustomize does not rewrite a HelmRelease's references.
  const cm = 'grafana-unified-auth-values';
  return {
    id: `grafana-values-${app.slug}`,
    layer: LAYER,
    app: app.slug,
    when: `once, in your HelmRelease ${g.application} (grafana.application), which runs Grafana`,
    why_manual: `Grafana is deployed by your HelmRelease ${g.application}, not generated here: a second release of the same chart would fight it over every object, and synth never edits files outside ${m.git.path}/. So that release must take the OIDC values file ${file} (${grafanaNesting(g)}); a HelmRelease reads values only inline or from ConfigMaps and Secrets in its own namespace (spec.valuesFrom), never from a file in git.`,
    commands: [
      `in the kustomization that applies HelmRelease ${g.application}, generate a ConfigMap of the file in the HelmRelease's namespace: configMapGenerator: [{name: ${cm}, files: [values.yaml=<path from that kustomization to ${file}>], options: {disableNameSuffixHash: true}}]`,
      `append to spec.valuesFrom of HelmRelease ${g.application}, after your own entries (Flux merges them in order, later keys winning): - {kind: ConfigMap, name: ${cm}}; keep these keys out of its inline spec.values, which override every valuesFrom entry`,
    ],
    verify: [
      `kubectl get helmrelease -A --field-selector metadata.name=${g.application} -o jsonpath='{.items[*].spec.valuesFrom[*].name}'  # ends with ${cm}`,
      `${app.url}/login shows "Sign in with Authentik"`,
    ],
    status: 'pending',
  };
}

// Rotation (sops mode), one entry per secret, in the only order that works: Authentik reads `!Env`
// when it applies a blueprint, and applies a blueprint only when the file's text changes. So the
// pods must see the new value first (global.env is read at start), then the file must change (the
// rotation marker) or the file be applied by hand.
const restartWorker = (m: AuthModel) => {
  const ak = m.authentik;
  const sel = `app.kubernetes.io/name=${ak.serverSelector['app.kubernetes.io/name']}`;
  return [
    `kubectl -n ${ak.namespace} rollout restart deployment -l ${sel}  # global.env is read only at start`,
    `kubectl -n ${ak.namespace} rollout status deployment -l ${sel} --timeout=10m  # wait until every pod runs with the new value`,
  ];
};

function reapply(m: AuthModel, bp: Blueprint | undefined, marker: string): string[] {
  return [
    `set ${marker} to a new value (e.g. today's date) in the config, review npm run plan (it lists the rotated secret), npm run synth, commit: ${engineWords(m).name} ${engineWords(m).applies} the ConfigMap and the worker re-applies the blueprint at its next discovery (a new file triggers one; otherwise within the hour)`,
    ...(bp
      ? [
          `or, to apply now instead: kubectl -n ${m.authentik.namespace} exec deploy/${m.authentik.releaseName}-worker -- ak apply_blueprint ${blueprintMountPath(bp)}`,
        ]
      : []),
  ];
}

const sopsDocOf = (m: AuthModel, namespace: string, name: string) =>
  secretInventory(m).find((d) => d.namespace === namespace && d.name === name)!;

function clientSecretRotations({ m, blueprints, sops }: OperationContext): ManualOperation[] {
  if (!sops) return [];
  const akSecret = sopsDocOf(m, m.authentik.namespace, m.authentik.secret.name);
  return confidentialApps(m).flatMap((a): ManualOperation[] => {
    const consumer = sopsDocOf(m, a.clientSecret.consumer.namespace, a.clientSecret.consumer.name);
    const consumerSide =
      a.consumer === 'grafana'
        ? [
            `kubectl -n ${consumer.namespace} rollout restart deployment -l app.kubernetes.io/name=grafana  # Grafana reads the env at start`,
          ]
        : a.consumer === 'infisical'
          ? [`enter the new secret in ${a.name}'s admin UI (organization settings -> SSO -> OIDC)`]
          : [];
    if (a.clientSecret.mode === 'existingSecret') return existingSecretCopy(m, a, consumer, consumerSide);
    return [
      {
        id: `rotate-${a.slug}-client-secret`,
        layer: LAYER,
        app: a.slug,
        when: 'on demand (suspected leak, rotation policy); recurring, so it is never pending',
        why_manual: `The value sits in two Secrets (${akSecret.name} key ${a.clientSecret.authentikKey}, ${consumer.namespace}/${consumer.name} key ${a.clientSecret.consumer.key}); Authentik reads it only when it applies the blueprint, and applies a blueprint only when its text changes.`,
        commands: [
          `sops ${akSecret.sopsFile}  # new value under ${a.clientSecret.authentikKey}`,
          `sops ${consumer.sopsFile}  # the same value under ${a.clientSecret.consumer.key}`,
          akSecret.applyCommand,
          consumer.applyCommand,
          ...restartWorker(m),
          ...reapply(
            m,
            blueprints.find((b) => b.name === a.blueprint.name),
            `services[slug=${a.slug}].oidc.clientSecretRotation`,
          ),
          ...consumerSide,
        ],
        verify: [`log in to ${a.url} through Authentik`],
        status: 'n/a',
      },
    ];
  });
}

/** secretMode existingSecret: Authentik generated the secret and keeps it; the operator's copy is the only manual part. */
function existingSecretCopy(m: AuthModel, a: ConfidentialApp, consumer: SecretDoc, consumerSide: string[]): ManualOperation[] {
  const ak = m.authentik;
  const copy = [
    `read the client secret of provider "${a.providerName}" in Authentik (admin interface: Applications -> Providers -> ${a.providerName} -> Edit -> Client Secret; or GET ${ak.url}/api/v3/providers/oauth2/?client_id=${a.clientId}, results[0].client_secret)`,
    `sops ${consumer.sopsFile}  # that value under ${a.clientSecret.consumer.key}`,
    consumer.applyCommand,
    ...consumerSide,
  ];
  return [
    {
      id: `copy-${a.slug}-client-secret`,
      layer: LAYER,
      app: a.slug,
      when: `after the first ${engineWords(m).sync} created the ${a.slug} provider (secretMode existingSecret); again whenever its secret changes in Authentik`,
      why_manual: `Authentik generated the client secret and keeps it (the blueprint sets none); ${a.name} reads a copy from ${consumer.namespace}/${consumer.name} key ${a.clientSecret.consumer.key}. See SECRETS.md.`,
      commands: copy,
      verify: [`log in to ${a.url} through Authentik`],
      status: 'pending',
    },
    {
      id: `rotate-${a.slug}-client-secret`,
      layer: LAYER,
      app: a.slug,
      when: 'on demand (suspected leak, rotation policy); recurring, so it is never pending',
      why_manual: `Authentik holds the secret (secretMode existingSecret): change it there, then copy it again; no blueprint or marker is involved, and later ${engineWords(m).syncs} keep the new value.`,
      commands: [
        `set a new Client Secret on provider "${a.providerName}" (admin interface: Applications -> Providers -> ${a.providerName} -> Edit; e.g. the output of openssl rand -hex 64)`,
        ...copy.slice(1),
      ],
      verify: [`log in to ${a.url} through Authentik`],
      status: 'n/a',
    },
  ];
}

function appPasswordRotations({ m, blueprints, sops }: OperationContext): ManualOperation[] {
  if (!sops) return [];
  const akSecret = sopsDocOf(m, m.authentik.namespace, m.authentik.secret.name);
  return m.agents.map((a) => ({
    id: `rotate-${a.slug}-app-password`,
    layer: LAYER,
    app: a.slug,
    when: 'on demand (suspected leak, rotation policy); recurring, so it is never pending',
    why_manual: `Authentik reads the app password (${akSecret.name} key ${a.tokenSecret.authentikKey}) only when it applies the agents blueprint, and applies it only when its text changes; the agent holds a copy.`,
    commands: [
      `sops ${akSecret.sopsFile}  # new value under ${a.tokenSecret.authentikKey}`,
      akSecret.applyCommand,
      ...restartWorker(m),
      ...reapply(
        m,
        blueprints.find((b) => b.name === m.blueprints.agents.name),
        `services[slug=${a.slug}].agent.appPasswordRotation`,
      ),
      `re-run ${agentOpId(a.slug)} to hand the agent its new ${a.kubeconfigEnvVar}`,
    ],
    verify: [`kubectl --kubeconfig ${agentKubeconfig(a.slug)} --context ${agentContext(m, a)} auth whoami  # ${a.kubernetesUsername}`],
    status: 'n/a' as const,
  }));
}

/** What the first sync needs on the cluster: the SOPS Secrets, or ESO generating them. */
const prerequisite = (m: AuthModel) =>
  m.secrets.mode === 'sops' ? 'the Secrets above exist' : 'the External Secrets Operator (v0.16 or later, external-secrets.io/v1) runs';

/** Name of the app-of-apps that syncs the generated Applications (docs/output.md#how-argocd-consumes-dist). */
export const ROOT_APPLICATION = 'unified-auth';

/** Under Flux (docs/flux.md): the one Kustomization nothing in the output can create, syncing apps/. */
function rootKustomization(m: AuthModel, flux: FluxModel): ManualOperation {
  const ns = flux.namespace;
  return {
    id: 'bootstrap-root-kustomization',
    layer: LAYER,
    app: ROOT_APPLICATION,
    when: `once per cluster: after ${prerequisite(m)} and ${m.repoPaths.apps} is pushed to ${m.git.targetRevision}`,
    why_manual: `Flux applies ${m.repoPaths.apps} only once a Kustomization points at it, and the output cannot create the Kustomization that applies it. If a Kustomization already applies this cluster's tree, add ${m.repoPaths.apps} to it instead.`,
    commands: [
      `flux create kustomization ${ROOT_APPLICATION} --namespace ${ns} --source GitRepository/${flux.gitRepository} --path ./${m.repoPaths.apps} --prune=true --interval 10m --export > ${ROOT_APPLICATION}-kustomization.yaml  # commit it where flux-system's own Kustomization applies it`,
    ],
    verify: [
      `kubectl -n ${ns} get kustomization ${ROOT_APPLICATION} -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}'  # True`,
      `kubectl -n ${ns} get kustomizations  # the Kustomizations of ${m.repoPaths.apps} are listed`,
      `kubectl -n ${m.authentik.namespace} get helmrelease ${m.authentik.releaseName}  # Ready`,
    ],
    status: 'pending',
  };
}

/** The one Application nothing in the output can create: the root that syncs the others. */
function rootApplication(m: AuthModel): ManualOperation {
  const ns = m.argocd.namespace;
  return {
    id: 'bootstrap-root-application',
    layer: LAYER,
    app: ROOT_APPLICATION,
    when: `once per cluster: after ${prerequisite(m)} and ${m.repoPaths.apps} is pushed to ${m.git.targetRevision}`,
    why_manual: `ArgoCD syncs ${m.repoPaths.apps} only once an Application points at it, and the output cannot create the Application that syncs it. If an app-of-apps already manages this cluster, add ${m.repoPaths.apps} to it instead.`,
    commands: [
      `argocd app create ${ROOT_APPLICATION} --project ${m.argocd.project} --repo ${m.git.repoURL} --revision ${m.git.targetRevision} --path ${m.repoPaths.apps} --dest-server https://kubernetes.default.svc --dest-namespace ${ns} --sync-policy automated --self-heal --sync-option ServerSideApply=true`,
    ],
    verify: [
      `kubectl -n ${ns} get application ${ROOT_APPLICATION} -o jsonpath='{.status.sync.status} {.status.health.status}'  # Synced Healthy`,
      `kubectl -n ${ns} get applications  # the Applications of ${m.repoPaths.apps} are listed`,
    ],
    status: 'pending',
  };
}

/** verify.postSyncHook: the API token the hook Job reads, a credential the operator hands over (docs/verify.md#the-in-cluster-hook). */
function verifyHookToken(m: AuthModel, h: NonNullable<AuthModel['verifyHook']>): ManualOperation {
  const ns = m.authentik.namespace;
  const s = h.tokenSecret;
  return {
    id: `create-secret-${ns}-${s.name}`,
    layer: LAYER,
    app: h.name,
    when: `before the first sync with verify.postSyncHook enabled; again when the token expires or is rotated`,
    why_manual: `The PostSync check reads Authentik's API with a token, and no token value may be in git: Authentik makes it, you hand it to the Job's Secret ${s.name}.`,
    commands: [
      `in Authentik (admin interface: Directory -> Tokens and App passwords -> Create), create an API token for a user allowed to view blueprint instances and tasks; leave Expiring off, or rotate it before it expires`,
      `read -rs TOKEN && printf %s "$TOKEN" | kubectl -n ${ns} create secret generic ${s.name} --from-file=${s.key}=/dev/stdin  # the token never reaches your shell history`,
    ],
    verify: [
      `kubectl -n ${ns} describe secret ${s.name}  # keys: ${s.key}`,
      `kubectl -n ${ns} logs job/${h.name}  # after a sync: nothing printed and the Job Complete, or one line per blueprint finding`,
    ],
    status: 'pending',
  };
}

/** No cilium block: nothing in the output gives Authentik's Service its address. */
function loadBalancerAddress(m: AuthModel): ManualOperation {
  const lb = m.authentik.loadBalancer;
  const svc = `-n ${m.authentik.namespace} get service ${lb.serviceName}`;
  return {
    id: 'authentik-load-balancer-address',
    layer: LAYER,
    app: lb.serviceName,
    when: 'once, before the edge is pointed at Authentik; again if the address changes',
    why_manual: `The config has no cilium block, so the LoadBalancer Service ${lb.serviceName} requests no address: your load balancer must give it ${lb.ip} (the address the edge and the docs use), or you set authentik.loadBalancer.ip to the one it gets.`,
    commands: [
      `make your load balancer assign ${lb.ip} to Service ${m.authentik.namespace}/${lb.serviceName} (e.g. MetalLB: annotation metallb.io/loadBalancerIPs: ${lb.ip}, added by your own manifests)`,
    ],
    verify: [`kubectl ${svc} -o jsonpath='{.status.loadBalancer.ingress[0].ip}'  # ${lb.ip}`],
    status: 'pending',
  };
}

/** No talos block: the apiserver's OIDC settings are the operator's; everything they need, in one entry. */
function apiserverOidc(m: AuthModel): ManualOperation {
  const k = m.kubernetes;
  return {
    id: 'kube-apiserver-oidc',
    layer: LAYER,
    app: 'kube-apiserver',
    when: 'once, before agents or people use kubectl through Authentik; again when an issuer or client id below changes',
    why_manual:
      'The config has no talos block, so no apiserver patch is written: configure kube-apiserver to trust these issuers yourself (one issuer: the --oidc-* flags; several: a structured AuthenticationConfiguration with one JWT authenticator each), one control plane at a time.',
    commands: [
      ...m.apiserverIssuers.map((i) => `trust issuer ${i.issuer} with audience (client id) ${i.clientId}  # ${i.kind} client ${i.slug}`),
      `username claim ${k.usernameClaim}, prefix "${k.usernamePrefix}"; groups claim ${k.groupsClaim}, prefix "${k.groupsPrefix}"`,
    ],
    verify: [
      `kubectl auth whoami  # with a kubeconfig of ${dist(m, OUTPUT.kubeconfig)} or ${dist(m, OUTPUT.peopleKubeconfig)}: ${k.usernamePrefix}<username> and the groups`,
    ],
    status: 'pending',
  };
}

const dist = (m: AuthModel, p: string) => repoPath(m.git.path, p);

/** A `generic` consumer is configured by hand: everything its OIDC settings need, in one entry. */
function genericConsumer(app: AuthModel['oidcApps'][number]): ManualOperation {
  const secret = app.clientSecret?.consumer;
  return {
    id: `configure-${app.slug}-oidc`,
    layer: LAYER,
    app: app.slug,
    when: 'once, after the Authentik blueprint has created the provider; again when its client id, scopes or callback change',
    why_manual: `${app.name} is a generic OIDC consumer: this project writes no values for it, so its OIDC settings are entered in its own configuration.`,
    commands: [
      `issuer: ${app.issuer}`,
      `discovery URL: ${app.discoveryUrl}`,
      `client id: ${app.clientId}`,
      // The groups claim comes with the profile scope (see lib/consumers/grafana-values.ts).
      `scopes: ${app.scopes.join(' ')}`,
      secret
        ? `client secret: kubectl -n ${secret.namespace} get secret ${secret.name} -o jsonpath='{.data.${secret.key}}' | base64 -d  # the Secret ${app.name} reads it from (SECRETS.md)`
        : 'client secret: none (public client with PKCE)',
      `callback (redirect URI registered in Authentik): ${app.consumerCallback}`,
    ],
    verify: [`log in at ${app.url} through Authentik`],
    status: 'pending',
  };
}

export const manualOperationsDoc = (m: AuthModel, blueprints: ReadonlyArray<Blueprint>) =>
  yamlFile(OUTPUT.manualOperations, manualOperations(m, blueprints));
