// `npm run verify` against a fake Authentik on loopback (test/support/fake-authentik.ts): each
// finding, the exit codes, and the token never in a message.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { blueprintHash, instancePath } from '../../lib/blueprints/instances';
import { verify } from '../../lib/verify';
import { liveSource, savedName, type Source } from '../../lib/verify/source';
import { expectedFor, verifyMain } from '../../lib/verify/cli';
import { normalise } from '../../lib/verify/objects';
import { answer, matchingState, startFake, type Fake, type FakeState } from '../support/fake-authentik';

// The config the CLI tests run, rendered as the CLI renders it.
const expected = expectedFor('config/frank.ts', 'dist');
const TOKEN = 'tok-SECRET-0123456789';
const api = new URL(expected.url);

/** The fake's answers as a Source: the same comparison as live, without a socket. */
const direct =
  (s: FakeState): Source =>
  (url) => {
    const body = answer(s, new URL(url));
    return body === undefined ? Promise.reject(new Error(`404 ${url}`)) : Promise.resolve(body);
  };

/** A live source whose requests go to the fake (a resolve override: every host -> the fake). */
const routed = (fake: Fake, timeoutSeconds = 10): Source => {
  const live = liveSource({ token: TOKEN, origin: fake.url, timeoutSeconds });
  return (url) => {
    const u = new URL(url);
    return live(`${fake.url}${u.pathname}${u.search}`);
  };
};

const findingsOf = async (mutate: (s: FakeState) => void) => {
  const s = matchingState(expected);
  mutate(s);
  return verify({ expected, get: direct(s), base: api });
};

test('the hash is the sha512 hex of the blueprint text as the worker reads it (authentik/blueprints/v1/tasks.py apply_blueprint, BlueprintInstance.retrieve_file)', () => {
  expect(blueprintHash('version: 1\n')).toBe(createHash('sha512').update(Buffer.from('version: 1\n')).digest('hex'));
  expect(blueprintHash('é')).toHaveLength(128);
  // The chart mounts each ConfigMap at /blueprints/mounted/cm-<name>/ and blueprints_find records paths relative to /blueprints.
  expect(instancePath('authentik-blueprint-groups', 'groups.yaml')).toBe('mounted/cm-authentik-blueprint-groups/groups.yaml');
  expect(expected.blueprints.length).toBeGreaterThan(3);
  expect(expected.issuers.length).toBeGreaterThan(1);
});

test('a cluster that matches the output: no finding', async () => {
  expect(await findingsOf(() => {})).toEqual([]);
});

