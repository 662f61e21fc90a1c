// Secrets never printed, never written (issue 22 item 5): every problem line goes through one
// sanitiser (lib/base/messages.ts, applied by ConfigError and CheckError), and the secret scan reads
// the path and query of every URL it meets in the output.
import { ConfigError, parseConfig } from '../../lib/rules/validate';
import { CheckError } from '../../lib/checks';
import { checkCallbacks } from '../../lib/checks/callbacks';
import { LONG_LINE, describeValue, sanitizeLine } from '../../lib/base/messages';
import { defaultInput, renderInput } from '../support/helpers';
import { expectRefused, runSynth } from './cli-case';

type Input = ReturnType<typeof defaultInput>;
const svc = (c: Input, slug: string) => c.services.find((s) => s.slug === slug)!;
const TOKEN = 'Xk9qL2mN8vB4cR7tY1wZ5pA3sD6fG0hJ';

describe('sanitizeLine', () => {
  test.each([
    ['userinfo with a password', 'x: "https://bob:hunter2@h.example/p" is bad', 'x: "https://***@h.example/p" is bad'],
    ['userinfo with an @ in the password', 'ssh://git:p@ss@h.example/r', 'ssh://***@h.example/r'],
    ['a user only', 'https://bob@h.example', 'https://***@h.example'],
    ['no userinfo: an @ in the path stays', 'https://h.example/@team', 'https://h.example/@team'],
    ['a newline', 'a\nb', 'a\\nb'],
    ['CR and tab', 'a\r\tb', 'a\\r\\tb'],
    ['U+2028 and U+2029', 'a\u2028b\u2029c', 'a\\u2028b\\u2029c'],
    ['NEL (U+0085) and NUL', 'a\u0085b\u0000', 'a\\u0085b\\u0000'],
    ['a bidi override', 'a\u202eb', 'a\\u202eb'],
  ])('%s', (_, line, want) => expect(sanitizeLine(line)).toBe(want));

  test('a long value is cut to its start and its length', () => {
    expect(sanitizeLine(`p: ${'a'.repeat(100_000)} end`)).toBe(`p: ${'a'.repeat(80)}… (100000 characters) end`);
    expect(sanitizeLine(`${'k'.repeat(300)}: unknown`)).toBe(`${'k'.repeat(80)}… (300 characters): unknown`);
  });

  test('a long line of short words is cut too, and sanitising twice changes nothing', () => {
    const once = sanitizeLine('word '.repeat(10_000));
    expect(once.length).toBeLessThanOrEqual(LONG_LINE);
    expect(once).toMatch(/… \(50000 characters\)$/);
    expect(sanitizeLine(once)).toBe(once);
  });

  test('ConfigError and CheckError sanitise what they are given', () => {
    expect(new ConfigError(['a: https://u:p@h\nx']).problems).toEqual(['a: https://***@h\\nx']);
    expect(new CheckError(['f: https://u:p@h\u2028x']).findings).toEqual(['f: https://***@h\\u2028x']);
  });
});

test.each([
  ['a function', () => 1, 'a function'],
  ['a BigInt', 10n, '10n'],
  ['a symbol', Symbol('x'), 'a symbol'],
  ['a long string', 'x'.repeat(100), `"${'x'.repeat(56)}...`],
])('describeValue: %s', (_, v, want) => expect(describeValue(v)).toBe(want));

const circular = (): unknown => {
  const o: Record<string, unknown> = {};
  o.self = o;
  return o;
};

/** Values only a .ts config can hold: each is named, never printed (a function's source) or thrown on. */
test.each([
  [
    'a function',
    function secretSource() {
      return 'hunter2';
    },
    'a function',
  ],
  ['a BigInt', 10n, 'bigint 10n'],
  ['a symbol', Symbol('hunter2'), 'a symbol'],
  ['a circular object', circular(), 'a mapping'],
])('%s as a config value is a config error naming it', (_, value, named) => {
  const c = defaultInput() as unknown as { services: Array<Record<string, unknown>> };
  c.services[1].host = value;
  expect(() => parseConfig(c)).toThrow(ConfigError);
  try {
    parseConfig(c);
  } catch (e) {
    expect((e as ConfigError).problems).toEqual([`services[1].host: expected a string, got ${named}`]);
  }
});

