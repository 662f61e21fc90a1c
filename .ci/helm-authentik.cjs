#!/usr/bin/env node
// Renders the real authentik Helm chart with the emitted values, for every supported chart, and
// asserts on the rendered objects that the values do what unified-auth relies on. CI only.
//
// Usage: node .ci/helm-authentik.cjs <helm> <charts dir> <operator values dir> <dist dir> ...
//   e.g. node .ci/helm-authentik.cjs "$HELM" "$UPSTREAM"/charts test/fixtures/operator-values dist
// For each dist dir: the chart version, release name, namespace and values files come from its
// apps/application-authentik.yaml (under Flux, authentik-extras/'s HelmRelease and its valuesFrom) (so the chart is rendered as the Application renders it: the
// operator's own values files, from <operator values dir>, and values/authentik.yaml in its order;
// .ci/values-layers.cjs), the blueprint ConfigMaps and the LB Service from authentik-extras/. Fails
// when a chart under <charts dir>/authentik-* was rendered by none of them.
// Asserts, per render:
//   - every global.env entry reaches the server and worker containers, server.env/worker.env their own;
//   - every blueprint ConfigMap (values blueprints.configMaps and every blueprint ConfigMap in
//     authentik-extras) is a volume of the worker, mounted under /blueprints/;
//   - the bundled PostgreSQL reads its password from the Secret and key the values name, and they are
//     the Secret and key Authentik's AUTHENTIK_POSTGRESQL__PASSWORD reads;
//   - worker.podAnnotations (secrets.mode external-secrets: the rotation generations) reach the
//     worker's pod template, so a rotation rolls the worker;
//   - the LB Service's selector matches the server pods (and not the worker's), and its named target
//     ports exist on the server container;
//   - the verify PostSync hook Job (verify.postSyncHook), when there is one, runs the image the
//     chart's server container runs and asks a Service the chart renders, on a port it serves.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const yaml = require('js-yaml');
const { applicationValueFiles, helmReleaseValueFiles, coalesce, helmTemplate, load } = require('./values-layers.cjs');

const BLUEPRINT_LABEL = 'app.kubernetes.io/component';

function loadAll(file) {
  return yaml.loadAll(fs.readFileSync(file, 'utf8')).filter((d) => d && typeof d === 'object');
}

function yamlFiles(dir) {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => path.join(dir, f));
}

/** Deep equality that ignores key order (Helm re-serializes maps with sorted keys). */
function canonical(v) {
  if (Array.isArray(v)) return v.map(canonical);
  if (v === null || typeof v !== 'object') return v;
  return Object.fromEntries(
    Object.keys(v)
      .sort()
      .map((k) => [k, canonical(v[k])]),
  );
}
const same = (a, b) => JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
const matches = (selector, labels) => Object.entries(selector).every(([k, v]) => labels[k] === v);

/** The single workload whose pod template carries app.kubernetes.io/component=<component>. */
function workload(objects, kind, component, errors, where) {
  const found = objects.filter((o) => o.kind === kind && (o.spec.template.metadata.labels || {})[BLUEPRINT_LABEL] === component);
  if (found.length !== 1) {
    errors.push(`${where}: expected one ${kind} with component ${component}, found ${found.length}`);
    return undefined;
  }
  return found[0];
}

function envAssertions(values, pods, errors, where) {
  const expect = [
    ['global.env', (values.global || {}).env || [], ['server', 'worker']],
    ['server.env', (values.server || {}).env || [], ['server']],
    ['worker.env', (values.worker || {}).env || [], ['worker']],
  ];
  let count = 0;
  for (const [source, entries, targets] of expect) {
    for (const entry of entries) {
      for (const t of targets) {
        const pod = pods[t];
        if (!pod) continue;
        const containers = pod.spec.template.spec.containers;
        count++;
        if (!containers.some((c) => (c.env || []).some((e) => same(e, entry)))) {
          errors.push(`${where}: ${source} entry ${entry.name} does not reach the ${t} container unchanged`);
        }
      }
    }
  }
  return count;
}

