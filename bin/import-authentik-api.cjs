#!/usr/bin/env node
// Extracts the Request serializers unified-auth writes through blueprints from the OpenAPI schema
// that @goauthentik/api ships, one file per supported Authentik minor: imports/authentik-api-<minor>.json
// from the npm alias authentik-api-<minor> (package.json devDependencies). Committed like a cdk8s
// import: parsing the 1.7 MB schema.yml on every synth costs ~300 ms, the packages are dev-only, and
// a test proves each extract still equals its installed package.
// Usage: node bin/import-authentik-api.cjs [--check]
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const yaml = require('js-yaml');

const PACKAGE = '@goauthentik/api';
/** The supported minors (lib/upstream/authentik-versions.ts lists the same); each is an npm alias. */
const MINORS = ['2026.2', '2026.5', '2026.8'];
const aliasOf = (minor) => `authentik-api-${minor}`;
const SERIALIZERS_TS = path.join(__dirname, '..', 'lib', 'upstream', 'serializers.ts');

/**
 * The serializers to extract: one per blueprint model lib/upstream/api-schema.ts validates. Their
 * one list is lib/upstream/serializers.ts (TypeScript), read here by bundling it with esbuild.
 */
let roots;
function rootSerializers() {
  if (roots) return roots;
  const { outputFiles } = require('esbuild').buildSync({
    entryPoints: [SERIALIZERS_TS],
    bundle: true,
    write: false,
    platform: 'node',
    format: 'cjs',
    logLevel: 'silent',
  });
  const mod = { exports: {} };
  // A bundle of two constant modules, no imports: evaluated as a CommonJS module body.
  new Function('module', 'exports', outputFiles[0].text)(mod, mod.exports);
  roots = [...new Set(Object.values(mod.exports.MODEL_SCHEMAS))];
  return roots;
}
const REF_PREFIX = '#/components/schemas/';
// Human prose only: nothing validates against it, and it is most of the bytes.
const PROSE = new Set(['description', 'title']);
// Keys whose value maps field names to schemas: the names are data, never prose to drop.
const SCHEMA_MAPS = new Set(['properties', 'patternProperties']);

function stripProse(node) {
  if (Array.isArray(node)) return node.map(stripProse);
  if (node === null || typeof node !== 'object') return node;
  const out = {};
  for (const [key, value] of Object.entries(node)) {
    if (PROSE.has(key)) continue;
    if (SCHEMA_MAPS.has(key) && value && typeof value === 'object') {
      out[key] = Object.fromEntries(Object.entries(value).map(([name, s]) => [name, stripProse(s)]));
    } else {
      out[key] = stripProse(value);
    }
  }
  return out;
}

function refsOf(node, into) {
  if (Array.isArray(node)) node.forEach((n) => refsOf(n, into));
  else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string') {
        if (!value.startsWith(REF_PREFIX)) throw new Error(`unsupported $ref ${value}`);
        into.push(value.slice(REF_PREFIX.length));
      } else refsOf(value, into);
    }
  }
  return into;
}

/** Deep copy with object keys sorted, so the file is byte-stable across runs and platforms. */
function sortKeys(node) {
  if (Array.isArray(node)) return node.map(sortKeys);
  if (node === null || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.keys(node)
      .sort()
      .map((k) => [k, sortKeys(node[k])]),
  );
}

/** Pure: the extract from an already parsed OpenAPI document and the package version. */
function extractFromDocument(doc, packageVersion) {
  const all = (doc.components && doc.components.schemas) || {};
  const schemas = {};
  const queue = [...rootSerializers()];
  while (queue.length > 0) {
    const name = queue.shift();
    if (name in schemas) continue;
    if (!(name in all)) throw new Error(`${PACKAGE} schema.yml has no components.schemas.${name}`);
    schemas[name] = stripProse(all[name]);
    queue.push(...refsOf(schemas[name], []));
  }
  return sortKeys({ package: PACKAGE, version: packageVersion, apiVersion: doc.info.version, schemas });
}

/**
 * Every model Authentik accepts in a blueprint (the API's ModelEnum, which authentik/blueprints
 * builds from the models that have a serializer) → its Request serializer, found by the model's
 * class name (`authentik_flows.flowstagebinding` → FlowStageBindingRequest). A model without one
 * is left out: the pass-through check then names it as unknown.
 */
function modelSerializers(all) {
  const byLower = new Map();
  for (const name of Object.keys(all)) if (name.endsWith('Request')) byLower.set(name.slice(0, -'Request'.length).toLowerCase(), name);
  const out = {};
  for (const model of (all.ModelEnum && all.ModelEnum.enum) || []) {
    const serializer = byLower.get(model.split('.')[1]);
    if (serializer) out[model] = serializer;
  }
  return out;
}

