// Reading a Flux layer (docs/flux.md): the authentik HelmRelease, its chart version (from the
// HelmRelease, or from the OCIRepository its chartRef names) and its valuesFrom, as the config's
// authentik.chart and gitops.flux. Inline spec.values and a valuesFrom targetPath have no place in
// the config (generated values must not go inline, docs/flux.md#values-layering): they are notes.
import { ImportError, type Doc, type ImportedLayer } from './read';
import { isRecord } from '../base/records';
import { loadYaml } from '../readback/yaml';
import { generatedValuesName } from '../model/derivers/gitops';

export interface ImportedFluxRelease {
  /** `<dir>/<file>` of the HelmRelease. */
  where: string;
  namespace?: string;
  releaseName?: string;
  chartVersion?: string;
  /** The object the chart comes from (chartRef, or chart.spec.sourceRef). */
  source?: { kind: string; name: string };
  valuesFrom: Array<{ kind: 'ConfigMap' | 'Secret'; name: string; valuesKey?: string }>;
  /** What the draft cannot carry, one line each. */
  notes: string[];
}

const get = (o: unknown, ...keys: string[]): unknown => keys.reduce<unknown>((v, k) => (isRecord(v) ? v[k] : undefined), o);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** The chart a HelmRelease installs: by chart.spec.chart, or by the OCI URL its chartRef's source names. */
function chartOf(hr: Doc, objects: ReadonlyArray<{ doc: Doc }>): { name?: string; version?: string } {
  const spec = get(hr, 'spec', 'chart', 'spec');
  if (isRecord(spec)) return { name: str(spec.chart), version: str(spec.version) };
  const ref = get(hr, 'spec', 'chartRef');
  const oci = objects.find(
    (o) => o.doc.kind === 'OCIRepository' && get(o.doc, 'metadata', 'name') === get(ref, 'name') && get(ref, 'kind') === 'OCIRepository',
  )?.doc;
  const url = str(get(oci, 'spec', 'url'));
  return { name: url?.split('/').pop(), version: str(get(oci, 'spec', 'ref', 'tag')) ?? str(get(oci, 'spec', 'ref', 'semver')) };
}

/** The authentik HelmRelease of the layer's objects, read; undefined when there is none. */
export function readFluxRelease(objects: ReadonlyArray<{ where: string; doc: Doc }>, chart = 'authentik'): ImportedFluxRelease | undefined {
  const found = objects.find((o) => o.doc.kind === 'HelmRelease' && chartOf(o.doc, objects).name === chart);
  if (!found) return undefined;
  const hr = found.doc;
  const notes: string[] = [];
  const valuesFrom: ImportedFluxRelease['valuesFrom'] = [];
  const entries = get(hr, 'spec', 'valuesFrom');
  const releaseName = str(get(hr, 'spec', 'releaseName')) ?? str(get(hr, 'metadata', 'name'));
  // A layer unified-auth wrote: its generated ConfigMap is synth's own, written again, not the operator's.
  const generated = generatedValuesName(releaseName ?? 'authentik');
  (Array.isArray(entries) ? entries : []).forEach((v, i) => {
    const kind = get(v, 'kind');
    const name = str(get(v, 'name'));
    if ((kind !== 'ConfigMap' && kind !== 'Secret') || !name) {
      notes.push(`${found.where}: spec.valuesFrom[${i}] is not a named ConfigMap or Secret; left out`);
      return;
    }
    if (get(v, 'targetPath') !== undefined)
      notes.push(
        `${found.where}: spec.valuesFrom[${i}] sets targetPath, which gitops.flux.valuesFrom does not carry; put the value under its key in the source`,
      );
    if (kind === 'ConfigMap' && name === generated) return;
    const valuesKey = str(get(v, 'valuesKey'));
    valuesFrom.push({ kind, name, ...(valuesKey && valuesKey !== 'values.yaml' ? { valuesKey } : {}) });
  });
  if (isRecord(get(hr, 'spec', 'values')) && Object.keys(get(hr, 'spec', 'values') as Doc).length)
    notes.push(
      `${found.where}: spec.values (inline) would beat every valuesFrom entry; move them into a ConfigMap and list it in gitops.flux.valuesFrom`,
    );
  const { version } = chartOf(hr, objects);
  const ref = get(hr, 'spec', 'chartRef') ?? get(hr, 'spec', 'chart', 'spec', 'sourceRef');
  const [refKind, refName] = [str(get(ref, 'kind')), str(get(ref, 'name'))];
  return {
    where: found.where,
    ...(refKind && refName ? { source: { kind: refKind, name: refName } } : {}),
    namespace: str(get(hr, 'spec', 'targetNamespace')) ?? str(get(hr, 'metadata', 'namespace')),
    releaseName,
    chartVersion: version,
    valuesFrom,
    notes,
  };
}