function blueprintAssertions(values, extras, worker, errors, where) {
  const listed = ((values.blueprints || {}).configMaps || []).slice();
  const emitted = extras
    .filter((o) => o.kind === 'ConfigMap' && (o.metadata.labels || {})[BLUEPRINT_LABEL] === 'blueprint')
    .map((o) => o.metadata.name);
  for (const n of emitted)
    if (!listed.includes(n)) errors.push(`${where}: blueprint ConfigMap ${n} is emitted but not in blueprints.configMaps`);
  if (!worker) return 0;
  const spec = worker.spec.template.spec;
  const mounts = spec.containers.flatMap((c) => c.volumeMounts || []);
  for (const name of new Set([...listed, ...emitted])) {
    const volume = (spec.volumes || []).find((v) => v.configMap && v.configMap.name === name);
    if (!volume) {
      errors.push(`${where}: blueprint ConfigMap ${name} is not a volume of the worker`);
      continue;
    }
    const mount = mounts.find((m) => m.name === volume.name);
    if (!mount || !mount.mountPath.startsWith('/blueprints/'))
      errors.push(`${where}: blueprint ConfigMap ${name} is not mounted under /blueprints/ in the worker`);
  }
  return new Set([...listed, ...emitted]).size;
}

/** Where a container's env var gets its value: { secret, key } or undefined. */
function secretSourceOfEnv(container, name) {
  const e = (container.env || []).find((x) => x.name === name);
  const ref = e && e.valueFrom && e.valueFrom.secretKeyRef;
  return ref ? { secret: ref.name, key: ref.key } : undefined;
}

/** The PostgreSQL container's password source: a secretKeyRef env, or a *_FILE env into a Secret volume. */
function postgresPasswordSource(sts) {
  const spec = sts.spec.template.spec;
  const c = spec.containers.find((x) => x.name === 'postgresql') || spec.containers[0];
  const direct = secretSourceOfEnv(c, 'POSTGRES_PASSWORD');
  if (direct) return direct;
  const file = (c.env || []).find((x) => x.name === 'POSTGRES_PASSWORD_FILE');
  if (!file) return undefined;
  const mount = (c.volumeMounts || []).find((m) => file.value.startsWith(`${m.mountPath.replace(/\/$/, '')}/`));
  const volume = mount && (spec.volumes || []).find((v) => v.name === mount.name);
  if (!volume || !volume.secret) return undefined;
  const fileName = file.value.slice(mount.mountPath.replace(/\/$/, '').length + 1);
  // With items, the file name maps back to a key; without, each key is a file of its own name.
  const item = (volume.secret.items || []).find((i) => i.path === fileName);
  return { secret: volume.secret.secretName, key: item ? item.key : fileName };
}

function postgresAssertions(values, objects, pods, errors, where) {
  const pg = values.postgresql || {};
  if (!pg.enabled) return 'not bundled';
  const sts = objects.find(
    (o) => o.kind === 'StatefulSet' && (o.spec.template.metadata.labels || {})['app.kubernetes.io/name'] === 'postgresql',
  );
  if (!sts) {
    errors.push(`${where}: postgresql.enabled but no PostgreSQL StatefulSet was rendered`);
    return 'missing';
  }
  const auth = pg.auth || {};
  const want = { secret: auth.existingSecret, key: (auth.secretKeys || {}).userPasswordKey };
  const got = postgresPasswordSource(sts);
  if (!got) errors.push(`${where}: the PostgreSQL container reads its password from no Secret`);
  else if (!same(got, want))
    errors.push(`${where}: PostgreSQL reads its password from ${got.secret}/${got.key}, the values name ${want.secret}/${want.key}`);
  for (const t of ['server', 'worker']) {
    const c = pods[t] && pods[t].spec.template.spec.containers[0];
    const ak = c && secretSourceOfEnv(c, 'AUTHENTIK_POSTGRESQL__PASSWORD');
    if (c && !same(ak, got))
      errors.push(
        `${where}: the ${t} reads AUTHENTIK_POSTGRESQL__PASSWORD from ${ak ? `${ak.secret}/${ak.key}` : 'no Secret'}, PostgreSQL from ${got ? `${got.secret}/${got.key}` : 'no Secret'}`,
      );
  }
  return got ? `${got.secret}/${got.key}` : 'none';
}

