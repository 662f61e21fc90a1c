// The Flux side of the layer (gitops.engine flux, docs/flux.md). In dist/apps/: the authentik
// Namespace and the Kustomizations that sync authentik-extras/ and edge/. In authentik-extras/,
// beside the blueprint ConfigMaps: the HelmRepository, the HelmRelease and the generated values
// ConfigMap. One Kustomization applies the blueprint ConfigMaps and the HelmRelease together, so
// the worker's blueprint volumes exist no later than the release that mounts them.
import { Construct } from 'constructs';
import { HelmRelease } from '@kubernetes-models/flux-cd/helm.toolkit.fluxcd.io/v2/HelmRelease';
import { HelmRepository } from '@kubernetes-models/flux-cd/source.toolkit.fluxcd.io/v1/HelmRepository';
import { Kustomization } from '@kubernetes-models/flux-cd/kustomize.toolkit.fluxcd.io/v1/Kustomization';
import { KubeConfigMap, KubeNamespace } from '../../imports/k8s';
import type { AuthModel } from '../model/derive';
import type { FluxModel } from '../model/derivers/gitops';
import { CrdObject } from './crd-object';

/** How often Flux compares the cluster with git and the chart repository with the pinned version. */
const INTERVAL = '10m';
const CHART_REPO_INTERVAL = '1h';
/** The authentik chart's name in its repository. */
const AUTHENTIK_CHART = 'authentik';

export interface FluxApplicationsProps {
  /** The derived model of a config with gitops.engine flux (lib/model/derive.ts). */
  readonly model: AuthModel;
}

const fluxOf = (m: AuthModel): FluxModel => {
  if (m.gitops.engine !== 'flux') throw new Error('FluxApplications needs a model with gitops.engine flux');
  return m.gitops.flux;
};

/** What dist/apps/ holds under Flux: the authentik Namespace and the Kustomizations. */
export class FluxApplications extends Construct {
  /** The Kustomizations by name: authentik-extras, and edge for the in-cluster edge modes. */
  readonly kustomizations: ReadonlyMap<string, Kustomization>;

  constructor(scope: Construct, id: string, props: FluxApplicationsProps) {
    super(scope, id);
    const m = props.model;
    const flux = fluxOf(m);
    new KubeNamespace(this, 'authentik-namespace', {
      metadata: {
        name: m.authentik.namespace,
        labels: Object.fromEntries(['enforce', 'warn', 'audit'].map((mode) => [`pod-security.kubernetes.io/${mode}`, 'privileged'])),
      },
    });
    const byName = new Map<string, Kustomization>();
    // Pruned: everything in these directories is generated; a removed service's objects must go.
    const paths: Array<[string, string]> = [['authentik-extras', m.repoPaths.extras]];
    if (m.edge.inCluster) paths.push(['edge', m.repoPaths.edge]);
    for (const [name, path] of paths) {
      const k = new Kustomization({
        metadata: { name, namespace: flux.namespace },
        spec: {
          interval: INTERVAL,
          path: `./${path}`,
          prune: true,
          // Released (gitops.handoverTo): deleting the Kustomization leaves what it applied
          // (kustomize-controller docs/spec/v1/kustomizations.md "Deletion policy": Orphan).
          ...(m.gitops.release ? { deletionPolicy: 'Orphan' as const } : {}),
          sourceRef: { kind: 'GitRepository', name: flux.gitRepository },
        },
      });
      new CrdObject(this, `kustomization-${name}`, k);
      byName.set(name, k);
    }
    this.kustomizations = byName;
  }
}

export interface FluxReleaseProps {
  readonly model: AuthModel;
  /** The generated Authentik values file's text (dist/values/authentik.yaml), carried in a ConfigMap. */
  readonly generatedValues: string;
}

/** The Authentik release under Flux: chart source, HelmRelease and the generated values ConfigMap. */
export class FluxRelease extends Construct {
  readonly release: HelmRelease;

  constructor(scope: Construct, id: string, props: FluxReleaseProps) {
    super(scope, id);
    const m = props.model;
    const flux = fluxOf(m);
    const namespace = m.authentik.namespace;
    const repository = new HelmRepository({
      metadata: { name: AUTHENTIK_CHART, namespace },
      spec: { url: m.authentik.chartRepo, interval: CHART_REPO_INTERVAL },
    });
    new CrdObject(this, 'helmrepository', repository);
    const g = flux.generatedValues;
    new KubeConfigMap(this, 'generated-values', {
      metadata: { name: g.name, namespace },
      data: { [g.valuesKey]: props.generatedValues },
    });
    // No inline spec.values: Flux merges them after every valuesFrom entry, so they would beat the
    // operator's keys whatever authentik.valuesOrder says (docs/flux.md#values-layering).
    this.release = new HelmRelease({
      metadata: { name: m.authentik.releaseName, namespace },
      spec: {
        interval: INTERVAL,
        // Released (gitops.handoverTo): a suspended HelmRelease is deleted without a Helm uninstall
        // (helm-controller internal/controller/helmrelease_controller.go, reconcileDelete).
        ...(m.gitops.release ? { suspend: true } : {}),
        releaseName: m.authentik.releaseName,
        chart: {
          spec: {
            chart: AUTHENTIK_CHART,
            version: m.authentik.chartVersion,
            sourceRef: { kind: 'HelmRepository', name: repository.metadata!.name! },
          },
        },
        valuesFrom: flux.valuesFrom.map((v) => ({ kind: v.kind, name: v.name, valuesKey: v.valuesKey })),
      },
    });
    new CrdObject(this, 'helmrelease', this.release);
  }
}