/** The config fields a Flux release gives the draft: the chart, the namespace and gitops.flux. */
export function fluxDraft(r: ImportedFluxRelease): { authentik: Doc; gitops: Doc } {
  const chart: Doc = {
    ...(r.chartVersion ? { version: r.chartVersion } : {}),
    ...(r.releaseName && r.releaseName !== 'authentik' ? { releaseName: r.releaseName } : {}),
  };
  return {
    authentik: {
      ...(Object.keys(chart).length ? { chart } : {}),
      ...(r.namespace && r.namespace !== 'authentik' ? { namespace: r.namespace } : {}),
      existingRelease: true,
    },
    gitops: { engine: 'flux', flux: { valuesFrom: r.valuesFrom } },
  };
}

export type ImportEngine = 'argocd' | 'flux';

type K8sRef = { kind: string; namespace?: string; name: string };

/** The engine a layer runs Authentik with, and what says so (printed by import). */
export interface LayerEngine {
  engine: ImportEngine;
  /** Under Flux: the authentik HelmRelease, when the layer holds one. */
  release?: ImportedFluxRelease;
  /** One line: which engine, found how. */
  found: string;
}

/** An ArgoCD Application of the layer that installs the authentik chart. */
const argoApplication = (objects: ReadonlyArray<{ where: string; doc: Doc }>) =>
  objects.find((o) => {
    if (o.doc.kind !== 'Application') return false;
    const spec = get(o.doc, 'spec');
    const sources = get(spec, 'sources') ?? [get(spec, 'source')];
    return Array.isArray(sources) && sources.some((s) => get(s, 'chart') === 'authentik');
  });

/**
 * Which engine the layer runs: the one asked for (--engine), or the one its authentik HelmRelease
 * or Application shows. Asking for the other engine than the layer's objects show is refused:
 * adopting it would switch engines in one step (docs/flux.md#switching-engines).
 */
export function layerEngine(objects: ReadonlyArray<{ where: string; doc: Doc }>, asked?: ImportEngine): LayerEngine {
  const release = readFluxRelease(objects);
  const app = argoApplication(objects);
  if (asked === 'argocd' && release)
    throw new ImportError(
      `--engine argocd: ${release.where} runs Authentik from a Flux HelmRelease; import it with --engine flux (switching engines is a migration of its own, docs/flux.md#switching-engines)`,
    );
  if (asked === 'flux' && app)
    throw new ImportError(
      `--engine flux: ${app.where} runs Authentik from an ArgoCD Application; import it with --engine argocd (switching engines is a migration of its own, docs/flux.md#switching-engines)`,
    );
  if (release) return { engine: 'flux', release, found: `flux (the authentik HelmRelease in ${release.where})` };
  if (asked === 'flux') return { engine: 'flux', found: 'flux (--engine flux; no authentik HelmRelease in the layer)' };
  return {
    engine: 'argocd',
    found: app
      ? `argocd (the authentik Application in ${app.where})`
      : 'argocd (no Flux HelmRelease of the authentik chart in the layer; give --engine flux for a Flux layer without one)',
  };
}

