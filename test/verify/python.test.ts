// The in-cluster check (lib/verify/python/blueprint_status.py, standard library only) run with the
// local python3 against the fake Authentik: the same findings, word for word, as the TypeScript
// check, and the same exit codes.
import { execFile, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from '../support/helpers';
import { expectedFor } from '../../lib/verify/cli';
import { blueprintCheck } from '../../lib/verify';
import { formatFindings } from '../../lib/verify/format';
import { answer, matchingState, startFake, type Fake, type FakeState } from '../support/fake-authentik';

const SCRIPT = path.join(ROOT, 'lib/verify/python/blueprint_status.py');
const TOKEN = 'tok-PY-SECRET-42';
const expected = expectedFor('config/frank.ts', 'dist');
const expectedFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'verify-py-')), 'expected.json');
fs.writeFileSync(expectedFile, JSON.stringify(expected.blueprints));

type Ran = { code: number; out: string; err: string };

/** Run the script itself, as the Job does, without blocking the event loop (the fake server lives in this process). */
const runScript = (url: string, extra: string[] = [], env: NodeJS.ProcessEnv = { AUTHENTIK_TOKEN: TOKEN }) =>
  new Promise<Ran>((resolve) => {
    execFile(
      'python3',
      [SCRIPT, '--url', url, '--expected', expectedFile, ...extra],
      { env: { PATH: process.env.PATH, ...env } },
      (e, out, err) => resolve({ code: e ? Number(e.code) : 0, out, err }),
    );
  });

/**
 * The other cases call the script's main(argv, env) in one python3 (a start-up costs more than a
 * case): a JSON request per line on stdin, its exit code and streams as a JSON line on stdout.
 */
const DRIVER = String.raw`
import contextlib, io, json, sys
sys.path.insert(0, sys.argv[1])
import blueprint_status
for line in sys.stdin:
    req = json.loads(line)
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = blueprint_status.main(req["argv"], req["env"])
        except SystemExit as e:
            code = e.code if isinstance(e.code, int) else 1
    sys.stdout.write(json.dumps({"code": code, "out": out.getvalue(), "err": err.getvalue()}) + "\n")
    sys.stdout.flush()
`;
let driver: ChildProcessWithoutNullStreams;
let answered: ((r: Ran) => void) | undefined;
beforeAll(() => {
  // -B: importing the script writes no __pycache__ into lib/.
  driver = spawn('python3', ['-B', '-c', DRIVER, path.dirname(SCRIPT)], { env: { PATH: process.env.PATH } });
  let buffered = '';
  driver.stdout.on('data', (d: Buffer) => {
    buffered += d.toString();
    for (let nl = buffered.indexOf('\n'); nl >= 0; nl = buffered.indexOf('\n')) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      answered?.(JSON.parse(line) as Ran);
    }
  });
});
afterAll(async () => {
  const exited = new Promise((r) => driver.once('exit', r));
  driver.stdin.end();
  await exited;
});
const runPy = (url: string, extra: string[] = [], env: NodeJS.ProcessEnv = { AUTHENTIK_TOKEN: TOKEN }) =>
  new Promise<Ran>((resolve) => {
    answered = resolve;
    driver.stdin.write(`${JSON.stringify({ argv: ['--url', url, '--expected', expectedFile, ...extra], env })}\n`);
  });

let s: FakeState;
let fake: Fake;
beforeEach(async () => {
  s = matchingState(expected);
  fake = await startFake(s);
});
afterEach(() => fake.close());

/** What the TypeScript check prints for the same state (the fake's answers, read without a socket). */
const tsLines = async (st: FakeState) => {
  const get = (url: string) => Promise.resolve(answer(st, new URL(url)));
  const f = await blueprintCheck({ expected, get, base: new URL(fake.url) });
  return f.length ? formatFindings(f, 'text', '') : '';
};

test('a matching cluster: exit 0, nothing printed (the script itself, and its main in the shared python3)', async () => {
  expect(await runScript(fake.url)).toEqual({ code: 0, out: '', err: '' });
  expect(await runPy(fake.url)).toEqual({ code: 0, out: '', err: '' });
});

test('the script itself: findings on stdout, exit 1; no token is exit 2 with one line on stderr', async () => {
  s.instances[0].status = 'error';
  const r = await runScript(fake.url);
  expect([r.code, r.err]).toEqual([1, '']);
  expect(r.out).toBe(await tsLines(s));
  expect(await runPy(fake.url)).toEqual(r);
  const noToken = await runScript(fake.url, [], {});
  expect(noToken.code).toBe(2);
  expect(noToken.err).toMatch(/^verify error: .*AUTHENTIK_TOKEN is not set[^\n]*\n$/);
});

test('error, stale hash, missing and disabled instances over several pages: the TypeScript findings, exit 1', async () => {
  s.pageSize = 2;
  s.instances[0].status = 'error';
  s.instances[1].last_applied_hash = 'cd'.repeat(64);
  s.instances[2].enabled = false;
  s.instances.splice(3, 1);
  const r = await runPy(fake.url);
  expect(r.code).toBe(1);
  expect(r.out.split('\n').filter(Boolean)).toHaveLength(4);
  expect(r.out).toBe(await tsLines(s));
  expect(s.seenAuth.length).toBeGreaterThan(2);
});

test("a blueprint in error: the apply task's warnings and errors in the finding, as the TypeScript check shows them", async () => {
  s.instances[1].status = 'error';
  s.taskLogs = new Map([
    [
      s.instances[1].path,
      [
        ['info', 'starting apply'],
        ['error', 'entry invalid: Serializer errors {"redirect_uris":["Enter a valid URL."]}'],
        ['warning', `a long\tone\nover lines ${'x'.repeat(200)}`],
      ],
    ],
  ]);
  const r = await runPy(fake.url);
  expect(r.code).toBe(1);
  expect(r.out).toMatch(
    /found status error \(apply task: entry invalid: Serializer errors .*Enter a valid URL.* \| a long one over lines x+…\);/,
  );
  expect(r.out).not.toMatch(/starting apply/);
  expect(r.out).toBe(await tsLines(s));
  // A task list the token may not read: the finding says so, the exit code stays 1.
  s.tasksForbidden = true;
  const f = await runPy(fake.url);
  expect([f.code, f.out]).toEqual([1, expect.stringMatching(/status error \(apply task: its messages could not be read: .*403/)]);
});

test.each([
  ['401', (x: FakeState) => (x.status = 401), [], /answered 401: check AUTHENTIK_TOKEN/],
  ['403', (x: FakeState) => (x.status = 403), [], /answered 403/],
  ['a slow server', (x: FakeState) => (x.delayMs = 1500), ['--timeout', '0.3'], /cannot read it/],
  ['not Authentik', (x: FakeState) => (x.notAuthentik = true), [], /not JSON/],
  ['a redirect', (x: FakeState) => (x.redirectLoop = true), [], /redirected/],
])('%s: one line, exit 2, no token', async (_what, mutate, extra, line) => {
  mutate(s);
  const r = await runPy(fake.url, extra);
  expect(r.code).toBe(2);
  expect(r.err.trim().split('\n')).toHaveLength(1);
  expect(r.err).toMatch(line);
  expect(r.err + r.out).not.toContain(TOKEN);
});

test('no token, or a URL with userinfo: exit 2', async () => {
  expect((await runPy(fake.url, [], {})).err).toMatch(/AUTHENTIK_TOKEN is not set/);
  const r = await runPy(fake.url.replace('http://', `http://u:${TOKEN}@`));
  expect(r.code).toBe(2);
  expect(r.err).not.toContain(TOKEN);
});
