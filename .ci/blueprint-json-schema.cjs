#!/usr/bin/env node
// Second opinion on generated blueprints: validates them against Authentik's own published
// blueprint JSON schema (blueprints/schema.json of the pinned release), independent of the
// TypeScript validator in lib/blueprints. CI only: nothing under lib/ or test/ imports this.
//
// Usage: node .ci/blueprint-json-schema.cjs [--strict] <schema.json> <file.yaml|dir> ...
//   --strict: a field the model does not list is an error (Authentik would drop it)
//   e.g. node .ci/blueprint-json-schema.cjs "$UPSTREAM"/authentik-blueprint-schema-2026.2.0.json dist/authentik-extras
// Blueprint documents are the data values of ConfigMaps labelled
// app.kubernetes.io/component: blueprint (a file may hold several `---` documents). A plain
// blueprint file (top-level `version` and `entries`, no `kind`) given as an argument also counts.
// Prints one line per error and a summary; exits 1 on any error or when nothing was found.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const yaml = require('js-yaml');

const COMPONENT_LABEL = 'app.kubernetes.io/component';
const PK_UUID = '00000000-0000-4000-8000-000000000000';

// ---------------------------------------------------------------------------------------------
// Tags. The official schema has no notion of them: every field is typed as what the tag resolves
// to on the server. So a tag is parsed into a Placeholder and later replaced by a value of the
// type the tag really produces, chosen by the schema type of the field it sits in:
//   !KeyOf, !Find  -> a primary key: 1 where the field is an integer (application.provider,
//                     outpost.providers, token.user, ...), else the uuid-shaped PK_UUID. A key in a
//                     boolean field thus still fails, as it would on the server.
//   !Env, !Format, !File -> a string (what they always yield).
//   !Condition     -> true.
//   !If [c, a, b]  -> its `a` branch (placeholders inside resolved the same way).
//   !Context       -> its default when given, else any value of the field's type (unknowable here).
// Formats are not validated (no ajv-formats), so the uuid shape is only for realism.
class Placeholder {
  constructor(tag, data) {
    this.tag = tag;
    this.data = data;
  }
}

const tagTypes = [];
for (const [tag, kinds] of Object.entries({
  '!KeyOf': ['scalar'],
  '!Find': ['sequence'],
  '!Env': ['scalar', 'sequence'],
  '!Format': ['sequence'],
  '!File': ['scalar', 'sequence'],
  '!If': ['sequence'],
  '!Condition': ['sequence'],
  '!Context': ['scalar', 'sequence'],
})) {
  for (const kind of kinds) tagTypes.push(new yaml.Type(tag, { kind, construct: (data) => new Placeholder(tag, data) }));
}
const TAGGED_SCHEMA = yaml.DEFAULT_SCHEMA.extend(tagTypes);

/** The JSON schema types a field accepts, as a Set ('string', 'integer', ...). Empty = anything. */
function typesOf(fieldSchema) {
  if (!fieldSchema || typeof fieldSchema !== 'object') return new Set();
  const t = fieldSchema.type;
  return new Set(Array.isArray(t) ? t : t === undefined ? [] : [t]);
}

function sampleOf(fieldSchema) {
  const types = typesOf(fieldSchema);
  if (types.has('string')) return fieldSchema.enum ? fieldSchema.enum[0] : PK_UUID;
  if (types.has('integer') || types.has('number')) return 1;
  if (types.has('boolean')) return true;
  if (types.has('array')) return [];
  if (types.has('object')) return {};
  return null;
}

function placeholderValue(p, fieldSchema) {
  switch (p.tag) {
    case '!KeyOf':
    case '!Find':
      return typesOf(fieldSchema).has('integer') ? 1 : PK_UUID;
    case '!Env':
    case '!Format':
    case '!File':
      return 'placeholder';
    case '!Condition':
      return true;
    case '!If':
      return resolvePlaceholders(Array.isArray(p.data) && p.data.length >= 2 ? p.data[1] : true, fieldSchema);
    case '!Context':
      return Array.isArray(p.data) && p.data.length > 1 ? resolvePlaceholders(p.data[1], fieldSchema) : sampleOf(fieldSchema);
    default:
      throw new Error(`unhandled tag ${p.tag}`);
  }
}