/** The kustomization of the layer whose configMapGenerator makes the ConfigMap `name`. */
const generatorOf = (objects: ReadonlyArray<{ where: string; doc: Doc }>, name: string) =>
  objects.find((o) => {
    const gens = o.doc.kind === 'Kustomization' ? get(o.doc, 'configMapGenerator') : undefined;
    return Array.isArray(gens) && gens.some((g) => get(g, 'name') === name);
  });

const CHART_VERSION = /^\d+\.\d+\.\d+$/;

/**
 * The chart version the draft pins under Flux: the HelmRelease's (chart.spec.version, or its
 * OCIRepository's ref), else --authentik-version. A range (Flux accepts semver ranges) or none is
 * asked for, never guessed; a --authentik-version other than the pinned one is refused.
 */
export function fluxChartVersion(e: LayerEngine, given?: string): string | undefined {
  const r = e.release;
  if (!r) return given;
  const pinned = r.chartVersion && CHART_VERSION.test(r.chartVersion) ? r.chartVersion : undefined;
  if (!pinned && !given)
    throw new ImportError(
      `${r.where}: the HelmRelease pins no chart version (${r.chartVersion ? `"${r.chartVersion}" is a range` : 'none in chart.spec.version or its OCIRepository ref'}): give the one the cluster runs with --authentik-version <x.y.z>`,
    );
  if (pinned && given && pinned !== given)
    throw new ImportError(
      `--authentik-version ${given}: ${r.where} runs chart ${pinned}; give the version the cluster runs, or leave the flag out`,
    );
  return pinned ?? given;
}

/** A values source's YAML from a ConfigMap of the layer; a Secret's values are never read. */
function sourceValues(
  objects: ReadonlyArray<{ where: string; doc: Doc }>,
  r: ImportedFluxRelease,
  s: ImportedFluxRelease['valuesFrom'][number],
): { where: string; doc?: Doc; note?: string } {
  const key = s.valuesKey ?? 'values.yaml';
  const what = `valuesFrom ${s.kind} ${s.name}`;
  if (s.kind === 'Secret')
    return {
      where: r.where,
      note: `${r.where}: ${what}: kept as a reference in gitops.flux.valuesFrom; a Secret's values are never read into the draft`,
    };
  const cm = objects.find(
    (o) =>
      o.doc.kind === 'ConfigMap' &&
      get(o.doc, 'metadata', 'name') === s.name &&
      [undefined, r.namespace].includes(str(get(o.doc, 'metadata', 'namespace'))),
  );
  const text = str(get(cm?.doc, 'data', key));
  // A kustomize configMapGenerator's files are values files of the layer, already read as such.
  if (!cm && generatorOf(objects, s.name)) return { where: r.where };
  if (!cm || text === undefined)
    return {
      where: r.where,
      note: `${r.where}: ${what} (key ${key}) is not in the imported directories: kept as a reference; its values were not read (AUTHENTIK_HOST, Secret names), so check the draft's authentik section against it`,
    };
  const where = `${cm.where} (ConfigMap ${s.name}, key ${key})`;
  try {
    const doc = loadYaml(text);
    return isRecord(doc) ? { where, doc } : { where, note: `${where}: not a map of Helm values; left out` };
  } catch (e) {
    throw new ImportError(`${where}: does not parse: ${String((e as Error).message).split('\n')[0]}`);
  }
}

/**
 * The operator's Authentik values the HelmRelease reads, as the import's values files: its
 * valuesFrom ConfigMaps found in the layer, then its inline spec.values (helm-controller's merge
 * order, docs/flux.md#values-layering). Read only to find what the draft needs (AUTHENTIK_HOST,
 * Secret names); the draft keeps the sources themselves by reference.
 */
