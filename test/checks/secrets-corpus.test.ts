// The secret scan's findings on a fixed corpus of planted secrets and near misses
// (test/support/secrets-corpus.ts) are pinned line for line: the scan's pre-filters and caches
// (lib/checks/secrets.ts) only skip work that could not find anything, so they never change a finding.
import fs from 'node:fs';
import path from 'node:path';
import { checkNoSecrets, formatSecretFinding, highEntropyTokens, scanFile, scanFiles } from '../../lib/checks/secrets';
import { CORPUS_STRINGS, secretsCorpus } from '../support/secrets-corpus';
import { ROOT, defaultInput, doc, renderInput } from '../support/helpers';

const EXPECTED = path.join(ROOT, 'test/fixtures/secrets-corpus-findings.json');

test('every planted secret is found, and nothing else, exactly as pinned', () => {
  const found = scanFiles(secretsCorpus()).map(formatSecretFinding);
  expect(found).toEqual(JSON.parse(fs.readFileSync(EXPECTED, 'utf8')));
  // The corpus plants secrets in every file kind: a scan that found nothing would not pass above.
  for (const f of ['values/strings.yaml', 'values/keyed.yaml', 'values/refs.yaml', 'raw/parsed.yaml', 'docs/GUIDE.md', 'talos/notes.txt'])
    expect(found.some((l) => l.startsWith(`${f}: `))).toBe(true);
});

test('scanning a file twice, or in another order, finds the same (no state kept between scans)', () => {
  const files = secretsCorpus();
  const once = files.map((f) => scanFile(f).map(formatSecretFinding));
  const reversed = [...files]
    .reverse()
    .map((f) => scanFile(f).map(formatSecretFinding))
    .reverse();
  expect(reversed).toEqual(once);
});

test('a token is a candidate from 24 characters on, also where a URL was cut out around it', () => {
  const token = 'Zq4Rt7Yp2Wn9Xk3Lm8Vb5HcJ';
  expect(highEntropyTokens(token)).toEqual([token]);
  expect(highEntropyTokens(token.slice(1))).toEqual([]);
  expect(highEntropyTokens(`https://a.example/x${token}`)).toEqual([]);
  expect(highEntropyTokens(`https://a.example/x ${token}`)).toEqual([token]);
  expect(CORPUS_STRINGS.filter((s) => highEntropyTokens(s).length).length).toBeGreaterThan(10);
});

test('a blueprint ConfigMap text edited after render is parsed, not read as the rendering it was', () => {
  const r = renderInput(defaultInput());
  const cm = doc(r, 'authentik-extras/configmap-authentik-blueprint-groups.yaml');
  const key = Object.keys(cm.data)[0];
  expect(checkNoSecrets(r)).toEqual([]);
  cm.data[key] =
    `${cm.data[key]}  - model: authentik_core.token\n    identifiers:\n      identifier: t\n    attrs:\n      key: planted-literal\n`;
  expect(checkNoSecrets(r)).toEqual([
    `authentik-extras/configmap-authentik-blueprint-groups.yaml: data.${key}|yaml.entries[${cm.data[key].match(/^ {2}- model/gm).length - 1}].attrs.key: "key" holds a literal value plan…(15 chars); reference a Secret instead (secretKeyRef, $secret:key, $__env{}, !Env)`,
  ]);
});

test('in a YAML file, exactly the lines whose first non-space character is # are scanned as text', () => {
  const token = 'Zq4Rt7Yp2Wn9Xk3Lm8Vb5HcJd';
  const lines = [
    `# ${token}`,
    `key: value # ${token}`,
    `  # ${token}`,
    `\t# ${token}`,
    `\u00a0\ufeff# ${token}`,
    `x # # ${token}`,
    `## ${token} # ${token}x`,
    `#${token}\r`,
    `plain ${token}`,
    '',
    `   #`,
    `# ${token}z`,
  ];
  const text = lines.join('\n');
  const found = scanFile({ path: 'values/x.yaml', text, docs: [] }).map((f) => f.at);
  const expected = lines.flatMap((l, i) => (/^\s*#/.test(l) && l.includes(token) ? [`line ${i + 1}`] : []));
  expect(new Set(found)).toEqual(new Set(expected));
  expect(expected).toEqual(['line 1', 'line 3', 'line 4', 'line 5', 'line 7', 'line 8', 'line 12']);
});
