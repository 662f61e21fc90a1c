// The Applications in apps/ point ArgoCD at paths inside this repository: the `$values/...`
// value files of multi-source Applications and the `path` of directory sources. A path that no
// rendered file answers makes ArgoCD fail to render (or sync nothing) after the commit. The
// operator's own values files (outside dist/) are taken as configured.
import type { SynthResult } from '../output/render';
import { asArray, isObj, k8sObjects } from './rendered';
import { valueAt, asString } from '../base/records';

export function checkValueFiles(r: SynthResult): string[] {
  const out: string[] = [];
  const prefix = `${r.model.git.path}/`;
  const rendered = new Set(r.files.map((f) => f.path));
  const operatorFiles = new Set([...r.model.authentik.values.operatorFiles, ...r.model.argocd.values.operatorFiles]);
  const local = (p: string) => (p.startsWith(prefix) ? p.slice(prefix.length) : undefined);
  for (const { file, obj } of k8sObjects(r, 'Application')) {
    const sources = [valueAt(obj, 'spec', 'source'), ...asArray(valueAt(obj, 'spec', 'sources'))].filter(isObj);
    const ours = sources.filter((s) => s.repoURL === r.model.git.repoURL);
    for (const s of sources) {
      for (const vf of asArray(valueAt(s, 'helm', 'valueFiles')).map(String)) {
        const ref = /^\$([^/]+)\/(.*)$/.exec(vf);
        if (!ref) continue;
        if (!ours.some((o) => o.ref === ref[1])) {
          out.push(`${file}: value file "${vf}" uses ref "$${ref[1]}", but no source of ${r.model.git.repoURL} has ref "${ref[1]}"`);
          continue;
        }
        const p = local(ref[2]);
        // The operator's own values files live in the repository outside dist/ (docs/values-layering.md).
        if (p === undefined && operatorFiles.has(ref[2])) continue;
        if (p === undefined || !rendered.has(p))
          out.push(`${file}: value file "${vf}" is neither a rendered file (dist is at ${prefix}) nor a configured operator values file`);
      }
    }
    for (const s of ours) {
      const dir = asString(s.path);
      if (dir === undefined) continue;
      const p = local(`${dir}/`);
      if (p === undefined || ![...rendered].some((f) => f.startsWith(p)))
        out.push(`${file}: source path "${dir}" holds no rendered file (dist is at ${prefix})`);
    }
  }
  return out;
}