/** [case, mutation, a line the run must print (regex)] : every one exit 1, nothing written. */
const CLI: Array<[string, (c: Input) => void, RegExp]> = [
  [
    'a user in authentik.url',
    (c) => (c.authentik.url = 'https://hunter2@auth.frank.derio.net'),
    /^config error: (?:\S+:\d+:\d+: )?authentik\.url: "https:\/\/\*\*\*@auth\.frank\.derio\.net" carries userinfo/,
  ],
  [
    'a password in authentik.url',
    (c) => (c.authentik.url = 'https://admin:hunter2@auth.frank.derio.net'),
    /^config error: (?:\S+:\d+:\d+: )?authentik\.url: "https:\/\/\*\*\*@/,
  ],
  [
    'a password in a callback URL',
    (c) => (svc(c, 'grafana').oidc!.callbackUrl = 'https://bob:hunter2@grafana.frank.derio.net/login/generic_oauth'),
    /^config error: (?:\S+:\d+:\d+: )?services\[1\]\.oidc\.callbackUrl: "https:\/\/\*\*\*@grafana\.frank\.derio\.net\/login\/generic_oauth" carries userinfo/,
  ],
  [
    'a password in a strict redirect URI',
    (c) => (svc(c, 'grafana').oidc!.redirectUris = [{ url: 'https://bob:hunter2@grafana.frank.derio.net/cb' }]),
    /^config error: (?:\S+:\d+:\d+: )?services\[1\]\.oidc\.redirectUris\[0\]\.url: "https:\/\/\*\*\*@/,
  ],
  [
    'a key with U+2028 and a newline',
    (c) => ((svc(c, 'grafana') as Record<string, unknown>)['bad\u2028key\nhunter2'] = 1),
    /^config error: (?:\S+:\d+:\d+: )?services\[1\]\["bad\\u2028key\\nhunter2"\]: unknown field/,
  ],
  [
    'a 100 KB unknown key',
    (c) => ((svc(c, 'grafana') as Record<string, unknown>)['k'.repeat(100_000)] = 1),
    /^config error: (?:\S+:\d+:\d+: )?services\[1\]\["k{80}… \(100000 characters\)"\]: unknown field "k{80}… \(100000 characters\)" \(allowed: /,
  ],
  [
    'a 32-character token in an upstream URL path',
    (c) => (svc(c, 'longhorn').forwardAuth!.upstream = `http://192.168.55.212:80/${TOKEN}`),
    /^check failed: traefik\/authentik\.yaml: http\.services\.longhorn\.loadBalancer\.servers\[0\]\.url: a URL's path segment Xk9q…\(32 chars\)/,
  ],
  [
    'client_secret in a redirect URI query',
    (c) => (svc(c, 'grafana').oidc!.redirectUris = [{ url: 'https://grafana.frank.derio.net/cb?client_secret=hunter2hunter2' }]),
    /^check failed: .*oidc-providers-\d+.*redirect_uris\[1\]\.url: a URL's query parameter "client_secret" carries a literal value/,
  ],
  [
    "a token as a git URL's user name",
    (c) => (c.git = { ...c.git, repoURL: `https://${TOKEN}@github.com/derio/frank.git` }),
    /^check failed: .*repoURL: a URL's user name Xk9q…\(32 chars\)/,
  ],
  [
    'an access token in a redirect URI fragment',
    (c) => (svc(c, 'grafana').oidc!.redirectUris = [{ url: 'https://grafana.frank.derio.net/cb#access_token=hunter2hunter2' }]),
    /^check failed: .*a URL's query parameter "access_token" carries a literal value/,
  ],
  [
    'a token query parameter in an upstream URL',
    (c) => (svc(c, 'longhorn').forwardAuth!.upstream = 'http://192.168.55.212:80/?token=hunter2hunter2'),
    /^check failed: .*a URL's query parameter "token" carries a literal value/,
  ],
];

test.each(CLI)('%s: exit 1, one line each, nothing written, no secret printed', (_, mutate, line) => {
  const c = defaultInput();
  mutate(c);
  const run = runSynth(c);
  expectRefused(run);
  expect(run.stderr).toContainEqual(expect.stringMatching(line));
  expect(run.stderr.join('\n')).not.toMatch(/hunter2(?!")|Xk9qL2mN8vB4cR7tY1wZ5pA3sD6fG0hJ/);
  for (const l of run.stderr) expect(l.length).toBeLessThan(LONG_LINE + 200);
});

test('the callbacks check names the provider (an OAuth2 provider has its name in attrs)', () => {
  const r = renderInput(defaultInput());
  // Infisical's provider, in whichever OIDC shard file it is (docs/oidc-shards.md).
  const p = r.blueprints
    .flatMap((b) => b.entries)
    .find((e) => e.model === 'authentik_providers_oauth2.oauth2provider' && e.attrs?.name === 'Infisical OIDC')!;
  p.attrs!.redirect_uris = [{ matching_mode: 'strict', url: 'https://infisical.frank.derio.net/callback' }];
  const [line] = checkCallbacks(r);
  expect(line).toContain('of provider "Infisical OIDC" in');
  expect(line).not.toContain('undefined');
});
