#!/usr/bin/env node
// CI only: render the real consumer charts with the emitted values (`helm template`) and assert on
// the rendered objects, not on our values files: values a chart does not read are dropped without a
// warning, so only the chart's own output proves they arrive.
//
//   node .ci/helm-consumers.cjs <helm> <charts dir> <operator values dir> <frank dist> <second cluster dist> [<external-secrets dist>]
//
// argo-cd is rendered as its Application renders it: the operator's own values files (from
// <operator values dir>) and values/argocd.yaml in the Application's order (.ci/values-layers.cjs).
//
// - argo-cd: argocd-cm holds url and oidc.config (issuer, client id, secret reference, scopes)
//   and no cliClientID (the CLI shares ArgoCD's client); with oidc.cli (the second cluster) that
//   client is public: enablePKCEAuthentication and no clientSecret. argocd-rbac-cm holds the policy,
//   and every ignoreDifferences entry of the argocd Application names an object the chart renders;
// - grafana, standalone (the second cluster's values) and as the `grafana` subchart of
//   victoria-metrics-k8s-stack (frank's values): grafana.ini has [auth.generic_oauth] with the
//   emitted settings and the Deployment's envFrom names the client-secret Secret;
// - secrets.mode external-secrets (the optional third dist): the rotation annotation of the emitted
//   podAnnotations reaches the pod templates of argocd-server and Grafana, so a rotation rolls them;
// - no rendered object carries an example domain (argocd.example.com, chart-example.local, ...).
'use strict';
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const yaml = require('js-yaml');
const { applicationValueFiles, helmTemplate } = require('./values-layers.cjs');

const [helm, chartsDir, operatorDir, frankDist, otherDist, esoDist] = process.argv.slice(2);
if (!otherDist) {
  console.error('usage: helm-consumers.cjs <helm> <charts dir> <operator values dir> <frank dist> <second cluster dist>');
  process.exit(2);
}

const failures = [];
const fail = (msg) => failures.push(msg);
const load = (file) => yaml.load(fs.readFileSync(file, 'utf8'));