/** Replaces placeholders in `value`, walking `fieldSchema` alongside (properties/items). */
function resolvePlaceholders(value, fieldSchema) {
  if (value instanceof Placeholder) return placeholderValue(value, fieldSchema);
  if (Array.isArray(value)) {
    const items = fieldSchema && typeof fieldSchema.items === 'object' ? fieldSchema.items : undefined;
    return value.map((v) => resolvePlaceholders(v, items));
  }
  if (value !== null && typeof value === 'object') {
    const props = (fieldSchema && fieldSchema.properties) || {};
    const extra = fieldSchema && typeof fieldSchema.additionalProperties === 'object' ? fieldSchema.additionalProperties : undefined;
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolvePlaceholders(v, props[k] || extra)]));
  }
  return value;
}

// ---------------------------------------------------------------------------------------------
// Schema. Entries are validated one by one against the `blueprint_entry.oneOf` branch for their
// model: validating the whole document makes Ajv report every other branch's `model` const as an
// error too (hundreds of lines for one wrong field).
function loadSchema(schemaPath, { strict = false } = {}) {
  const schema = JSON.parse(fs.readFileSync(schemaPath, 'utf8'));
  if (strict) {
    // The published schema leaves models open, so a field a release does not have passes it; on the
    // server the field is silently dropped. --strict closes every model to the fields it lists.
    const defs = schema.$defs || schema.definitions || {};
    for (const [name, def] of Object.entries(defs)) {
      if (name.startsWith('model_') && def && def.type === 'object' && def.properties && def.additionalProperties === undefined)
        def.additionalProperties = false;
    }
  }
  const draft = String(schema.$schema || '');
  // The 2026.x files declare draft-07 yet use `$defs`, which Ajv's draft-07 class also understands.
  const Ajv = draft.includes('2020-12') ? require('ajv/dist/2020') : draft.includes('2019-09') ? require('ajv/dist/2019') : require('ajv');
  const ajv = new (Ajv.default || Ajv)({ strict: false, validateFormats: false, allErrors: true });
  const id = schema.$id || 'blueprint-schema.json';
  ajv.addSchema({ ...schema, $id: id });
  const defs = schema.$defs || schema.definitions || {};
  const defsKey = schema.$defs ? '$defs' : 'definitions';
  const branches = new Map();
  ((defs.blueprint_entry && defs.blueprint_entry.oneOf) || []).forEach((branch, i) => {
    const model = branch.properties && branch.properties.model && branch.properties.model.const;
    if (model) branches.set(model, i);
  });
  if (branches.size === 0) throw new Error(`${schemaPath}: no ${defsKey}.blueprint_entry.oneOf branches with a model const`);
  const compiled = new Map();
  const entryValidator = (model) => {
    if (!branches.has(model)) return undefined;
    if (!compiled.has(model)) compiled.set(model, ajv.compile({ $ref: `${id}#/${defsKey}/blueprint_entry/oneOf/${branches.get(model)}` }));
    return compiled.get(model);
  };
  // The document minus its entries: version, metadata, context.
  const documentValidator = ajv.compile({ $ref: id });
  return { title: schema.title || schemaPath, modelSchema: (model) => defs[`model_${model}`], entryValidator, documentValidator };
}

/** `/attrs/redirect_uris/0/url` -> `attrs.redirect_uris[0].url`. */
function fieldPath(pointer) {
  if (pointer === '') return '-';
  return pointer
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((acc, s) => (/^\d+$/.test(s) ? `${acc}[${s}]` : acc === '' ? s : `${acc}.${s}`), '');
}

function describeError(e) {
  const p = e.params || {};
  if (e.keyword === 'required') return `missing required property ${p.missingProperty}`;
  if (e.keyword === 'additionalProperties') return `unknown property ${p.additionalProperty}`;
  if (e.keyword === 'enum') return `${e.message}: ${p.allowedValues.join(', ')}`;
  return e.message;
}

