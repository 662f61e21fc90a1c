#!/usr/bin/env node
// Second opinion on generated YAML from the upstream JSON schemas, independent of the project's
// own tests: the edge Traefik's dynamic config (SchemaStore's Traefik v3 file-provider schema)
// and the Talos machine-config patch (Talos's config.schema.json). CI only: nothing under lib/ or
// test/ imports this.
//
// Usage: node .ci/json-schema.cjs <schema.json> <file.yaml> ...
//   e.g. node .ci/json-schema.cjs "$UPSTREAM"/schemastore-traefik-v3-file-provider.json dist/traefik/authentik.yaml
// Prints one line per error and a summary; exits 1 on any error (or a file that does not parse).
'use strict';

const fs = require('node:fs');
const yaml = require('js-yaml');

function usage(msg) {
  console.error(`json-schema: ${msg}`);
  console.error('usage: node .ci/json-schema.cjs <schema.json> <file.yaml> ...');
  process.exit(1);
}

/** An ajv instance for the schema's draft (SchemaStore's Traefik and Talos's schema are draft-07 / 2020-12). */
function ajvFor(schema) {
  const draft = String(schema.$schema || '');
  const Ajv = draft.includes('2020-12') ? require('ajv/dist/2020') : draft.includes('2019-09') ? require('ajv/dist/2019') : require('ajv');
  // No ajv-formats installed: formats are not checked; strict off for the schema's vendor keywords.
  return new (Ajv.default || Ajv)({ strict: false, validateFormats: false, allErrors: true });
}

/**
 * A failing oneOf (http.middlewares.* is one branch per middleware type) reports every branch.
 * When a deeper error explains it, the other branches' rejections of the whole object are noise.
 * Identical lines are printed once.
 */
function relevantErrors(errors) {
  const oneOfAt = new Set(errors.filter((e) => e.keyword === 'oneOf').map((e) => e.instancePath));
  const deeper = (p) => errors.some((d) => d.instancePath.startsWith(`${p}/`));
  const lines = errors
    .filter((e) => e.keyword === 'oneOf' || !(oneOfAt.has(e.instancePath) && deeper(e.instancePath)))
    .map((e) => {
      const extra = e.params && e.params.additionalProperty ? ` (${e.params.additionalProperty})` : '';
      return `${e.instancePath || '/'} ${e.message}${extra}`;
    });
  return [...new Set(lines)];
}

function main(argv) {
  const [schemaFile, ...files] = argv;
  if (!schemaFile || files.length === 0) usage('needs a schema and at least one file');
  let schema;
  try {
    schema = JSON.parse(fs.readFileSync(schemaFile, 'utf8'));
  } catch (e) {
    usage(`cannot read schema ${schemaFile}: ${e.message}`);
  }
  const validate = ajvFor(schema).compile(schema);

  let errors = 0;
  let docs = 0;
  for (const file of files) {
    let parsed;
    try {
      parsed = yaml.loadAll(fs.readFileSync(file, 'utf8')).filter((d) => d !== null && d !== undefined);
    } catch (e) {
      console.error(`${file}: not readable YAML: ${e.message.split('\n')[0]}`);
      errors++;
      continue;
    }
    if (parsed.length === 0) {
      console.error(`${file}: no YAML document`);
      errors++;
      continue;
    }
    parsed.forEach((d, i) => {
      docs++;
      if (validate(d)) return;
      const where = parsed.length > 1 ? `${file}[${i}]` : file;
      for (const line of relevantErrors(validate.errors)) {
        console.error(`${where}: ${line}`);
        errors++;
      }
    });
  }
  const summary = `json-schema: ${docs} document(s) in ${files.length} file(s) against ${schema.$id || schemaFile}: ${errors} error(s)`;
  if (errors) {
    console.error(summary);
    return 1;
  }
  console.log(summary);
  return 0;
}

process.exitCode = main(process.argv.slice(2));