function template(release, chart, namespace, valuesFile) {
  const out = execFileSync(helm, ['template', release, path.join(chartsDir, chart), '--namespace', namespace, '--values', valuesFile], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return yaml.loadAll(out).filter((d) => d && typeof d === 'object' && d.kind);
}

const find = (objs, kind, name) => objs.find((o) => o.kind === kind && o.metadata?.name === name);

/** Hostnames under example.* or *.local that are not the cluster's own domain: a chart default leaked. */
function exampleDomains(objs, label, ownDomain) {
  const text = objs.map((o) => JSON.stringify(o)).join('\n');
  const hits = new Set(text.match(/[a-z0-9.-]*(?:example\.(?:com|org|net)|example\.local)\b/gi) ?? []);
  for (const h of hits) {
    if (h === ownDomain || h.endsWith(`.${ownDomain}`)) continue;
    fail(`${label}: a rendered object contains the example domain "${h}" (a chart default nothing overrode)`);
  }
}

function argocd(dist, domain, label, cli) {
  const values = path.join(dist, 'values/argocd.yaml');
  const { files } = applicationValueFiles(dist, 'argocd', operatorDir);
  const objs = helmTemplate(
    helm,
    'argocd',
    path.join(chartsDir, 'argo-cd-9.4.6/argo-cd'),
    'argocd',
    files.map((f) => f.local),
  );
  const emitted = load(values).configs;
  const server = objs.find((o) => o.kind === 'Deployment' && o.metadata?.name === 'argocd-server');
  podAnnotations(server, load(values).server?.podAnnotations, `${label} argo-cd argocd-server`);
  const cm = find(objs, 'ConfigMap', 'argocd-cm');
  const rbac = find(objs, 'ConfigMap', 'argocd-rbac-cm');
  if (!cm) fail(`${label} argo-cd: no ConfigMap argocd-cm rendered`);
  else {
    if (cm.data?.url !== emitted.cm.url)
      fail(`${label} argo-cd: argocd-cm url ${JSON.stringify(cm.data?.url)} is not the emitted ${emitted.cm.url}`);
    const oidc = yaml.load(cm.data?.['oidc.config'] ?? 'null');
    const want = yaml.load(emitted.cm['oidc.config']);
    if (
      !oidc ||
      oidc.issuer !== want.issuer ||
      oidc.clientID !== want.clientID ||
      oidc.clientSecret !== want.clientSecret ||
      oidc.enablePKCEAuthentication !== want.enablePKCEAuthentication
    ) {
      fail(
        `${label} argo-cd: argocd-cm oidc.config ${JSON.stringify(oidc)} does not carry the emitted issuer, clientID and clientSecret reference`,
      );
    }
    if (JSON.stringify(oidc?.requestedScopes) !== JSON.stringify(want.requestedScopes) || !want.requestedScopes.includes('groups')) {
      fail(
        `${label} argo-cd: oidc.config requestedScopes ${JSON.stringify(oidc?.requestedScopes)} are not the emitted ${JSON.stringify(want.requestedScopes)} (with groups)`,
      );
    }
    // The CLI shares ArgoCD's own client (Authentik issues per client, argocd-server trusts one issuer).
    if (oidc && 'cliClientID' in oidc)
      fail(`${label} argo-cd: oidc.config has cliClientID ${oidc.cliClientID}, but a separate CLI client would have another issuer`);
    if (cli && (oidc?.enablePKCEAuthentication !== true || 'clientSecret' in (oidc ?? {}))) {
      fail(
        `${label} argo-cd: with oidc.cli the rendered oidc.config must have enablePKCEAuthentication: true and no clientSecret, got ${JSON.stringify(oidc)}`,
      );
    }
    if (!cli && (typeof oidc?.clientSecret !== 'string' || !oidc.clientSecret.startsWith('$') || oidc.enablePKCEAuthentication)) {
      fail(
        `${label} argo-cd: the confidential client's oidc.config must reference its secret ($<secret>:<key>) without PKCE, got ${JSON.stringify(oidc)}`,
      );
    }
  }
  if (!rbac) fail(`${label} argo-cd: no ConfigMap argocd-rbac-cm rendered`);
  else {
    for (const k of ['policy.csv', 'policy.default', 'scopes']) {
      if (rbac.data?.[k] !== emitted.rbac[k])
        fail(
          `${label} argo-cd: argocd-rbac-cm ${k} ${JSON.stringify(rbac.data?.[k])} is not the emitted ${JSON.stringify(emitted.rbac[k])}`,
        );
    }
  }
  // ignoreDifferences may only name objects the Application really renders.
  const app = load(path.join(dist, 'apps/application-argocd.yaml'));
  for (const d of app.spec.ignoreDifferences ?? []) {
    const hit = objs.find((o) => o.kind === d.kind && (!d.name || o.metadata?.name === d.name));
    if (!hit) fail(`${label} argo-cd: ignoreDifferences ${d.kind}/${d.name ?? '*'} matches no object the chart renders`);
  }
  exampleDomains(objs, `${label} argo-cd`, domain);
  return objs.length;
}

/** Every emitted pod annotation is on the Deployment's pod template (a rotation must roll it). */
function podAnnotations(deploy, want, label) {
  const got = deploy?.spec?.template?.metadata?.annotations ?? {};
  for (const [k, v] of Object.entries(want ?? {}))
    if (got[k] !== v) fail(`${label}: pod annotation ${k} is ${JSON.stringify(got[k])} on the rendered pods, emitted ${JSON.stringify(v)}`);
}

/** grafana.ini and envFrom of the rendered Grafana, against the emitted chart values. */
function grafana(objs, chartValues, label, domain) {
  const ini = objs.find((o) => o.kind === 'ConfigMap' && typeof o.data?.['grafana.ini'] === 'string')?.data['grafana.ini'];
  if (!ini) fail(`${label}: no ConfigMap with grafana.ini rendered`);
  else {
    const section = /^\[auth\.generic_oauth\]\n((?:(?!\[).*\n?)*)/m.exec(ini)?.[1] ?? '';
    if (!section) fail(`${label}: grafana.ini has no [auth.generic_oauth] section (the values did not reach the chart)`);
    const want = chartValues['grafana.ini']?.['auth.generic_oauth'] ?? {};
    for (const k of ['client_id', 'client_secret', 'auth_url', 'token_url', 'api_url', 'role_attribute_path']) {
      const line = new RegExp(`^${k} = (.*)$`, 'm').exec(section)?.[1];
      if (line !== String(want[k]))
        fail(`${label}: grafana.ini [auth.generic_oauth] ${k} = ${JSON.stringify(line)}, emitted ${JSON.stringify(want[k])}`);
    }
    const root = /^\[server\]\n(?:(?!\[).*\n)*?root_url = (.*)$/m.exec(ini)?.[1];
    const wantRoot = chartValues['grafana.ini']?.server?.root_url;
    if (root !== wantRoot) fail(`${label}: grafana.ini [server] root_url = ${JSON.stringify(root)}, emitted ${wantRoot}`);
  }
  const deploy = objs.find((o) => o.kind === 'Deployment' && o.spec?.template?.spec?.containers?.some((c) => c.name === 'grafana'));
  const container = deploy?.spec.template.spec.containers.find((c) => c.name === 'grafana');
  const refs = (container?.envFrom ?? []).map((e) => e.secretRef?.name).filter(Boolean);
  if (!refs.includes(chartValues.envFromSecret))
    fail(`${label}: the grafana container's envFrom names ${JSON.stringify(refs)}, not the Secret ${chartValues.envFromSecret}`);
  podAnnotations(deploy, chartValues.podAnnotations, label);
  exampleDomains(objs, label, domain);
}

function grafanaStandalone(dist, domain, label) {
  const file = path.join(dist, 'values/grafana.yaml');
  const values = load(file);
  if (!values['grafana.ini']) fail(`${label}: values/grafana.yaml is not in the standalone chart's shape (no top-level grafana.ini)`);
  const objs = template('grafana', 'grafana-12.7.3/grafana', 'monitoring', file);
  grafana(objs, values, `${label} grafana (standalone)`, domain);
  return objs.length;
}

function grafanaSubchart(dist, domain, label) {
  const file = path.join(dist, 'values/grafana.yaml');
  const values = load(file);
  if (!values.grafana?.['grafana.ini'])
    fail(`${label}: values/grafana.yaml is not nested under grafana: as victoria-metrics-k8s-stack needs`);
  const objs = template('vm', 'victoria-metrics-k8s-stack-0.91.2/victoria-metrics-k8s-stack', 'monitoring', file);
  // What Grafana should end up with, wherever the file put it.
  grafana(objs, values.grafana ?? values, `${label} victoria-metrics-k8s-stack/grafana`, domain);
  return objs.length;
}

const domainOf = (dist) => {
  const url = load(path.join(dist, 'values/argocd.yaml')).configs.cm.url;
  return new URL(url).hostname.split('.').slice(1).join('.');
};
const frankDomain = domainOf(frankDist);
const otherDomain = domainOf(otherDist);
const counts = [
  argocd(frankDist, frankDomain, 'frank', false),
  argocd(otherDist, otherDomain, 'second cluster', true),
  grafanaSubchart(frankDist, frankDomain, 'frank'),
  grafanaStandalone(otherDist, otherDomain, 'second cluster'),
  ...(esoDist
    ? [argocd(esoDist, domainOf(esoDist), 'external-secrets', false), grafanaSubchart(esoDist, domainOf(esoDist), 'external-secrets')]
    : []),
];

if (failures.length) {
  for (const f of failures) console.error(`helm-consumers: ${f}`);
  process.exit(1);
}
console.log(
  `helm-consumers: argo-cd, grafana and victoria-metrics-k8s-stack rendered with the emitted values (${counts.join(', ')} objects); all assertions hold`,
);
