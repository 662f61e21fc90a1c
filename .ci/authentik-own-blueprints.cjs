#!/usr/bin/env node
// CI only: the importer model's stand-ins for Authentik's default and system blueprints
// (test/support/authentik-own-blueprints.ts) against the real files of the pinned release.
// - every stand-in names a real file, with its metadata.name;
// - the stand-in lists exactly the real file's entries: each with the same model and identifiers
//   (and id, where it gives one), each attribute it claims equal to the real one;
// - every file the generated blueprints meta-apply, and every flow or scope mapping they `!Find`,
//   is a stand-in or an object one creates (so `npm test` never runs against a missing default).
//
//   node .ci/authentik-own-blueprints.cjs <authentik-src/blueprints> <dist/authentik-extras> [...]
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const yaml = require('js-yaml');
const { buildSync } = require('esbuild');

const ROOT = path.join(__dirname, '..');
/** The stand-ins and the blueprint YAML schema, loaded from their TypeScript sources. */
function load() {
  const out = buildSync({
    stdin: {
      contents:
        "export { OWN_BLUEPRINTS } from './test/support/authentik-own-blueprints';\n" +
        "export { BLUEPRINT_SCHEMA, Find, KeyOf } from './lib/upstream/blueprint-tags';\n",
      resolveDir: ROOT,
      loader: 'ts',
    },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    write: false,
    external: ['js-yaml'],
    logLevel: 'error',
  });
  const mod = { exports: {} };
  new Function('module', 'exports', 'require', out.outputFiles[0].text)(mod, mod.exports, require);
  return mod.exports;
}
const { OWN_BLUEPRINTS, BLUEPRINT_SCHEMA, Find, KeyOf } = load();

/** Tags as plain data, so a stand-in's value and the real file's compare with ===. */
const plain = (v) =>
  v instanceof Find
    ? { find: [v.model, ...v.query.map((q) => [...q])] }
    : v instanceof KeyOf
      ? { keyOf: v.id }
      : Array.isArray(v)
        ? v.map(plain)
        : v && typeof v === 'object'
          ? Object.fromEntries(
              Object.entries(v)
                .sort()
                .map(([k, x]) => [k, plain(x)]),
            )
          : v;
const same = (a, b) => JSON.stringify(plain(a)) === JSON.stringify(plain(b));
const label = (e) => `${e.model} ${JSON.stringify(plain(e.identifiers ?? e.attrs?.identifiers ?? {}))}`;

const [dir, ...dists] = process.argv.slice(2);
const failures = [];

function checkStandIn(b) {
  const file = path.join(dir, b.path);
  if (!fs.existsSync(file)) return failures.push(`${b.path}: no such file in ${dir}`);
  const real = yaml.load(fs.readFileSync(file, 'utf8'), { schema: BLUEPRINT_SCHEMA });
  if (real.metadata?.name !== b.name) failures.push(`${b.path}: metadata.name is "${real.metadata?.name}", the stand-in says "${b.name}"`);
  const entries = real.entries ?? [];
  const matched = new Set();
  for (const e of b.entries) {
    const ids = Object.keys(e.identifiers).length ? e.identifiers : undefined;
    const hit = entries.find(
      (r) => !matched.has(r) && r.model === e.model && (ids ? same(r.identifiers, ids) : same(r.attrs?.identifiers, e.attrs?.identifiers)),
    );
    if (!hit) {
      failures.push(`${b.path}: no entry ${label(e)}`);
      continue;
    }
    matched.add(hit);
    if (e.id && hit.id !== e.id) failures.push(`${b.path}: ${label(e)} has id "${hit.id}", the stand-in says "${e.id}"`);
    for (const [k, v] of Object.entries(e.attrs ?? {}))
      if (!same(hit.attrs?.[k], v))
        failures.push(
          `${b.path}: ${label(e)} ${k} is ${JSON.stringify(plain(hit.attrs?.[k]))}, the stand-in says ${JSON.stringify(plain(v))}`,
        );
  }
  for (const r of entries.filter((x) => !matched.has(x))) failures.push(`${b.path}: the stand-in leaves out ${label(r)}`);
}

/** What a blueprint document references of Authentik's own: meta-applied instances and found flows and scope mappings. */
function references(doc, where) {
  const refs = [];
  const visit = (v) => {
    if (v instanceof Find && /^authentik_(flows\.|providers_oauth2\.scopemapping$)/.test(v.model)) refs.push({ where, find: v });
    else if (v && typeof v === 'object') Object.values(v).forEach(visit);
  };
  for (const e of doc.entries ?? []) {
    if (e.model === 'authentik_blueprints.metaapplyblueprint') refs.push({ where, meta: e.attrs?.identifiers ?? {} });
    visit(e);
  }
  return refs;
}

function checkReferences(refs) {
  const ours = new Set(refs.filter((r) => r.where.startsWith('generated')).map((r) => r.where));
  for (const r of refs) {
    if (r.meta) {
      const [[k, v]] = Object.entries(r.meta);
      const own = OWN_BLUEPRINTS.some((b) => (k === 'path' ? b.path : b.name) === v);
      // A generated file may meta-apply another generated file (by name); that one is not Authentik's.
      if (!own && !(k === 'name' && [...generatedNames].includes(v)))
        failures.push(`${r.where}: meta-applies ${k} "${v}", which no stand-in is`);
      continue;
    }
    const query = Object.fromEntries(r.find.query);
    const creates = OWN_BLUEPRINTS.some((b) => b.entries.some((e) => e.model === r.find.model && same(e.identifiers, query)));
    if (!creates) failures.push(`${r.where}: finds ${r.find.model} ${JSON.stringify(query)}, which no stand-in creates`);
  }
  if (!ours.size) failures.push('no generated blueprint read (wrong directory?)');
}

const generatedNames = new Set();
const refs = [];
for (const b of OWN_BLUEPRINTS) {
  checkStandIn(b);
  const file = path.join(dir, b.path);
  if (fs.existsSync(file)) refs.push(...references(yaml.load(fs.readFileSync(file, 'utf8'), { schema: BLUEPRINT_SCHEMA }), b.path));
}
for (const d of dists) {
  for (const f of fs.readdirSync(d).filter((x) => x.startsWith('configmap-'))) {
    const cm = yaml.load(fs.readFileSync(path.join(d, f), 'utf8'));
    for (const [key, text] of Object.entries(cm.data ?? {})) {
      if (!key.endsWith('.yaml')) continue;
      const doc = yaml.load(text, { schema: BLUEPRINT_SCHEMA });
      generatedNames.add(doc.metadata?.name);
      refs.push(...references(doc, `generated ${f}:${key}`));
    }
  }
}
checkReferences(refs);
for (const f of failures) console.error(`authentik-own-blueprints: ${f}`);
if (failures.length) process.exit(1);
console.log(
  `authentik-own-blueprints: ${OWN_BLUEPRINTS.length} stand-ins match ${dir}; ${refs.length} references to Authentik's own blueprints, all covered`,
);
