// Rules of values layering (docs/values-layering.md): an Application that takes over a running
// release must name that release's values files, or the first sync renders the chart from the
// generated file alone and silently reverts everything else the release was installed with.
import type { ClusterConfig } from '../config/schema';

/** What a sync from the generated values alone would put back to chart defaults, per chart. */
const REVERTED = {
  argocd:
    'server.extraArgs (e.g. --insecure), the server Service type and its LB-IPAM annotations, replicas, affinity, notifications, configs.cm entries such as resource.exclusions',
  authentik:
    'server and worker replicas, nodeSelector, affinity and tolerations, PostgreSQL persistence and its storage class, resources, ingress',
} as const;

const WHY_EXISTING = {
  argocd: 'ArgoCD always runs before it can sync its own Application (argocd.existingRelease defaults to true)',
  authentik: 'authentik.existingRelease says an Authentik release already runs',
} as const;

export function valuesLayeringProblems(c: ClusterConfig): string[] {
  // Flux layers values through valuesFrom: its rules are in lib/rules/gitops.ts.
  if (c.gitops.engine === 'flux') return [];
  const out: string[] = [];
  for (const app of ['argocd', 'authentik'] as const) {
    const v = c[app];
    const files = v.valueFiles ?? [];
    if (v.existingRelease && files.length === 0 && !v.noValueFiles) {
      out.push(
        `${app}.valueFiles: ${WHY_EXISTING[app]}, but no values files of that release are named: the first sync would render the ${app === 'argocd' ? 'argo-cd' : 'authentik'} chart from the generated values alone and revert everything else it was installed with (${REVERTED[app]}) to chart defaults; list the release's values files (repository paths) in ${app}.valueFiles, or set ${app}.noValueFiles: true if it really runs on chart defaults`,
      );
    }
    if (v.noValueFiles && files.length > 0) {
      out.push(
        `${app}.noValueFiles: says the release has no values files, but ${app}.valueFiles lists ${files.length}; remove one of the two`,
      );
    }
    if (v.noValueFiles && !v.existingRelease) {
      out.push(`${app}.noValueFiles: acknowledges a running release without values files, but ${app}.existingRelease is false; remove it`);
    }
    if (v.valuesOrder && files.length === 0) {
      out.push(`${app}.valuesOrder: orders ${app}.valueFiles against the generated file, but no valueFiles are listed; remove it`);
    }
    files.forEach((f, i) => {
      // synth replaces git.path wholesale, so an operator file there would be deleted.
      if (f === c.git.path || f.startsWith(`${c.git.path}/`)) {
        out.push(
          `${app}.valueFiles[${i}]: "${f}" is inside git.path "${c.git.path}", which synth replaces as a whole; keep your own values files outside it`,
        );
      } else if (files.indexOf(f) !== i) out.push(`${app}.valueFiles[${i}]: duplicate values file "${f}"`);
    });
  }
  return out;
}
