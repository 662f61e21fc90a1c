#!/usr/bin/env node
// The fake Authentik the verify tests run against (test/support/fake-authentik.ts) answers in the
// shapes Authentik's own OpenAPI schema describes: its blueprint-instance pages, the apply task
// list and every object list verify reads (providers, applications, policies, bindings, groups,
// users, tokens), validated against the schema's components; and each query filter verify sends is
// one the schema declares for that path (an unknown filter is ignored by the API, so a typo would
// list everything). CI only (the schema is not in
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
const { blueprintPage, sampleLists, taskPage } = require(bundle);

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
/** The OpenAPI component of each model's paginated list. */
const PAGES = {
  'authentik_providers_oauth2.oauth2provider': 'PaginatedOAuth2ProviderList',
  'authentik_providers_proxy.proxyprovider': 'PaginatedProxyProviderList',
  'authentik_core.application': 'PaginatedApplicationList',
  'authentik_policies_expression.expressionpolicy': 'PaginatedExpressionPolicyList',
  'authentik_policies.policybinding': 'PaginatedPolicyBindingList',
  'authentik_core.group': 'PaginatedGroupList',
  'authentik_core.user': 'PaginatedUserList',
  'authentik_core.token': 'PaginatedTokenList',
};
const paramName = (p) => (p.$ref ? spec.components.parameters[p.$ref.split('/').pop()]?.name : p.name);
const declared = (api) => (spec.paths[api.replace(/^\/api\/v3/, '')]?.get?.parameters ?? []).map(paramName);
const needParams = (api, params) => {
  const missing = params.filter((p) => !declared(api).includes(p));
  if (missing.length) {
    console.error(`verify-fake-openapi: GET ${api}: the schema declares no filter ${missing.join(', ')}`);
    process.exitCode = 1;
  }
};
for (const { api, model, page, params } of sampleLists()) {
  if (!PAGES[model]) throw new Error(`verify-fake-openapi: no list component known for ${model}`);
  check(PAGES[model], page, api);
  needParams(api, params);
}
needParams('/api/v3/core/applications/', ['superuser_full_list']);
needParams('/api/v3/outposts/instances/', ['managed__iexact']);
needParams('/api/v3/tasks/tasks/', ['actor_name', 'rel_obj_id', 'ordering', 'page', 'page_size']);
needParams('/api/v3/managed/blueprints/', ['page', 'page_size']);
state.taskLogs = new Map([[state.instances[1].path, [['error', 'entry invalid']]]]);
const tasks = taskPage(
  state,
  new URL(
    `https://a.example/api/v3/tasks/tasks/?actor_name=authentik.blueprints.v1.tasks.apply_blueprint&rel_obj_id=00000000-0000-4000-8000-000000000001`,
  ),
);
if (!tasks.results.length) throw new Error('verify-fake-openapi: the fake listed no apply task');
check('PaginatedTaskList', tasks, 'apply task list');
if (!process.exitCode) console.log(`verify-fake-openapi: the fake's answers match ${path.basename(schemaFile)}`);
