#!/usr/bin/env node
// Bundles main.ts into build/main.cjs with esbuild (CommonJS: the fastest start-up measured,
// and it folds the ES-module-only @kubernetes-models packages in). Rebuilds only when a source
// is newer than the bundle; `--force` always rebuilds. Type-checking is `tsc --noEmit` in npm test.
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const out = path.join(root, 'build', 'main.cjs');
const SOURCES = ['main.ts', 'charts', 'lib', 'config', 'imports', 'package-lock.json', 'bin/build.cjs'];

function newestMtime(p) {
  const st = fs.statSync(p, { throwIfNoEntry: false });
  if (!st) return 0;
  if (!st.isDirectory()) return st.mtimeMs;
  return fs.readdirSync(p).reduce((m, e) => Math.max(m, newestMtime(path.join(p, e))), st.mtimeMs);
}

function isStale() {
  const built = fs.statSync(out, { throwIfNoEntry: false });
  if (!built) return true;
  return SOURCES.some((s) => newestMtime(path.join(root, s)) > built.mtimeMs);
}

function build() {
  // Write aside, then rename: a concurrent synth never loads a half-written bundle.
  const tmp = `${out}.${process.pid}.tmp`;
  require('esbuild').buildSync({
    entryPoints: [path.join(root, 'main.ts')],
    outfile: tmp,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    minifySyntax: true,
    legalComments: 'none',
    logLevel: 'warning',
    // ajv-formats-draft2019 (under @kubernetes-models/validate) requires "punycode", which Node
    // resolves to its deprecated builtin: Node 22 then prints DEP0040 on every run's stderr. Bundle
    // the userland package it depends on instead (same API).
    alias: { punycode: 'punycode/punycode.js' },
  });
  fs.renameSync(tmp, out);
}

function ensureBuilt(force = false) {
  if (force || isStale()) build();
  return out;
}

module.exports = { ensureBuilt, isStale };

if (require.main === module) {
  ensureBuilt(process.argv.includes('--force'));
}
