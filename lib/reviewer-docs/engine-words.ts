// The runbook's words for what syncs the output, per GitOps engine (docs/flux.md): a Flux user
// reads about Kustomizations and HelmReleases, never about ArgoCD Applications.
import type { AuthModel } from '../model/derive';

export interface EngineWords {
  /** The engine's name in a sentence. */
  readonly name: string;
  /** What the engine does to the output's files, and its participle. */
  readonly applies: string;
  readonly applied: string;
  /** The object that syncs dist/edge/ (in-cluster edge modes). */
  readonly edge: string;
}

const WORDS: Readonly<Record<AuthModel['gitops']['engine'], EngineWords>> = {
  argocd: { name: 'ArgoCD', applies: 'syncs', applied: 'synced', edge: 'the edge Application' },
  flux: { name: 'Flux', applies: 'applies', applied: 'applied', edge: 'the edge Kustomization' },
};

export const engineWords = (m: Pick<AuthModel, 'gitops'>): EngineWords => WORDS[m.gitops.engine];
