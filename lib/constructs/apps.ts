// dist/apps/: what the cluster's app-of-apps syncs. The authentik Namespace and the three
// Applications (authentik chart, authentik-extras manifests, ArgoCD managing itself).
import { Construct } from 'constructs';
import { KubeNamespace } from '../../imports/k8s';
import { ARGOCD_SECRET, type AuthModel } from '../model/derive';
import { VALUES_REF } from '../model/derivers/values-layering';
import { ArgoCdApplication, type ApplicationSource as Source, type ApplicationSpec } from './argocd-application';
import { SYNC_WAVE } from '../upstream/conventions';
import { ADOPTED_ANNOTATION } from '../model/derivers/secrets';

export interface AuthApplicationsProps {
  /** The derived model: `derive(parseConfig(input))` (lib/model/derive.ts). */
  readonly model: AuthModel;
}

type IgnoreDifferences = NonNullable<ApplicationSpec['ignoreDifferences']>;

/**
 * A Secret the Application renders but something else writes to at runtime: ArgoCD's own
 * argocd-secret gets server.secretkey (and the admin password) from argocd-server. Only Secrets
 * the chart really renders are listed; the out-of-band SOPS Secrets are not managed at all.
 */
const secretData = (name: string, namespace: string): IgnoreDifferences => [{ kind: 'Secret', name, namespace, jsonPointers: ['/data'] }];

/**
 * The values read in place from the SOPS Secret (secrets.adoptSops, generation 0), by key: what the
 * state records, so a value added later is known not to be there (lib/state/secrets.ts).
 */
function adoptedAnnotation(m: AuthModel): Record<string, string> {
  if (m.secrets.mode !== 'external-secrets') return {};
  const ids = m.secrets.values.filter((v) => v.slug && !v.generator).map((v) => v.id);
  return ids.length ? { [ADOPTED_ANNOTATION]: ids.join(',') } : {};
}

export class AuthApplications extends Construct {
  readonly namespace: KubeNamespace;
  /** The Applications by name: authentik, authentik-extras, argocd. */
  readonly applications: ReadonlyMap<string, ArgoCdApplication>;
  private readonly byName = new Map<string, ArgoCdApplication>();

  constructor(scope: Construct, id: string, props: AuthApplicationsProps) {
    super(scope, id);
    const m = props.model;
    this.applications = this.byName;

    this.namespace = new KubeNamespace(this, 'authentik-namespace', {
      metadata: {
        name: m.authentik.namespace,
        labels: Object.fromEntries(['enforce', 'warn', 'audit'].map((mode) => [`pod-security.kubernetes.io/${mode}`, 'privileged'])),
      },
    });

    const valuesRef: Source = { repoURL: m.git.repoURL, targetRevision: m.git.targetRevision, ref: VALUES_REF };
    // external-secrets mode: the Secrets first (wave -1), so the app-of-apps starts the charts that
    // read them only once this Application is Healthy, its ExternalSecrets Ready (docs/secrets.md#ordering).
    if (m.secrets.mode === 'external-secrets') {
      this.application('authentik-secrets', m, {
        namespace: m.authentik.namespace,
        source: { repoURL: m.git.repoURL, targetRevision: m.git.targetRevision, path: m.repoPaths.secrets },
        prune: true,
        // A rotation's old generation goes only after the new one is synced and Healthy.
        extraSyncOptions: ['PruneLast=true'],
        annotations: { [SYNC_WAVE]: '-1', ...adoptedAnnotation(m) },
      });
    }
    // The operator's own values files and the generated one, in the configured order (docs/values-layering.md).
    this.application('authentik', m, {
      namespace: m.authentik.namespace,
      sources: [
        {
          repoURL: m.authentik.chartRepo,
          chart: 'authentik',
          targetRevision: m.authentik.chartVersion,
          helm: { releaseName: m.authentik.releaseName, valueFiles: m.authentik.values.helmValueFiles },
        },
        valuesRef,
      ],
    });
    // Pruned: a ClusterRoleBinding whose group lost its role, or the blueprint ConfigMap of a service
    // removed after retiring, must go; everything in that directory is generated.
    this.application('authentik-extras', m, {
      namespace: m.authentik.namespace,
      source: { repoURL: m.git.repoURL, targetRevision: m.git.targetRevision, path: m.repoPaths.extras },
      prune: true,
    });
    // In-cluster edge modes: routes and Middlewares in the services' own namespaces, an Application of
    // their own (docs/edge.md). Pruned: the route of a removed service must go.
    if (m.edge.inCluster) {
      this.application('edge', m, {
        namespace: m.authentik.namespace,
        source: { repoURL: m.git.repoURL, targetRevision: m.git.targetRevision, path: m.repoPaths.edge },
        prune: true,
      });
    }
    this.application('argocd', m, {
      namespace: m.argocd.namespace,
      sources: [
        {
          repoURL: m.argocd.chartRepo,
          chart: 'argo-cd',
          targetRevision: m.argocd.chartVersion,
          helm: { releaseName: m.argocd.releaseName, valueFiles: m.argocd.values.helmValueFiles },
        },
        valuesRef,
      ],
      ignoreDifferences: secretData(ARGOCD_SECRET, m.argocd.namespace),
      // No resources finalizer: deleting this Application would cascade-delete ArgoCD itself,
      // including the controller that has to process the finalizer.
      cascadeDelete: false,
    });
  }

  private application(
    name: string,
    m: AuthModel,
    opts: {
      namespace: string;
      source?: Source;
      sources?: Source[];
      ignoreDifferences?: IgnoreDifferences;
      prune?: boolean;
      cascadeDelete?: boolean;
      extraSyncOptions?: string[];
      annotations?: Record<string, string>;
    },
  ) {
    const app = new ArgoCdApplication(this, `application-${name}`, {
      metadata: {
        name,
        namespace: m.argocd.namespace,
        // Released (gitops.handoverTo, docs/flux.md#switching-engines): without the finalizer ArgoCD
        // deletes only the Application and leaves what it synced (argo-cd docs user-guide/app_deletion.md).
        ...(opts.cascadeDelete === false || m.gitops.release ? {} : { finalizers: ['resources-finalizer.argocd.argoproj.io'] }),
        ...(opts.annotations ? { annotations: opts.annotations } : {}),
      },
      spec: {
        project: m.argocd.project,
        ...(opts.source ? { source: opts.source } : {}),
        ...(opts.sources ? { sources: opts.sources } : {}),
        destination: { server: 'https://kubernetes.default.svc', namespace: opts.namespace },
        // No `prune: false` and no `group: ""`: ArgoCD normalizes both away and shows drift
        // (docs/field-traps.md#argocd-normalized-fields).
        syncPolicy: {
          automated: opts.prune ? { prune: true, selfHeal: true } : { selfHeal: true },
          syncOptions: [
            'ServerSideApply=true',
            'CreateNamespace=false',
            ...(opts.ignoreDifferences ? ['RespectIgnoreDifferences=true'] : []),
            ...(opts.extraSyncOptions ?? []),
          ],
        },
        ...(opts.ignoreDifferences ? { ignoreDifferences: opts.ignoreDifferences } : {}),
      },
    });
    this.byName.set(name, app);
  }
}
