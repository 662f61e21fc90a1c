#!/usr/bin/env node
// Bundles main.ts into build/main.cjs (lib/plan/cli.ts into build/plan.cjs, lib/import/cli.ts into build/import.cjs, lib/init/cli.ts into build/init.cjs, lib/verify/cli.ts into build/verify.cjs) with esbuild (CommonJS: the fastest start-up measured,
// and it folds the ES-module-only @kubernetes-models packages in). Rebuilds only when a source
// is newer than the bundle; `--force` always rebuilds. Type-checking is `tsc --noEmit` in npm test.
// The cluster config (config/frank.ts) is not in the bundle: lib/config/load.ts compiles it at run
// time, so a broken config is a config error and never stops another --config from working.
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
/** Bundle name -> entry point. */
const ENTRIES = {
  main: 'main.ts',
  plan: 'lib/plan/cli.ts',
  import: 'lib/import/cli.ts',
  init: 'lib/init/cli.ts',
  verify: 'lib/verify/cli.ts',
};
const outOf = (name) => path.join(root, 'build', `${name}.cjs`);
const SOURCES = ['main.ts', 'lib', 'imports', 'package-lock.json', 'bin/build.cjs'];

/** The bundle cannot be built: one line (file:line:column: message). */
class BuildError extends Error {}

function newestMtime(p) {
  const st = fs.statSync(p, { throwIfNoEntry: false });
  if (!st) return 0;
  if (!st.isDirectory()) return st.mtimeMs;
  return fs.readdirSync(p).reduce((m, e) => Math.max(m, newestMtime(path.join(p, e))), st.mtimeMs);
}

function isStale(name = 'main') {
  const built = fs.statSync(outOf(name), { throwIfNoEntry: false });
  if (!built) return true;
  return SOURCES.some((s) => newestMtime(path.join(root, s)) > built.mtimeMs);
}

function build(name) {
  // Write aside, then rename: a concurrent synth never loads a half-written bundle.
  const out = outOf(name);
  const tmp = `${out}.${process.pid}.tmp`;
  try {
    bundle(name, tmp);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    const first = (e.errors || [])[0];
    if (!first) throw new BuildError(`cannot bundle ${ENTRIES[name]}: ${String(e.message || e).split('\n')[0]}`);
    const loc = first.location;
    const where = loc ? `${loc.file}:${loc.line}:${loc.column + 1}: ` : '';
    throw new BuildError(`${where}${first.text} (the tool's own source does not compile; run npm test for details)`);
  }
  fs.renameSync(tmp, out);
}

function bundle(name, tmp) {
  require('esbuild').buildSync({
    entryPoints: [path.join(root, ENTRIES[name])],
    outfile: tmp,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    minifySyntax: true,
    legalComments: 'none',
    logLevel: 'silent',
    absWorkingDir: root,
    // esbuild (compiles TypeScript configs) and typescript (locates their errors) stay packages, loaded when needed.
    external: ['esbuild', 'typescript'],
    // ajv-formats-draft2019 (under @kubernetes-models/validate) requires "punycode", which Node
    // resolves to its deprecated builtin: Node 22 then prints DEP0040 on every run's stderr. Bundle
    // the userland package it depends on instead (same API).
    alias: { punycode: 'punycode/punycode.js' },
  });
}

function ensureBuilt(force = false, name = 'main') {
  if (force || isStale(name)) build(name);
  return outOf(name);
}

module.exports = { ensureBuilt, isStale, BuildError };

if (require.main === module) {
  try {
    for (const name of Object.keys(ENTRIES)) ensureBuilt(process.argv.includes('--force'), name);
  } catch (e) {
    if (!(e instanceof BuildError)) throw e;
    console.error(`build error: ${e.message}`);
    process.exitCode = 1;
  }
}