export function fluxValues(
  objects: ReadonlyArray<{ where: string; doc: Doc }>,
  r: ImportedFluxRelease,
): { values: ImportedLayer['values']; notes: string[] } {
  const values: ImportedLayer['values'] = [];
  const notes: string[] = [];
  for (const s of r.valuesFrom) {
    const v = sourceValues(objects, r, s);
    if (v.note) notes.push(v.note);
    if (v.doc) values.push({ chart: 'authentik', where: v.where, repoPath: '', doc: v.doc });
  }
  const inline = get(objects.find((o) => o.where === r.where && o.doc.kind === 'HelmRelease')?.doc, 'spec', 'values');
  if (isRecord(inline)) values.push({ chart: 'authentik', where: `${r.where} (spec.values)`, repoPath: '', doc: inline });
  return { values, notes };
}

/** The draft's Flux fields for the layer's engine: from its HelmRelease, or, with none, an empty valuesFrom to review. */
export function fluxConfig(
  e: LayerEngine,
  namespace?: string,
): { authentik: Doc; gitops: Doc; comments: Array<[path: string, text: string]>; notes: string[] } {
  const r = e.release;
  if (r?.namespace && namespace && r.namespace !== namespace)
    throw new ImportError(
      `--authentik-namespace ${namespace}: ${r.where} runs Authentik in namespace ${r.namespace}; give that one, or leave the flag out`,
    );
  const ns = r?.namespace ?? namespace;
  const comments: Array<[string, string]> = [];
  const notes = [...(r?.notes ?? [])];
  if (!ns) {
    comments.push([
      'authentik',
      'REVIEW: the layer does not say which namespace Authentik runs in; the draft says authentik (the default)',
    ]);
    notes.push(
      `the layer does not say which namespace Authentik runs in (${r ? `${r.where} has no metadata.namespace` : 'no HelmRelease in it'}; a Flux Kustomization's targetNamespace is outside it): the draft says authentik, the default; if it runs elsewhere, import again with --authentik-namespace <namespace>, or adopting installs a second Authentik there`,
    );
  }
  const authentik: Doc = { ...(ns && ns !== 'authentik' ? { namespace: ns } : {}), existingRelease: true };
  if (r) {
    // The chart version is importCluster's, checked by fluxChartVersion (a range is never pinned).
    const d = fluxDraft({ ...r, namespace: ns, chartVersion: undefined });
    return { authentik: { ...d.authentik, ...authentik }, gitops: d.gitops, comments, notes };
  }
  comments.push([
    'gitops.flux.valuesFrom',
    "REVIEW: the layer has no HelmRelease: list the running release's values ConfigMaps/Secrets here (empty: it runs on chart defaults)",
  ]);
  notes.push(
    'no Flux HelmRelease of the authentik chart in the layer: the draft says gitops.flux.valuesFrom: [], so the first reconcile renders the chart from the generated values alone; if the running release reads ConfigMaps or Secrets, list them in gitops.flux.valuesFrom first',
  );
  return { authentik, gitops: { engine: 'flux', flux: { valuesFrom: [] } }, comments, notes };
}

/**
 * The engine's part of the draft, written into it: under Flux the release's namespace, chart and
 * values sources merged into `authentik`, its lines and review comments; the gitops section, or
 * undefined under ArgoCD (the default, written as nothing).
 */
export function draftEngine(
  e: LayerEngine,
  draft: { authentik: Doc; notes: string[]; comments: Map<string, string> },
  namespace?: string,
  valuesNotes: ReadonlyArray<string> = [],
): Doc | undefined {
  if (namespace && e.engine !== 'flux')
    throw new ImportError(
      `--authentik-namespace ${namespace}: only for a Flux layer (an ArgoCD layer's Applications name their namespace)`,
    );
  if (e.engine !== 'flux') return undefined;
  const f = fluxConfig(e, namespace);
  const { chart, ...rest } = f.authentik;
  Object.assign(draft.authentik, rest, { chart: { ...(draft.authentik.chart as Doc), ...(chart as Doc | undefined) } });
  draft.notes.push(...valuesNotes, ...f.notes);
  for (const [p, text] of f.comments) draft.comments.set(p, text);
  return f.gitops;
}

