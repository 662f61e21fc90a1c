// The agent's client secret through the HTTP Basic header, as the real protocol runs it offline:
// kubelogin's Go oauth2 library sends client credentials as
//   "Basic " + base64(url.QueryEscape(id) + ":" + url.QueryEscape(secret))
// and Authentik's extract_client_auth (authentik/providers/oauth2/utils.py) base64-decodes the
// header, splits at the first ":" and, from 2026.2.2 on, percent-decodes both halves (unquote).
// The token view then base64-decodes the secret into "<service account>:<app password>".
import fc from 'fast-check';
import { appPasswordHexBytes } from '../../lib/model/derive';
import { defectsHit } from '../../lib/upstream/authentik-versions';
import { defaultInput, renderInput } from '../support/helpers';

/** Go's url.QueryEscape: unreserved bytes stay, space becomes "+", every other byte %XX (upper case). */
function goQueryEscape(s: string): string {
  let out = '';
  for (const b of Buffer.from(s, 'utf8')) {
    const c = String.fromCharCode(b);
    if (/[A-Za-z0-9\-_.~]/.test(c)) out += c;
    else if (c === ' ') out += '+';
    else out += `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** Go oauth2's Basic header for client credentials (AuthStyleInHeader). */
const goBasicHeader = (id: string, secret: string) =>
  `Basic ${Buffer.from(`${goQueryEscape(id)}:${goQueryEscape(secret)}`).toString('base64')}`;

/** Python's urllib.parse.unquote: %XX sequences decoded (as UTF-8), "+" left alone. */
const pyUnquote = (s: string) =>
  Buffer.from(
    s.replace(/%([0-9A-Fa-f]{2})/g, (_, h) => String.fromCharCode(parseInt(h, 16))),
    'latin1',
  ).toString('utf8');

/** Python's base64.b64decode (non-validating): characters outside the alphabet are dropped, bad padding raises. */
function pyB64decode(s: string): Buffer {
  const clean = s.replace(/[^A-Za-z0-9+/=]/g, '');
  if (clean.length % 4 !== 0) throw new Error('binascii.Error: Incorrect padding');
  return Buffer.from(clean, 'base64');
}

/** extract_client_auth of an Authentik release: with unquote from 2026.2.2, without before. */
function authentikClientAuth(header: string, unquotes: boolean): [string, string] {
  const raw = pyB64decode(header.split(' ')[1]).toString('utf8');
  const i = raw.indexOf(':');
  const [id, secret] = i < 0 ? [raw, ''] : [raw.slice(0, i), raw.slice(i + 1)];
  return unquotes ? [pyUnquote(id), pyUnquote(secret)] : [id, secret];
}

/** What the token view makes of the client secret: [user, app password], or undefined for invalid_grant. */
function clientCredentialsUser(secret: string): [string, string] | undefined {
  try {
    const raw = pyB64decode(secret).toString('utf8');
    const i = raw.indexOf(':');
    return i < 0 ? [raw, ''] : [raw.slice(0, i), raw.slice(i + 1)];
  } catch {
    return undefined;
  }
}

/** The agent's client secret as the documented recipe builds it: base64 of "<service account>:<password>". */
const clientSecret = (account: string, password: string) => Buffer.from(`${account}:${password}`).toString('base64');

/** Each release's behaviour, read from its extract_client_auth; 2026.2.2 added the unquote. */
const RELEASES: Array<[string, boolean]> = [
  ['2026.2.0', false],
  ['2026.2.1', false],
  ['2026.2.2', true],
  ['2026.2.3', true],
  ['2026.5.6', true],
  ['2026.8.0', true],
];

/** The app password the documented command yields: that many random bytes as hex. */
const hexPassword = (bytes: number, seed: number) =>
  Array.from({ length: bytes }, (_, i) => ((seed * 131 + i * 197) & 0xff).toString(16).padStart(2, '0')).join('');

const roundTrip = (account: string, password: string, unquotes: boolean) => {
  const secret = clientSecret(account, password);
  const [id, received] = authentikClientAuth(goBasicHeader('k8s-agent', secret), unquotes);
  return { id, secretSurvives: received === secret, user: clientCredentialsUser(received) };
};

describe('the agent client secret through the Basic header', () => {
  test('the old recipe (64 hex characters) breaks exactly on the releases the known-defect table refuses', () => {
    // "k8s-agent:" + 64 hex = 74 bytes, so its base64 ends in "=", which Go escapes to %3D.
    for (const [version, unquotes] of RELEASES) {
      const r = roundTrip('k8s-agent', hexPassword(32, 7), unquotes);
      expect(r.id).toBe('k8s-agent');
      expect(r.secretSurvives).toBe(unquotes);
      expect(defectsHit(version, new Set(['agents'])).length > 0).toBe(!unquotes);
    }
  });

  test('the documented recipe survives on every release, the buggy ones included, for the default agent', () => {
    const agent = renderInput(defaultInput()).model.agents[0];
    const bytes = Number(/openssl rand -hex (\d+)$/.exec(agent.appPasswordCommand)![1]);
    expect(bytes).toBe(appPasswordHexBytes(agent.serviceAccount));
    const password = hexPassword(bytes, 3);
    for (const [, unquotes] of RELEASES) {
      const r = roundTrip(agent.serviceAccount, password, unquotes);
      expect(r.secretSurvives).toBe(true);
      expect(r.user).toEqual([agent.serviceAccount, password]);
    }
  });

  test('property: any service account name and any hex password of the documented length round-trip everywhere', () => {
    const account = fc.stringMatching(/^[a-z0-9]([-a-z0-9]{0,30}[a-z0-9])?$/);
    fc.assert(
      fc.property(account, fc.integer({ min: 0, max: 1e6 }), (sa, seed) => {
        const password = hexPassword(appPasswordHexBytes(sa), seed);
        const secret = clientSecret(sa, password);
        // Letters and digits only: no "=", "+" or "/" for Go to escape.
        expect(secret).toMatch(/^[A-Za-z0-9]+$/);
        for (const [, unquotes] of RELEASES) {
          const r = roundTrip(sa, password, unquotes);
          expect(r.secretSurvives).toBe(true);
          expect(r.user).toEqual([sa, password]);
        }
      }),
    );
  });

  test('at least 32 random bytes (256 bits), the old strength', () => {
    for (const sa of ['a', 'ab', 'abc', 'k8s-agent']) expect(appPasswordHexBytes(sa)).toBeGreaterThanOrEqual(32);
  });

  test('the simulation is faithful: Go escapes "=", "+" and "/", and unquote leaves a raw "+" alone', () => {
    expect(goQueryEscape('a+b/c=d e')).toBe('a%2Bb%2Fc%3Dd+e');
    expect(pyUnquote('a%2Bb+c')).toBe('a+b+c');
    expect(() => pyB64decode('YWJjZA%3D%3D')).toThrow(/padding/);
  });
});
