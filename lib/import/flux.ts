// Reading a Flux layer (docs/flux.md): the authentik HelmRelease, its chart version (from the
// HelmRelease, or from the OCIRepository its chartRef names) and its valuesFrom, as the config's
// authentik.chart and gitops.flux. Inline spec.values and a valuesFrom targetPath have no place in
// the config (generated values must not go inline, docs/flux.md#values-layering): they are notes.
import { type Doc } from './read';
import { isRecord } from '../base/records';
import { generatedValuesName } from '../model/derivers/gitops';

export interface ImportedFluxRelease {
  /** `<dir>/<file>` of the HelmRelease. */
  where: string;
  namespace?: string;
  releaseName?: string;
  chartVersion?: string;
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
  return {
    where: found.where,
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
