#!/usr/bin/env node
// Second opinion on the edge Traefik's dynamic config: validates it against the Traefik v3
// file-provider JSON schema published by SchemaStore, independent of the project's own tests.
// CI only: nothing under lib/ or test/ imports this.
//
// Usage: node .ci/traefik-json-schema.cjs <schema.json> <traefik.yaml> ...
//   e.g. node .ci/traefik-json-schema.cjs ../shared/upstream/schemastore-traefik-v3-file-provider.json dist/traefik/authentik.yaml
// Prints one line per error and a summary; exits 1 on any error (or a file that does not parse).
'use strict';

const fs = require('node:fs');
const yaml = require('js-yaml');

function usage(msg) {
  console.error(`traefik-json-schema: ${msg}`);
  console.error('usage: node .ci/traefik-json-schema.cjs <schema.json> <traefik.yaml> ...');
  process.exit(1);
}

/** An ajv instance for the schema's draft (SchemaStore's Traefik schema is draft-07). */
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
  const summary = `traefik-json-schema: ${docs} document(s) in ${files.length} file(s) against ${schema.$id || schemaFile}: ${errors} error(s)`;
  if (errors) {
    console.error(summary);
    return 1;
  }
  console.log(summary);
  return 0;
}

process.exitCode = main(process.argv.slice(2));
