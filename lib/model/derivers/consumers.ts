// The consumers' side of the model: ArgoCD, Grafana, Traefik and the Kubernetes claims settings,
// and the repository paths ArgoCD Applications read the generated files from.
import type { ClusterConfig } from '../../config/schema';
import { OUTPUT, repoPath } from '../../base/paths';
import type { AuthModel } from '../types';
import { deriveValuesLayering } from './values-layering';

export const ARGOCD_CHART_REPO = 'https://argoproj.github.io/argo-helm';

export function deriveConsumers(c: ClusterConfig): Pick<AuthModel, 'argocd' | 'git' | 'repoPaths' | 'kubernetes' | 'traefik' | 'grafana'> {
  const distPath = c.git.path;
  return {
    argocd: {
      namespace: c.argocd.namespace,
      project: c.argocd.project,
      chartRepo: ARGOCD_CHART_REPO,
      chartVersion: c.argocd.chart.version,
      releaseName: c.argocd.chart.releaseName,
      defaultRole: c.argocd.defaultRole,
      values: deriveValuesLayering(c.argocd, repoPath(distPath, OUTPUT.argocdValues)),
    },
    git: { ...c.git },
    repoPaths: {
      apps: repoPath(distPath, OUTPUT.appsDir),
      extras: repoPath(distPath, OUTPUT.extrasDir),
      edge: repoPath(distPath, OUTPUT.edgeDir),
      secrets: repoPath(distPath, OUTPUT.secretsDir),
      authentikValues: repoPath(distPath, OUTPUT.authentikValues),
      argocdValues: repoPath(distPath, OUTPUT.argocdValues),
    },
    kubernetes: { ...c.kubernetes },
    traefik: { certResolver: c.traefik.certResolver, entryPoints: c.traefik.entryPoints },
    grafana: {
      roleAttributeStrict: c.grafana.roleAttributeStrict,
      application: c.grafana.application,
      ...(c.grafana.parentKey ? { parentKey: c.grafana.parentKey } : {}),
    },
  };
}
