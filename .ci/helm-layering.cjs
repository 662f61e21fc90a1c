#!/usr/bin/env node
// CI only: values layering keeps every operator key (docs/values-layering.md). Renders the real
// argo-cd and authentik charts the way each generated Application does, with the operator's own
// values files and the generated one in the Application's order (.ci/values-layers.cjs), and asserts
// on the rendered objects, not on the values:
//   - every key of every operator values file arrives in the rendered objects with the value Helm's
//     merge gives it (server args, Service type and annotations, replicas, affinity, nodeSelector,
//     tolerations, resources, PostgreSQL persistence, argocd-cm / argocd-cmd-params-cm /
//     argocd-rbac-cm / notifications entries, ...). A key this script cannot locate in the rendered
//     objects is a failure too, so a new fixture key needs a locator here;
//   - the generated file overrides no operator key outside the keys the auth layer owns (AUTH_KEYS);
//   - the generated auth keys arrive as emitted: argocd-cm url and oidc.config, argocd-rbac-cm,
//     no Dex server; Authentik's env (.ci/helm-authentik.cjs), blueprint mounts and PostgreSQL secret;
//   - no container gets the same env var twice (server-side apply refuses duplicate list keys).
//
//   node .ci/helm-layering.cjs <helm> <charts dir> <operator values dir> <dist> ...
'use strict';

const path = require('node:path');
const { applicationValueFiles, coalesce, helmTemplate, load } = require('./values-layers.cjs');
const { workload, envAssertions, blueprintAssertions, postgresAssertions } = require('./helm-authentik.cjs');

/** Keys of the generated files an operator file may set too (the generated value wins, or theirs with generatedFirst). */
const AUTH_KEYS = {
  argocd: [
    'configs.cm.url',
    'configs.cm.oidc.config',
    'configs.rbac.policy.csv',
    'configs.rbac.policy.default',
    'configs.rbac.scopes',
    'dex.enabled',
  ],
  authentik: [
    'global.env',
    'worker.env',
    'blueprints.configMaps',
    'server.service.type',
    'authentik.secret_key',
    'authentik.bootstrap_password',
    'authentik.postgresql.password',
    'postgresql.enabled',
    'postgresql.auth',
  ],
};

const isMap = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
/** [path[], value] of every leaf; a list is a leaf (Helm replaces lists whole). */
function leaves(v, at = []) {
  if (!isMap(v) || Object.keys(v).length === 0) return [[at, v]];
  return Object.entries(v).flatMap(([k, x]) => leaves(x, [...at, k]));
}
const valueAt = (v, p) => p.reduce((o, k) => (isMap(o) ? o[k] : undefined), v);
const canonical = (v) =>
  Array.isArray(v)
    ? v.map(canonical)
    : isMap(v)
      ? Object.fromEntries(
          Object.keys(v)
            .sort()
            .map((k) => [k, canonical(v[k])]),
        )
      : v;
const same = (a, b) => JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
/** Every element of `want` (a list) has an equal element in `got`. */
const containsAll = (got, want) => (want || []).every((w) => (got || []).some((g) => same(g, w)));
const find = (objs, kind, name) => objs.find((o) => o.kind === kind && o.metadata?.name === name);
const podSpec = (o) => o?.spec?.template?.spec;
const mainContainer = (o, name) => podSpec(o)?.containers.find((c) => !name || c.name === name) ?? podSpec(o)?.containers[0];
const b64 = (s) => Buffer.from(String(s)).toString('base64');

/** Duplicate env var names in any container of any workload. */
function duplicateEnv(objs, where, errors) {
  for (const o of objs) {
    for (const c of [...(podSpec(o)?.containers ?? []), ...(podSpec(o)?.initContainers ?? [])]) {
      const names = (c.env ?? []).map((e) => e.name);
      const dup = names.filter((n, i) => names.indexOf(n) !== i);
      if (dup.length) errors.push(`${where}: ${o.kind}/${o.metadata.name} container ${c.name} gets ${[...new Set(dup)].join(', ')} twice`);
    }
  }
}

/** The argo-cd chart's `hard`/`soft` affinity presets: a required or a preferred rule on argocd-server. */
const affinityKind = (kind) => (objs, want) => {
  const rules = podSpec(find(objs, 'Deployment', 'argocd-server'))?.affinity?.[kind] ?? {};
  const field = { hard: 'requiredDuringSchedulingIgnoredDuringExecution', soft: 'preferredDuringSchedulingIgnoredDuringExecution' }[want];
  return field && rules[field] ? '' : `argocd-server ${kind} is ${JSON.stringify(rules)}`;
};

