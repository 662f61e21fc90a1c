#!/usr/bin/env node
// The construct package as a cdk8s user gets it (.ci/construct-package.sh): what `npm pack` ships,
// and whether the Kubernetes objects a fresh app's stock `cdk8s synth` writes are the objects
// `npm run synth` writes for the same config. CI only: nothing under lib/ or test/ imports this.
//
// Usage:
//   node .ci/construct-package.cjs files <npm pack --json output>
//     every packed file is one a consumer needs: package.json, README, LICENSE, lib-dist/.
//   node .ci/construct-package.cjs objects <dist> <app-outdir>
//     the objects of <dist>'s Kubernetes directories equal those of <app-outdir>/*.k8s.yaml, parsed.
// Prints one line per problem and a summary; exits 1 on any problem.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { isDeepStrictEqual } = require('node:util');
const yaml = require('js-yaml');

/** What a consumer needs from the tarball; npm always adds package.json, the README and a LICENSE. */
const SHIPPED = [/^package\.json$/, /^README\.md$/, /^LICENSE(\.\w+)?$/, /^lib-dist\//];
/** The output directories holding one Kubernetes object per file (lib/base/paths.ts OUTPUT appsDir, extrasDir, edgeDir). */
const OBJECT_DIRS = ['apps', 'authentik-extras', 'edge'];

function fail(problems, what) {
  for (const p of problems) console.error(`construct-package: ${p}`);
  console.error(`construct-package: ${problems.length} problem(s) in ${what}`);
  process.exit(1);
}

function checkFiles(packJson) {
  const [pack] = JSON.parse(fs.readFileSync(packJson, 'utf8'));
  const paths = pack.files.map((f) => f.path);
  const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8'));
  const entries = [pkg.main, pkg.types, pkg.exports['.'].types, pkg.exports['.'].default].map((p) => p.replace(/^\.\//, ''));
  const problems = [
    ...paths.filter((p) => !SHIPPED.some((re) => re.test(p))).map((p) => `${p}: packed, but no consumer needs it`),
    ...entries.filter((p) => !paths.includes(p)).map((p) => `${p}: named by package.json, but not packed`),
  ];
  if (problems.length) fail(problems, 'the packed files');
  console.log(`construct-package: ${paths.length} files packed (${pack.size} bytes), each one a consumer needs`);
}

const keyOf = (o) => `${o.apiVersion} ${o.kind} ${o.metadata.namespace ?? ''}/${o.metadata.name}`;

/** Parsed objects by key; a key seen twice is a problem of its own. */
function byKey(docs, where, problems) {
  const map = new Map();
  for (const o of docs) {
    if (!o || typeof o !== 'object' || !o.kind || !o.metadata) continue;
    if (map.has(keyOf(o))) problems.push(`${where}: ${keyOf(o)} twice`);
    map.set(keyOf(o), o);
  }
  return map;
}

const yamlFiles = (dir) => (fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)) : []);

function checkObjects(dist, appOut) {
  const problems = [];
  const load = (file) => yaml.loadAll(fs.readFileSync(file, 'utf8'));
  const expected = byKey(
    OBJECT_DIRS.flatMap((d) => yamlFiles(path.join(dist, d)).flatMap((f) => load(path.join(dist, d, f)))),
    dist,
    problems,
  );
  const manifests = yamlFiles(appOut).filter((f) => f.endsWith('.k8s.yaml'));
  const actual = byKey(
    manifests.flatMap((f) => load(path.join(appOut, f))),
    appOut,
    problems,
  );
  for (const [k, o] of expected) {
    if (!actual.has(k)) problems.push(`${k}: in ${dist}, not written by cdk8s synth`);
    else if (!isDeepStrictEqual(actual.get(k), o)) problems.push(`${k}: cdk8s synth wrote a different object than ${dist}`);
  }
  for (const k of actual.keys()) if (!expected.has(k)) problems.push(`${k}: written by cdk8s synth, not in ${dist}`);
  if (expected.size === 0) problems.push(`${dist}: no Kubernetes objects to compare with`);
  if (problems.length) fail(problems, 'the synthesized objects');
  console.log(`construct-package: cdk8s synth wrote ${manifests.join(', ')}: the ${expected.size} objects of ${dist}, equal when parsed`);
}

const [cmd, ...args] = process.argv.slice(2);
if (cmd === 'files' && args.length === 1) checkFiles(args[0]);
else if (cmd === 'objects' && args.length === 2) checkObjects(args[0], args[1]);
else fail(['usage: node .ci/construct-package.cjs files <pack.json> | objects <dist> <app-outdir>'], 'the arguments');
