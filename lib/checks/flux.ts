// Under gitops.engine flux (docs/flux.md) the Kustomizations and the HelmRelease point at things
// the output must carry: a path with files in it, a chart source, the generated values ConfigMap.
// A reference that resolves to nothing fails in the cluster after the commit, so it fails here.
import path from 'node:path';
import type { SynthResult } from '../output/render';
import { OUTPUT } from '../base/paths';
import { asArray, isObj, k8sObjects, type K8sObject } from './rendered';
import { valueAt, asString } from '../base/records';

const nsName = (o: K8sObject['obj'], name: unknown) => `${String(valueAt(o, 'metadata', 'namespace'))}/${String(name)}`;

/** One rule per Flux object kind: what each of its references must resolve to. */
const RULES: ReadonlyArray<{ kind: string; check: (r: SynthResult, o: K8sObject) => string[] }> = [
  { kind: 'Kustomization', check: kustomizationPath },
  { kind: 'HelmRelease', check: helmRelease },
];

export function checkFlux(r: SynthResult): string[] {
  return RULES.flatMap(({ kind, check }) => k8sObjects(r, kind).flatMap((o) => check(r, o)));
}

function kustomizationPath(r: SynthResult, { file, obj }: K8sObject): string[] {
  const p = asString(valueAt(obj, 'spec', 'path')) ?? '';
  const prefix = `./${r.model.git.path}/`;
  const dir = p.startsWith(prefix) ? p.slice(prefix.length) : undefined;
  if (dir !== undefined && r.files.some((f) => f.path.startsWith(`${dir}/`))) return [];
  return [`${file}: spec.path "${p}" holds no rendered file (dist is at ./${r.model.git.path})`];
}

function helmRelease(r: SynthResult, { file, obj }: K8sObject): string[] {
  const out: string[] = [];
  const rendered = (kind: string) => new Set(k8sObjects(r, kind).map((o) => nsName(o.obj, valueAt(o.obj, 'metadata', 'name'))));
  const source = valueAt(obj, 'spec', 'chart', 'spec', 'sourceRef');
  const kind = String(valueAt(source, 'kind'));
  if (!rendered(kind).has(nsName(obj, valueAt(source, 'name'))))
    out.push(`${file}: chart source ${kind} "${String(valueAt(source, 'name'))}" is not in the output`);
  // Inline values are merged after every valuesFrom entry: they would beat the operator's keys.
  if (valueAt(obj, 'spec', 'values') !== undefined)
    out.push(`${file}: spec.values is set; generated values go in valuesFrom only (docs/flux.md#values-layering)`);
  const flux = r.model.gitops.engine === 'flux' ? r.model.gitops.flux : undefined;
  const operator = new Set((flux?.valuesFrom ?? []).filter((v) => v !== flux?.generatedValues).map((v) => `${v.kind}/${v.name}`));
  const configMaps = rendered('ConfigMap');
  for (const v of asArray(valueAt(obj, 'spec', 'valuesFrom')).filter(isObj)) {
    const ours = v.kind === 'ConfigMap' && configMaps.has(nsName(obj, v.name));
    if (!ours && !operator.has(`${String(v.kind)}/${String(v.name)}`))
      out.push(`${file}: valuesFrom ${String(v.kind)} "${String(v.name)}" is neither in the output nor in gitops.flux.valuesFrom`);
  }
  // The chart mounts the blueprint ConfigMaps: the release must be applied with them (same Kustomization).
  if (path.posix.dirname(file) !== OUTPUT.extrasDir)
    out.push(`${file}: the HelmRelease must sit in ${OUTPUT.extrasDir}/ with the blueprint ConfigMaps it mounts`);
  return out;
}