// ---------------------------------------------------------------------------------------------
// Documents.
function yamlFilesUnder(target) {
  const stat = fs.statSync(target);
  if (!stat.isDirectory()) return [target];
  return fs
    .readdirSync(target, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((d) => {
      const p = path.join(target, d.name);
      if (d.isDirectory()) return yamlFilesUnder(p);
      return d.isFile() && d.name.endsWith('.yaml') ? [p] : [];
    });
}

/** Blueprint sources in one file: [{ where, text }] or [{ where, error }]. */
function blueprintSources(file) {
  let docs;
  try {
    docs = yaml.loadAll(fs.readFileSync(file, 'utf8'), undefined, { schema: TAGGED_SCHEMA });
  } catch (e) {
    return [{ where: file, error: `not parseable YAML: ${e.message.split('\n')[0]}` }];
  }
  const out = [];
  docs.forEach((doc, n) => {
    if (!doc || typeof doc !== 'object') return;
    const labels = (doc.metadata && doc.metadata.labels) || {};
    if (doc.kind === 'ConfigMap' && labels[COMPONENT_LABEL] === 'blueprint') {
      const cm = `${file}: ConfigMap ${doc.metadata.namespace || '-'}/${doc.metadata.name}`;
      for (const [key, text] of Object.entries(doc.data || {})) {
        // The chart's worker reads only *.yaml keys (docs/field-traps.md#blueprint-configmaps): anything else never applies.
        if (!key.endsWith('.yaml'))
          out.push({ where: `${cm} data ${key}`, error: 'data key does not end in .yaml; Authentik never reads it' });
        else out.push({ where: `${cm} data ${key}`, text: String(text) });
      }
    } else if (doc.kind === undefined && 'entries' in doc && 'version' in doc) {
      out.push({ where: docs.length > 1 ? `${file} document ${n}` : file, parsed: doc });
    }
  });
  return out;
}

function validateDocument(source, schema) {
  let doc = source.parsed;
  if (doc === undefined) {
    try {
      doc = yaml.load(source.text, { schema: TAGGED_SCHEMA });
    } catch (e) {
      return [`${source.where}: not parseable YAML: ${e.message.split('\n')[0]}`];
    }
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return [`${source.where}: not a blueprint mapping`];
  const errors = [];
  const entries = doc.entries;
  if (!schema.documentValidator({ ...doc, entries: [] })) {
    for (const e of schema.documentValidator.errors) errors.push(`${source.where}: ${fieldPath(e.instancePath)}: ${describeError(e)}`);
  }
  if (!Array.isArray(entries)) {
    // The schema also allows a mapping of lists; unified-auth never emits one, so it is an error here.
    errors.push(`${source.where}: entries: expected a list of entries`);
    return errors;
  }
  entries.forEach((raw, i) => {
    const label = raw && typeof raw === 'object' ? raw.id || raw.model : undefined;
    const at = `${source.where}: entry ${i} (${label})`;
    if (!raw || typeof raw !== 'object' || typeof raw.model !== 'string') {
      errors.push(`${at} -: an entry must be a mapping with a model`);
      return;
    }
    const validate = schema.entryValidator(raw.model);
    if (!validate) {
      errors.push(`${at} model: ${raw.model} is not a model in ${schema.title}`);
      return;
    }
    const modelSchema = schema.modelSchema(raw.model);
    const entry = resolvePlaceholders(
      { ...raw, identifiers: raw.identifiers, attrs: raw.attrs },
      { properties: { identifiers: modelSchema, attrs: modelSchema } },
    );
    for (const k of ['identifiers', 'attrs']) if (entry[k] === undefined) delete entry[k];
    if (!validate(entry)) {
      for (const e of validate.errors) errors.push(`${at} ${fieldPath(e.instancePath)}: ${describeError(e)}`);
    }
  });
  return errors;
}

function main(rawArgv) {
  const strict = rawArgv.includes('--strict');
  const argv = rawArgv.filter((a) => a !== '--strict');
  if (argv.length < 2) {
    console.error('usage: node .ci/blueprint-json-schema.cjs [--strict] <schema.json> <file.yaml|dir> ...');
    return 2;
  }
  const schema = loadSchema(argv[0], { strict });
  let documents = 0;
  const errors = [];
  for (const target of argv.slice(1)) {
    for (const file of yamlFilesUnder(target)) {
      for (const source of blueprintSources(file)) {
        if (source.error) {
          errors.push(`${source.where}: ${source.error}`);
          continue;
        }
        documents += 1;
        errors.push(...validateDocument(source, schema));
      }
    }
  }
  for (const e of errors) console.log(e);
  console.log(`blueprint-json-schema: ${documents} documents, ${errors.length} errors`);
  if (documents === 0) {
    console.error('blueprint-json-schema: no blueprint documents found; wrong path?');
    return 1;
  }
  return errors.length > 0 ? 1 : 0;
}

module.exports = { loadSchema, blueprintSources, validateDocument, resolvePlaceholders, Placeholder };

if (require.main === module) process.exitCode = main(process.argv.slice(2));
