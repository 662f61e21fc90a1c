// Which GitOps engine syncs the output, and for Flux what its objects are called and read
// (docs/flux.md). ArgoCD's side stays in the argocd/authentik parts of the model.
import type { ClusterConfig } from '../../config/schema';
import type { ValuesOrder } from './values-layering';

/** One entry of the HelmRelease's spec.valuesFrom. */
export interface FluxValuesSource {
  kind: 'ConfigMap' | 'Secret';
  name: string;
  valuesKey: string;
}

export interface FluxModel {
  namespace: string;
  gitRepository: string;
  /** The ConfigMap (Authentik namespace) carrying the generated dist/values/authentik.yaml. */
  generatedValues: FluxValuesSource;
  /** spec.valuesFrom in Flux's merge order: a later entry's keys win. */
  valuesFrom: FluxValuesSource[];
}

export type GitOpsModel = ({ engine: 'argocd' } | { engine: 'flux'; flux: FluxModel }) & {
  /** Phase 1 of an engine switch: release this engine's objects so removing them orphans (docs/flux.md#switching-engines). */
  release: boolean;
};

/** The data key the generated values sit under in their ConfigMap. */
export const GENERATED_VALUES_KEY = 'values.yaml';

/** The generated values ConfigMap's name: one per release, beside the release's own objects. */
export const generatedValuesName = (releaseName: string): string => `${releaseName}-unified-auth-values`;

export function deriveGitOps(c: ClusterConfig): GitOpsModel {
  const release = c.gitops.handoverTo !== undefined && c.gitops.handoverTo !== c.gitops.engine;
  if (c.gitops.engine === 'argocd') return { engine: 'argocd', release };
  const f = c.gitops.flux;
  const operator = (f?.valuesFrom ?? []).map((v) => ({ kind: v.kind, name: v.name, valuesKey: v.valuesKey }));
  const generatedValues = {
    kind: 'ConfigMap' as const,
    name: generatedValuesName(c.authentik.chart.releaseName),
    valuesKey: GENERATED_VALUES_KEY,
  };
  const order: ValuesOrder = c.authentik.valuesOrder ?? 'operatorFirst';
  return {
    engine: 'flux',
    release,
    flux: {
      namespace: f?.namespace ?? 'flux-system',
      gitRepository: f?.gitRepository ?? 'flux-system',
      generatedValues,
      valuesFrom: order === 'operatorFirst' ? [...operator, generatedValues] : [generatedValues, ...operator],
    },
  };
}
