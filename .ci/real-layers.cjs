// Adopting a real auth layer (read in place from the folder CI has beside the repository): runs
// `npm run import` on the layer's directories and asserts, from its printed lines, that the draft
// validates and that synthesizing it against the layer (import's own render-and-guard step)
// orphans nothing, deletes no Authentik object, leaves none unmanaged (every live identity kept),
// and is not refused by Authentik. `--apps <dir>` is the directory of the layer's ArgoCD
// Applications: read for chart versions and values paths only, its own objects (an AppProject) are
// not part of the synced auth layer, so a removal of one of them is not a finding.
// usage: node .ci/real-layers.cjs <name> --apps <dir> -- <import args...>
'use strict';
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const [name, appsFlag, apps, sep, ...args] = process.argv.slice(2);
if (!name || appsFlag !== '--apps' || sep !== '--') {
  console.error('usage: node .ci/real-layers.cjs <name> --apps <dir> -- <import args...>');
  process.exit(2);
}
const r = spawnSync(process.execPath, ['bin/import.cjs', ...args], { encoding: 'utf8' });
const lines = `${r.stdout}\n${r.stderr}`.split('\n').filter(Boolean);
const appsDir = path.resolve(apps);
const FINDINGS = [
  [/^draft config error: /, 'the draft does not validate'],
  [/^adopting the draft: check failed: /, 'a synth check fails'],
  [/^adopting the draft: orphan: /, 'the orphan guard refuses'],
  [/^adopting the draft: plan deletes /, 'the plan deletes an Authentik object'],
  [/^adopting the draft: plan leaves /, 'a live object loses its identity (left unmanaged)'],
  [/^adopting the draft: plan is refused by Authentik: /, 'Authentik would refuse the plan'],
  [/^adopting the draft: plan moves /, 'a blueprint moves'],
  [/^import error: (?!adopting the draft)/, 'import refused the layer'],
];
const removedOutsideApps = (l) => {
  const m = /^adopting the draft: plan removes .* \((.*)\)$/.exec(l);
  return m && !path.resolve(m[1]).startsWith(`${appsDir}${path.sep}`);
};
const bad = [];
for (const l of lines) {
  const f = FINDINGS.find(([re]) => re.test(l));
  if (f) bad.push(`${f[1]}: ${l}`);
  else if (removedOutsideApps(l)) bad.push(`a Kubernetes object of the layer is removed: ${l}`);
}
if (!lines.some((l) => /^wrote .*: \d+ services/.test(l))) bad.push('no draft was written');
for (const b of bad) console.error(`real layer ${name}: ${b}`);
if (bad.length) process.exit(1);
console.log(`real layer ${name}: the draft validates; no orphan, deletion, lost identity or refusal (${lines.length} lines)`);
