#!/usr/bin/env node
// Second opinion on the in-cluster edge objects (IngressRoute, Middleware, HTTPRoute) from the
// official CRDs: each object is validated with ajv against the openAPIV3Schema of the CRD version
// it names. Strict like `kubectl apply --validate=strict`: an unknown field is an error, because
// the apiserver would otherwise prune it silently (an object field with `properties` and no
// x-kubernetes-preserve-unknown-fields gets additionalProperties: false). CEL rules
// (x-kubernetes-validations) are not evaluated. CI only: nothing under lib/ or test/ imports this.
//
// Usage: node .ci/crd-schema.cjs <crd.yaml|dir> ... -- <object.yaml|dir> ...
//   e.g. node .ci/crd-schema.cjs "$UPSTREAM"/crds/traefik-v41.3.0 -- dist/edge
// An object whose apiVersion/kind no given CRD serves is an error (nothing is skipped silently).
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const yaml = require('js-yaml');

function usage(msg) {
  console.error(`crd-schema: ${msg}`);
  console.error('usage: node .ci/crd-schema.cjs <crd.yaml|dir> ... -- <object.yaml|dir> ...');
  process.exit(1);
}

const yamlFiles = (p) =>
  fs.statSync(p).isDirectory()
    ? fs
        .readdirSync(p)
        .filter((f) => /\.ya?ml$/.test(f))
        .sort()
        .map((f) => path.join(p, f))
    : [p];
const docsOf = (file) => yaml.loadAll(fs.readFileSync(file, 'utf8')).filter((d) => d !== null && d !== undefined);

/** Unknown fields are errors, as with strict field validation. */
function strict(schema) {
  if (Array.isArray(schema)) return schema.map(strict);
  if (schema === null || typeof schema !== 'object') return schema;
  const out = {};
  for (const [k, v] of Object.entries(schema))
    out[k] = k === 'properties' ? Object.fromEntries(Object.entries(v).map(([p, s]) => [p, strict(s)])) : strict(v);
  if (out.properties && out.additionalProperties === undefined && !out['x-kubernetes-preserve-unknown-fields'])
    out.additionalProperties = false;
  return out;
}

function main(argv) {
  const sep = argv.indexOf('--');
  if (sep < 1 || sep === argv.length - 1) usage('needs CRDs, --, and objects');
  const Ajv = require('ajv');
  const ajv = new (Ajv.default || Ajv)({ strict: false, validateFormats: false, allErrors: true });

  const validators = new Map();
  for (const file of argv.slice(0, sep).flatMap(yamlFiles)) {
    for (const crd of docsOf(file).filter((d) => d.kind === 'CustomResourceDefinition')) {
      for (const v of crd.spec.versions.filter((x) => x.served)) {
        const schema = strict(v.schema.openAPIV3Schema);
        validators.set(`${crd.spec.group}/${v.name} ${crd.spec.names.kind}`, ajv.compile(schema));
      }
    }
  }
  if (!validators.size) usage('no CustomResourceDefinition found');

  let errors = 0;
  let objects = 0;
  const files = argv.slice(sep + 1).flatMap(yamlFiles);
  for (const file of files) {
    for (const d of docsOf(file)) {
      objects++;
      const validate = validators.get(`${d.apiVersion} ${d.kind}`);
      if (!validate) {
        console.error(`${file}: ${d.apiVersion} ${d.kind} is served by none of the given CRDs`);
        errors++;
        continue;
      }
      // A CRD's schema leaves metadata to the apiserver (`type: object`): at least a name.
      if (!d.metadata || typeof d.metadata.name !== 'string' || !d.metadata.name) {
        console.error(`${file}: metadata.name is missing`);
        errors++;
      }
      if (validate(d)) continue;
      for (const e of validate.errors) {
        const extra = e.params && e.params.additionalProperty ? ` (${e.params.additionalProperty})` : '';
        console.error(`${file}: ${e.instancePath || '/'} ${e.message}${extra}`);
        errors++;
      }
    }
  }
  const summary = `crd-schema: ${objects} object(s) in ${files.length} file(s) against ${validators.size} CRD version(s): ${errors} error(s)`;
  if (errors || objects === 0) {
    console.error(objects === 0 ? `${summary}; no objects to validate` : summary);
    return 1;
  }
  console.log(summary);
  return 0;
}

process.exitCode = main(process.argv.slice(2));
