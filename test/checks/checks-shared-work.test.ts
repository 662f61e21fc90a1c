// The checks share work they would otherwise repeat, and skip work that cannot find anything
// (lib/checks/rendered.ts parseNested, lib/checks/secrets.ts): every shared value here is compared
// with a fresh parse, and every skipped step with the steps it skips.
import yaml from 'js-yaml';
import { parseNested } from '../../lib/checks/rendered';
import { highEntropyTokens, scanFile } from '../../lib/checks/secrets';
import { BLUEPRINT_SCHEMA, isTag } from '../../lib/upstream/blueprint-tags';
import type { SynthResult } from '../../lib/output/render';
import { CORPUS_STRINGS } from '../support/secrets-corpus';
import { defaultInput, flagsForm, renderInput } from '../support/helpers';

/** Every string in the rendered documents, and in the YAML texts nested in them, with its fresh parse. */
function nestedTexts(r: SynthResult): Array<{ text: string; fresh: object }> {
  const out: Array<{ text: string; fresh: object }> = [];
  const visit = (v: unknown): void => {
    if (typeof v === 'string') {
      let fresh: unknown;
      try {
        fresh = yaml.load(v);
      } catch {
        return;
      }
      if (fresh !== null && typeof fresh === 'object') {
        out.push({ text: v, fresh });
        visit(fresh);
      }
    } else if (Array.isArray(v)) v.forEach(visit);
    else if (v !== null && typeof v === 'object' && !isTag(v)) Object.values(v).forEach(visit);
  };
  for (const f of r.files) (f.docs ?? []).forEach(visit);
  return out;
}

const isDeepFrozen = (v: unknown): boolean =>
  v === null || typeof v !== 'object' || (Object.isFrozen(v) && Object.values(v).every(isDeepFrozen));

test.each([
  ['the default config', defaultInput()],
  [
    'Talos flags',
    (() => {
      const c = defaultInput();
      flagsForm(c);
      return c;
    })(),
  ],
])('in %s, every nested YAML text is shared as a fresh parse gives it, frozen', (_name, input) => {
  const texts = nestedTexts(renderInput(input));
  // oidc.config and the Talos texts (the Omni copy holds one inside another) are among them.
  expect(texts.length).toBeGreaterThanOrEqual(3);
  for (const { text, fresh } of texts) {
    const shared = parseNested(text);
    expect(shared).toStrictEqual(fresh);
    expect(parseNested(text)).toBe(shared);
    expect(isDeepFrozen(shared)).toBe(true);
    // The secrets scan reads a text without '!' with the default schema (the shared parse): the tag
    // schema would read it the same.
    if (!text.includes('!')) expect(yaml.load(text, { schema: BLUEPRINT_SCHEMA })).toStrictEqual(fresh);
  }
});

test('a nested text with a tag is still read with the blueprint tags by the secrets scan', () => {
  const scan = (value: string) =>
    scanFile({
      path: 'values/x.yaml',
      text: '',
      docs: [{ data: { 'x.yaml': `version: 1\nentries:\n  - attrs:\n      password: ${value}\n` } }],
    });
  expect(scan('!Env DB_PASSWORD')).toEqual([]);
  expect(scan('plain-literal-value').map((f) => f.at)).toEqual(['data.x.yaml|yaml.entries[0].attrs.password']);
});

