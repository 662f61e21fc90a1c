#!/usr/bin/env node
// Second opinion on ArgoCD RBAC, against ArgoCD's own files: checks that the model and built-in
// policy embedded in test/support/argocd-rbac-model.ts equal upstream's assets/model.conf and
// assets/builtin-policy.csv, then evaluates the generated policy (dist/values/argocd.yaml) with
// the upstream files and checks each group gets what its role promises.
// CI only: nothing under lib/ or test/ imports this.
//
// Usage: node .ci/argocd-rbac-upstream.cjs <model.conf> <builtin-policy.csv> <argocd values.yaml>
//   e.g. node .ci/argocd-rbac-upstream.cjs "$UPSTREAM"/argocd-rbac-model-v3.5.1.conf \
//          "$UPSTREAM"/argocd-builtin-policy-v3.5.1.csv dist/values/argocd.yaml
//
// The project module is TypeScript. Rather than parse its text, this bundles it in memory with
// esbuild (already the project's bundler; dependencies stay external) and loads the result, so
// the exact code the tests use (glob matcher, default-role rule) runs here with upstream data.
// Prints one line per failure and a summary; exits 1 on any failure.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { createRequire } = require('node:module');
const yaml = require('js-yaml');
const { parse: parseCsv } = require('csv-parse/sync');

const ROOT = path.resolve(__dirname, '..');
const MODULE = path.join(ROOT, 'test/support/argocd-rbac-model.ts');

function usage(msg) {
  console.error(`argocd-rbac-upstream: ${msg}`);
  console.error('usage: node .ci/argocd-rbac-upstream.cjs <model.conf> <builtin-policy.csv> <argocd values.yaml>');
  process.exit(1);
}

function read(file, what) {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (e) {
    return usage(`cannot read ${what} ${file}: ${e.message}`);
  }
}

/** test/support/argocd-rbac-model.ts, compiled in memory and loaded as CommonJS. */
function loadProjectModule() {
  const out = require('esbuild').buildSync({
    entryPoints: [MODULE],
    bundle: true,
    packages: 'external',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    write: false,
    logLevel: 'error',
  });
  const mod = { exports: {} };
  new Function('require', 'module', 'exports', out.outputFiles[0].text)(createRequire(MODULE), mod, mod.exports);
  return mod.exports;
}

/** Comparable form: comments and blank lines dropped, whitespace runs collapsed, lines trimmed. */
const normalize = (text) =>
  text
    .split(/\r?\n/)
    .map((l) => l.replace(/#.*$/, '').replace(/\s+/g, ' ').trim())
    .filter(Boolean);

/** Lines without comments or blanks; a `#` inside a quoted field is kept. */
const normalizeCsv = (text) =>
  text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));

/** The policy lines, each as its comma-separated fields trimmed (casbin's own reading). */
const policyLines = (csv) =>
  normalize(csv).map((l) =>
    l
      .split(',')
      .map((f) => f.trim())
      .join(', '),
  );

function firstDifference(a, b) {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] !== b[i]) return `line ${i + 1}: project ${JSON.stringify(a[i])} vs upstream ${JSON.stringify(b[i])}`;
  }
  return '';
}

