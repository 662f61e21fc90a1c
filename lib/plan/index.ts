// `npm run plan`: what replacing one output tree with another does, read from the two trees only
// (so version upgrades, adoption or domain moves can reuse it with any two outputs): Authentik
// objects (lib/guards/authentik-changes.ts), the Kubernetes objects ArgoCD syncs, the other files (consumer
// configs and docs), and the access differences in plain words.
import { OUTPUT } from '../base/paths';
import { loadAllYaml } from '../readback/yaml';
import { blueprintsInTree, isOutputTree } from '../previous/blueprints';
import type { Tree } from '../readback/tree';
import { isMinorGate } from '../upstream/minor-gate';
import { readHandWrittenLayer, type StoredBlueprint } from '../previous/hand-written';
import { accessSentences, applicationAccess, authentikChanges, type AuthentikChanges } from '../guards/authentik-changes';
import { endpointChanges, type EndpointChanges } from './endpoints';
import { narrowingSessionNotes } from './sessions';
import { engineChangeLines, recordedEngineIn } from '../guards/engine-switch';
import { podRestarts } from './restarts';

/** docs/upgrades.md#minor-gates: the gate model the files carry (the minor they are written for), if any. */
const gateOf = (bps: ReadonlyArray<StoredBlueprint>): string | undefined =>
  bps.flatMap((b) => b.entries).find((e) => isMinorGate(e))?.model as string | undefined;
const NEW_MINOR =
  'new Authentik minor: until the upgraded worker starts, the old one shows the files with its new fields in error (App or Model does not exist, the minor gate) and applies none of them; the new worker applies them at its startup discovery, no hand step (docs/upgrades.md#minor-gates)';

/** docs/upgrades.md, first install: nested applies race Authentik's own tasks (2026.2, 2026.5). */
const FIRST_INSTALL =
  'first install: a file may show error until the next blueprint discovery (at worker start, then hourly; 2026.8 retries the racing entry once), so expect convergence within an hour of the worker starting, or run ak apply_blueprint <path> on the failed files (docs/upgrades.md)';

export interface KubernetesChange {
  kind: string;
  namespace?: string;
  name: string;
  file: string;
}

export interface ChangePlan {
  authentik: AuthentikChanges;
  kubernetes: { added: KubernetesChange[]; changed: KubernetesChange[]; removed: KubernetesChange[] };
  /** Files outside the synced directories (values, Talos, Traefik, kubeconfig, docs), by path. */
  files: { added: string[]; changed: string[]; removed: string[] };
  /** Plain sentences: "root-developers gains longhorn (Longhorn)", "root-devops gets Kubernetes ClusterRole admin". */
  access: string[];
  /** After a narrowing: how long existing sessions keep access, and how to end them (sessions.ts). */
  sessions: string[];
  /** What to expect on a first install (no blueprint in the baseline) or a new minor: docs/upgrades.md. */
  firstInstall: string[];
  /** Issuers trusted, redirect URIs, hosts routed, AUTHENTIK_HOST, and a domain move's phase. */
  endpoints: EndpointChanges;
  /** An engine switch, or its phase 1 (lib/guards/engine-switch.ts). */
  engine: string[];
  /** Pods a rotation restarts (secrets.mode external-secrets): restarts.ts. */
  restarts: string[];
}

/** Directories ArgoCD applies to the cluster: their documents are Kubernetes objects. */
const SYNCED = [OUTPUT.appsDir, OUTPUT.extrasDir, OUTPUT.secretsDir];
const isSynced = (p: string) => SYNCED.some((d) => p.startsWith(`${d}/`));

type K8sDoc = {
  kind?: string;
  metadata?: { name?: string; namespace?: string };
  roleRef?: { kind?: string; name?: string };
  subjects?: Array<{ kind?: string; name?: string }>;
};

/**
 * Kustomize's own files (Kustomization, Component of kustomize.config.k8s.io) are not objects in
 * the cluster; a Flux Kustomization (kustomize.toolkit.fluxcd.io) is, and removing it prunes.
 */
const isKubernetesObject = (d: unknown): d is K8sDoc =>
  !!d &&
  typeof d === 'object' &&
  typeof (d as K8sDoc).kind === 'string' &&
  !String((d as { apiVersion?: unknown }).apiVersion).startsWith('kustomize.config.k8s.io/');

/**
 * The Kubernetes objects of a hand-written layer (a tree that is not an output of this tool, e.g.
 * the directory `npm run import` read): every object in it, and the ConfigMaps its kustomizations
 * generate, since its directories are laid out however its authors chose.
 */
function handWrittenDocs(tree: Tree): Array<{ file: string; doc: K8sDoc }> {
  const layer = readHandWrittenLayer(tree);
  return [
    ...layer.documents.filter((d) => isKubernetesObject(d.doc)).map((d) => ({ file: d.file, doc: d.doc as K8sDoc })),
    ...layer.generatedConfigMaps.map((g) => ({
      file: g.file,
      doc: { kind: 'ConfigMap', metadata: { name: g.name, ...(g.namespace ? { namespace: g.namespace } : {}) } },
    })),
  ];
}

/** Every Kubernetes document of the synced directories, with its file (unparsable files skipped). */
function syncedDocs(tree: Tree): Array<{ file: string; doc: K8sDoc }> {
  if (tree.size > 0 && !isOutputTree(tree)) return handWrittenDocs(tree);
  const out: Array<{ file: string; doc: K8sDoc }> = [];
  for (const [file, text] of tree) {
    if (!isSynced(file) || !file.endsWith('.yaml')) continue;
    try {
      for (const d of loadAllYaml(text)) if (d && typeof d === 'object' && (d as K8sDoc).kind) out.push({ file, doc: d });
    } catch {
      // not ours to judge; the drift check reports a broken file
    }
  }
  return out;
}