/** Pure: the pass-through extract (every blueprint model's serializer, lib/blueprints/pass-through.ts). */
function extractModelsFromDocument(doc, packageVersion) {
  const all = (doc.components && doc.components.schemas) || {};
  const models = modelSerializers(all);
  const schemas = {};
  const queue = [...new Set(Object.values(models))];
  while (queue.length > 0) {
    const name = queue.shift();
    if (name in schemas) continue;
    schemas[name] = stripProse(all[name]);
    queue.push(...refsOf(schemas[name], []));
  }
  return sortKeys({ package: PACKAGE, version: packageVersion, apiVersion: doc.info.version, models, schemas });
}

/** The installed alias of `minor`: its package.json and parsed schema.yml. */
function installedSchema(minor, root) {
  const dir = path.join(root, 'node_modules', aliasOf(minor));
  const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
  if (pkg.name !== PACKAGE) throw new Error(`node_modules/${aliasOf(minor)} is ${pkg.name}, not ${PACKAGE}`);
  if (!pkg.version.startsWith(`${minor}.`))
    throw new Error(`node_modules/${aliasOf(minor)} is ${PACKAGE} ${pkg.version}, not a ${minor}.x release`);
  return { doc: yaml.load(fs.readFileSync(path.join(dir, 'schema.yml'), 'utf8')), version: pkg.version };
}

/** Reads the installed alias of `minor` under `root` (the project directory) and extracts from it. */
function extractAuthentikApi(minor, root = path.resolve(__dirname, '..')) {
  const { doc, version } = installedSchema(minor, root);
  return extractFromDocument(doc, version);
}

/** The same for the pass-through extract. */
function extractAuthentikModels(minor, root = path.resolve(__dirname, '..')) {
  const { doc, version } = installedSchema(minor, root);
  return extractModelsFromDocument(doc, version);
}

/** The exact bytes of imports/authentik-api-<minor>.json. */
function renderExtract(extract) {
  return `${JSON.stringify(sortKeys(extract), null, 2)}\n`;
}

function outputPath(minor, root = path.resolve(__dirname, '..'), kind = 'api') {
  return path.join(root, 'imports', `authentik-${kind}-${minor}.json`);
}

/** Names of top-level fields and schemas that differ, so --check can say what is stale. */
function describeDifferences(committed, fresh) {
  const diffs = [];
  for (const key of ['package', 'version', 'apiVersion']) {
    if (committed[key] !== fresh[key]) diffs.push(`${key}: ${JSON.stringify(committed[key])} != ${JSON.stringify(fresh[key])}`);
  }
  const a = committed.schemas || {};
  const b = fresh.schemas || {};
  for (const name of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
    if (!(name in a)) diffs.push(`schemas.${name}: missing from the committed file`);
    else if (!(name in b)) diffs.push(`schemas.${name}: no longer extracted`);
    else if (JSON.stringify(sortKeys(a[name])) !== JSON.stringify(sortKeys(b[name]))) diffs.push(`schemas.${name}: differs`);
  }
  return diffs;
}

/** Writes (or, with check, compares) one minor's extract; returns the exit code. */
function importMinor(minor, check, kind = 'api') {
  const target = outputPath(minor, undefined, kind);
  const fresh = renderExtract(kind === 'api' ? extractAuthentikApi(minor) : extractAuthentikModels(minor));
  const rel = path.relative(process.cwd(), target);
  if (!check) {
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, fresh);
    console.log(`import-authentik-api: wrote ${rel}`);
    return 0;
  }
  if (!fs.existsSync(target)) {
    console.error(`import-authentik-api: ${rel} is missing; run node bin/import-authentik-api.cjs`);
    return 1;
  }
  const committed = fs.readFileSync(target, 'utf8');
  if (committed === fresh) {
    console.log(`import-authentik-api: ${rel} is up to date`);
    return 0;
  }
  let diffs;
  try {
    diffs = describeDifferences(JSON.parse(committed), JSON.parse(fresh));
  } catch (e) {
    diffs = [`committed file is not valid JSON: ${e.message}`];
  }
  if (diffs.length === 0) diffs.push('formatting only (key order, whitespace or trailing newline)');
  console.error(`import-authentik-api: ${rel} differs from a fresh extract of the installed ${aliasOf(minor)}:`);
  for (const d of diffs) console.error(`  ${d}`);
  console.error('run node bin/import-authentik-api.cjs to regenerate it');
  return 1;
}

function main(argv) {
  const check = argv.includes('--check');
  return Math.max(...MINORS.flatMap((minor) => [importMinor(minor, check, 'api'), importMinor(minor, check, 'models')]));
}

module.exports = {
  MINORS,
  rootSerializers,
  aliasOf,
  extractFromDocument,
  extractAuthentikApi,
  extractModelsFromDocument,
  extractAuthentikModels,
  renderExtract,
  outputPath,
};

if (require.main === module) process.exitCode = main(process.argv.slice(2));
