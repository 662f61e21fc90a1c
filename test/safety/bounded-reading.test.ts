// Bounded reading (issue 22 item 6, docs/bounded-reading.md): every input the tool reads (the
// config, --baseline, import's --from) is refused with one line naming the path when it is not a
// regular file inside the tree, is over 16 MiB, is a YAML alias bomb, has a duplicate JSON key, or
// (a .ts config) is not plain data, loops, exits or throws late. Exit 1, and every file that
// existed before is byte-identical afterwards.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { main } from '../../main';
import { planMain } from '../../lib/plan/cli';
import { importMain } from '../../lib/import/cli';
import { listTree } from '../../lib/readback/tree';
import { ROOT, defaultInput } from '../support/helpers';
import { capture, snapshotTree } from './snapshot';

// Each test's and hook's own time limit (Jest's default is 5 s): not jest.setTimeout, which would
// set it for every file of the group suite this file runs in (test/support/test-groups.cjs).
const SLOW = 60_000;

let tmp: string;
beforeEach(() => {
  tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'ua-bounded-')));
  fs.writeFileSync(path.join(tmp, 'config.json'), JSON.stringify(defaultInput()));
  fs.cpSync(path.join(ROOT, 'dist'), path.join(tmp, 'base'), { recursive: true });
  fs.cpSync(path.join(ROOT, 'test/fixtures/hand-written-layer'), path.join(tmp, 'layer'), { recursive: true });
}, SLOW);
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }), SLOW);

/** A 573-byte-class alias bomb: nine levels of nine aliases each (9^9 nodes when walked). */
const BOMB = ['a0: &a0 [x, x, x, x, x, x, x, x, x]']
  .concat(Array.from({ length: 9 }, (_, i) => `a${i + 1}: &a${i + 1} [${Array(9).fill(`*a${i}`).join(', ')}]`))
  .join('\n');

type Cmd = 'synth' | 'synthYaml' | 'plan' | 'import';
const RUN: Record<Cmd, (t: string) => number> = {
  synth: (t) => main(['--config', `${t}/config.json`, '--out', `${t}/out`, '--baseline', `${t}/base`]),
  synthYaml: (t) => main(['--config', `${t}/config.yaml`, '--out', `${t}/out`, '--baseline', `${t}/base`]),
  plan: (t) => planMain(['--config', `${t}/config.json`, '--baseline', `${t}/base`]),
  import: (t) => importMain(['--from', `${t}/layer`, '--out', `${t}/draft.yaml`]),
};
const mkfifo = (p: string) => execFileSync('mkfifo', [p]);