/**
 * Where an argo-cd values key shows in the rendered objects: a function (objs, want) => problem
 * string or '' (holds), or undefined when this script has no locator for it.
 */
function argocdLocator(p) {
  const key = p.join('.');
  const cmKey = (cm, k) => (objs, want) => {
    const got = find(objs, 'ConfigMap', cm)?.data?.[k];
    return got === String(want) ? '' : `ConfigMap ${cm} ${k} is ${JSON.stringify(got)}`;
  };
  if (p[0] === 'configs' && p.length === 3 && p[1] === 'cm') return cmKey('argocd-cm', p[2]);
  if (p[0] === 'configs' && p.length === 3 && p[1] === 'params') return cmKey('argocd-cmd-params-cm', p[2]);
  if (p[0] === 'configs' && p.length === 3 && p[1] === 'rbac') return cmKey('argocd-rbac-cm', p[2]);
  if (p[0] === 'notifications' && p.length === 3 && ['notifiers', 'triggers', 'templates'].includes(p[1]))
    return cmKey('argocd-notifications-cm', p[2]);
  const replicas = (kind, name) => (objs, want) => {
    const got = find(objs, kind, name)?.spec?.replicas;
    return got === want ? '' : `${kind} ${name} has ${got} replicas`;
  };
  switch (key) {
    case 'global.domain':
      // With no notifications.argocdUrl, the notifications context is built from it.
      return (objs, want) => {
        const ctx = load0(find(objs, 'ConfigMap', 'argocd-notifications-cm')?.data?.context);
        return ctx?.argocdUrl === `https://${want}` ? '' : `argocd-notifications-cm context argocdUrl is ${ctx?.argocdUrl}`;
      };
    case 'global.affinity.nodeAffinity.matchExpressions':
      return (objs, want) => {
        const terms = podSpec(find(objs, 'Deployment', 'argocd-server'))?.affinity?.nodeAffinity
          ?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
        return (terms ?? []).some((t) => containsAll(t.matchExpressions, want))
          ? ''
          : `argocd-server nodeSelectorTerms are ${JSON.stringify(terms)}`;
      };
    case 'global.affinity.nodeAffinity.type':
      return affinityKind('nodeAffinity');
    case 'global.affinity.podAntiAffinity':
      return affinityKind('podAntiAffinity');
    case 'server.extraArgs':
      return (objs, want) => {
        const args = mainContainer(find(objs, 'Deployment', 'argocd-server'), 'server')?.args ?? [];
        return want.every((a) => args.includes(a)) ? '' : `argocd-server args are ${JSON.stringify(args)}`;
      };
    case 'server.replicas':
      return replicas('Deployment', 'argocd-server');
    case 'controller.replicas':
      return replicas('StatefulSet', 'argocd-application-controller');
    case 'server.service.type':
      return (objs, want) => {
        const got = find(objs, 'Service', 'argocd-server')?.spec?.type;
        return got === want ? '' : `Service argocd-server is of type ${got}`;
      };
    case 'notifications.enabled':
      return (objs, want) =>
        !!find(objs, 'Deployment', 'argocd-notifications-controller') === want
          ? ''
          : `the notifications controller is ${want ? 'not ' : ''}rendered`;
    case 'dex.enabled':
      return (objs, want) =>
        !!find(objs, 'Deployment', 'argocd-dex-server') === want ? '' : `the Dex server is ${want ? 'not ' : ''}rendered`;
  }
  if (p.length === 4 && key.startsWith('server.service.annotations.'))
    return (objs, want) => {
      const got = find(objs, 'Service', 'argocd-server')?.metadata?.annotations?.[p[3]];
      return got === String(want) ? '' : `Service argocd-server annotation ${p[3]} is ${JSON.stringify(got)}`;
    };
  return undefined;
}
const load0 = (text) => (typeof text === 'string' ? require('js-yaml').load(text) : undefined);

