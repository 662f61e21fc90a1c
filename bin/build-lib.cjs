#!/usr/bin/env node
// `npm run build:lib`: the construct library other cdk8s apps install (package.json main, types,
// exports; docs/construct-package.md). Two files, each self-contained except for the peer
// dependencies (cdk8s, cdk8s-plus-28, constructs), which must be the app's own single copy: cdk8s
// cannot render objects built by a second copy.
// - lib-dist/index.cjs: lib/index.ts bundled to CommonJS by esbuild, which folds in the
//   ES-module-only @kubernetes-models packages a CommonJS app cannot require, and zod and js-yaml.
// - lib-dist/index.d.ts: tsc's declarations (tsconfig.lib.json) rolled into one file with the types
//   of those packages inlined, so an app type-checks with the cdk8s template's tsconfig (CommonJS
//   resolution, no esModuleInterop, no skipLibCheck), which cannot resolve their own declarations.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');

const root = path.resolve(__dirname, '..');
const OUT = path.join(root, 'lib-dist');
/** tsc's per-file declarations, input of the roll-up only. */
const DECLARATIONS = path.join(root, 'build', 'lib-types');
const PEERS = Object.keys(require('../package.json').peerDependencies);
const isPeer = (id) => PEERS.some((p) => id === p || id.startsWith(`${p}/`));
/**
 * Declarations the roll-up cannot parse, reached only through declarations the public API does not
 * use (js-yaml's schema type, ajv's under @kubernetes-models/validate): left out, and the check
 * below proves no import of them survives.
 */
const UNUSED = ['js-yaml', 'ajv', 'fast-uri'];

/** The build cannot finish: one line, exit 1. */
class BuildError extends Error {}

function bundleJs() {
  require('esbuild').buildSync({
    entryPoints: [path.join(root, 'lib/index.ts')],
    outfile: path.join(OUT, 'index.cjs'),
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    legalComments: 'none',
    logLevel: 'error',
    absWorkingDir: root,
    external: PEERS,
    // As in bin/build.cjs: the userland punycode, not Node's deprecated builtin.
    alias: { punycode: 'punycode/punycode.js' },
  });
}

async function rollUpDeclarations() {
  fs.rmSync(DECLARATIONS, { recursive: true, force: true });
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', path.join(root, 'tsconfig.lib.json')], { stdio: 'inherit' });
  const ts = require('typescript');
  const { rollup } = await import('rollup');
  const { dts } = await import('rollup-plugin-dts');
  const bundle = await rollup({
    input: path.join(DECLARATIONS, 'lib', 'index.d.ts'),
    external: (id) => isPeer(id) || UNUSED.some((p) => id === p || id.startsWith(`${p}/`)),
    // The inlined packages publish their declarations through package.json "exports".
    plugins: [
      dts({
        respectExternal: true,
        compilerOptions: { module: ts.ModuleKind.Preserve, moduleResolution: ts.ModuleResolutionKind.Bundler },
      }),
    ],
    onwarn: (w) => {
      throw new BuildError(`declarations: ${w.message}`);
    },
  });
  const out = path.join(OUT, 'index.d.ts');
  await bundle.write({ file: out, format: 'es' });
  const imported = [...fs.readFileSync(out, 'utf8').matchAll(/^(?:import|export)\b[^;]*?\bfrom '([^']+)'/gm)].map((m) => m[1]);
  const stray = imported.filter((id) => !isPeer(id));
  if (stray.length) throw new BuildError(`lib-dist/index.d.ts imports ${stray.join(', ')}: not a peer dependency`);
}

async function main() {
  fs.rmSync(OUT, { recursive: true, force: true });
  bundleJs();
  await rollUpDeclarations();
}

main().catch((e) => {
  console.error(`build:lib: ${e instanceof BuildError ? e.message : String((e && e.message) || e).split('\n')[0]}`);
  process.exitCode = 1;
});
