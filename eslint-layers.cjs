// The layer table of lib/ and the ESLint rule that enforces it (eslint.config.mjs turns it on;
// docs/design.md#layers says what each layer is for). A source file may import from its own layer
// and the layers below it, never from a layer above: the folders read as the pipeline, bottom up.
// test/architecture/layers.test.ts computes the import graph from this same table, so switching the rule off
// does not let an upward import or a cycle through.
const path = require('node:path');

/** Bottom to top. `paths`: repo-relative folders (or single files) that make up the layer. */
const LAYERS = [
  { name: 'generated', paths: ['imports'], rule: 'cdk8s import output: Kubernetes and CRD classes, imports nothing of ours' },
  {
    name: 'base',
    paths: ['lib/base', 'lib/os', 'lib/yaml', 'lib/readback'],
    rule: 'knows no config and no Authentik: errors, paths, file text, YAML written and read back, bounded reading',
  },
  {
    name: 'upstream',
    paths: ['lib/upstream'],
    rule: 'what Authentik and the other systems define (models, tags, API schema, versions), never our choices',
  },
  { name: 'config', paths: ['lib/config'], rule: 'the input only: schema, loading, locating a config path in its file' },
  { name: 'model', paths: ['lib/model'], rule: 'every derived fact, computed once from a valid config; no validation, no rendering' },
  { name: 'rules', paths: ['lib/rules'], rule: 'validation: turns input into a ClusterConfig or one error naming the config path' },
  {
    name: 'renderers',
    paths: ['lib/blueprints', 'lib/consumers', 'lib/edge', 'lib/migration', 'lib/reviewer-docs'],
    rule: 'model to file contents, in memory; reads nothing from disk',
  },
  { name: 'constructs', paths: ['lib/constructs'], rule: 'the cdk8s constructs that assemble the renderers into one app' },
  { name: 'output', paths: ['lib/output'], rule: 'render a config to the output files, write them atomically, prove ownership' },
  { name: 'previous', paths: ['lib/previous'], rule: 'read back what is already there: previous output, hand-written layers, git' },
  {
    name: 'checks',
    paths: ['lib/checks', 'lib/guards'],
    rule: 'checks of one output, guards comparing it with the previous one; they report, never write',
  },
  { name: 'state', paths: ['lib/state'], rule: 'the recorded state file beside each config' },
  { name: 'pipeline', paths: ['lib/pipeline'], rule: 'the one render-and-guard step and the one error reporter every command runs' },
  {
    name: 'commands',
    paths: ['lib/plan', 'lib/import', 'lib/verify', 'lib/init'],
    rule: 'one folder per command beside synth; may use each other without a cycle',
  },
  { name: 'entry', paths: ['lib/index.ts', 'main.ts'], rule: 'the CLI and the package entry; nothing imports them' },
];

const ROOT = __dirname;
const noExt = (p) => p.replace(/\.(c|m)?[tj]s$/, '');

/** Index into LAYERS of a repo-relative path (with or without extension), or -1. */
function layerOf(rel) {
  const p = noExt(rel.split(path.sep).join('/'));
  return LAYERS.findIndex((l) => l.paths.some((f) => p === noExt(f) || p.startsWith(`${f}/`)));
}

/** Whether the layer table is meant to cover this repo-relative path (our sources). */
const covered = (rel) => rel.startsWith('lib/') || rel === 'main.ts' || rel === 'main' || rel.startsWith('imports/');

const spec = (node) => (node && node.type === 'Literal' && typeof node.value === 'string' ? node.value : undefined);

/** ESLint rule: every relative import of a covered file goes to the same layer or one below. */
const downwardOnly = {
  meta: {
    type: 'problem',
    docs: { description: 'lib/ imports run downward only, along the layer table in eslint-layers.cjs' },
    schema: [],
  },
  create(context) {
    const file = path.relative(ROOT, context.filename).split(path.sep).join('/');
    if (!covered(file)) return {};
    const own = layerOf(file);
    const check = (node, source) => {
      const s = spec(source);
      if (!s || !s.startsWith('.')) return;
      const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), s));
      if (!covered(target)) return;
      const to = layerOf(target);
      if (to === -1) context.report({ node, message: `${file} imports ${target}, which is in no layer of eslint-layers.cjs` });
      else if (own !== -1 && to > own)
        context.report({
          node,
          message: `${file} (layer ${LAYERS[own].name}) imports ${target} (layer ${LAYERS[to].name}): imports run downward only (eslint-layers.cjs, docs/design.md#layers)`,
        });
    };
    return {
      Program(node) {
        if (own === -1) context.report({ node, message: `${file} is in no layer of eslint-layers.cjs: add its folder to one` });
      },
      ImportDeclaration: (n) => check(n, n.source),
      ExportNamedDeclaration: (n) => check(n, n.source),
      ExportAllDeclaration: (n) => check(n, n.source),
      ImportExpression: (n) => check(n, n.source),
      TSImportType: (n) => check(n, n.argument && n.argument.literal ? n.argument.literal : n.argument),
      CallExpression: (n) => n.callee.type === 'Identifier' && n.callee.name === 'require' && check(n, n.arguments[0]),
    };
  },
};

const plugin = { meta: { name: 'unified-auth-layers' }, rules: { 'downward-only': downwardOnly } };

module.exports = { LAYERS, layerOf, covered, plugin };
