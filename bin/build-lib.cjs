#!/usr/bin/env node
// `npm run build:lib`: the construct library other cdk8s apps install (package.json main/types/exports).
// lib-dist/index.cjs is lib/index.ts bundled to CommonJS by esbuild, which folds in the ES-module-only
// @kubernetes-models packages a CommonJS app cannot require. cdk8s, cdk8s-plus-28 and constructs stay
// external (peer dependencies): the app's own copy must be the one its App renders, or cdk8s meets
// objects of a second copy it cannot render. lib-dist/types/ is tsc's declarations (tsconfig.lib.json).
const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');

const root = path.resolve(__dirname, '..');
const OUT = path.join(root, 'lib-dist');
const pkg = require('../package.json');

fs.rmSync(OUT, { recursive: true, force: true });
require('esbuild').buildSync({
  entryPoints: [path.join(root, 'lib/index.ts')],
  outfile: path.join(OUT, 'index.cjs'),
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  legalComments: 'none',
  logLevel: 'warning',
  absWorkingDir: root,
  external: Object.keys(pkg.peerDependencies),
  // As in bin/build.cjs: the userland punycode, not Node's deprecated builtin.
  alias: { punycode: 'punycode/punycode.js' },
});
execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', path.join(root, 'tsconfig.lib.json')], { stdio: 'inherit' });
