// Start-up stays cheap (docs/design.md, Start-up): bin/synth.cjs loads the bundle through V8's code
// cache (bin/build.cjs loadBundle). The cache must never stand for another bundle, and a cache V8
// cannot use must only cost a compile, never change what runs.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';

interface Loaded {
  exports: { answer: () => string };
  saveCache: () => void;
  cacheFile: string;
  cacheUsed: boolean;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { loadBundle } = require('../../bin/build.cjs') as { loadBundle: (file: string) => Loaded };

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'start-up-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A bundle whose function is compiled only when called (so the cache written after the call holds it). */
function writeBundle(answer: string, mtime: number): string {
  const file = path.join(dir, 'main.cjs');
  fs.writeFileSync(file, `'use strict';\nmodule.exports = { answer: () => ${JSON.stringify(answer)} + require('node:path').sep };\n`);
  fs.utimesSync(file, mtime, mtime);
  return file;
}

/**
 * Load the bundle in a fresh process (V8 also keeps compiled code in memory, so only a new process
 * shows what the cache file does): whether the cache was used, and what the code returned.
 */
function loadInChild(file: string, nodeFlags: string[] = []): { cacheUsed: boolean; answer: string } {
  const script = `const l = require(${JSON.stringify(path.join(__dirname, '..', '..', 'bin', 'build.cjs'))}).loadBundle(${JSON.stringify(file)});
    const answer = l.exports.answer(); l.saveCache(); process.stdout.write(JSON.stringify({ cacheUsed: l.cacheUsed, answer }));`;
  const r = spawnSync(process.execPath, [...nodeFlags, '-e', script], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout) as { cacheUsed: boolean; answer: string };
}

test('the first load compiles and writes the cache; the next process uses it and runs the same code', () => {
  const file = writeBundle('one', 1_700_000_000);
  const first = loadBundle(file);
  expect(first.cacheUsed).toBe(false);
  expect(first.exports.answer()).toBe(`one${path.sep}`);
  first.saveCache();
  expect(fs.existsSync(first.cacheFile)).toBe(true);
  expect(loadInChild(file)).toEqual({ cacheUsed: true, answer: `one${path.sep}` });
});

test('a run with other V8 flags keeps a cache of its own: the plain runs keep theirs', () => {
  const file = writeBundle('one', 1_700_000_000);
  expect(loadInChild(file)).toEqual({ cacheUsed: false, answer: `one${path.sep}` });
  const plain = fs.readdirSync(dir).filter((f) => f.endsWith('.v8cache'));
  expect(plain).toHaveLength(1);
  const before = fs.readFileSync(path.join(dir, plain[0]));
  // --max-semi-space-size is part of V8's flag hash: a cache written without it is rejected with it.
  expect(loadInChild(file, ['--max-semi-space-size=32'])).toEqual({ cacheUsed: false, answer: `one${path.sep}` });
  expect(loadInChild(file, ['--max-semi-space-size=32'])).toEqual({ cacheUsed: true, answer: `one${path.sep}` });
  expect(fs.readdirSync(dir).filter((f) => f.endsWith('.v8cache'))).toHaveLength(2);
  expect(fs.readFileSync(path.join(dir, plain[0]))).toEqual(before);
  expect(loadInChild(file)).toEqual({ cacheUsed: true, answer: `one${path.sep}` });
});

test('a rebuilt bundle of the same size never meets the old cache: the name follows its text', () => {
  const old = loadBundle(writeBundle('one', 1_700_000_000));
  old.saveCache();
  // Same length, other code: V8 alone would accept a cache made for it (it checks the source length).
  const file = writeBundle('two', 1_700_000_100);
  expect(loadBundle(file).cacheFile).not.toBe(old.cacheFile);
  expect(loadInChild(file)).toEqual({ cacheUsed: false, answer: `two${path.sep}` });
});

test('a damaged cache is rejected by V8 and replaced: the bundle compiles and runs as usual', () => {
  const file = writeBundle('one', 1_700_000_000);
  const first = loadBundle(file);
  first.saveCache();
  fs.writeFileSync(first.cacheFile, Buffer.alloc(fs.statSync(first.cacheFile).size, 7));
  expect(loadInChild(file)).toEqual({ cacheUsed: false, answer: `one${path.sep}` });
  expect(loadInChild(file)).toEqual({ cacheUsed: true, answer: `one${path.sep}` });
});

test('a cache that cannot be written is skipped, leaving nothing behind', () => {
  const file = writeBundle('one', 1_700_000_000);
  const loaded = loadBundle(file);
  // The cache's name is taken by a directory: the rename fails (as on a read-only or full disk).
  fs.mkdirSync(loaded.cacheFile);
  expect(() => loaded.saveCache()).not.toThrow();
  expect(fs.readdirSync(dir).sort()).toEqual(['main.cjs', path.basename(loaded.cacheFile)]);
  expect(fs.readdirSync(loaded.cacheFile)).toEqual([]);
});

// loadBundle decodes an all-ASCII bundle as latin1 (the same string, no UTF-8 validation) and any
// other as UTF-8: text outside ASCII must come through unchanged, compiled or from the cache.
test.each([
  ['an ASCII', 'plain'],
  ['UTF-8', 'é – ü ✓'],
])('a %s bundle runs with its strings intact, compiled and from the cache', (_kind, answer) => {
  const file = writeBundle(answer, 1_700_000_000);
  const first = loadBundle(file);
  expect(first.exports.answer()).toBe(`${answer}${path.sep}`);
  first.saveCache();
  expect(loadInChild(file)).toEqual({ cacheUsed: true, answer: `${answer}${path.sep}` });
});

// A run that stopped early (--help, a config error) compiled only what it reached: its cache is kept
// apart as partial, so the first complete run replaces it and a later synth never keeps compiling
// what that first run missed (bin/synth.cjs says which run was complete).
describe('a partial cache gives way to a complete one', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { loadBundle: load } = require('../../bin/build.cjs') as {
    loadBundle: (file: string) => { cacheFile: string; partialFile: string; saveCache: (done?: boolean) => void };
  };
  /** One run in a fresh process that calls saveCache(done): whether it used a cache. */
  function runInChild(file: string, done: boolean): boolean {
    const script = `const l = require(${JSON.stringify(path.join(__dirname, '..', '..', 'bin', 'build.cjs'))}).loadBundle(${JSON.stringify(file)});
      l.exports.answer(); l.saveCache(${String(done)}); process.stdout.write(String(l.cacheUsed));`;
    const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(r.stderr);
    return r.stdout === 'true';
  }
  const present = (l: { cacheFile: string; partialFile: string }) => ({
    complete: fs.existsSync(l.cacheFile),
    partial: fs.existsSync(l.partialFile),
  });

  test('a partial run writes the partial cache; the next complete run replaces it; a partial run never replaces a complete one', () => {
    const file = writeBundle('one', 1_700_000_000);
    const first = load(file);
    first.saveCache(false);
    expect(present(first)).toEqual({ complete: false, partial: true });
    expect(runInChild(file, false)).toBe(true); // the partial cache is used, and kept as it is
    expect(present(first)).toEqual({ complete: false, partial: true });
    expect(runInChild(file, true)).toBe(true);
    expect(present(first)).toEqual({ complete: true, partial: false });
    const written = fs.statSync(first.cacheFile).mtimeMs;
    expect(runInChild(file, false)).toBe(true);
    expect(runInChild(file, true)).toBe(true);
    expect(present(first)).toEqual({ complete: true, partial: false });
    expect(fs.statSync(first.cacheFile).mtimeMs).toBe(written);
  });

  test('a complete cache V8 rejects gives way to the partial one a partial run writes, until a complete run', () => {
    const file = writeBundle('one', 1_700_000_000);
    const first = load(file);
    first.saveCache();
    fs.writeFileSync(first.cacheFile, Buffer.alloc(fs.statSync(first.cacheFile).size, 7));
    expect(runInChild(file, false)).toBe(false);
    expect(present(first)).toEqual({ complete: false, partial: true });
    expect(runInChild(file, true)).toBe(true);
    expect(present(first)).toEqual({ complete: true, partial: false });
    expect(runInChild(file, true)).toBe(true);
  });
});
