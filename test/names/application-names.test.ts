// Application and provider names follow Authentik's rules, not stricter ones (docs/names.md):
// authentik/core/models.py declares Application.name a TextField with no validator, length limit or
// uniqueness, and Provider.name a TextField with unique=True; the API serializer (a DRF CharField)
// trims surrounding whitespace and refuses an empty value, NUL and lone surrogates. Every place such
// a name flows into reads it back exactly (YAML) or shows it escaped (Markdown, Mermaid, plan lines).
import path from 'node:path';
import yaml from 'js-yaml';
import { findings } from '../../lib/checks';
import { parseConfig } from '../../lib/rules/validate';
import { confidentialApps, derive } from '../../lib/model/derive';
import { BLUEPRINT_SCHEMA } from '../../lib/upstream/blueprint-tags';
import { MODEL } from '../../lib/upstream/authentik-models';
import { plan } from '../../lib/plan/index';
import { formatPlan } from '../../lib/plan/format';
import { configProblems, defaultInput, renderInput } from '../support/helpers';
import { freshAuthentik } from '../support/authentik-importer';
import { errors, mounted, synth, tmpDir } from '../support/lifecycle';

const HOSTILE = [
  'say "hi", o\'brien',
  'back\\slash',
  'tick`tock',
  'pipe | bar',
  '<script>alert(1)</script>',
  '*bold* _it_ [link](x) &amp; ~x~ #h',
  'line\nbreak',
  'Ünïcødé 管理者 ✓ 👩‍💻',
];

/** The default config, its OIDC and forward-auth services renamed to hostile names; one provider name overridden. */
function hostileInput() {
  const input = defaultInput();
  const renamed = input.services.filter((s) => s.oidc || s.forwardAuth);
  renamed.forEach((s, i) => (s.name = HOSTILE[i % HOSTILE.length]));
  const fa = renamed.find((s) => s.forwardAuth)!;
  fa.forwardAuth!.providerName = 'proxy, "quoted"\nprovider';
  return input;
}

const input = hostileInput();
const r = renderInput(input);
const names = input.services.filter((s) => s.oidc || s.forwardAuth).map((s) => s.name);

/** Every blueprint entry of the output, read from its ConfigMap as Authentik reads it. */
const entries = (): any[] =>
  r.files
    .flatMap((f) => f.docs ?? [])
    .filter((d: any) => d?.kind === 'ConfigMap' && d.metadata?.labels?.['app.kubernetes.io/component'] === 'blueprint')
    .flatMap((cm: any) => Object.values(cm.data as Record<string, string>))
    .flatMap((text) => (yaml.load(text, { schema: BLUEPRINT_SCHEMA }) as any).entries);

test('every check passes on the output rendered with hostile application and provider names', () => {
  expect(findings(r)).toEqual([]);
});

test('YAML: every application and provider keeps its exact name in the blueprints', () => {
  const all = entries();
  const apps = all.filter((e) => e.model === MODEL.application).map((e) => e.attrs?.name);
  for (const n of names) expect(apps).toContain(n);
  const proxies = all.filter((e) => e.model === MODEL.proxyProvider).map((e) => e.identifiers.name);
  expect(proxies).toContain('proxy, "quoted"\nprovider');
});