function serviceAssertions(extras, pods, errors, where) {
  const lbs = extras.filter((o) => o.kind === 'Service' && o.spec.type === 'LoadBalancer');
  if (lbs.length === 0) errors.push(`${where}: no LoadBalancer Service in authentik-extras`);
  for (const svc of lbs) {
    const sel = svc.spec.selector || {};
    const server = pods.server && pods.server.spec.template;
    if (!server || Object.keys(sel).length === 0 || !matches(sel, server.metadata.labels || {})) {
      errors.push(`${where}: Service ${svc.metadata.name} selector ${JSON.stringify(sel)} does not match the server pods`);
      continue;
    }
    if (pods.worker && matches(sel, pods.worker.spec.template.metadata.labels || {}))
      errors.push(`${where}: Service ${svc.metadata.name} also selects the worker pods`);
    const ports = server.spec.containers.flatMap((c) => c.ports || []);
    for (const p of svc.spec.ports) {
      const t = p.targetPort;
      const ok =
        typeof t === 'string' ? ports.some((x) => x.name === t) : ports.some((x) => x.containerPort === (t === undefined ? p.port : t));
      if (!ok)
        errors.push(
          `${where}: Service ${svc.metadata.name} port ${p.name || p.port} targets ${t}, which the server container does not expose`,
        );
    }
  }
  return lbs.length;
}

/** The verify hook Job: the server's image, and its --url a Service of the chart selecting the server pods. */
function verifyHookAssertions(extras, objects, pods, errors, where) {
  const jobs = extras.filter((o) => o.kind === 'Job' && o.metadata.labels?.['app.kubernetes.io/component'] === 'verify');
  for (const job of jobs) {
    const [c] = job.spec.template.spec.containers;
    const server = pods.server && pods.server.spec.template.spec.containers.find((x) => x.name === 'server');
    if (!server || c.image !== server.image)
      errors.push(`${where}: Job ${job.metadata.name} runs ${c.image}, the chart's server runs ${server && server.image}`);
    const url = new URL(c.command[c.command.indexOf('--url') + 1]);
    const [name, ns] = url.hostname.split('.');
    const svc = objects.find((o) => o.kind === 'Service' && o.metadata.name === name);
    const port = Number(url.port || 80);
    const serves =
      svc &&
      svc.spec.ports.some((p) => p.port === port) &&
      matches(svc.spec.selector || {}, pods.server.spec.template.metadata.labels || {});
    if (!serves || ns !== job.metadata.namespace)
      errors.push(
        `${where}: Job ${job.metadata.name} asks ${url.host}, which is no Service of the chart serving the server pods on that port`,
      );
  }
  return jobs.length;
}

/** What the chart is rendered with: from the authentik Application, or under Flux its HelmRelease. */
function releaseOf(dist, operatorDir) {
  if (!fs.existsSync(path.join(dist, 'apps', 'application-authentik.yaml'))) {
    const { release: hr, files } = helmReleaseValueFiles(dist, operatorDir);
    return { version: hr.spec.chart.spec.version, release: hr.spec.releaseName, namespace: hr.metadata.namespace, files };
  }
  const { app, chart: source, files } = applicationValueFiles(dist, 'authentik', operatorDir);
  return {
    version: source.targetRevision,
    release: source.helm.releaseName || app.metadata.name,
    namespace: app.spec.destination.namespace,
    files,
  };
}