const CASES: Array<{ name: string; cmd: Cmd; setup: (t: string) => void; line: RegExp }> = [
  {
    name: 'a FIFO *.yaml in --baseline (synth)',
    cmd: 'synth',
    setup: (t) => mkfifo(`${t}/base/authentik-extras/x.yaml`),
    line: /^read error: .*\/base\/authentik-extras\/x\.yaml: is a FIFO/,
  },
  {
    name: 'a FIFO *.yaml in --baseline (plan)',
    cmd: 'plan',
    setup: (t) => mkfifo(`${t}/base/apps/x.yaml`),
    line: /^read error: .*\/base\/apps\/x\.yaml: is a FIFO/,
  },
  {
    name: "a FIFO as the output's manifest (synth reads it to prove ownership)",
    cmd: 'synth',
    setup: (t) => {
      fs.cpSync(`${t}/base`, `${t}/out`, { recursive: true });
      fs.rmSync(`${t}/out/.unified-auth.sha256`);
      mkfifo(`${t}/out/.unified-auth.sha256`);
    },
    line: /^output error: refusing to replace .*\/out: .*\/out\/\.unified-auth\.sha256 is not a manifest synth wrote/,
  },
  {
    name: '--baseline a symbolic link loop (plan used to plan against nothing)',
    cmd: 'plan',
    setup: (t) => (fs.rmSync(`${t}/base`, { recursive: true }), fs.symlinkSync('base', `${t}/base`)),
    line: /^error: cannot access .*\/base: too many levels of symbolic links \(a link loop\)/,
  },
  {
    name: '--baseline a dangling symbolic link',
    cmd: 'plan',
    setup: (t) => (fs.rmSync(`${t}/base`, { recursive: true }), fs.symlinkSync('gone', `${t}/base`)),
    line: /^usage error: --baseline .*\/base: no such directory/,
  },
  {
    name: 'a link to a directory that contains it in --from',
    cmd: 'import',
    setup: (t) => fs.symlinkSync('..', `${t}/layer/apps/up`),
    line: /^read error: .*\/layer\/apps\/up: a symbolic link loop \(it points to a directory that contains it\)$/,
  },
  {
    name: 'a FIFO *.yaml in --from',
    cmd: 'import',
    setup: (t) => mkfifo(`${t}/layer/apps/x.yaml`),
    line: /^read error: .*\/layer\/apps\/x\.yaml: is a FIFO/,
  },
  {
    name: 'a *.yaml link to /dev/zero in --from',
    cmd: 'import',
    setup: (t) => fs.symlinkSync('/dev/zero', `${t}/layer/apps/z.yaml`),
    line: /^read error: .*\/layer\/apps\/z\.yaml: a symbolic link that leaves .* \(to \/dev\/zero\)/,
  },
  {
    name: 'a link to a file outside the --baseline tree',
    cmd: 'plan',
    setup: (t) => fs.symlinkSync(`${t}/config.json`, `${t}/base/apps/out.yaml`),
    line: /^read error: .*\/base\/apps\/out\.yaml: a symbolic link that leaves/,
  },
  {
    name: 'a symlink loop in --from',
    cmd: 'import',
    setup: (t) => (fs.symlinkSync('b.yaml', `${t}/layer/apps/a.yaml`), fs.symlinkSync('a.yaml', `${t}/layer/apps/b.yaml`)),
    line: /^read error: .*\/layer\/apps\/a\.yaml: a symbolic link loop/,
  },
  {
    name: 'a dangling link in --baseline',
    cmd: 'synth',
    setup: (t) => fs.symlinkSync('nowhere.yaml', `${t}/base/apps/gone.yaml`),
    line: /^read error: .*\/base\/apps\/gone\.yaml: a symbolic link to a path that does not exist$/,
  },
  {
    name: 'a file over 16 MiB in --from (sparse: refused before it is read)',
    cmd: 'import',
    setup: (t) => fs.truncateSync((fs.writeFileSync(`${t}/layer/apps/big.yaml`, ''), `${t}/layer/apps/big.yaml`), 17 * 1024 * 1024),
    line: /^read error: .*big\.yaml: 17\.0 MiB is over the 16\.0 MiB limit/,
  },
  {
    name: 'a file over 16 MiB in --baseline',
    cmd: 'synth',
    setup: (t) => fs.truncateSync((fs.writeFileSync(`${t}/base/docs/big.md`, ''), `${t}/base/docs/big.md`), 17 * 1024 * 1024),
    line: /^read error: .*big\.md: 17\.0 MiB is over/,
  },
  {
    name: 'a --baseline that is a file',
    cmd: 'plan',
    setup: (t) => (fs.rmSync(`${t}/base`, { recursive: true }), fs.writeFileSync(`${t}/base`, 'x')),
    line: /^usage error: --baseline .*\/base: is a file, not a directory$/,
  },
  {
    name: 'a YAML alias bomb as the config',
    cmd: 'synthYaml',
    setup: (t) => fs.writeFileSync(`${t}/config.yaml`, BOMB),
    line: /^config error: .*config\.yaml: not valid YAML: its aliases expand to more than 1000000 nodes/,
  },
  {
    name: 'a JSON config with a duplicate key',
    cmd: 'synth',
    setup: (t) => fs.writeFileSync(`${t}/config.json`, '{\n  "cluster": {"name": "a",\n  "name": "b"}\n}\n'),
    line: /^config error: .*config\.json: not valid JSON: duplicate key "name" at line 3, column 3$/,
  },
  {
    name: 'a JSON config with a duplicate key at the top level',
    cmd: 'plan',
    setup: (t) => fs.writeFileSync(`${t}/config.json`, JSON.stringify(defaultInput()).replace(/^\{/, '{"git": 1, ')),
    line: /^(config|usage) error: .*config\.json: not valid JSON: duplicate key "git" at line 1, column \d+$/,
  },
  {
    name: 'a FIFO as the config',
    cmd: 'synth',
    setup: (t) => (fs.rmSync(`${t}/config.json`), mkfifo(`${t}/config.json`)),
    line: /^config error: .*config\.json: is a FIFO \(named pipe\), not a file$/,
  },
  {
    name: 'a config over 16 MiB',
    cmd: 'synth',
    setup: (t) => fs.truncateSync(`${t}/config.json`, 17 * 1024 * 1024),
    line: /^config error: .*config\.json: 17\.0 MiB is over the 16\.0 MiB limit/,
  },
];

test.each(CASES)(
  '$name: exit 1, one line, nothing changed',
  ({ cmd, setup, line }) => {
    setup(tmp);
    const before = snapshotTree(tmp);
    const t0 = Date.now();
    const { result, stderr, stdout } = capture(() => RUN[cmd](tmp));
    expect(Date.now() - t0).toBeLessThan(20_000);
    expect(result).toBe(1);
    expect(stderr).toHaveLength(1);
    expect(stderr[0]).toMatch(line);
    expect(stderr[0]).not.toMatch(/internal error|\n|^\s+at /);
    expect(stdout.join('')).not.toMatch(/wrote/);
    expect(snapshotTree(tmp)).toEqual(before);
  },
  SLOW,
);

// The --from directories are the live layer: a file Authentik cannot parse either is named and left
// out of the draft, the rest is adopted (issue 22, item 2).
test(
  'a YAML alias bomb in --from: named on one line with the reason, left out, the rest adopted',
  () => {
    fs.writeFileSync(`${tmp}/layer/apps/bomb.yaml`, BOMB);
    const t0 = Date.now();
    const { stderr } = capture(() => RUN.import(tmp));
    expect(Date.now() - t0).toBeLessThan(20_000);
    const skipped = stderr.filter((l) => l.includes('bomb.yaml'));
    expect(skipped).toEqual([
      expect.stringMatching(/^skipped: .*bomb\.yaml.*: does not parse \(.*aliases expand to more than 1000000 nodes.*\)/),
    ]);
    expect(fs.readFileSync(`${tmp}/draft.yaml`, 'utf8')).not.toContain('bomb');
  },
  SLOW,
);

test(
  'a staged config over 16 MiB (--check --staged) is refused before git hands it over',
  () => {
    const repo = path.join(tmp, 'repo');
    fs.mkdirSync(repo);
    execFileSync('git', ['init', '-q'], { cwd: repo });
    fs.writeFileSync(path.join(repo, 'config.yaml'), Buffer.alloc(17 * 1024 * 1024, 0x20));
    execFileSync('git', ['add', 'config.yaml'], { cwd: repo });
    const cwd = process.cwd();
    process.chdir(repo);
    try {
      const { result, stderr } = capture(() => main(['--check', '--staged', '--config', 'config.yaml', '--out', 'dist']));
      expect(result).toBe(1);
      expect(stderr).toEqual(['git error: config.yaml (staged) is 17825792 bytes, over the 16777216-byte limit for an input file']);
    } finally {
      process.chdir(cwd);
    }
  },
  SLOW,
);

test(
  'a link to a directory inside the tree is walked like a copy of it; the real directory too',
  () => {
    fs.mkdirSync(`${tmp}/t/apps`, { recursive: true });
    fs.writeFileSync(`${tmp}/t/apps/a.yaml`, 'a: 1\n');
    fs.symlinkSync('apps', `${tmp}/t/a-link`);
    expect(listTree(`${tmp}/t`)).toEqual(['a-link/a.yaml', 'apps/a.yaml']);
  },
  SLOW,
);

// --- a TypeScript config: plain data only, evaluated apart (lib/config/evaluate.ts) ---------------

const TS_HEAD = `import c from './config.json';\n`;
const TS_CASES: Array<{ name: string; body: string; line: RegExp }> = [
  {
    name: 'a BigInt',
    body: 'export default { ...c, cluster: { ...c.cluster, n: 10n } };',
    line: /config\.ts: cluster\.n is a BigInt; a config is plain data/,
  },
  {
    name: 'a circular value',
    body: 'const x: any = { ...c }; x.git = { back: x };\nexport default x;',
    line: /config\.ts: git\.back is a circular reference/,
  },
  { name: 'a Proxy', body: 'export default { ...c, git: new Proxy({}, {}) };', line: /config\.ts: git is a Proxy/ },
  {
    name: 'a function',
    body: 'export default { ...c, cluster: { ...c.cluster, name: () => "x" } };',
    line: /config\.ts: cluster\.name is a function; a config is plain data/,
  },
  { name: 'a Date', body: 'export default { ...c, when: new Date(0) };', line: /config\.ts: when is a Date/ },
  { name: 'a Map', body: 'export default { ...c, m: new Map() };', line: /config\.ts: m is a Map/ },
  { name: 'NaN', body: 'export default { ...c, n: NaN };', line: /config\.ts: n is NaN \(not a finite number\)/ },
  { name: 'a class instance', body: 'class K { a = 1 }\nexport default { ...c, k: new K() };', line: /config\.ts: k is a K;/ },
  { name: 'a Promise (an async config)', body: 'export default Promise.resolve(c);', line: /config\.ts: the export is a Promise/ },
  {
    name: 'a throw from a timer',
    body: 'setTimeout(() => { throw new Error("late boom"); }, 10);\nexport default c;',
    line: /config\.ts:2:\d+: threw after evaluation \(in a timer or callback\): Error: late boom$/,
  },
  {
    name: 'an unhandled rejection',
    body: 'void Promise.reject(new Error("nope"));\nexport default c;',
    line: /config\.ts:2:\d+: an unhandled promise rejection: Error: nope$/,
  },
  {
    name: 'process.exit(0)',
    body: 'process.exit(0);\nexport default c;',
    line: /config\.ts: called process\.exit\(0\); a config only exports its data$/,
  },
  { name: 'no export', body: 'const x = c;', line: /config\.ts: export the config as the default export/ },
];

test.each(TS_CASES)(
  'a .ts config with $name is a config error naming the config: exit 1, one line, nothing written',
  ({ body, line }) => {
    fs.writeFileSync(path.join(tmp, 'config.ts'), TS_HEAD + body + '\n');
    const before = snapshotTree(tmp);
    const { result, stderr } = capture(() => main(['--config', `${tmp}/config.ts`, '--out', `${tmp}/out`, '--baseline', 'none']));
    expect(result).toBe(1);
    expect(stderr).toHaveLength(1);
    expect(stderr[0]).toMatch(/^config error: /);
    expect(stderr[0]).toMatch(line);
    expect(stderr[0]).not.toMatch(/internal error|\n|^\s+at /);
    expect(snapshotTree(tmp)).toEqual(before);
  },
  SLOW,
);

test(
  'a plain-data .ts config (the default one) still synthesizes',
  () => {
    fs.writeFileSync(path.join(tmp, 'config.ts'), `${TS_HEAD}export const cfg = { ...c, services: [...c.services] };\n`);
    const { result, stderr } = capture(() => main(['--config', `${tmp}/config.ts`, '--out', `${tmp}/out`, '--baseline', 'none']));
    expect(stderr).toEqual([]);
    expect(result).toBe(0);
  },
  SLOW,
);

// --- the real process: a time limit, and signals end it (bin/synth.cjs) ---------------------------

function runSynth(config: string, env: NodeJS.ProcessEnv, signal?: NodeJS.Signals) {
  return new Promise<{ code: number | null; signal: string | null; stderr: string; ms: number }>((resolve) => {
    const t0 = Date.now();
    const child = spawn(
      process.execPath,
      [path.join(ROOT, 'bin/synth.cjs'), '--config', config, '--out', `${tmp}/out`, '--baseline', 'none'],
      {
        cwd: tmp,
        env: { ...process.env, ...env },
      },
    );
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    // The signal once the config is running (its first line says so on stderr).
    if (signal) child.stderr.once('data', () => setTimeout(() => child.kill(signal), 200));
    child.on('close', (code, sig) => resolve({ code, signal: sig, stderr, ms: Date.now() - t0 }));
  });
}

// The worker's console is relayed by the (blocked) main thread: the line goes to fd 2 directly.
const LOOP = `import fs from 'node:fs';\nfs.writeSync(2, 'evaluating\\n');\nfor (;;) {}\nexport default 1;\n`;

test('for(;;){} in a .ts config ends after the time limit with one line, nothing written', async () => {
  fs.writeFileSync(path.join(tmp, 'loop.ts'), LOOP);
  const before = snapshotTree(tmp);
  const r = await runSynth(`${tmp}/loop.ts`, { UNIFIED_AUTH_CONFIG_TIMEOUT: '0.2' });
  expect(r.code).toBe(1);
  // No UNIFIED_AUTH_CONFIG_HEAP_MB here: the line names the default heap limit, 512 MB.
  expect(
    r.stderr
      .trim()
      .split('\n')
      .filter((l) => l !== 'evaluating'),
  ).toEqual([
    `config error: ${tmp}/loop.ts: did not finish within 0.2 s (an endless loop, a timer that keeps it running, or over 512 MB of memory); UNIFIED_AUTH_CONFIG_TIMEOUT=<seconds> sets the limit`,
  ]);
  expect(snapshotTree(tmp)).toEqual(before);
}, 30_000);

// A 32 MB heap (UNIFIED_AUTH_CONFIG_HEAP_MB) is reached in milliseconds, where the default 512 MB
// took seconds of allocation and collection: the same end, cheaper.
test('a .ts config that keeps allocating ends at its heap limit: one line, no stack trace, nothing written', async () => {
  fs.writeFileSync(path.join(tmp, 'oom.ts'), 'const a: number[][] = [];\nfor (;;) a.push(new Array(1e6).fill(1));\nexport default 1;\n');
  const before = snapshotTree(tmp);
  const r = await runSynth(`${tmp}/oom.ts`, { UNIFIED_AUTH_CONFIG_TIMEOUT: '1', UNIFIED_AUTH_CONFIG_HEAP_MB: '32' });
  expect(r.code).toBe(1);
  expect(r.stderr).toMatch(/^config error: .*oom\.ts: did not finish within 1 s \(.*over 32 MB of memory\); .*\n$/);
  expect(snapshotTree(tmp)).toEqual(before);
}, 60_000);

test('SIGTERM ends a run whose .ts config loops, at once and with nothing written', async () => {
  fs.writeFileSync(path.join(tmp, 'loop.ts'), LOOP);
  const before = snapshotTree(tmp);
  const r = await runSynth(`${tmp}/loop.ts`, { UNIFIED_AUTH_CONFIG_TIMEOUT: '60' }, 'SIGTERM');
  expect(r.signal).toBe('SIGTERM');
  expect(r.ms).toBeLessThan(20_000);
  expect(snapshotTree(tmp)).toEqual(before);
}, 30_000);

// The main thread is blocked in Atomics.wait: Node's vm breakOnSigint (lib/config/evaluate.ts
// withDefaultSignals) is what turns Ctrl-C into the one line and exit 130, at once.
test('Ctrl-C (SIGINT) while a .ts config loops: one line, exit 130, at once, nothing written', async () => {
  fs.writeFileSync(path.join(tmp, 'loop.ts'), LOOP);
  const before = snapshotTree(tmp);
  const r = await runSynth(`${tmp}/loop.ts`, { UNIFIED_AUTH_CONFIG_TIMEOUT: '60' }, 'SIGINT');
  expect({ code: r.code, signal: r.signal }).toEqual({ code: 130, signal: null });
  expect(
    r.stderr
      .trim()
      .split('\n')
      .filter((l) => l !== 'evaluating'),
  ).toEqual([`interrupted while evaluating ${tmp}/loop.ts; nothing written`]);
  expect(r.ms).toBeLessThan(20_000);
  expect(snapshotTree(tmp)).toEqual(before);
}, 30_000);

test('process.exit(0) in a .ts config: the real process exits 1 with one line, nothing written', async () => {
  fs.writeFileSync(path.join(tmp, 'exit.ts'), `${TS_HEAD}process.exit(0);\nexport default c;\n`);
  const before = snapshotTree(tmp);
  const r = await runSynth(`${tmp}/exit.ts`, {});
  expect(r.code).toBe(1);
  expect(r.stderr).toBe(`config error: ${tmp}/exit.ts: called process.exit(0); a config only exports its data\n`);
  expect(snapshotTree(tmp)).toEqual(before);
}, 30_000);

// In-process, the heap limit holds as in the real process: 64 MB of data is refused under a 32 MB
// limit, and is a config under the default limit.
test(
  'UNIFIED_AUTH_CONFIG_HEAP_MB bounds the heap of the evaluation; a bad value is one line',
  () => {
    fs.writeFileSync(
      path.join(tmp, 'big.ts'),
      'const a: number[][] = [];\nfor (let i = 0; i < 8; i++) a.push(new Array(1e6).fill(1));\nexport default { n: a.length };\n',
    );
    // The limited run waits out its time limit (the worker's end is not signalled): 1 s. The default
    // run returns once evaluated, so its limit can be the default 10 s.
    const run = (heap: string | undefined, timeout = '1') => {
      if (heap === undefined) delete process.env.UNIFIED_AUTH_CONFIG_HEAP_MB;
      else process.env.UNIFIED_AUTH_CONFIG_HEAP_MB = heap;
      process.env.UNIFIED_AUTH_CONFIG_TIMEOUT = timeout;
      return capture(() => main(['--config', `${tmp}/big.ts`, '--out', `${tmp}/out`, '--baseline', 'none']));
    };
    try {
      const limited = run('32');
      expect(limited.result).toBe(1);
      expect(limited.stderr).toEqual([
        expect.stringMatching(/^config error: .*big\.ts: did not finish within 1 s \(.*over 32 MB of memory\)/),
      ]);
      const bad = run('lots');
      expect(bad.result).toBe(1);
      expect(bad.stderr).toEqual(['config error: UNIFIED_AUTH_CONFIG_HEAP_MB=lots: expected a whole number of megabytes, 16 or more']);
      expect(run('8').stderr).toEqual(['config error: UNIFIED_AUTH_CONFIG_HEAP_MB=8: expected a whole number of megabytes, 16 or more']);
      // The default limit (512 MB) holds 64 MB: the export is schema-checked, so the run gets past evaluation.
      const unlimited = run(undefined, '10');
      expect(unlimited.result).toBe(1);
      expect(unlimited.stderr[0]).toMatch(/^config error: .*big\.ts/);
      expect(unlimited.stderr.join('\n')).not.toMatch(/did not finish|UNIFIED_AUTH_CONFIG_HEAP_MB|plain data/);
    } finally {
      delete process.env.UNIFIED_AUTH_CONFIG_HEAP_MB;
      delete process.env.UNIFIED_AUTH_CONFIG_TIMEOUT;
    }
  },
  SLOW,
);

test(
  'a bad time limit is one line',
  () => {
    fs.writeFileSync(path.join(tmp, 'config.ts'), `${TS_HEAD}export default c;\n`);
    process.env.UNIFIED_AUTH_CONFIG_TIMEOUT = 'soon';
    try {
      const { result, stderr } = capture(() => main(['--config', `${tmp}/config.ts`, '--out', `${tmp}/out`]));
      expect(result).toBe(1);
      expect(stderr).toEqual(['config error: UNIFIED_AUTH_CONFIG_TIMEOUT=soon: expected a number of seconds above 0']);
    } finally {
      delete process.env.UNIFIED_AUTH_CONFIG_TIMEOUT;
    }
  },
  SLOW,
);