async function main(argv) {
  const [modelFile, builtinFile, valuesFile] = argv;
  if (!modelFile || !builtinFile || !valuesFile) usage('needs three arguments');
  const upstreamModel = read(modelFile, 'model');
  const upstreamBuiltin = read(builtinFile, 'built-in policy');
  const values = yaml.load(read(valuesFile, 'ArgoCD values'));
  const rbac = values && values.configs && values.configs.rbac;
  if (!rbac || typeof rbac['policy.csv'] !== 'string') usage(`${valuesFile} has no configs.rbac["policy.csv"]`);
  const policyCsv = rbac['policy.csv'];
  const defaultRole = rbac['policy.default'] || '';

  const lib = loadProjectModule();
  const failures = [];
  let checks = 0;
  const check = (ok, msg) => {
    checks++;
    if (!ok) failures.push(msg);
  };

  // 1. The embedded texts are upstream's.
  const modelDiff = firstDifference(normalize(lib.ARGOCD_RBAC_MODEL), normalize(upstreamModel));
  check(!modelDiff, `ARGOCD_RBAC_MODEL differs from ${modelFile}: ${modelDiff}`);
  const builtinDiff = firstDifference(policyLines(lib.ARGOCD_BUILTIN_POLICY), policyLines(upstreamBuiltin));
  check(!builtinDiff, `ARGOCD_BUILTIN_POLICY differs from ${builtinFile}: ${builtinDiff}`);
  check(/\bgroups\b/.test(String(rbac.scopes || '')), `configs.rbac.scopes is ${JSON.stringify(rbac.scopes)}; it must name groups`);

  // 2. The generated policy, evaluated with the upstream model and built-in policy.
  const upstream = await lib.argocdEnforcer(policyCsv, { model: upstreamModel, builtinPolicy: upstreamBuiltin });
  const project = await lib.argocdEnforcer(policyCsv);
  const can = (e, groups, res, act, obj) => lib.argocdCanDo(e, defaultRole, groups, res, act, obj);

  const APP = 'default/some-app';
  const WRITE = ['create', 'update', 'delete', 'sync', 'override'];
  // Each line read as casbin reads it (csv-parse, fields trimmed): a group name may be "quoted" (docs/names.md).
  const groups = normalizeCsv(policyCsv)
    .map((l) => parseCsv(l, { trim: true, relax_quotes: true })[0])
    .filter((f) => f[0] === 'g')
    .map(([, group, role]) => ({ group, role }));
  check(groups.length > 0, `${valuesFile}: policy.csv maps no group to a role`);

  const expect = (groupsOfUser, role, label) => {
    if (role === 'role:admin') {
      for (const act of [...WRITE, 'get'])
        check(can(upstream, groupsOfUser, 'applications', act, APP), `${label} (role:admin) may not ${act} applications`);
      check(can(upstream, groupsOfUser, 'exec', 'create', APP), `${label} (role:admin) may not exec`);
    } else if (role === 'role:readonly') {
      check(can(upstream, groupsOfUser, 'applications', 'get', APP), `${label} (role:readonly) may not get applications`);
      if (defaultRole !== 'role:admin') {
        for (const act of WRITE)
          check(!can(upstream, groupsOfUser, 'applications', act, APP), `${label} (role:readonly) may ${act} applications`);
      }
    } else if (role === '') {
      check(!can(upstream, groupsOfUser, 'applications', 'get', APP), `${label} (no role, empty policy.default) may get applications`);
    } else {
      console.log(`argocd-rbac-upstream: ${label}: custom role ${role}, only the project/upstream equivalence is checked`);
    }
  };
  for (const { group, role } of groups) expect([group], role, group);
  expect([], defaultRole, 'a user in no group (policy.default)');
  expect(['no-such-group'], defaultRole, 'a user in an unmapped group (policy.default)');

  // 3. Project and upstream enforcers decide alike on a grid of requests.
  const subjects = [[], ...groups.map((g) => [g.group]), ['no-such-group']];
  const requests = [
    ['applications', 'get', APP],
    ['applications', 'sync', APP],
    ['applications', 'delete', APP],
    ['applications', 'action/apps/Deployment/restart', APP],
    ['applicationsets', 'create', APP],
    ['logs', 'get', APP],
    ['exec', 'create', APP],
    ['clusters', 'update', 'https://kubernetes.default.svc'],
    ['projects', 'delete', 'default'],
    ['accounts', 'update', 'admin'],
  ];
  for (const s of subjects) {
    for (const [res, act, obj] of requests) {
      const a = can(project, s, res, act, obj);
      const b = can(upstream, s, res, act, obj);
      check(a === b, `groups ${JSON.stringify(s)} ${res} ${act} ${obj}: project says ${a}, upstream says ${b}`);
    }
  }

  for (const f of failures) console.error(`argocd-rbac-upstream: ${f}`);
  const summary = `argocd-rbac-upstream: ${checks} checks, ${groups.length} group(s), policy.default ${JSON.stringify(defaultRole)}: ${failures.length} failure(s)`;
  if (failures.length) {
    console.error(summary);
    return 1;
  }
  console.log(summary);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    console.error(`argocd-rbac-upstream: ${e && e.stack ? e.stack : e}`);
    process.exitCode = 1;
  },
);