/**
 * What the plan removes on adopting a Flux layer that is expected, with the line saying why (else
 * undefined): the operator's values sources, which the draft keeps reading through valuesFrom and
 * the operator keeps applying, and the chart source the adopted HelmRelease no longer uses.
 */
export function expectedFluxRemoval(
  config: {
    gitops: { engine: string; flux?: { valuesFrom?: ReadonlyArray<{ kind: string; name: string }> } };
    authentik: { namespace: string };
  },
  release: ImportedFluxRelease | undefined,
  /** The layer's namespace is known (its HelmRelease's, or --authentik-namespace): its namespace-less objects land there. */
  namespaceKnown = false,
  objects: ReadonlyArray<{ where: string; doc: Doc }> = [],
): (k: K8sRef, added: ReadonlyArray<K8sRef>) => string | undefined {
  return (k, added) => {
    if (config.gitops.engine === 'flux' && fluxKustomizationOrphans(objects, k))
      return `Kustomization ${k.namespace ?? ''}/${k.name}: leaves what it applied when it is removed (deletionPolicy Orphan or no prune); the output's Kustomizations and HelmRelease take that over`;
    if (config.gitops.engine !== 'flux' || (k.namespace ?? config.authentik.namespace) !== config.authentik.namespace) return undefined;
    const ns = config.authentik.namespace;
    if (!k.namespace && namespaceKnown && added.some((a) => a.kind === k.kind && a.name === k.name && a.namespace === ns))
      return `${k.kind} ${k.name}: has no namespace in the layer (its Flux Kustomization puts it in ${ns}); the output's ${ns}/${k.name} is the same object, updated`;
    if (config.gitops.flux?.valuesFrom?.some((s) => s.kind === k.kind && s.name === k.name))
      return `${k.kind} ${k.namespace ?? ''}/${k.name}: not in the output, and the HelmRelease reads it (gitops.flux.valuesFrom): keep it applied where it is`;
    if (release?.source && release.source.kind === k.kind && release.source.name === k.name)
      return `${k.kind} ${k.namespace ?? ''}/${k.name}: the chart source of the adopted HelmRelease; the output's own HelmRepository replaces it, so the plan removes it`;
    return undefined;
  };
}

/** Whether a Flux Kustomization of the layer leaves what it applied when deleted (undefined: k is not one). */
function fluxKustomizationOrphans(objects: ReadonlyArray<{ where: string; doc: Doc }>, k: K8sRef): boolean | undefined {
  const ks = objects.find(
    (o) =>
      o.doc.kind === 'Kustomization' &&
      String(o.doc.apiVersion).startsWith('kustomize.toolkit.fluxcd.io/') &&
      get(o.doc, 'metadata', 'name') === k.name &&
      str(get(o.doc, 'metadata', 'namespace')) === k.namespace,
  );
  if (k.kind !== 'Kustomization' || !ks) return undefined;
  const policy = get(ks.doc, 'spec', 'deletionPolicy');
  return policy === 'Orphan' || ((policy === undefined || policy === 'MirrorPrune') && get(ks.doc, 'spec', 'prune') !== true);
}

/**
 * Why removing a Flux object of the layer would take Authentik with it, for the plan's removal line
 * (else undefined): a Kustomization that prunes deletes what it applied when it is deleted
 * (kustomize-controller docs/spec/v1/kustomizations.md "Deletion policy"), the HelmRelease included.
 */
export function fluxRemovalRisk(objects: ReadonlyArray<{ where: string; doc: Doc }>): (k: K8sRef) => string | undefined {
  return (k) => {
    if (fluxKustomizationOrphans(objects, k) !== false) return undefined;
    return 'it prunes, so deleting it deletes what it applied (a HelmRelease with it uninstalls Authentik): set deletionPolicy: Orphan on it and let Flux apply that first (docs/flux.md#adopting-a-flux-layer)';
  };
}