/** The same for the authentik chart (server/worker affinity and tolerations are compared in operatorKeys). */
function authentikLocator(p) {
  const key = p.join('.');
  const pod = (objs, component) =>
    objs.find((o) => o.kind === 'Deployment' && o.spec.template.metadata.labels?.['app.kubernetes.io/component'] === component);
  const postgres = (objs) =>
    objs.find((o) => o.kind === 'StatefulSet' && o.spec.template.metadata.labels?.['app.kubernetes.io/name'] === 'postgresql');
  const components = ['server', 'worker'];
  if (components.includes(p[0]) && p[1] === 'replicas' && p.length === 2)
    return (objs, want) => (pod(objs, p[0])?.spec.replicas === want ? '' : `the ${p[0]} has ${pod(objs, p[0])?.spec.replicas} replicas`);
  if (components.includes(p[0]) && p[1] === 'nodeSelector' && p.length === 3)
    return (objs, want) =>
      podSpec(pod(objs, p[0]))?.nodeSelector?.[p[2]] === want
        ? ''
        : `the ${p[0]} nodeSelector is ${JSON.stringify(podSpec(pod(objs, p[0]))?.nodeSelector)}`;
  if (components.includes(p[0]) && p[1] === 'resources')
    return (objs, want) => {
      const got = valueAt(mainContainer(pod(objs, p[0]))?.resources ?? {}, p.slice(2));
      return String(got) === String(want) ? '' : `the ${p[0]} container resources.${p.slice(2).join('.')} is ${JSON.stringify(got)}`;
    };
  if (key === 'global.tolerations')
    return (objs, want) =>
      components
        .filter((c) => !containsAll(podSpec(pod(objs, c))?.tolerations, want))
        .map((c) => `the ${c} lacks tolerations ${JSON.stringify(want)}`)
        .join('; ');
  if (p[0] === 'authentik' && !['secret_key', 'bootstrap_password'].includes(p[1]) && !(p[1] === 'postgresql' && p[2] === 'password'))
    return (objs, want) => {
      // authentik.<a>.<b> becomes AUTHENTIK_<A>__<B> in the chart's env Secret, read by both pods.
      const name = `AUTHENTIK_${p
        .slice(1)
        .map((s) => s.toUpperCase())
        .join('__')}`;
      const secret = objs.find((o) => o.kind === 'Secret' && o.data && name in o.data);
      return secret?.data[name] === b64(want)
        ? ''
        : `${name} is ${secret ? Buffer.from(secret.data[name], 'base64').toString() : 'in no Secret'}`;
    };
  if (key === 'postgresql.enabled') return (objs, want) => (!!postgres(objs) === want ? '' : `PostgreSQL is ${want ? 'not ' : ''}rendered`);
  if (key === 'postgresql.primary.persistence.enabled')
    return (objs, want) =>
      (postgres(objs)?.spec.volumeClaimTemplates ?? []).length > 0 === want ? '' : 'the PostgreSQL volume claim is not as configured';
  if (key === 'postgresql.primary.persistence.storageClass')
    return (objs, want) => {
      const got = postgres(objs)?.spec.volumeClaimTemplates?.[0]?.spec.storageClassName;
      return got === want ? '' : `PostgreSQL's volume claim has storage class ${JSON.stringify(got)}`;
    };
  if (key === 'postgresql.primary.persistence.size')
    return (objs, want) => {
      const got = postgres(objs)?.spec.volumeClaimTemplates?.[0]?.spec.resources?.requests?.storage;
      return got === want ? '' : `PostgreSQL's volume claim requests ${JSON.stringify(got)}`;
    };
  if (p[0] === 'postgresql' && p[1] === 'primary' && p[2] === 'nodeSelector' && p.length === 4)
    return (objs, want) =>
      podSpec(postgres(objs))?.nodeSelector?.[p[3]] === want
        ? ''
        : `PostgreSQL's nodeSelector is ${JSON.stringify(podSpec(postgres(objs))?.nodeSelector)}`;
  return undefined;
}

/** Operator keys: each arrives with its merged value, and only auth keys are overridden. */
function operatorKeys(chartName, locate, layered, objs, where, errors) {
  const { files, merged, generated } = layered;
  const generatedIndex = files.findIndex((f) => f.generated);
  let count = 0;
  for (const [i, f] of files.entries()) {
    if (f.generated) continue;
    const values = load(f.local) ?? {};
    for (const [p] of leaves(values)) {
      const key = p.join('.');
      // The generated file sets this key (or a list/scalar above it) and comes later: it wins.
      const overriddenBy = p.findIndex(
        (_, n) =>
          valueAt(generated, p.slice(0, n + 1)) !== undefined && (n === p.length - 1 || !isMap(valueAt(generated, p.slice(0, n + 1)))),
      );
      if (overriddenBy >= 0 && generatedIndex > i) {
        const owned = p.slice(0, overriddenBy + 1).join('.');
        if (!AUTH_KEYS[chartName].some((k) => owned === k || owned.startsWith(`${k}.`)))
          errors.push(`${where}: the generated file overrides ${f.repoPath} ${key}, which the auth layer does not own`);
        continue;
      }
      count++;
      const want = valueAt(merged, p);
      // Whole-object keys (affinity, tolerations) are compared as the merged object.
      if (chartName === 'authentik' && ['server', 'worker'].includes(p[0]) && ['affinity', 'tolerations'].includes(p[1])) {
        const pod = objs.find((o) => o.kind === 'Deployment' && o.spec.template.metadata.labels?.['app.kubernetes.io/component'] === p[0]);
        const got = valueAt(podSpec(pod) ?? {}, p.slice(1));
        if (!same(got, want))
          errors.push(`${where}: ${f.repoPath} ${key} ${JSON.stringify(want)} is not in the ${p[0]} pods (${JSON.stringify(got)})`);
        continue;
      }
      const check = locate(p);
      if (!check) {
        errors.push(
          `${where}: ${f.repoPath} ${key}: no locator in .ci/helm-layering.cjs says where it shows in the rendered objects; add one`,
        );
        continue;
      }
      const problem = check(objs, want);
      if (problem) errors.push(`${where}: ${f.repoPath} ${key} = ${JSON.stringify(want)} did not survive: ${problem}`);
    }
  }
  return count;
}

