// --probe-hosts (lib/verify/probe.ts): each forward-auth host, asked once without credentials over
// HTTPS, must redirect to Authentik. The hosts are served here by an HTTPS server on loopback with
// a certificate from a CA made in the test (openssl), reached through a connect override (host ->
// 127.0.0.1:port), never /etc/hosts; the CA is trusted per request, never globally.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { expectedFor, verifyMain } from '../../lib/verify/cli';
import { verify } from '../../lib/verify';
import { probeFindings, readCaFile, type ProbeOptions } from '../../lib/verify/probe';
import { answer, matchingState } from '../support/fake-authentik';

const expected = expectedFor('config/frank.ts', 'dist');
const hosts = expected.probeHosts;
const AUTHENTIK = expected.authentikUrls[0];
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'verify-probe-'));
const at = (f: string) => path.join(dir, f);

/** A CA and a server certificate for every probed host, signed by it (EC keys: fast). */
function makeCa(): void {
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  const run = (args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' });
  run([
    'req',
    '-x509',
    ...ec,
    '-keyout',
    at('ca.key'),
    '-out',
    at('ca.pem'),
    '-days',
    '2',
    '-subj',
    '/CN=unified-auth test CA',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign',
  ]);
  run(['req', ...ec, '-keyout', at('srv.key'), '-out', at('srv.csr'), '-subj', '/CN=probe']);
  const san = hosts.map((h) => `DNS:${new URL(h.url).hostname}`).join(',');
  fs.writeFileSync(at('ext.cnf'), `subjectAltName=${san}\nextendedKeyUsage=serverAuth\n`);
  run([
    'x509',
    '-req',
    '-in',
    at('srv.csr'),
    '-CA',
    at('ca.pem'),
    '-CAkey',
    at('ca.key'),
    '-CAcreateserial',
    '-out',
    at('srv.pem'),
    '-days',
    '2',
    '-extfile',
    at('ext.cnf'),
  ]);
}

type Behaviour = 'redirect' | 'ok200' | 'unregistered404' | 'plain404' | 'noApp400' | 'elsewhere' | 'slow';
const behaviour = new Map<string, Behaviour>();
const seenAuth: string[] = [];

/** How each kind of host answers (the rows of PROBE_RULES). */
const ANSWERS: Record<Behaviour, (res: import('node:http').ServerResponse, host: string) => void> = {
  redirect: (res, host) =>
    res
      .writeHead(302, { location: new URL(`/application/o/authorize/?client_id=x&redirect_uri=https%3A%2F%2F${host}`, AUTHENTIK).href })
      .end(),
  ok200: (res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<html>the app</html>'),
  unregistered404: (res) => res.writeHead(404, { 'x-powered-by': 'authentik' }).end('Not Found'),
  plain404: (res) => res.writeHead(404).end('404 page not found'),
  noApp400: (res, host) =>
    res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ Message: 'no app for hostname', Host: host })),
  elsewhere: (res) => res.writeHead(302, { location: 'https://login.other.example/' }).end(),
  slow: (res) => void slowAnswers.add(setTimeout(() => res.writeHead(302, { location: AUTHENTIK }).end(), 1500)),
};
/** The slow answers not yet sent: cleared with the server, so no timer outlives the tests ("failed to exit gracefully"). */
const slowAnswers = new Set<NodeJS.Timeout>();

let server: https.Server;
let port: number;
let opts: ProbeOptions;
beforeAll(async () => {
  makeCa();
  server = https.createServer({ key: fs.readFileSync(at('srv.key')), cert: fs.readFileSync(at('srv.pem')) }, (req, res) => {
    seenAuth.push(String(req.headers.authorization ?? '') + String(req.headers.cookie ?? ''));
    const host = String(req.headers.host);
    ANSWERS[behaviour.get(host) ?? 'redirect'](res, host);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  opts = { timeoutSeconds: 5, ca: readCaFile(at('ca.pem')), connectTo: () => ({ address: '127.0.0.1', port }) };
});
afterAll(() => {
  for (const t of slowAnswers) clearTimeout(t);
  return new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve())));
});
afterEach(() => behaviour.clear());

