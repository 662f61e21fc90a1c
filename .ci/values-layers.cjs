// CI only: the values files a generated Application hands to Helm, as local files, in its order
// (docs/values-layering.md), and Helm's merge of them. Shared by the helm-*.cjs scripts.
//
// An Application lists `$values/<repository path>`. A path inside the dist's git.path is a generated
// file of that dist; any other is an operator's own values file, looked up under <operator values dir>
// (test/fixtures/operator-values/ lays out the repository files the test configs name).
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const yaml = require('js-yaml');

const load = (file) => yaml.load(fs.readFileSync(file, 'utf8'));

/** { app, files: [{ local, repoPath, generated }] } of apps/application-<name>.yaml in <dist>. */
function applicationValueFiles(dist, name, operatorDir) {
  const app = load(path.join(dist, 'apps', `application-${name}.yaml`));
  const sources = app.spec.sources || [app.spec.source];
  const chart = sources.find((s) => s.chart);
  const refs = new Map(sources.filter((s) => s.ref).map((s) => [s.ref, s]));
  const files = (chart.helm.valueFiles || []).map((vf) => {
    const m = /^\$([^/]+)\/(.*)$/.exec(vf);
    if (!m || !refs.has(m[1])) throw new Error(`${dist}: ${name} value file ${vf} is not a $<ref>/<path> of a source`);
    return m[2];
  });
  // git.path (where dist/ sits in the repository) is the generated file's path minus values/<name>.yaml.
  const generated = `values/${name}.yaml`;
  const gitPath = files.find((f) => f.endsWith(`/${generated}`))?.slice(0, -generated.length - 1);
  if (gitPath === undefined) throw new Error(`${dist}: the ${name} Application does not list its generated ${generated}`);
  return {
    app,
    chart,
    files: files.map((repoPath) => {
      const inDist = repoPath.startsWith(`${gitPath}/`);
      const local = inDist ? path.join(dist, repoPath.slice(gitPath.length + 1)) : path.join(operatorDir, repoPath);
      if (!fs.existsSync(local)) throw new Error(`${dist}: ${name} value file ${repoPath} has no file at ${local}`);
      return { local, repoPath, generated: inDist };
    }),
  };
}

/**
 * Under Flux (docs/flux.md): the values files of the authentik HelmRelease in authentik-extras/, in
 * its valuesFrom order (Flux merges them in list order, later wins, as Helm merges --values files).
 * A ConfigMap the dist carries is written out to a temp file; an operator's source is looked up as
 * <operator values dir>/flux/<kind>/<name>/<valuesKey>. { release, files: [{ local, repoPath, generated }] }.
 */
function helmReleaseValueFiles(dist, operatorDir) {
  const dir = path.join(dist, 'authentik-extras');
  const docs = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => load(path.join(dir, f)));
  const release = docs.find((d) => d.kind === 'HelmRelease');
  if (!release) throw new Error(`${dist}: no HelmRelease in authentik-extras/`);
  const tmp = fs.mkdtempSync(path.join(require('node:os').tmpdir(), 'flux-values-'));
  const files = (release.spec.valuesFrom || []).map((v, i) => {
    const key = v.valuesKey || 'values.yaml';
    const cm = docs.find((d) => d.kind === v.kind && d.metadata.name === v.name && d.metadata.namespace === release.metadata.namespace);
    if (cm) {
      const local = path.join(tmp, `${i}-${v.name}.yaml`);
      fs.writeFileSync(local, cm.data[key]);
      return { local, repoPath: `${v.kind}/${v.name}[${key}] (generated)`, generated: true };
    }
    const local = path.join(operatorDir, 'flux', v.kind, v.name, key);
    if (!fs.existsSync(local)) throw new Error(`${dist}: valuesFrom ${v.kind} ${v.name} has no file at ${local}`);
    return { local, repoPath: `${v.kind}/${v.name}[${key}]`, generated: false };
  });
  return { release, files };
}

const isMap = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Helm's merge of values files in order: maps merge key by key, anything else (lists too) is replaced. */
function coalesce(values) {
  const merge = (a, b) => {
    if (!isMap(a) || !isMap(b)) return b;
    const out = { ...a };
    for (const [k, v] of Object.entries(b)) out[k] = k in a ? merge(a[k], v) : v;
    return out;
  };
  return values.reduce((acc, v) => merge(acc, v || {}), {});
}

/** `helm template` with the files in order; the rendered objects. */
function helmTemplate(helm, release, chartDir, namespace, files) {
  const args = ['template', release, chartDir, '--namespace', namespace, ...files.flatMap((f) => ['--values', f])];
  const out = execFileSync(helm, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return yaml.loadAll(out).filter((d) => d && typeof d === 'object' && d.kind);
}

module.exports = { applicationValueFiles, helmReleaseValueFiles, coalesce, helmTemplate, load };
