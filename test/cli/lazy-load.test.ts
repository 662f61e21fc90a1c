// Start-up loads only what the command uses (docs/design.md#start-up): the CRD model packages of
// the other GitOps engine, secrets mode and edge modes are required on first use, so esbuild wraps
// them in lazily initialised modules (its __esm helper) and a default synth never initialises them.
// A static import brought back would hoist them into the bundle's top level (no wrapper) or
// initialise them with their importer: either fails here.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { ROOT } from '../support/helpers';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { ensureBuilt } = require('../../bin/build.cjs') as { ensureBuilt: (force?: boolean, name?: string) => string };

/** The sources a default synth must not initialise, each loaded by a require() on first use. */
const LAZY = ['lib/constructs/flux.ts', 'lib/constructs/external-secrets.ts', 'lib/edge/traefik-crd.ts', 'lib/edge/gateway-api.ts'];

/** The CRD model modules a lazy source imports (`@kubernetes-models/...`, `kubernetes-models/...`), as written. */
const modelImports = (file: string): string[] =>
  [
    ...fs
      .readFileSync(path.join(ROOT, file), 'utf8')
      .matchAll(/^import \{[^}]*\} from '((?:@kubernetes-models\/|kubernetes-models\/)[^']+)';$/gm),
  ].map((m) => m[1]);

/** esbuild's helper that runs a wrapped module's body on its first require: record each module it initialises. */
const ESM_HELPER = /var __esm=\(([\w$]+),[\w$]+(?:,[\w$]+)*\)=>function\(\)\{/;

/**
 * Run the bundle (instrumented) in a fresh process: a default `npm run check`, then a Flux config
 * rendered in the same process (it must initialise the Flux modules: the record works). Returns the
 * modules initialised after each, the wrapped modules of the bundle, and the default run's exit code.
 */
function runInstrumented(dir: string): { wrapped: string[]; afterDefault: string[]; afterFlux: string[]; code: number } {
  const bundle = ensureBuilt(false, 'main');
  const text = fs.readFileSync(bundle, 'latin1');
  const helper = ESM_HELPER.exec(text);
  if (!helper) throw new Error(`${bundle}: esbuild's __esm helper not found (a new esbuild? update ESM_HELPER)`);
  const instrumented = text.replace(
    ESM_HELPER,
    (h) => `${h}${helper[1]}&&globalThis.__lazyInits.push(__getOwnPropNames(${helper[1]})[0]);`,
  );
  const copy = path.join(dir, 'main.cjs');
  fs.writeFileSync(copy, instrumented, 'latin1');
  const out = path.join(dir, 'result.json');
  // Loaded as bin/build.cjs loadBundle does, resolving the bundle's own requires from build/.
  const script = `
    const fs = require('node:fs'), vm = require('node:vm'), { createRequire, wrap } = require('node:module');
    globalThis.__lazyInits = [];
    const mod = { exports: {} };
    const run = new vm.Script(wrap(fs.readFileSync(${JSON.stringify(copy)}, 'latin1')), { filename: ${JSON.stringify(bundle)} }).runInThisContext();
    run.call(mod.exports, mod.exports, createRequire(${JSON.stringify(bundle)}), mod, ${JSON.stringify(bundle)}, ${JSON.stringify(path.dirname(bundle))});
    const load = { cacheDir: ${JSON.stringify(path.join(ROOT, 'build', 'config-cache'))} };
    const code = mod.exports.prepareSynth(['--check'], load).code;
    const afterDefault = [...globalThis.__lazyInits];
    mod.exports.prepareSynth(['--config', 'test/fixtures/flux.yaml', '--out', ${JSON.stringify(path.join(dir, 'flux'))}, '--baseline', 'none', '--check'], load);
    fs.writeFileSync(${JSON.stringify(out)}, JSON.stringify({ code, afterDefault, afterFlux: globalThis.__lazyInits }));`;
  const r = spawnSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0 || !fs.existsSync(out)) throw new Error(`the instrumented bundle failed: ${r.stderr}`);
  const wrapped = [...text.matchAll(/__esm\(\{"([^"]+)"\(\)/g)].map((m) => m[1]);
  return { wrapped, ...(JSON.parse(fs.readFileSync(out, 'utf8')) as { afterDefault: string[]; afterFlux: string[]; code: number }) };
}

describe('a default synth initialises only the modules it uses', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lazy-load-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('the CRD models of Flux, External Secrets, Traefik CRDs and Gateway API are wrapped and left uninitialised', () => {
    const { wrapped, afterDefault, afterFlux, code } = runInstrumented(dir);
    expect(code).toBe(0); // the default check ran through: render, checks, guards, compare
    const models = LAZY.flatMap(modelImports);
    expect(models.length).toBeGreaterThanOrEqual(LAZY.length + 5);
    // Each lazy source and each CRD model module it imports is a lazily initialised module of the bundle...
    const key = (spec: string) => wrapped.find((w) => w.endsWith(`node_modules/${spec}.js`));
    for (const file of LAZY) expect({ file, wrapped: wrapped.includes(file) }).toEqual({ file, wrapped: true });
    for (const spec of models) expect({ spec, wrapped: key(spec) !== undefined }).toEqual({ spec, wrapped: true });
    // ...that the default synth never initialised.
    const lazyKeys = [...LAZY, ...models.map((s) => key(s)!)];
    expect(afterDefault.filter((m) => lazyKeys.includes(m))).toEqual([]);
    // The record works: a Flux config initialises the Flux modules (and still none of the others).
    const flux = ['lib/constructs/flux.ts', ...modelImports('lib/constructs/flux.ts').map((s) => key(s)!)];
    expect(afterFlux.filter((m) => lazyKeys.includes(m)).sort()).toEqual(flux.sort());
  }, 60_000);
});