describe('Markdown: names are text, never markup', () => {
  const md = r.files.filter((f) => f.path.endsWith('.md'));
  const access = md.find((f) => f.path.endsWith('ACCESS.md'))!.text;

  test('no page carries a name raw (an HTML tag, a link, a line break inside it)', () => {
    for (const f of md) {
      // A fenced block (the Mermaid chart) is not Markdown: its labels are checked below.
      const prose = f.text.replace(/^```[\s\S]*?^```$/gm, '');
      expect([f.path, f.text.includes('<script>')]).toEqual([f.path, false]);
      expect([f.path, prose.includes('[link](x)')]).toEqual([f.path, false]);
      expect([f.path, f.text.includes('line\nbreak')]).toEqual([f.path, false]);
    }
  });

  test('every table row keeps its column count', () => {
    const pipes = (l: string) => l.replace(/\\\\/g, '').replace(/\\\|/g, '').split('|').length;
    for (const f of md) {
      const lines = f.text.split('\n');
      lines.forEach((l, i) => {
        if (!/^\|---/.test(l)) return;
        for (let j = i + 1; j < lines.length && lines[j].startsWith('|'); j++)
          expect([f.path, pipes(lines[j])]).toEqual([f.path, pipes(lines[i - 1])]);
      });
    }
  });

  test('CommonMark backslash escapes read back to each name (a line break shown as a space)', () => {
    // CommonMark: a backslash before ASCII punctuation is that character, literally.
    const unescape = (s: string) => s.replace(/\\([!-/:-@[-`{-~])/g, '$1');
    const header = access.split('\n').find((l) => l.startsWith('| Group |'))!;
    const cells = header
      .split(/(?<!\\)\|/)
      .map((c) => unescape(c.trim()))
      .filter(Boolean);
    for (const n of names) expect(cells).toContain(n.replace(/\n/g, ' '));
  });

  test('Mermaid: a label holds no raw quote, tag or line break of a name', () => {
    const arch = md.find((f) => f.path.endsWith('architecture.md'))!.text;
    for (const l of arch.split('\n').filter((x) => x.includes('["'))) {
      const inner = l.slice(l.indexOf('["') + 2, l.lastIndexOf('"]'));
      expect(inner.replace(/<br\/>/g, '')).not.toMatch(/["<>`]/);
    }
    expect(arch).toContain('#lt;script#gt;');
  });
});

test('plan lines: a name with a line break, comma or quote is one JSON-quoted value', () => {
  const empty = renderInput(defaultInput());
  const before = new Map(empty.files.map((f) => [f.path, f.text]));
  const after = new Map(r.files.map((f) => [f.path, f.text]));
  const text = formatPlan(plan(before, after), 'text', 'plan');
  expect(text).toContain(`name=${JSON.stringify('proxy, "quoted"\nprovider')}`);
  expect(text).not.toContain('proxy, "quoted"\nprovider');
});

describe('uniqueness where Authentik requires it', () => {
  const problems = configProblems;

  test('two applications may share a name (Application.name is not unique)', () => {
    const fa = defaultInput().services.findIndex((s) => s.forwardAuth);
    expect(problems((c) => (c.services[fa].name = c.services[0].name))).toEqual([]);
  });

  test('two OIDC services with one name derive one provider name: refused, one line (Provider.name is unique)', () => {
    const p = problems((c) => (c.services[1].name = c.services[0].name));
    expect(p).toEqual([
      `services[1].name: provider name "${defaultInput().services[0].name} OIDC" is already services[0].name's; each must be unique`,
    ]);
  });

  test('a provider name override equal to another provider: refused across provider kinds', () => {
    const fa = defaultInput().services.findIndex((s) => s.forwardAuth);
    const p = problems((c) => (c.services[fa].forwardAuth!.providerName = `${c.services[0].name} OIDC`));
    expect(p).toHaveLength(1);
    expect(p[0]).toMatch(new RegExp(`^services\\[${fa}\\]\\.forwardAuth\\.providerName: provider name .* is already`));
  });

  test('what Authentik refuses is refused: NUL, surrounding whitespace, empty', () => {
    expect(problems((c) => (c.services[0].name = 'a\u0000b'))[0]).toMatch(/^services\[0\]\.name: .*NUL/);
    expect(problems((c) => (c.services[0].name = ' Argo'))[0]).toMatch(/^services\[0\]\.name: .*whitespace/);
    expect(problems((c) => (c.services[0].name = ''))[0]).toMatch(/^services\[0\]\.name: must not be empty/);
  });
});

describe("Authentik's importer model applies the hostile names", () => {
  const out = path.join(tmpDir('app-names'), 'dist');
  const ak = freshAuthentik();
  beforeAll(() => {
    expect(synth(input, out)).toEqual([]);
    const m = derive(parseConfig(input));
    for (const a of confidentialApps(m)) ak.env[a.clientSecret.envVar] = `${a.slug}-secret`;
    for (const a of m.agents) ak.env[a.tokenSecret.envVar] = `${a.slug}-password`;
    ak.discover(mounted(out));
  });

  test('every blueprint applies, and each application exists under its exact name', () => {
    expect(errors(ak)).toEqual([]);
    for (const s of input.services.filter((x) => x.oidc || x.forwardAuth))
      expect(ak.find(MODEL.application, { slug: s.slug })?.fields.name).toBe(s.name);
  });
});
