// dist/apps/: what the cluster's app-of-apps syncs. The authentik Namespace and the three
// Applications (authentik chart, authentik-extras manifests, ArgoCD managing itself).
import { Construct } from 'constructs';
import { KubeNamespace } from '../../imports/k8s';
import { ARGOCD_SECRET, type AuthModel } from '../model/derive';
import { VALUES_REF } from '../model/derivers/values-layering';
import { ArgoCdApplication, type ApplicationSource as Source, type ApplicationSpec } from './argocd-application';

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
    },
  ) {
    const app = new ArgoCdApplication(this, `application-${name}`, {
      metadata: {
        name,
        namespace: m.argocd.namespace,
        // Released (gitops.handoverTo, docs/flux.md#switching-engines): without the finalizer ArgoCD
        // deletes only the Application and leaves what it synced (argo-cd docs user-guide/app_deletion.md).
        ...(opts.cascadeDelete === false || m.gitops.release ? {} : { finalizers: ['resources-finalizer.argocd.argoproj.io'] }),
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
          ],
        },
        ...(opts.ignoreDifferences ? { ignoreDifferences: opts.ignoreDifferences } : {}),
      },
    });
    this.byName.set(name, app);
  }
}
