// Adopting a real auth layer (read in place from the folder CI has beside the repository): runs
// `npm run import` on the layer's directories and asserts, from its printed lines, that the draft
// validates and that synthesizing it against the layer (import's own render-and-guard step)
// orphans nothing, deletes no Authentik object, leaves none unmanaged (every live identity kept),
// and is not refused by Authentik. `--apps <dir>` is the directory of the layer's ArgoCD
// Applications: read for chart versions and values paths only, its own objects (an AppProject) are
// not part of the synced auth layer, so a removal of one of them is not a finding.
// `--skipped <file>` names a file of the layer that does not parse: import must name it on one
// line (and adopt the rest), like Authentik, which cannot apply it either.
// usage: node .ci/real-layers.cjs <name> --apps <dir> [--skipped <file>] -- <import args...>
'use strict';
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const USAGE = 'usage: node .ci/real-layers.cjs <name> --apps <dir> [--skipped <file>] -- <import args...>';
const argv = process.argv.slice(2);
const sepAt = argv.indexOf('--');
const [name, appsFlag, apps, skippedFlag, skippedFile] = argv.slice(0, sepAt);
const args = argv.slice(sepAt + 1);
if (!name || appsFlag !== '--apps' || sepAt < 0 || (skippedFlag !== undefined && (skippedFlag !== '--skipped' || !skippedFile))) {
  console.error(USAGE);
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
const skippedLines = lines.filter((l) => l.startsWith('skipped: '));
if (skippedFile && !(skippedLines.length === 1 && skippedLines[0].includes(skippedFile)))
  bad.push(`import must name ${skippedFile} on one skipped: line (got ${skippedLines.length})`);
else if (!skippedFile && skippedLines.length) bad.push(`a file is skipped: ${skippedLines[0]}`);
for (const b of bad) console.error(`real layer ${name}: ${b}`);
if (bad.length) process.exit(1);
const kept = lines.find((l) => /^wrote /.test(l));
console.log(`real layer ${name}: the draft validates; no orphan, deletion, lost identity or refusal (${lines.length} lines; ${kept})`);
