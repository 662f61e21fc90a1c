#!/usr/bin/env node
// The fake Authentik the verify tests run against (test/support/fake-authentik.ts) answers in the
// shapes Authentik's own OpenAPI schema describes: its blueprint-instance pages and its provider
// and application lists, validated against the schema's components. CI only (the schema is not in
// the repository): `node .ci/verify-fake-openapi.cjs <authentik-api-schema.yml>`.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const yaml = require('js-yaml');
const Ajv = require('ajv');

const [schemaFile] = process.argv.slice(2);
const root = path.resolve(__dirname, '..');
const bundle = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'fake-')), 'fake.cjs');
require('esbuild').buildSync({
  entryPoints: [path.join(root, 'test/support/fake-authentik.ts')],
  outfile: bundle,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  logLevel: 'silent',
  alias: { punycode: 'punycode/punycode.js' },
});
const { blueprintPage, answer } = require(bundle);

/** OpenAPI 3.0's `nullable` beside a $ref or allOf (no type) as JSON Schema: anyOf with null. */
function nullables(node) {
  if (Array.isArray(node)) return node.map(nullables);
  if (!node || typeof node !== 'object') return node;
  const out = Object.fromEntries(Object.entries(node).map(([k, v]) => [k, nullables(v)]));
  if (out.nullable && out.type === undefined) {
    delete out.nullable;
    return { anyOf: [out, { type: 'null' }] };
  }
  return out;
}
const spec = yaml.load(fs.readFileSync(schemaFile, 'utf8'));
// OpenAPI 3.0 keywords (readOnly, writeOnly, example) are not JSON Schema: not strict.
const ajv = new Ajv({ strict: false, allErrors: true, logger: false });
require('ajv-formats')(ajv);
ajv.addSchema({ $id: 'openapi', components: nullables(spec.components) });
const check = (component, value, what) => {
  const validate = ajv.compile({ $ref: `openapi#/components/schemas/${component}` });
  if (!validate(value)) {
    const e = validate.errors[0];
    console.error(`verify-fake-openapi: ${what}: not a ${component}: ${e.instancePath || '/'} ${e.message}`);
    process.exitCode = 1;
  }
};

const state = {
  instances: ['successful', 'error', 'warning', 'orphaned', 'unknown'].map((status, i) => ({
    path: `mounted/cm-x/f${i}.yaml`,
    name: `f${i}`,
    status,
    last_applied_hash: 'ab'.repeat(64),
    enabled: i !== 2,
  })),
  pageSize: 2,
  objects: new Map([
    ['/api/v3/providers/oauth2/', []],
    ['/api/v3/core/applications/', []],
  ]),
  issuers: new Map(),
  seenAuth: [],
};
for (let page = 1; page <= 3; page++) check('PaginatedBlueprintInstanceList', blueprintPage(state, page), `blueprint page ${page}`);
for (const p of state.objects.keys()) {
  const list = answer(state, new URL(`https://a.example${p}?client_id=none&slug=none`));
  check(p.includes('oauth2') ? 'PaginatedOAuth2ProviderList' : 'PaginatedApplicationList', list, p);
}
if (!process.exitCode) console.log(`verify-fake-openapi: the fake's answers match ${path.basename(schemaFile)}`);