/** The values' worker pod annotations, each on the worker's pod template; how many were checked. */
function annotationAssertions(values, worker, errors, where) {
  const want = (values.worker || {}).podAnnotations || {};
  if (!worker) return 0;
  const got = worker.spec.template.metadata.annotations || {};
  for (const [k, v] of Object.entries(want))
    if (got[k] !== v) errors.push(`${where}: worker pod annotation ${k} is ${JSON.stringify(got[k])}, the values say ${JSON.stringify(v)}`);
  return Object.keys(want).length;
}

function renderOne(helm, chartsDir, operatorDir, dist) {
  const { version, release, namespace, files } = releaseOf(dist, operatorDir);
  const chart = path.join(chartsDir, `authentik-${version}`, 'authentik');
  const where = `${dist} on chart ${version} (values: ${files.map((f) => f.repoPath).join(', ')})`;
  if (!fs.existsSync(chart)) return { version, errors: [`${where}: no chart at ${chart}`] };
  const chartVersion = yaml.load(fs.readFileSync(path.join(chart, 'Chart.yaml'), 'utf8')).version;
  if (chartVersion !== version) return { version, errors: [`${where}: ${chart} is chart ${chartVersion}`] };
  // The generated keys must arrive as emitted; PostgreSQL is judged on the merge (a running
  // release's own values decide whether it is bundled).
  const values = load(path.join(dist, 'values', 'authentik.yaml'));
  const merged = coalesce(files.map((f) => load(f.local)));
  const objects = helmTemplate(
    helm,
    release,
    chart,
    namespace,
    files.map((f) => f.local),
  );
  const extras = yamlFiles(path.join(dist, 'authentik-extras')).flatMap(loadAll);
  const errors = [];
  const pods = {
    server: workload(objects, 'Deployment', 'server', errors, where),
    worker: workload(objects, 'Deployment', 'worker', errors, where),
  };
  const envs = envAssertions(values, pods, errors, where);
  const blueprints = blueprintAssertions(values, extras, pods.worker, errors, where);
  const pg = postgresAssertions({ ...values, postgresql: merged.postgresql }, objects, pods, errors, where);
  const services = serviceAssertions(extras, pods, errors, where);
  const hooks = verifyHookAssertions(extras, objects, pods, errors, where);
  const annotations = annotationAssertions(values, pods.worker, errors, where);
  console.log(
    `helm-authentik: ${where}: ${objects.length} objects; ${envs} env placements, ${blueprints} blueprint ConfigMaps on the worker, PostgreSQL password from ${pg}, ${services} LB Service(s), ${hooks} verify hook Job(s), ${annotations} worker pod annotation(s) checked`,
  );
  return { version, errors };
}

function main(argv) {
  if (argv.length < 4) {
    console.error('usage: node .ci/helm-authentik.cjs <helm> <charts dir> <operator values dir> <dist dir> ...');
    return 2;
  }
  const [helm, chartsDir, operatorDir, ...dists] = argv;
  const rendered = new Set();
  const errors = [];
  for (const dist of dists) {
    const r = renderOne(helm, chartsDir, operatorDir, dist);
    rendered.add(r.version);
    errors.push(...r.errors);
  }
  const available = fs
    .readdirSync(chartsDir)
    .filter((d) => d.startsWith('authentik-'))
    .map((d) => d.slice('authentik-'.length))
    .sort();
  for (const v of available)
    if (!rendered.has(v)) errors.push(`chart authentik ${v} in ${chartsDir} was rendered with no dist/ (add a fixture for it)`);
  for (const e of errors) console.log(e);
  console.log(`helm-authentik: ${rendered.size} chart versions (${[...rendered].sort().join(', ')}), ${errors.length} errors`);
  return errors.length > 0 ? 1 : 0;
}

module.exports = { workload, envAssertions, blueprintAssertions, postgresAssertions };

if (require.main === module) process.exitCode = main(process.argv.slice(2));
