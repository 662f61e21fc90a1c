// A bounded fuzz of the reading paths (issue 22): config values, --baseline trees and import
// --from directories, each mutated at random (fixed seed, few runs: fast). Three invariants hold
// for every run: it ends within a time limit; nothing it prints is a stack trace or an internal
// error; and exit 0 only with a complete output (synth: every file the manifest lists is there
// with its sha256; import: the draft exists and parses).
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import yaml from 'js-yaml';
import { main } from '../../main';
import { importMain } from '../../lib/import/cli';
import { OUTPUT } from '../../lib/base/paths';
import { ROOT, defaultInput } from '../support/helpers';
import { capture } from './snapshot';

const SEED = Number(process.env.FC_SEED ?? 2207);
const params = (numRuns: number) => ({ numRuns: Math.round(numRuns * Number(process.env.FC_RUNS_FACTOR ?? 1)), seed: SEED });
/** The most one run may take (a hang fails the run, not the whole suite's timeout). */
const LIMIT_MS = 20_000;

// Each test's and hook's own time limit (Jest's default is 5 s): not jest.setTimeout, which would
// set it for every file of the group suite this file runs in (test/support/test-groups.cjs).
const SLOW = 120_000;

let tmp: string;
beforeEach(() => (tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'ua-fuzz-')))), SLOW);
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }), SLOW);

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** Every file the manifest of `out` lists is present with its hash. */
function completeOutput(out: string): boolean {
  const manifest = fs.readFileSync(path.join(out, OUTPUT.manifest), 'utf8');
  const lines = manifest.split('\n').filter((l) => /^[0-9a-f]{64} {2}/.test(l));
  return (
    lines.length > 0 &&
    lines.every(
      (l) => fs.existsSync(path.join(out, l.slice(66))) && sha256(fs.readFileSync(path.join(out, l.slice(66)))) === l.slice(0, 64),
    )
  );
}

/** Run one command and hold the first two invariants; returns its exit code. */
function runBounded(run: () => number): number {
  const t0 = Date.now();
  const { result, stderr, stdout } = capture(run);
  expect(Date.now() - t0).toBeLessThan(LIMIT_MS);
  for (const l of [...stderr, ...stdout]) {
    expect(l).not.toMatch(/^\s+at |\n\s+at /);
    expect(l).not.toMatch(/internal error/);
  }
  if (process.env.FUZZ_LOG) fs.appendFileSync(process.env.FUZZ_LOG, `${result} ${stderr[0] ?? ''}\n`);
  return result;
}

// --- mutations of a directory tree ---------------------------------------------------------------

const BOMB = ['a0: &a0 [x, x, x, x, x, x, x, x, x]']
  .concat(Array.from({ length: 9 }, (_, i) => `a${i + 1}: &a${i + 1} [${Array(9).fill(`*a${i}`).join(', ')}]`))
  .join('\n');
const OPS = ['delete', 'truncate', 'garbage', 'bomb', 'conflict', 'fifo', 'linkOut', 'linkIn', 'loop', 'dupKey', 'emptyDir'] as const;
type Op = { op: (typeof OPS)[number]; at: number };
const opsArb = fc.array(fc.record({ op: fc.constantFrom(...OPS), at: fc.nat() }), { minLength: 1, maxLength: 3 });

const filesOf = (dir: string): string[] =>
  fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name))
    .sort();

function mutate(dir: string, ops: ReadonlyArray<Op>): void {
  for (const [i, { op, at }] of ops.entries()) {
    const files = filesOf(dir);
    if (files.length === 0) return;
    const f = files[at % files.length];
    const beside = path.join(path.dirname(f), `fuzz-${i}.yaml`);
    if (op === 'delete') fs.rmSync(f);
    else if (op === 'truncate') fs.truncateSync(f, Math.floor(fs.statSync(f).size / 2));
    else if (op === 'garbage') fs.appendFileSync(f, '\n: [unclosed\n\t- tab');
    else if (op === 'bomb') fs.writeFileSync(f, BOMB);
    else if (op === 'conflict') fs.writeFileSync(f, `<<<<<<< HEAD\n${fs.readFileSync(f, 'utf8')}=======\n>>>>>>> other\n`);
    else if (op === 'fifo') execFileSync('mkfifo', [beside]);
    else if (op === 'linkOut') fs.symlinkSync('/dev/zero', beside);
    else if (op === 'linkIn') fs.symlinkSync(path.basename(f), beside);
    else if (op === 'loop') fs.symlinkSync(path.basename(beside), beside);
    else if (op === 'dupKey') fs.appendFileSync(f, '\nkind: again\nkind: twice\n');
    else fs.mkdirSync(path.join(path.dirname(f), `fuzz-dir-${i}.yaml`));
  }
}

