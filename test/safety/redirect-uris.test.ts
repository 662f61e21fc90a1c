// Regex redirect URIs cannot be widened (issue 22 item 3). Authentik checks a regex entry with
// Python's re.fullmatch(allowed.url, redirect_uri) (authentik/providers/oauth2/views/authorize.py,
// OAuthAuthorizationParams.check_redirect_uri: fullmatch since the CVE-2024-52289 fix of November
// 2024, re.match before it; unchanged in every supported minor, 2026.2 to 2026.8), so the table
// is proved against Python itself: every accepted pattern admits none of the hostile URLs and its
// own sample, every refused widening pattern admits the hostile URL it lists.
import { execFileSync } from 'node:child_process';
import { redirectRegexProblem, hasTopLevelAlternation } from '../../lib/rules/redirect-uri';
import { configProblems, defaultInput } from '../support/helpers';
import { expectRefused, runSynth } from './cli-case';

const OWN = new Set(['grafana.frank.derio.net']);

/** [pattern, public client, a URL it must admit] */
const ACCEPTED: Array<[string, boolean, string]> = [
  ['^https://grafana\\.frank\\.derio\\.net/login/generic_oauth$', false, 'https://grafana.frank.derio.net/login/generic_oauth'],
  ['https://grafana\\.frank\\.derio\\.net/.*', false, 'https://grafana.frank.derio.net/any/path?x=1'],
  ['^https://grafana\\.frank\\.derio\\.net:8443/cb/[a-z]+$', false, 'https://grafana.frank.derio.net:8443/cb/abc'],
  ['^https://grafana\\.frank\\.derio\\.net$', false, 'https://grafana.frank.derio.net'],
  ['^https://grafana\\.frank\\.derio\\.net/(a|b)$', false, 'https://grafana.frank.derio.net/b'],
  ['^https://grafana\\.frank\\.derio\\.net/x[|]y$', false, 'https://grafana.frank.derio.net/x|y'],
  ['https:\\/\\/grafana\\.frank\\.derio\\.net\\/cb', false, 'https://grafana.frank.derio.net/cb'],
  // A real layer's PKCE client (RFC 8252 loopback, any port).
  ['^http://(127\\.0\\.0\\.1|localhost):[0-9]+/callback$', true, 'http://localhost:53682/callback'],
  ['^http://\\[::1\\]:\\d+/auth/callback$', true, 'http://[::1]:8085/auth/callback'],
];

/** [pattern, public client, a hostile URL it admits under fullmatch, a piece of the reason] */
const REFUSED: Array<[string, boolean, string, string]> = [
  ['https://grafana\\.frank\\.derio\\.net/x|http://.*', false, 'http://attacker.example/', 'top-level "|"'],
  ['(https://grafana\\.frank\\.derio\\.net/x|http://.*)', false, 'http://attacker.example/', 'literal https://'],
  ['^https://.*', false, 'https://attacker.example/', 'host literally'],
  ['https?://grafana\\.frank\\.derio\\.net/.*', false, 'http://grafana.frank.derio.net/cb', 'literal https://'],
  ['^https://grafana.frank.derio.net/.*$', false, 'https://grafanaxfrank.derio.net/cb', 'dots escaped'],
  ['^https://grafana\\.frank\\.derio\\.net.*', false, 'https://grafana.frank.derio.net.attacker.example/', 'host literally'],
  [
    '^https://grafana\\.frank\\.derio\\.net@attacker\\.example/',
    false,
    'https://grafana.frank.derio.net@attacker.example/',
    'host literally',
  ],
  ['^https://[a-z]+\\.frank\\.derio\\.net/cb$', false, 'https://evil.frank.derio.net/cb', 'host literally'],
  ['^https://attacker\\.example/cb$', false, 'https://attacker.example/cb', 'not this service'],
  ['^https://(grafana\\.frank\\.derio\\.net|attacker\\.example)/cb$', false, 'https://attacker.example/cb', 'attacker.example'],
  [
    '^https://grafana\\.frank\\.derio\\.net\\.attacker\\.example/cb',
    false,
    'https://grafana.frank.derio.net.attacker.example/cb',
    'not this',
  ],
  ['^http://grafana\\.frank\\.derio\\.net/cb$', false, 'http://grafana.frank.derio.net/cb', 'http://'],
  ['^http://(127\\.0\\.0\\.1|localhost):[0-9]+/callback$', false, 'http://localhost:8085/callback', 'public client'],
  ['^http://localhost\\.attacker\\.example:[0-9]+/cb$', true, 'http://localhost.attacker.example:80/cb', 'not this service'],
  ['^https://grafana\\.frank\\.derio\\.net:[0-9]+/cb$', false, 'https://grafana.frank.derio.net:9999/cb', 'port pattern'],
  ['^https://grafana\\.frank\\.derio\\.net(/.*)?$', false, '', 'literal "/"'],
];