test.each([
  ['a blueprint in error', (s: FakeState) => (s.instances[0].status = 'error'), /status error/],
  ['a stale hash', (s: FakeState) => (s.instances[1].last_applied_hash = 'ab'.repeat(64)), /applied an older version/],
  ['a missing instance', (s: FakeState) => s.instances.splice(2, 1), /not applied yet/],
  ['a disabled instance', (s: FakeState) => (s.instances[0].enabled = false), / \/ disabled \//],
  [
    'a wrong issuer',
    (s: FakeState) => ([...s.issuers.values()][0].discovery.issuer = 'https://other.example/'),
    /\/ issuer https:\/\/other\.example\/ \//,
  ],
  ['a JWKS without RS256', (s: FakeState) => ([...s.issuers.values()][0].jwks = { keys: [{ kty: 'EC', alg: 'ES256' }] }), /no RS256 key/],
])('%s is one finding', async (_what, mutate, found) => {
  const f = await findingsOf(mutate);
  expect(f).toHaveLength(1);
  expect(`${f[0].object}: ${f[0].expected} / ${f[0].found} / ${f[0].fix}`).toMatch(found);
  expect(f[0].fix.length).toBeGreaterThan(10);
});

const providers = (s: FakeState) => s.objects.get('/api/v3/providers/oauth2/')!;
const applications = (s: FakeState) => s.objects.get('/api/v3/core/applications/')!;
const list = (s: FakeState, api: string) => s.objects.get(api)!;
const withRedirects = (s: FakeState) => providers(s).find((p) => Array.isArray(p.redirect_uris) && p.redirect_uris.length > 1)!;

test.each([
  [
    'a redirect URI changed in the UI',
    (s: FakeState) => ((withRedirects(s).redirect_uris as Array<{ url: string }>)[0].url = 'https://evil.example/cb'),
    /redirect_uris .* \/ .*https:\/\/evil\.example\/cb/,
  ],
  ['a provider deleted by hand', (s: FakeState) => providers(s).splice(0, 1), /client_id=k8s-agent .*present \/ missing/],
  [
    'a tombstoned application still present',
    (s: FakeState) => applications(s).push({ pk: 99, slug: 'hubble-forward-auth', name: 'Hubble' }),
    /slug=hubble-forward-auth .*deleted \(a tombstone\) \/ still present/,
  ],
  [
    'a provider assigned to the embedded outpost by hand',
    (s: FakeState) => s.outpost!.push('grafana by hand'),
    /embedded outpost: .* \/ also grafana by hand \//,
  ],
  [
    'a provider removed from the embedded outpost',
    (s: FakeState) => s.outpost!.splice(0, 1),
    /embedded outpost: .* \/ missing hubble forward auth \//,
  ],
  [
    'an access policy edited in the UI',
    (s: FakeState) => (list(s, '/api/v3/policies/expression/')[0].expression = 'return True'),
    /expressionpolicy name=unified-auth access .*: expression .* \/ "return True" \//,
  ],
  [
    'a policy binding deleted in the UI',
    (s: FakeState) => list(s, '/api/v3/policies/bindings/').splice(0, 1),
    /policybinding policy=unified-auth access \S+ target=\S+ .*present \/ missing/,
  ],
  [
    'a binding reordered in the UI',
    (s: FakeState) => (list(s, '/api/v3/policies/bindings/')[0].order = 5),
    /policybinding .*: order 0 \/ 5 \//,
  ],
  [
    "a proxy provider's external host changed",
    (s: FakeState) => (list(s, '/api/v3/providers/proxy/')[0].external_host = 'https://other.example'),
    /proxyprovider name=.* forward auth .*external_host/,
  ],
  [
    'a group made superuser in the UI',
    (s: FakeState) => (list(s, '/api/v3/core/groups/').find((g) => g.name === 'root-devops')!.is_superuser = true),
    /authentik_core.group name=root-devops .*: is_superuser false \/ true \//,
  ],
  [
    'a service account deleted',
    (s: FakeState) => list(s, '/api/v3/core/users/').splice(0, 1),
    /authentik_core.user username=k8s-agent .*missing/,
  ],
])('%s is one finding', async (_what, mutate, found) => {
  const f = await findingsOf(mutate);
  expect(f.map((x) => `${x.object}: ${x.expected} / ${x.found} / ${x.fix}`)).toEqual([expect.stringMatching(found)]);
});

test('normalisation (docs/verify.md#normalisation): URI order, launch-URL slash and API defaults are no drift; a redirect-URI slash is', async () => {
  expect(
    await findingsOf((s) => {
      const p = withRedirects(s);
      p.redirect_uris = [...(p.redirect_uris as unknown[])].reverse();
      p.access_code_validity = 'minutes=1';
    }),
  ).toEqual([]);
  expect(normalise('meta_launch_url', 'https://a.example/')).toBe(normalise('meta_launch_url', 'https://a.example'));
  expect(normalise('redirect_uris', [{ matching_mode: 'strict', url: 'https://a/cb/' }])).not.toBe(
    normalise('redirect_uris', [{ matching_mode: 'strict', url: 'https://a/cb' }]),
  );
  expect(normalise('redirect_uris', [{ matching_mode: 'regex', url: 'https://a/cb' }])).not.toBe(
    normalise('redirect_uris', [{ matching_mode: 'strict', url: 'https://a/cb' }]),
  );
  expect(normalise('scopes', ['b', 'a'])).toBe(normalise('scopes', ['a', 'b']));
});

test('every model the blueprints create is verified: policies, bindings, proxy providers, groups, users, tokens', () => {
  const models = new Set(expected.objects.map((o) => o.model.split('.')[1]));
  expect([...models].sort()).toEqual(
    ['application', 'expressionpolicy', 'group', 'oauth2provider', 'policybinding', 'proxyprovider', 'token', 'user'].sort(),
  );
  // Each unconditional binding is found by its policy's and target's identifiers (the conditional ones are left to the worker).
  expect(expected.objects.filter((o) => o.refs).every((o) => o.refs!.policy.model.endsWith('expressionpolicy'))).toBe(true);
  expect(expected.objects.filter((o) => o.refs).length).toBe(8);
});

test('normalisation: a string is trimmed as the serializers trim it (an expression without its final newline is no drift)', async () => {
  expect(
    await findingsOf((s) => {
      for (const p of list(s, '/api/v3/policies/expression/')) p.expression = String(p.expression).trim();
      for (const p of list(s, '/api/v3/providers/proxy/')) p.name = String(p.name).toUpperCase();
    }),
  ).toEqual(expect.arrayContaining([expect.objectContaining({ found: 'missing' })]));
  // The proxy list filter ignores case (name__iexact) but the importer's identifiers are exact: an upper-cased name is missing.
  expect(
    await findingsOf((s) => list(s, '/api/v3/policies/expression/').forEach((p) => (p.expression = ` ${String(p.expression).trim()}`))),
  ).toEqual([]);
  expect(normalise('expression', 'return True\n')).toBe(normalise('expression', 'return True'));
});

test('no secret is compared or carried: attributes named secret, password, token or key are left out', () => {
  const attrs = expected.objects.flatMap((o) => Object.keys(o.attrs));
  expect(attrs).not.toContain('client_secret');
  expect(attrs.filter((k) => /secret|password|token|key/i.test(k))).toEqual([]);
});

describe('live, against the fake server', () => {
  let s: FakeState;
  let fake: Fake;
  beforeEach(async () => {
    s = matchingState(expected);
    fake = await startFake(s);
  });
  afterEach(() => fake.close());

  test('pagination over several pages: every instance read, the token sent', async () => {
    s.pageSize = 2;
    s.instances[s.instances.length - 1].status = 'error';
    const f = await verify({ expected, get: routed(fake), base: new URL(fake.url) });
    expect(f.map((x) => x.found)).toEqual(['status error']);
    expect(s.seenAuth[0]).toBe(`Bearer ${TOKEN}`);
    expect(s.seenAuth.length).toBeGreaterThan(Math.ceil(expected.blueprints.length / 2));
  });

  const run = async (args: string[], env: NodeJS.ProcessEnv = { AUTHENTIK_TOKEN: TOKEN }) => {
    const err: string[] = [];
    const out: string[] = [];
    const e = jest.spyOn(console, 'error').mockImplementation((l) => void err.push(String(l)));
    const o = jest.spyOn(process.stdout, 'write').mockImplementation((l) => !!out.push(String(l)));
    try {
      const code = await verifyMain(['--config', 'config/frank.ts', '--out', 'dist', ...args], env);
      return { code, err: err.join('\n'), out: out.join('') };
    } finally {
      e.mockRestore();
      o.mockRestore();
    }
  };

  test.each([
    ['401', (x: FakeState) => (x.status = 401), /token was refused \(401\)/],
    ['403', (x: FakeState) => (x.status = 403), /lacks permission \(403\)/],
    ['a redirect loop', (x: FakeState) => (x.redirectLoop = true), /redirect loop/],
    ['a server that is not Authentik', (x: FakeState) => (x.notAuthentik = true), /not JSON: is this an Authentik server/],
  ])('%s: one line, exit 2, no token', async (_what, mutate, line) => {
    mutate(s);
    const r = await run(['--url', fake.url]);
    expect(r.code).toBe(2);
    expect(r.err.split('\n')).toHaveLength(1);
    expect(r.err).toMatch(line);
    expect(r.err + r.out).not.toContain(TOKEN);
  });

  test('a slow server with a time limit: exit 2 naming the limit', async () => {
    s.delayMs = 1500;
    const r = await run(['--url', fake.url, '--timeout', '0.3']);
    expect(r).toMatchObject({ code: 2 });
    expect(r.err).toMatch(/no answer within 0\.3 s/);
  });

  test('an off-schema answer (a status no minor knows): exit 2', async () => {
    s.instances[0].status = 'applied';
    const r = await run(['--url', fake.url]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/unknown status applied/);
  });
});

test.each([
  ['no token', ['--url', 'https://auth.example.com'], {}, /AUTHENTIK_TOKEN is not set/],
  ['plain http', ['--url', 'http://auth.example.com'], { AUTHENTIK_TOKEN: TOKEN }, /must be https/],
  ['userinfo', ['--url', `https://u:${TOKEN}@auth.example.com`], { AUTHENTIK_TOKEN: TOKEN }, /user name or password/],
  ['unreachable', ['--url', 'http://127.0.0.1:4', '--timeout', '2'], { AUTHENTIK_TOKEN: TOKEN }, /cannot connect \(ECONNREFUSED\)/],
])('bad input: %s is one line, exit 2, no token', async (_what, args, env, line) => {
  const err: string[] = [];
  const e = jest.spyOn(console, 'error').mockImplementation((l) => void err.push(String(l)));
  try {
    expect(await verifyMain(['--config', 'config/frank.ts', '--out', 'dist', ...args], env)).toBe(2);
  } finally {
    e.mockRestore();
  }
  expect(err).toHaveLength(1);
  expect(err[0]).toMatch(line);
  expect(err[0]).not.toContain(TOKEN);
});

describe('--from-json: the same comparison on saved responses', () => {
  /** Every answer verify asks for, saved under the name --from-json reads. */
  const save = async (s: FakeState): Promise<string> => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'verify-json-'));
    const recording: Source = async (url) => {
      const body = await direct(s)(url);
      fs.writeFileSync(path.join(dir, savedName(url, api)), JSON.stringify(body));
      return body;
    };
    await verify({ expected, get: recording, base: api });
    return dir;
  };
  const run = async (dir: string, format = 'text') => {
    const out: string[] = [];
    const o = jest.spyOn(process.stdout, 'write').mockImplementation((l) => !!out.push(String(l)));
    try {
      return {
        code: await verifyMain(['--config', 'config/frank.ts', '--out', 'dist', '--from-json', dir, '--format', format], {}),
        out: out.join(''),
      };
    } finally {
      o.mockRestore();
    }
  };

  test('a match exits 0; a blueprint in error exits 1 with one line naming it and what to do', async () => {
    const s = matchingState(expected);
    const ok = await run(await save(s));
    expect(ok.out).toMatch(/matches/);
    expect(ok.code).toBe(0);
    s.instances[0].status = 'error';
    const r = await run(await save(s));
    expect(r.code).toBe(1);
    expect(r.out).toBe(
      `verify: blueprint ${s.instances[0].path} (${s.instances[0].name}): expected status successful, last_applied_hash ${expected.blueprints[0].hash.slice(0, 12)}…, found status error; read the apply task's messages (Admin > System Tasks > apply_blueprint) and fix the config, then re-sync\n`,
    );
    const j = JSON.parse((await run(await save(s), 'json')).out);
    expect(j.findings).toHaveLength(1);
  });
});