function layered(dist, name, operatorDir) {
  const { app, chart, files } = applicationValueFiles(dist, name, operatorDir);
  const generated = load(files.find((f) => f.generated).local);
  return { app, chart, files, generated, merged: coalesce(files.map((f) => load(f.local))) };
}

function argocd(helm, chartsDir, operatorDir, dist, errors) {
  const l = layered(dist, 'argocd', operatorDir);
  const where = `${dist} argo-cd (${l.files.map((f) => f.repoPath).join(', ')})`;
  const objs = helmTemplate(
    helm,
    l.chart.helm.releaseName,
    path.join(chartsDir, `argo-cd-${l.chart.targetRevision}`, 'argo-cd'),
    l.app.spec.destination.namespace,
    l.files.map((f) => f.local),
  );
  const kept = operatorKeys('argocd', argocdLocator, l, objs, where, errors);
  // The auth keys, as emitted.
  let auth = 0;
  for (const [p, value] of leaves(l.generated)) {
    auth++;
    const check = argocdLocator(p);
    const problem = check ? check(objs, value) : `no locator for generated key ${p.join('.')}`;
    if (problem) errors.push(`${where}: generated ${p.join('.')} did not arrive: ${problem}`);
  }
  duplicateEnv(objs, where, errors);
  return `${where}: ${objs.length} objects, ${kept} operator keys kept, ${auth} auth keys arrived`;
}

function authentik(helm, chartsDir, operatorDir, dist, errors) {
  const l = layered(dist, 'authentik', operatorDir);
  const where = `${dist} authentik ${l.chart.targetRevision} (${l.files.map((f) => f.repoPath).join(', ')})`;
  const objs = helmTemplate(
    helm,
    l.chart.helm.releaseName,
    path.join(chartsDir, `authentik-${l.chart.targetRevision}`, 'authentik'),
    l.app.spec.destination.namespace,
    l.files.map((f) => f.local),
  );
  const kept = operatorKeys('authentik', authentikLocator, l, objs, where, errors);
  const pods = {
    server: workload(objs, 'Deployment', 'server', errors, where),
    worker: workload(objs, 'Deployment', 'worker', errors, where),
  };
  const envs = envAssertions(l.generated, pods, errors, where);
  const extras = [];
  const mounts = blueprintAssertions(l.generated, extras, pods.worker, errors, where);
  const pg = postgresAssertions({ ...l.generated, postgresql: l.merged.postgresql }, objs, pods, errors, where);
  duplicateEnv(objs, where, errors);
  return `${where}: ${objs.length} objects, ${kept} operator keys kept; ${envs} env placements, ${mounts} blueprint ConfigMaps mounted, PostgreSQL password from ${pg}`;
}

function main(argv) {
  if (argv.length < 4) {
    console.error('usage: node .ci/helm-layering.cjs <helm> <charts dir> <operator values dir> <dist> ...');
    return 2;
  }
  const [helm, chartsDir, operatorDir, ...dists] = argv;
  const errors = [];
  let layeredApps = 0;
  for (const dist of dists) {
    for (const [name, fn] of [
      ['argocd', argocd],
      ['authentik', authentik],
    ]) {
      const { files } = applicationValueFiles(dist, name, operatorDir);
      if (!files.some((f) => !f.generated)) {
        console.log(`helm-layering: ${dist} ${name}: no operator values files listed; nothing to layer`);
        continue;
      }
      layeredApps++;
      console.log(`helm-layering: ${fn(helm, chartsDir, operatorDir, dist, errors)}`);
    }
  }
  if (layeredApps === 0) errors.push('no Application listed an operator values file: nothing was proven');
  for (const e of errors) console.error(`helm-layering: ${e}`);
  console.log(`helm-layering: ${layeredApps} layered Applications rendered, ${errors.length} errors`);
  return errors.length ? 1 : 0;
}

process.exitCode = main(process.argv.slice(2));