const HOSTILE = [
  'http://attacker.example/',
  'https://attacker.example/',
  'https://attacker.example/cb',
  'https://grafana.frank.derio.net.attacker.example/',
  'https://grafana.frank.derio.net@attacker.example/',
  'https://grafanaxfrank.derio.net/cb',
  'https://evil.frank.derio.net/cb',
  'http://grafana.frank.derio.net/login/generic_oauth',
  'http://grafana.frank.derio.net/cb',
  'http://localhost.attacker.example:8000/callback',
  'https://attacker.example/?https://grafana.frank.derio.net/',
];

/** fullmatch results from one Python process: for each [pattern, urls], whether each url matches. */
function pythonFullmatch(cases: Array<[string, string[]]>): boolean[][] {
  const script = 'import json,re,sys\nprint(json.dumps([[re.fullmatch(p,u) is not None for u in us] for p,us in json.load(sys.stdin)]))';
  return JSON.parse(execFileSync('python3', ['-c', script], { input: JSON.stringify(cases), encoding: 'utf8' })) as boolean[][];
}

describe('the accepted form, proved with Python re.fullmatch', () => {
  // One Python process for the whole table: the accepted rows first, then the refused ones.
  const proved = REFUSED.filter((r) => r[2]);
  const results = pythonFullmatch([
    ...ACCEPTED.map(([p, , good]): [string, string[]] => [p, [good, ...HOSTILE]]),
    ...proved.map(([p, , bad]): [string, string[]] => [p, [bad]]),
  ]);
  const accepted = results.slice(0, ACCEPTED.length);
  const refused = results.slice(ACCEPTED.length);

  test.each(ACCEPTED.map((c, i) => [...c, i] as const))('accepted: %s (public %s) admits %s', (pattern, publicClient, good, i) => {
    expect(redirectRegexProblem(pattern, { ownHosts: OWN, publicClient })).toBeUndefined();
    const [admitsGood, ...admitsHostile] = accepted[i];
    expect([good, admitsGood]).toEqual([good, true]);
    expect(HOSTILE.filter((_, j) => admitsHostile[j])).toEqual([]);
  });

  test.each(REFUSED)('refused: %s (public %s) admits %s', (pattern, publicClient, bad, why) => {
    expect(redirectRegexProblem(pattern, { ownHosts: OWN, publicClient })).toContain(why);
    const i = proved.findIndex((r) => r[0] === pattern && r[1] === publicClient);
    if (bad) expect(refused[i]).toEqual([true]);
  });
});

test.each([
  ['a|b', true],
  ['(a|b)', false],
  ['[|]', false],
  ['[]|]', false],
  ['\\|', false],
  ['[^]]|x', true],
])('top-level alternation in %s: %s', (p, want) => expect(hasTopLevelAlternation(p)).toBe(want));

describe('in the config', () => {
  const problems = configProblems;
  const oidc = (c: ReturnType<typeof defaultInput>, slug: string) => c.services.find((s) => s.slug === slug)!.oidc!;

  test('the alternation bypass is one line naming the config path, exit 1, nothing written', () => {
    const c = defaultInput();
    oidc(c, 'grafana').redirectUris = [{ url: 'https://grafana\\.frank\\.derio\\.net/x|http://.*', matching: 'regex' }];
    const run = runSynth(c);
    expectRefused(run);
    expect(run.stderr).toEqual([
      expect.stringMatching(/^config error: (?:\S+:\d+:\d+: )?services\[1\]\.oidc\.redirectUris\[0\]\.url: regex .* top-level "\|"/),
    ]);
  });

  test("ArgoCD's public client (cli) may list a loopback regex; a confidential one may not", () => {
    const loopback = { url: '^http://(127\\.0\\.0\\.1|localhost):[0-9]+/callback$', matching: 'regex' as const };
    expect(problems((c) => Object.assign(oidc(c, 'argocd'), { cli: true, redirectUris: [loopback] }))).toEqual([]);
    expect(problems((c) => Object.assign(oidc(c, 'argocd'), { redirectUris: [loopback] }))).toEqual([
      expect.stringMatching(/^services\[0\]\.oidc\.redirectUris\[0\]\.url: .*public client/),
    ]);
  });

  test("a service's own hosts: its host, its move's old host, its explicit callbacks' hosts", () => {
    const re = (host: string) => ({ url: `^https://${host.replace(/\./g, '\\.')}/cb$`, matching: 'regex' as const });
    expect(problems((c) => (oidc(c, 'grafana').redirectUris = [re('grafana.frank.derio.net')]))).toEqual([]);
    expect(
      problems((c) => (oidc(c, 'grafana').redirectUris = [{ url: 'https://grafana.lan/login/generic_oauth' }, re('grafana.lan')])),
    ).toEqual([]);
    expect(
      problems((c) => {
        c.migration = { phase: 'overlap', hosts: [{ from: 'grafana.old.example', to: 'grafana.frank.derio.net' }] };
        oidc(c, 'grafana').redirectUris = [re('grafana.old.example')];
      }),
    ).toEqual([]);
    expect(problems((c) => (oidc(c, 'grafana').redirectUris = [re('argocd.frank.derio.net')]))).toEqual([
      expect.stringContaining("argocd.frank.derio.net, which is not this service's"),
    ]);
  });
});