/** Strings from a seeded generator: names, paths, URLs, flags, assignments, words, base64 and hex, run together. */
function generated(n: number): string[] {
  let seed = 23;
  const rnd = (k: number) => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % k;
  };
  const pick = (chars: string, len: number) => Array.from({ length: len }, () => chars[rnd(chars.length)]).join('');
  const shuffled = (chars: string) => [...chars].sort(() => rnd(3) - 1).join('');
  const b64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  const parts = [
    () => pick('abcdefghijklmnopqrstuvwxyz._/-', 10 + rnd(40)),
    () => pick(b64, 8 + rnd(40)),
    () => pick('0123456789abcdef', 16 + rnd(40)),
    () => `https://${pick('abcdefghij.', 12)}/${pick(`${b64}-_%`, 5 + rnd(40))}`,
    () => `https://${pick('abcdef:@', 6)}@${pick('abcdefghij.', 8)}/${pick('abc', 3)}`,
    () => `https://${pick('abcdefghij.', 8)}/?${pick('tokenpassig', 3 + rnd(5))}=${pick(b64, rnd(12))}#${pick('access_tokn=', rnd(16))}`,
    () => ` --${pick('client-secretpassword', 3 + rnd(12))}=${pick(`${b64}$<`, rnd(12))}`,
    () => ` --from-literal=${pick('abc', 3)}=${pick(`${b64}$`, rnd(10))}`,
    () => ` ${pick('ABCDEF_', 2)}${['SECRET', 'PASSWORD', 'TOKEN', 'KEY', 'NAME'][rnd(5)]}=${pick(`${b64}$"'`, rnd(12))}`,
    () => pick('abcdefghijklmnopqrstuvwxyz', 3 + rnd(30)) + pick('0123456789=', 1 + rnd(3)) + pick('abcdefghij-._', rnd(30)),
    // Base64 padding as the only character that is no lowercase letter: still a token.
    () => `${shuffled('abcdefghijklmnopqrstuvwxyz').slice(rnd(3))}==`,
    // A token in a URL's path with one character percent-encoded: a token only once decoded.
    () => {
      const t = pick(b64.slice(0, 62), 24 + rnd(8));
      const i = 4 + rnd(16);
      return `https://h.example/${t.slice(0, i)}%${t.charCodeAt(i).toString(16).toUpperCase()}${t.slice(i + 1)}`;
    },
    () => pick(' \t:"\'=,;@?#%', 1 + rnd(3)),
  ];
  return Array.from({ length: n }, () => Array.from({ length: 1 + rnd(5) }, () => parts[rnd(parts.length)]()).join(''));
}

const STRINGS = [...CORPUS_STRINGS, ...generated(600)];
/** Findings of the URL rules (lib/checks/secrets.ts urlSecrets). */
const byUrlRules = (finding: string) => finding.includes(": a URL's ");

test('the token pre-check skips only strings in which every candidate would be judged no token', () => {
  // A candidate that passes the pre-check and is judged no token: with it, every string is judged in full.
  const judged = `A${'a'.repeat(23)}`;
  expect(highEntropyTokens(judged)).toEqual([]);
  let found = 0;
  for (const s of STRINGS) {
    const tokens = highEntropyTokens(s);
    expect(tokens).toEqual(highEntropyTokens(`${s} ${judged}`));
    if (tokens.length) found++;
  }
  // Both kinds occur: strings with tokens and strings the pre-check ends early.
  expect(found).toBeGreaterThan(50);
  expect(STRINGS.length - found).toBeGreaterThan(100);
});

test('the string rules skip only strings, and URLs, in which they would find nothing', () => {
  const scan = (line: string) => scanFile({ path: 'notes.txt', text: line }).map((f) => `${f.at}: ${f.reason}`);
  // Markers that let every rule read the string, themselves no finding: a flag, an assignment, a URL.
  const markers = ' --x=$Y SECRET_X=$Y https://h/';
  expect(scan(markers)).toEqual([]);
  let found = 0;
  for (const s of STRINGS) {
    const direct = scan(s);
    expect(direct).toEqual(scan(`${s}${markers}`));
    // An empty query ('?') after a URL without one lets it be read in full and adds no parameter.
    const withQuery = s.replace(/\b[a-z][a-z0-9+.-]*:\/\/[^\s"'`)<>]+/gi, (u) => (/[?#]/.test(u) ? u : `${u}?`));
    expect(direct.filter(byUrlRules)).toEqual(scan(withQuery).filter(byUrlRules));
    if (direct.length) found++;
  }
  expect(found).toBeGreaterThan(50);
  expect(STRINGS.length - found).toBeGreaterThan(100);
});
