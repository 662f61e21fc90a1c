#!/usr/bin/env node
// Kubernetes name limits on what the API server will see: the real authentik chart rendered with
// the emitted values (as its Application renders it), plus every object of dist/. `helm template`
// does not check name lengths; the API server does, and rejects the whole object. CI only.
//
// Usage: node .ci/kubernetes-names.cjs <helm> <charts dir> <operator values dir> <dist dir> ...
// Checks, per object (limits from Kubernetes' apimachinery validation):
//   - metadata.name: a DNS-1123 label (63) for Namespace and Service, else a DNS-1123 subdomain (253);
//   - label values: at most 63 characters of [-_.A-Za-z0-9], alphanumeric at both ends;
//   - in every pod template: volume, container and init-container names are DNS-1123 labels, each
//     volumeMount names a volume of the pod, port names are IANA service names (15);
//   - ConfigMap data keys: at most 253 characters of [-._A-Za-z0-9];
//   - the worker mounts each blueprint ConfigMap as volume "blueprints-cm-<ConfigMap>", the naming
//     lib/upstream/conventions.ts (CHART_BLUEPRINT_VOLUME_PREFIX) derives the ConfigMap name limit from.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const yaml = require('js-yaml');
const { applicationValueFiles, helmTemplate } = require('./values-layers.cjs');

const LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const PORT_NAME = /^(?=.*[a-z])[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const CONFIG_KEY = /^[-._a-zA-Z0-9]+$/;
const VOLUME_PREFIX = 'blueprints-cm-';
/** Kinds whose names are DNS-1123 labels (the rest: subdomains). */
const LABEL_NAMED = new Set(['Namespace', 'Service']);

const dnsLabel = (v) => typeof v === 'string' && v.length <= 63 && LABEL.test(v);
const dnsSubdomain = (v) => typeof v === 'string' && v.length <= 253 && SUBDOMAIN.test(v);
const describe = (o) => `${o.kind} ${(o.metadata && o.metadata.name) || '?'}`;

function podSpecOf(o) {
  if (o.kind === 'Pod') return o.spec;
  if (o.kind === 'CronJob') return o.spec.jobTemplate.spec.template.spec;
  return o.spec && o.spec.template && o.spec.template.spec;
}

function podProblems(o, spec) {
  const out = [];
  // A StatefulSet's volume claim templates are volumes of its pods too.
  const claims = o.kind === 'StatefulSet' ? (o.spec.volumeClaimTemplates || []).map((t) => t.metadata.name) : [];
  const volumes = [...(spec.volumes || []).map((v) => v.name), ...claims];
  for (const v of volumes) if (!dnsLabel(v)) out.push(`${describe(o)}: volume name "${v}" (${v.length}) is not a DNS-1123 label`);
  for (const c of [...(spec.initContainers || []), ...(spec.containers || [])]) {
    if (!dnsLabel(c.name)) out.push(`${describe(o)}: container name "${c.name}" is not a DNS-1123 label`);
    for (const m of c.volumeMounts || [])
      if (!volumes.includes(m.name)) out.push(`${describe(o)}: container ${c.name} mounts "${m.name}", which is no volume of the pod`);
    for (const p of c.ports || [])
      if (p.name !== undefined && !(p.name.length <= 15 && PORT_NAME.test(p.name)))
        out.push(`${describe(o)}: container ${c.name} port name "${p.name}" is not an IANA service name (at most 15)`);
  }
  return out;
}

function objectProblems(o) {
  const out = [];
  const name = o.metadata && o.metadata.name;
  const ok = LABEL_NAMED.has(o.kind) ? dnsLabel(name) : dnsSubdomain(name);
  if (!ok) out.push(`${describe(o)}: name (${String(name).length}) is not a DNS-1123 ${LABEL_NAMED.has(o.kind) ? 'label' : 'subdomain'}`);
  const spec = podSpecOf(o);
  const templateLabels = spec ? (o.kind === 'Pod' ? {} : (o.spec.template || o.spec.jobTemplate.spec.template).metadata.labels || {}) : {};
  for (const [k, v] of Object.entries({ ...((o.metadata && o.metadata.labels) || {}), ...templateLabels }))
    if (!(String(v).length <= 63 && LABEL_VALUE.test(String(v)))) out.push(`${describe(o)}: label ${k}="${v}" is not a valid label value`);
  if (spec) out.push(...podProblems(o, spec));
  if (o.kind === 'ConfigMap')
    for (const k of Object.keys(o.data || {}))
      if (!(k.length <= 253 && CONFIG_KEY.test(k))) out.push(`${describe(o)}: data key "${k}" is not a valid ConfigMap key`);
  return out;
}

/** Every blueprint ConfigMap of the values is the worker's volume `blueprints-cm-<name>`. */
function chartNamingProblems(objects, configMaps) {
  const worker = objects.find(
    (o) => o.kind === 'Deployment' && ((o.spec.template.metadata.labels || {})['app.kubernetes.io/component'] || '') === 'worker',
  );
  if (!worker) return ['no worker Deployment rendered'];
  const volumes = worker.spec.template.spec.volumes || [];
  return configMaps.flatMap((cm) => {
    const v = volumes.find((x) => x.configMap && x.configMap.name === cm);
    if (!v) return [`blueprint ConfigMap ${cm} is no volume of the worker`];
    return v.name === `${VOLUME_PREFIX}${cm}`
      ? []
      : [`the chart names the volume of ConfigMap ${cm} "${v.name}"; lib/upstream/conventions.ts assumes "${VOLUME_PREFIX}${cm}"`];
  });
}

function distObjects(dist) {
  const dirs = ['apps', 'authentik-extras', 'edge'].map((d) => path.join(dist, d)).filter((d) => fs.existsSync(d));
  return dirs.flatMap((d) =>
    fs
      .readdirSync(d)
      .filter((f) => f.endsWith('.yaml'))
      .sort()
      .flatMap((f) => yaml.loadAll(fs.readFileSync(path.join(d, f), 'utf8')).filter((x) => x && typeof x === 'object' && x.kind)),
  );
}

function checkDist(helm, chartsDir, operatorDir, dist) {
  const { app, chart: source, files } = applicationValueFiles(dist, 'authentik', operatorDir);
  const version = source.targetRevision;
  const chart = path.join(chartsDir, `authentik-${version}`, 'authentik');
  const where = `${dist} on chart ${version}`;
  if (!fs.existsSync(chart)) return { version, count: 0, errors: [`${where}: no chart at ${chart}`] };
  let rendered;
  try {
    rendered = helmTemplate(
      helm,
      source.helm.releaseName || app.metadata.name,
      chart,
      app.spec.destination.namespace,
      files.map((f) => f.local),
    );
  } catch (e) {
    // Helm's own refusals (a release name over 53, say) as one line.
    return { version, count: 0, errors: [`${where}: helm template failed: ${String(e.stderr || e.message).trim()}`] };
  }
  const values = yaml.load(fs.readFileSync(path.join(dist, 'values', 'authentik.yaml'), 'utf8'));
  const objects = [...rendered, ...distObjects(dist)];
  const errors = [...objects.flatMap(objectProblems), ...chartNamingProblems(rendered, (values.blueprints || {}).configMaps || [])];
  const longest = Math.max(...objects.flatMap((o) => ((podSpecOf(o) || {}).volumes || []).map((v) => v.name.length)), 0);
  console.log(`kubernetes-names: ${where}: ${objects.length} objects, longest volume name ${longest}, ${errors.length} problems`);
  return { version, count: objects.length, errors: errors.map((e) => `${where}: ${e}`) };
}

function main(argv) {
  if (argv.length < 4) {
    console.error('usage: node .ci/kubernetes-names.cjs <helm> <charts dir> <operator values dir> <dist dir> ...');
    return 2;
  }
  const [helm, chartsDir, operatorDir, ...dists] = argv;
  const results = dists.map((d) => checkDist(helm, chartsDir, operatorDir, d));
  const errors = results.flatMap((r) => r.errors);
  for (const e of errors) console.log(e);
  const versions = [...new Set(results.map((r) => r.version))].sort();
  console.log(`kubernetes-names: ${results.length} outputs on charts ${versions.join(', ')}, ${errors.length} problems`);
  return errors.length > 0 ? 1 : 0;
}

module.exports = { objectProblems, chartNamingProblems };

if (require.main === module) process.exitCode = main(process.argv.slice(2));
