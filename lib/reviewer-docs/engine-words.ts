// The reviewer docs' words for what syncs the output, per GitOps engine (docs/flux.md): a Flux user
// reads about Kustomizations, HelmReleases and `flux reconcile`, never about ArgoCD Applications.
// Flux's commands as its CLI documents them: `flux reconcile kustomization <name> --with-source`
// applies the source's latest revision now (https://fluxcd.io/flux/cmd/flux_reconcile_kustomization/);
// `flux reconcile helmrelease <name>` runs the release's upgrade outside its interval
// (https://fluxcd.io/flux/cmd/flux_reconcile_helmrelease/): a valuesFrom ConfigMap that changed is
// otherwise read at the HelmRelease's next interval (https://fluxcd.io/flux/components/helm/helmreleases/).
import type { AuthModel } from '../model/derive';
import type { FluxModel } from '../model/derivers/gitops';

export interface EngineWords {
  /** The engine's name in a sentence. */
  readonly name: string;
  /** What the engine does to the output's files (verb, 3rd person and bare), and its participle. */
  readonly applies: string;
  readonly apply: string;
  readonly applied: string;
  /** One pass that brings the cluster to the commit: noun, plural, and -ing form. */
  readonly sync: string;
  readonly syncs: string;
  readonly syncing: string;
  /** The object that syncs dist/edge/ (in-cluster edge modes). */
  readonly edge: string;
  /** The consumers whose config the output's values files carry (docs/migration.yaml). */
  readonly syncedConsumers: string;
  /** What carries dist/values/authentik.yaml (AUTHENTIK_HOST) to the pods. */
  readonly authentikValues: string;
  /** A runbook command: the engine brings edge/ (at `dir`) to the commit; how to check it did. */
  readonly edgeApply: (dir: string) => string;
  /** A runbook command: the engine brings Authentik's release and its blueprints to the commit. */
  readonly authentikApply: string;
  /** How the consumers the output configures take their new values files; and the command to check it. */
  readonly consumersTakeValues: (grafanaFile: string) => string;
  readonly consumersCheck: (grafanaRelease: string) => string;
}

type Model = Pick<AuthModel, 'gitops' | 'authentik'>;

const argocd = (): EngineWords => ({
  name: 'ArgoCD',
  applies: 'syncs',
  apply: 'sync',
  applied: 'synced',
  sync: 'sync',
  syncs: 'syncs',
  syncing: 'syncing',
  edge: 'the edge Application',
  syncedConsumers: 'the synced consumers',
  authentikValues: 'the authentik Application',
  edgeApply: (dir) => `ArgoCD syncs the edge Application (${dir}): check it is Synced and Healthy`,
  authentikApply: 'ArgoCD syncs the authentik and authentik-extras Applications: check both are Synced and Healthy',
  consumersTakeValues: () => 'ArgoCD and Grafana read their new issuer and URLs from the values files their Applications sync',
  consumersCheck: (g) => `Application ${g} and argocd: check they synced the new values`,
});

const flux = (m: Model, { namespace: ns, generatedValues }: FluxModel): EngineWords => {
  const ak = m.authentik;
  const values = generatedValues.name;
  const reconcile = (name: string) => `flux reconcile kustomization ${name} -n ${ns} --with-source`;
  return {
    name: 'Flux',
    applies: 'applies',
    apply: 'apply',
    applied: 'applied',
    sync: 'reconciliation',
    syncs: 'reconciliations',
    syncing: 'reconciling',
    edge: 'the edge Kustomization',
    syncedConsumers: "the consumers the output's values files configure",
    authentikValues: `the HelmRelease ${ak.releaseName}, from the ConfigMap ${values}`,
    edgeApply: (dir) =>
      `Flux applies the edge Kustomization (${dir}) at its interval; now: ${reconcile('edge')}, then check it is Ready: flux get kustomizations -n ${ns}`,
    authentikApply: `Flux applies the authentik-extras Kustomization (the blueprints, the ConfigMap ${values}) and helm-controller upgrades the HelmRelease ${ak.releaseName} at its interval; now: ${reconcile('authentik-extras')} && flux reconcile helmrelease ${ak.releaseName} -n ${ak.namespace}, then check both are Ready: flux get helmreleases -n ${ak.namespace}`,
    consumersTakeValues: (file) =>
      `Grafana reads its new issuer and URLs from ${file} through your HelmRelease's valuesFrom (grafana-values-*), and argocd from its values file through whatever installs it (Flux does not manage argocd)`,
    // The operator's Kustomization regenerates the ConfigMap from the file first (grafana-values-*).
    consumersCheck: (g) =>
      `flux reconcile kustomization <the one that applies HelmRelease ${g}> --with-source && flux reconcile helmrelease ${g} -n <its namespace>, and re-apply argocd's values where it is installed: check both took the new values`,
  };
};

export const engineWords = (m: Model): EngineWords => (m.gitops.engine === 'flux' ? flux(m, m.gitops.flux) : argocd());
