// Ctrl-C during `npm run verify` (lib/verify/cli.ts verifyProcess, lib/base/signals.ts, the
// handling synth's runProcess shares): the comparison ends at once, its requests aborted, with one
// line, no report, and the shell's status for the signal (130 SIGINT, 143 SIGTERM), not verify's 2.
// In-process: the signal is delivered by calling the listener verify installed, and Authentik is a
// loopback server that never answers, so only the interruption can end the run.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { HANDLED_SIGNALS, listenForSignals, signalExitCode } from '../../lib/base/signals';
import { verifyFailure, verifyMain } from '../../lib/verify/cli';
import { ConfigInterrupted } from '../../lib/config/load';
import { liveSource, VerifyError } from '../../lib/verify/source';
import { ROOT } from '../support/helpers';
import { runProcess } from '../../main';

afterEach(() => jest.restoreAllMocks());

/** The listeners a call added for `signal`, so a test can deliver it to them alone. */
function addedListeners(signal: NodeJS.Signals, add: () => void): Array<(s: NodeJS.Signals) => void> {
  const before = new Set(process.listeners(signal));
  add();
  return process.listeners(signal).filter((l) => !before.has(l));
}

test("the exit status is a shell's for the signal: 128 + its number", () => {
  expect(HANDLED_SIGNALS.map((s) => [s, signalExitCode(s)])).toEqual([
    ['SIGINT', 130],
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ]);
});

test('the first signal is recorded and aborts; stop() removes every listener it added', () => {
  const counts = HANDLED_SIGNALS.map((s) => process.listenerCount(s));
  let watch!: ReturnType<typeof listenForSignals>;
  const [deliver] = addedListeners('SIGTERM', () => (watch = listenForSignals()));
  expect(watch.received()).toBeUndefined();
  deliver('SIGTERM');
  deliver('SIGINT');
  expect(watch.received()).toBe('SIGTERM');
  expect(watch.abort.aborted).toBe(true);
  watch.stop();
  expect(HANDLED_SIGNALS.map((s) => process.listenerCount(s))).toEqual(counts);
});

test('one recorded before the run started (bin/synth.cjs listens from its first line) counts', () => {
  const watch = listenForSignals(() => 'SIGHUP');
  watch.stop();
  expect([watch.received(), watch.abort.aborted]).toEqual(['SIGHUP', true]);
});

test('Ctrl-C while a TypeScript config was evaluated: its own line and 130, not 2', () =>
  expect(verifyFailure(new ConfigInterrupted('c.ts'), undefined)).toEqual({
    lines: ['interrupted while evaluating c.ts; nothing written'],
    code: 130,
  }));

describe('Ctrl-C while Authentik is asked', () => {
  let server: http.Server;
  let url: string;
  let asked: Promise<void>;
  let tmp: string;
  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ua-verify-sig-'));
    let arrived!: () => void;
    asked = new Promise((r) => (arrived = r));
    // Takes each request and never answers it.
    server = http.createServer(() => arrived());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  test('ends at once (not at the 600 s request limit): exit 130, one line, no report', async () => {
    const out: string[] = [];
    const err: string[] = [];
    jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => (out.push(String(chunk)), true));
    jest.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void err.push(a.join(' ')));
    jest.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
    let watch!: ReturnType<typeof listenForSignals>;
    const [deliver] = addedListeners('SIGINT', () => (watch = listenForSignals()));
    const config = path.join(ROOT, 'test/fixtures/other-cluster.yaml');
    const argv = ['--url', url, '--config', config, '--out', tmp, '--timeout', '600'];
    const running = verifyMain(argv, { AUTHENTIK_TOKEN: 'tok-SECRET' }, watch);
    // (A run that ends before it asks, a bad argument, fails the expectation below instead of hanging.)
    await Promise.race([asked, running]);
    deliver('SIGINT');
    const code = await running;
    watch.stop();
    expect({ code, out, err }).toEqual({
      code: 130,
      out: [],
      err: ['verify: interrupted (SIGINT) before the comparison finished; no report printed'],
    });
  });

  test('an interrupted request rejects as aborted, not as a connection problem of Authentik', async () => {
    const c = new AbortController();
    const get = liveSource({ token: 'tok', origin: url, timeoutSeconds: 600, abort: c.signal });
    const pending = get(`${url}/api/v3/managed/blueprints/`);
    c.abort('SIGINT');
    await expect(pending).rejects.not.toBeInstanceOf(VerifyError);
    await expect(pending).rejects.toBe('SIGINT');
  });
});

test('synth shares it: SIGTERM before the write is 143 (not 130), one line, the output left as it was', async () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ua-synth-sig-'));
  try {
    const err: string[] = [];
    jest.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void err.push(a.join(' ')));
    jest.spyOn(console, 'log').mockImplementation(() => undefined);
    const argv = ['--config', path.join(ROOT, 'test/fixtures/other-cluster.yaml'), '--out', path.join(tmp, 'out'), '--baseline', 'none'];
    // Recorded by bin/synth.cjs before the bundle loaded, as a signal during loading is.
    expect(await runProcess(argv, { interrupted: () => 'SIGTERM' })).toBe(143);
    expect(err).toEqual(['synth: interrupted (SIGTERM); the output was left as it was']);
    expect(fs.readdirSync(tmp)).toEqual([]);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});
