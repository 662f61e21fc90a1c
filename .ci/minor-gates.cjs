#!/usr/bin/env node
// CI only: the minor gate (docs/upgrades.md#minor-gates) against Authentik's official blueprint
// schemas. In each output, every blueprint with a field of its minor (`grant_types`) carries a
// gate entry, and the gate's model is one the schema of that output's release lists while no
// schema of an older minor without those fields does: such a worker must fail the file, the
// release itself must not.
//
//   node .ci/minor-gates.cjs <upstream dir> <dist> [...]
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const yaml = require('js-yaml');

const [upstream, ...dists] = process.argv.slice(2);
const minorOf = (v) => v.split('.').slice(0, 2).join('.');
const older = (a, b) => {
  const [x, y] = a.split('.').map(Number);
  const [p, q] = b.split('.').map(Number);
  return x < p || (x === p && y < q);
};
/** The property names of a schema node, following a local `$ref` (`#/$defs/...`). */
function fieldsOf(node, root) {
  while (node && node.$ref)
    node = node.$ref
      .slice(2)
      .split('/')
      .reduce((o, k) => o?.[k], root);
  return new Set(Object.keys(node?.properties ?? {}));
}
/** Every blueprint model a schema lists (the `model` const of each entry variant), with its attrs' fields. */
function models(file) {
  const out = new Map();
  const walk = (o) => {
    if (Array.isArray(o)) o.forEach(walk);
    else if (o && typeof o === 'object') {
      if (o.properties?.model?.const) out.set(o.properties.model.const, fieldsOf(o.properties.attrs, root));
      Object.values(o).forEach(walk);
    }
  };
  const root = JSON.parse(fs.readFileSync(file, 'utf8'));
  walk(root);
  return out;
}
const schemas = fs
  .readdirSync(upstream)
  .map((f) => /^authentik-blueprint-schema-(\d+\.\d+\.\d+\S*)\.json$/.exec(f))
  .filter(Boolean)
  .map((m) => ({ release: m[1], minor: minorOf(m[1]), models: models(path.join(upstream, m[0])) }));

const failures = [];
let gates = 0;
for (const dist of dists) {
  const app = yaml.load(fs.readFileSync(path.join(dist, 'apps/application-authentik.yaml'), 'utf8'));
  const release = app.spec.sources.find((s) => s.chart === 'authentik').targetRevision;
  const own = schemas.filter((s) => s.minor === minorOf(release));
  if (!own.length) failures.push(`${dist}: no blueprint schema of Authentik ${minorOf(release)} in ${upstream}`);
  const dir = path.join(dist, 'authentik-extras');
  for (const f of fs.readdirSync(dir).filter((x) => x.startsWith('configmap-'))) {
    const text = fs.readFileSync(path.join(dir, f), 'utf8');
    const gate = /- model: (\S+)\n\s+state: absent\n\s+conditions:\n\s+- false\n/.exec(text)?.[1];
    if (/^\s+grant_types:$/m.test(text) && !gate) failures.push(`${dist}/${f}: has grant_types but no minor gate`);
    if (!gate) continue;
    gates++;
    for (const s of own)
      if (!s.models.has(gate))
        failures.push(`${f}: gate model ${gate} is not in the ${s.release} schema: that release would fail the file`);
    // An older release without grant_types would drop it and record the file: it must fail instead.
    const dropsField = (s) => !s.models.get('authentik_providers_oauth2.oauth2provider')?.has('grant_types');
    for (const s of schemas.filter((x) => older(x.minor, minorOf(release)) && dropsField(x)))
      if (s.models.has(gate))
        failures.push(
          `${f}: gate model ${gate} is in the ${s.release} schema, which has no grant_types: that release would apply the file without it`,
        );
  }
}
for (const f of failures) console.error(`minor-gates: ${f}`);
if (failures.length) process.exit(1);
console.log(`minor-gates: ${gates} gate entries in ${dists.length} outputs, each failing every older minor and passing its own`);
