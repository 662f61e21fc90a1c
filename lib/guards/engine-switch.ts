// The engine-switch guard (docs/flux.md#switching-engines). Switching gitops.engine removes the
// objects of the old engine from apps/ and authentik-extras/, and what removes them deletes what
// they manage unless they were released first:
// - ArgoCD: an Application carrying resources-finalizer.argocd.argoproj.io is deleted with every
//   resource it synced (argo-cd docs user-guide/app_deletion.md, "About the deletion finalizer"),
//   and the generated ones carry it: pruning them from the root would delete Authentik and its
//   database. Without it, deleting the Application leaves them.
// - Flux: a Kustomization with prune: true deletes everything it applied when it is deleted
//   (kustomize-controller docs/spec/v1/kustomizations.md "Prune", "Deletion policy"), the
//   HelmRelease included, whose deletion uninstalls the release unless it is suspended
//   (helm-controller internal/controller/helmrelease_controller.go, reconcileDelete).
// So a switch goes in two syncs: gitops.handoverTo first (the old engine's objects released, see
// lib/constructs/apps.ts and lib/constructs/flux.ts), then gitops.engine. The baseline says which engine wrote it
// and whether its objects were released; a switch over unreleased objects is refused.
import type { Tree } from '../readback/tree';
import { loadYamlShared } from '../readback/yaml';
import { isRecord } from '../base/records';
import type { ClusterConfig } from '../config/schema';

type Engine = ClusterConfig['gitops']['engine'];

/** Which engine synced an output (or a hand-written layer), and whether its objects were released. */
export interface RecordedEngine {
  engine: Engine;
  /** Removing its objects leaves Authentik running (phase 1 of a switch, or never at risk). */
  released: boolean;
}

const ARGOCD_FINALIZER = /^resources-finalizer\.argocd\.argoproj\.io(\/|$)/;
const KINDS = /^kind:\s*["']?(Application|Kustomization|HelmRelease)["']?\s*$/m;

const group = (doc: Record<string, unknown>) => (typeof doc.apiVersion === 'string' ? doc.apiVersion.split('/')[0] : undefined);
const spec = (doc: Record<string, unknown>): Record<string, unknown> => (isRecord(doc.spec) ? doc.spec : {});

/** How each engine's objects say whether they are released: [kind, API group, released?]. */
const ENGINE_OBJECTS: ReadonlyArray<readonly [Engine, string, string, (doc: Record<string, unknown>) => boolean]> = [
  [
    'argocd',
    'Application',
    'argoproj.io',
    (d) => {
      const f = isRecord(d.metadata) ? d.metadata.finalizers : undefined;
      return !(Array.isArray(f) && f.some((x) => typeof x === 'string' && ARGOCD_FINALIZER.test(x)));
    },
  ],
  ['flux', 'Kustomization', 'kustomize.toolkit.fluxcd.io', (d) => spec(d).deletionPolicy === 'Orphan' || spec(d).prune !== true],
  ['flux', 'HelmRelease', 'helm.toolkit.fluxcd.io', (d) => spec(d).suspend === true],
];

/** The engine of a tree's objects (undefined: none of either); a file that does not parse is skipped (the baseline reader names it). */
export function recordedEngineIn(tree: Tree): RecordedEngine | undefined {
  const seen = new Map<Engine, boolean>();
  for (const [p, text] of tree) {
    if (!/\.ya?ml$/.test(p) || !KINDS.test(text)) continue;
    let docs: unknown[];
    try {
      docs = loadYamlShared(text, undefined, true) as unknown[];
    } catch {
      continue;
    }
    for (const d of docs.filter(isRecord))
      for (const [engine, kind, apiGroup, released] of ENGINE_OBJECTS)
        if (d.kind === kind && group(d) === apiGroup) seen.set(engine, (seen.get(engine) ?? true) && released(d));
  }
  // Both (an ArgoCD layer that also carries Flux objects, or the reverse): the one at risk decides.
  const [engine] = [...seen.entries()].sort(([, a], [, b]) => Number(a) - Number(b))[0] ?? [];
  return engine ? { engine, released: seen.get(engine)! } : undefined;
}

const WHAT: Record<Engine, string> = {
  argocd:
    "its Applications carry ArgoCD's resources finalizer, so pruning them deletes Authentik, its database and the blueprints with them",
  flux: 'its Kustomizations prune what they applied when they are deleted, the HelmRelease included, whose deletion uninstalls Authentik',
};

/** The one line refusing an unsafe engine switch, or none. */
export function checkEngineSwitch(before: RecordedEngine | undefined, c: ClusterConfig, baselineLabel: string): string[] {
  const now = c.gitops.engine;
  if (!before || before.engine === now || before.released) return [];
  return [
    `gitops.engine: ${now} over ${baselineLabel || 'the baseline'}, which ${before.engine} syncs: ${WHAT[before.engine]}; switch in two syncs: first gitops: {engine: ${before.engine}, handoverTo: ${now}} (releases them), then gitops.engine: ${now} (docs/flux.md#switching-engines)`,
  ];
}

/** What the plan says about the engine between two outputs: a switch, or a release (phase 1) begun or withdrawn. */
export function engineChangeLines(before: RecordedEngine | undefined, after: RecordedEngine | undefined): string[] {
  if (!before || !after) return [];
  if (before.engine !== after.engine)
    return [
      before.released
        ? `${before.engine} -> ${after.engine}: the ${before.engine} objects were released (phase 1), so removing them leaves Authentik running and ${after.engine} takes it over (docs/flux.md#switching-engines)`
        : `${before.engine} -> ${after.engine} over unreleased ${before.engine} objects: ${WHAT[before.engine]} (synth refuses this)`,
    ];
  if (!before.released && after.released)
    return [`${after.engine} objects released for a hand-over (phase 1): removing them later leaves Authentik running`];
  if (before.released && !after.released)
    return [`hand-over withdrawn: the ${after.engine} objects delete what they manage again when removed`];
  return [];
}
