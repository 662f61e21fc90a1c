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

/**
 * Whether `p` changed after `time`: a file's mtime marks an edit, a directory's an entry added,
 * removed or renamed (a deleted source, or a new one that kept an old mtime). One stat per entry,
 * stopping at the first change.
 */
function changedSince(p, time) {
  const st = fs.statSync(p, { throwIfNoEntry: false });
  if (!st) return false;
  if (st.mtimeMs > time) return true;
  return st.isDirectory() && fs.readdirSync(p).some((e) => changedSince(`${p}/${e}`, time));
}

function isStale(name = 'main') {
  const built = fs.statSync(outOf(name), { throwIfNoEntry: false });
  if (!built) return true;
  return SOURCES.some((s) => changedSince(path.join(root, s), built.mtimeMs));
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
  // The old bundle's code caches (loadBundle) describe code that no longer exists.
  for (const f of fs.readdirSync(path.dirname(out)))
    if (f.startsWith(`${name}.cjs.`) && f.endsWith('.v8cache')) fs.rmSync(path.join(path.dirname(out), f), { force: true });
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
    // Without comments and layout the bundle is a third smaller and all ASCII (esbuild escapes the
    // rest): less to read, hash and decode on every start (loadBundle).
    minifyWhitespace: true,
    charset: 'ascii',
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

/**
 * Load a bundle the way require() does, through V8's code cache: compiling 3 MB of JavaScript is
 * most of a start-up, and the cache holds the bytecode of the functions a run used. The cache file
 * is named after the bundle's text and V8's cache tag, so it never describes another bundle or
 * another set of V8 flags; V8 rejects a damaged one (then the bundle compiles as usual). Returns the
 * exports and `saveCache(complete)`, to call once the run is done (it then holds the functions it
 * compiled); `cacheUsed` says whether this load used a cache. A run that did not do the whole work
 * (`--help`, a config error) saves a partial cache apart, used until a complete run replaces it:
 * otherwise every later synth would compile what that first run never reached.
 */
function loadBundle(file) {
  const vm = require('node:vm');
  const { createRequire, wrap } = require('node:module');
  const source = fs.readFileSync(file);
  // V8 checks little more than the source's length: a cache of other code of the same length would
  // run that code. The name carries a hash of the bundle's text.
  const hash = require('node:crypto').hash('sha1', source).slice(0, 20);
  // V8's own tag for what its caches depend on (its version, its flags, the CPU's features): a run
  // with other V8 flags (--inspect, NODE_OPTIONS=--max-old-space-size=...) keeps a cache of its own
  // instead of replacing the one every plain run uses with one V8 would reject there.
  const base = `${file}.${hash}-v8-${require('node:v8').cachedDataVersionTag()}`;
  const cacheFile = `${base}.v8cache`;
  const partialFile = `${base}.partial.v8cache`;
  const complete = readIfExists(cacheFile);
  const cachedData = complete ?? readIfExists(partialFile);
  // ASCII text decodes as latin1 without UTF-8's validation: the same string, cheaper.
  const text = require('node:buffer').isAscii(source) ? source.toString('latin1') : source.toString('utf8');
  const script = new vm.Script(wrap(text), { filename: file, cachedData });
  const mod = { exports: {} };
  script.runInThisContext().call(mod.exports, mod.exports, createRequire(file), mod, file, path.dirname(file));
  const cacheUsed = cachedData !== undefined && !script.cachedDataRejected;
  const saveCache = (done = true) => {
    // Kept: a complete cache that was used, or any used cache after a partial run.
    if (cacheUsed && (complete !== undefined || !done)) return;
    const [target, other] = done ? [cacheFile, partialFile] : [partialFile, cacheFile];
    // Only a cache: a read-only checkout or a full disk leaves the next run compiling as usual.
    const tmp = `${target}.${process.pid}.tmp`;
    try {
      fs.writeFileSync(tmp, script.createCachedData());
      fs.renameSync(tmp, target);
      // A complete cache supersedes the partial one; a partial one is only written when the other was rejected.
      fs.rmSync(other, { force: true });
    } catch {
      fs.rmSync(tmp, { force: true });
    }
  };
  return { exports: mod.exports, saveCache, cacheFile, partialFile, cacheUsed };
}

function readIfExists(file) {
  try {
    return fs.readFileSync(file);
  } catch {
    return undefined;
  }
}

module.exports = { ensureBuilt, isStale, loadBundle, BuildError };

if (require.main === module) {
  try {
    for (const name of Object.keys(ENTRIES)) ensureBuilt(process.argv.includes('--force'), name);
  } catch (e) {
    if (!(e instanceof BuildError)) throw e;
    console.error(`build error: ${e.message}`);
    process.exitCode = 1;
  }
}