const hostOf = (i: number) => new URL(hosts[i].url).host;

test('every forward-auth host of the config is probed, and each redirects to Authentik: no finding, no credentials sent', async () => {
  expect(hosts.length).toBeGreaterThan(1);
  expect(await probeFindings(hosts, expected.authentikUrls, opts)).toEqual([]);
  expect(seenAuth.every((a) => a === '')).toBe(true);
});

test.each([
  ['ok200', /found 200: no middleware/],
  ['unregistered404', /found 404 from Authentik: host unregistered in the outpost; assign/],
  ['noApp400', /found 400 from Authentik: host unregistered in the outpost/],
  ['plain404', /found answered 404; check the route/],
  ['elsewhere', /found a redirect to https:\/\/login\.other\.example;/],
] as const)('a host answering %s is one finding', async (b, line) => {
  behaviour.set(hostOf(1), b);
  const f = await probeFindings(hosts, expected.authentikUrls, opts);
  expect(f.map((x) => `${x.object}: expected ${x.expected}, found ${x.found}; ${x.fix}`)).toEqual([expect.stringMatching(line)]);
  expect(f[0].object).toContain(hosts[1].url);
});

test('a certificate from a CA the probe was not given is a finding naming --ca-file; the CA is trusted per request only', async () => {
  const { ca: _ca, ...without } = opts;
  const f = await probeFindings(hosts.slice(0, 1), expected.authentikUrls, without);
  expect(f).toEqual([
    expect.objectContaining({
      found: expect.stringMatching(/^no answer \(\w*(CERT|ISSUER|VERIFY)\w*\)$/),
      fix: expect.stringMatching(/--ca-file/),
    }),
  ]);
  // Probing with the CA before did not make it trusted for everyone.
  await expect(
    new Promise((resolve, reject) =>
      https.get({ host: '127.0.0.1', port, servername: hostOf(0), headers: { host: hostOf(0) } }, resolve).on('error', reject),
    ),
  ).rejects.toThrow();
});

test('a host slower than --timeout is a finding naming the limit', async () => {
  behaviour.set(hostOf(0), 'slow');
  const f = await probeFindings(hosts.slice(0, 1), expected.authentikUrls, { ...opts, timeoutSeconds: 0.3 });
  expect(f.map((x) => x.found)).toEqual(['no answer within 0.3 s']);
});

test('verify with probes: the API comparison and the host findings together', async () => {
  behaviour.set(hostOf(0), 'ok200');
  const s = matchingState(expected);
  const get = (url: string) => Promise.resolve(answer(s, new URL(url)));
  const f = await verify({ expected, get, base: new URL(AUTHENTIK), probe: opts });
  expect(f.map((x) => x.found)).toEqual(['200: no middleware']);
});

test.each([
  ['--ca-file without --probe-hosts', ['--url', 'https://auth.example.com', '--ca-file', 'x.pem'], /--ca-file is for --probe-hosts/],
  ['--probe-hosts on saved answers', ['--from-json', dir, '--probe-hosts'], /cannot run on saved answers/],
  [
    'a --ca-file that cannot be read',
    ['--url', 'https://auth.example.com', '--probe-hosts', '--ca-file', at('none.pem')],
    /--ca-file .*none\.pem: cannot read it \(ENOENT\)/,
  ],
  [
    'a --ca-file without a certificate',
    ['--url', 'https://auth.example.com', '--probe-hosts', '--ca-file', at('srv.key')],
    /holds no PEM certificate/,
  ],
])('bad input: %s is one line, exit 2', async (_what, args, line) => {
  const err: string[] = [];
  const e = jest.spyOn(console, 'error').mockImplementation((l) => void err.push(String(l)));
  try {
    expect(await verifyMain(['--config', 'config/frank.ts', '--out', 'dist', ...args], { AUTHENTIK_TOKEN: 'tok' })).toBe(2);
  } finally {
    e.mockRestore();
  }
  expect(err).toEqual([expect.stringMatching(line)]);
});