function objects(docs: ReturnType<typeof syncedDocs>): Map<string, { obj: KubernetesChange; text: string }> {
  const out = new Map<string, { obj: KubernetesChange; text: string }>();
  for (const { file, doc: o } of docs) {
    if (!o.kind || !o.metadata?.name) continue;
    const obj = { kind: o.kind, name: o.metadata.name, file, ...(o.metadata.namespace ? { namespace: o.metadata.namespace } : {}) };
    out.set(`${obj.kind}/${obj.namespace ?? ''}/${obj.name}`, { obj, text: JSON.stringify(o) });
  }
  return out;
}

/** Group subject -> ClusterRoles it is bound to, from the ClusterRoleBindings. */
function clusterRoles(docs: ReturnType<typeof syncedDocs>): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const { doc: d } of docs) {
    if (d.kind !== 'ClusterRoleBinding' || d.roleRef?.kind !== 'ClusterRole' || !d.roleRef.name) continue;
    for (const s of d.subjects ?? []) {
      if (s.kind !== 'Group' || !s.name) continue;
      const roles = out.get(s.name) ?? new Set<string>();
      roles.add(d.roleRef.name);
      out.set(s.name, roles);
    }
  }
  return out;
}

/** "root-devops gets ClusterRole admin", "root-developers loses ClusterRole view". */
function clusterRoleSentences(before: ReturnType<typeof syncedDocs>, after: ReturnType<typeof syncedDocs>): string[] {
  const was = clusterRoles(before);
  const now = clusterRoles(after);
  const lines: string[] = [];
  for (const group of [...new Set([...was.keys(), ...now.keys()])].sort()) {
    const a = was.get(group) ?? new Set<string>();
    const b = now.get(group) ?? new Set<string>();
    for (const r of [...b].filter((x) => !a.has(x)).sort()) lines.push(`${group} gets Kubernetes ClusterRole ${r}`);
    for (const r of [...a].filter((x) => !b.has(x)).sort()) lines.push(`${group} loses Kubernetes ClusterRole ${r}`);
  }
  return lines;
}

/** The plan for replacing `before` with `after`. */
export function plan(before: Tree, after: Tree): ChangePlan {
  const bpsBefore = blueprintsInTree(before);
  const bpsAfter = blueprintsInTree(after);
  const docsBefore = syncedDocs(before);
  const docsAfter = syncedDocs(after);
  const kBefore = objects(docsBefore);
  const kAfter = objects(docsAfter);
  const kubernetes: ChangePlan['kubernetes'] = { added: [], changed: [], removed: [] };
  // A hand-written object written without a namespace (a kustomize-generated ConfigMap) lands in
  // its Application's destination namespace, which the tree does not say: the one object of that
  // kind and name in the new output is the same object.
  const matched = new Set<string>();
  const beforeKey = (k: string, o: KubernetesChange) => {
    if (kBefore.has(k)) return k;
    const loose = `${o.kind}//${o.name}`;
    const rivals = [...kAfter.values()].filter((x) => x.obj.kind === o.kind && x.obj.name === o.name);
    return kBefore.has(loose) && rivals.length === 1 ? loose : undefined;
  };
  for (const [k, v] of kAfter) {
    const key = beforeKey(k, v.obj);
    const old = key === undefined ? undefined : kBefore.get(key);
    if (key !== undefined) matched.add(key);
    if (!old) kubernetes.added.push(v.obj);
    else if (old.text !== v.text) kubernetes.changed.push(v.obj);
  }
  for (const [k, v] of kBefore) if (!matched.has(k)) kubernetes.removed.push(v.obj);
  const files: ChangePlan['files'] = { added: [], changed: [], removed: [] };
  // The manifest lists the hash of every file, so it changes with any of them: not a change of its own.
  const listed = (p: string) => !isSynced(p) && p !== OUTPUT.manifest;
  for (const [p, text] of after) {
    if (!listed(p)) continue;
    if (!before.has(p)) files.added.push(p);
    else if (before.get(p) !== text) files.changed.push(p);
  }
  // A hand-written layer's other files (its values, READMEs) are not files this output replaces.
  if (isOutputTree(before)) for (const p of before.keys()) if (listed(p) && !after.has(p)) files.removed.push(p);
  for (const l of Object.values(files)) l.sort();
  const accessBefore = applicationAccess(bpsBefore);
  const accessAfter = applicationAccess(bpsAfter);
  return {
    authentik: authentikChanges(bpsBefore, bpsAfter),
    kubernetes,
    files,
    access: [...accessSentences(accessBefore, accessAfter), ...clusterRoleSentences(docsBefore, docsAfter)],
    sessions: narrowingSessionNotes(bpsBefore, accessBefore, accessAfter),
    firstInstall: [
      ...(!bpsBefore.length && bpsAfter.length ? [FIRST_INSTALL] : []),
      ...(gateOf(bpsAfter) !== gateOf(bpsBefore) && gateOf(bpsAfter) ? [NEW_MINOR] : []),
    ],
    endpoints: endpointChanges(before, after, bpsBefore, bpsAfter),
    engine: engineChangeLines(recordedEngineIn(before), recordedEngineIn(after)),
    restarts: podRestarts(before, after),
  };
}

export const isEmpty = (p: ChangePlan): boolean =>
  !p.access.length &&
  !p.restarts.length &&
  !p.endpoints.phase &&
  !p.endpoints.added.length &&
  !p.endpoints.removed.length &&
  !p.authentik.reapplied.length &&
  !p.authentik.moved.length &&
  !p.authentik.regrouped.length &&
  !p.authentik.conflicts.length &&
  !Object.values(p.kubernetes).some((l) => l.length) &&
  !Object.values(p.files).some((l) => l.length);