test(
  'a mutated --baseline: bounded, no stack trace, exit 0 only with a complete output',
  () => {
    fc.assert(
      fc.property(opsArb, (ops) => {
        const run = fs.mkdtempSync(path.join(tmp, 'run-'));
        fs.cpSync(path.join(ROOT, 'dist'), path.join(run, 'base'), { recursive: true });
        fs.writeFileSync(path.join(run, 'config.json'), JSON.stringify(defaultInput()));
        mutate(path.join(run, 'base'), ops);
        const code = runBounded(() => main(['--config', `${run}/config.json`, '--out', `${run}/out`, '--baseline', `${run}/base`]));
        expect(code === 0 ? completeOutput(`${run}/out`) : !fs.existsSync(`${run}/out`)).toBe(true);
      }),
      params(8),
    );
  },
  SLOW,
);

test(
  'a mutated import --from directory: bounded, no stack trace, exit 0 only with a draft that parses',
  () => {
    fc.assert(
      fc.property(opsArb, (ops) => {
        const run = fs.mkdtempSync(path.join(tmp, 'run-'));
        fs.cpSync(path.join(ROOT, 'test/fixtures/hand-written-layer'), path.join(run, 'layer'), { recursive: true });
        mutate(path.join(run, 'layer'), ops);
        const code = runBounded(() => importMain(['--from', `${run}/layer`, '--out', `${run}/draft.yaml`]));
        if (code === 0) expect(yaml.load(fs.readFileSync(`${run}/draft.yaml`, 'utf8'))).toEqual(expect.any(Object));
        expect(fs.readdirSync(run).filter((n) => n.endsWith('.tmp'))).toEqual([]);
      }),
      params(8),
    );
  },
  SLOW,
);

// --- config values ---------------------------------------------------------------------------------

/** Every path to a leaf of the default config. */
function leafPaths(v: unknown, at: Array<string | number> = []): Array<Array<string | number>> {
  if (v === null || typeof v !== 'object') return [at];
  return Object.entries(v).flatMap(([k, c]) => leafPaths(c, [...at, Array.isArray(v) ? Number(k) : k]));
}
const LEAVES = leafPaths(defaultInput());
/** `keep`: the value stays as it was (so some runs synthesize and their output is checked). */
const valueArb = fc.oneof(
  fc.constant('keep'),
  fc.jsonValue({ maxDepth: 2 }),
  fc.constantFrom(
    '',
    ' ',
    'x'.repeat(100_000),
    'a\u2028b',
    'https://user:pw@x.example/',
    '${SECRET}',
    -0,
    '*.example.com',
    Number.POSITIVE_INFINITY,
  ),
);

test(
  'a config with a random value at a random place: bounded, no stack trace, exit 0 only with a complete output',
  () => {
    fc.assert(
      fc.property(fc.nat(), valueArb, fc.constantFrom('json', 'yaml'), (at, value, format) => {
        const run = fs.mkdtempSync(path.join(tmp, 'run-'));
        const input = defaultInput() as unknown as Record<string, unknown>;
        const p = LEAVES[at % LEAVES.length];
        const parent = p.slice(0, -1).reduce<Record<string | number, unknown>>((o, k) => o[k] as Record<string | number, unknown>, input);
        if (value !== 'keep') parent[p[p.length - 1]] = value;
        const file = `${run}/config.${format}`;
        fs.writeFileSync(file, format === 'json' ? JSON.stringify(input) : yaml.dump(input));
        const code = runBounded(() => main(['--config', file, '--out', `${run}/out`, '--baseline', 'none']));
        expect(code === 0 ? completeOutput(`${run}/out`) : !fs.existsSync(`${run}/out`)).toBe(true);
      }),
      params(10),
    );
  },
  SLOW,
);
