// The supported Authentik range (lib/upstream/authentik-versions.ts): the differences table is complete
// against the installed @goauthentik/api releases, the same config synthesizes on every minor and
// is validated against that minor's own API schema, known defects are refused, and docs/upgrades.md shows
// the tables as they are in code.
import fs from 'node:fs';
import os from 'node:os';
import yaml from 'js-yaml';
import path from 'node:path';
import { validateBlueprint, type ApiSchemas } from '../../lib/upstream/api-schema';
import { diffRequestSchemas } from '../../lib/upstream/schema-diff';
import { MODEL } from '../../lib/upstream/authentik-models';
import { parseConfig } from '../../lib/rules/validate';
import {
  DEFAULT_AUTHENTIK_CHART_VERSION,
  KNOWN_DEFECTS,
  SCHEMA_DIFFERENCES,
  SUPPORTED_MINORS,
  authentikMinor,
  compareVersions,
  defectsHit,
  defectsMarkdown,
  differencesBetween,
  differencesMarkdown,
} from '../../lib/upstream/authentik-versions';
import type { Blueprint } from '../../lib/upstream/blueprint-types';
import { ROOT, defaultInput, inputProblems, renderInput } from '../support/helpers';

// A plain CommonJS script (bin/), so it is loaded with require rather than imported.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- an untyped .cjs script; its shape is declared by the cast below
const importer = require('../../bin/import-authentik-api.cjs') as {
  MINORS: string[];
  extractAuthentikApi: (minor: string, root?: string) => { version: string; schemas: ApiSchemas };
};

/** The chart release each minor is synthesized with here (the ones CI renders with helm). */
const CHART_OF: Record<string, string> = { '2026.2': '2026.2.3', '2026.5': '2026.5.6', '2026.8': '2026.8.0' };

const key = (d: { since?: string; path: string; change: string; detail?: string }) =>
  `${d.since} ${d.path}: ${d.change}${d.change.startsWith('values') || d.change === 'changed' ? ` ${d.detail}` : ''}`;

describe('the supported range', () => {
  test('the importer and the versions module list the same minors, oldest first', () => {
    expect(importer.MINORS).toEqual([...SUPPORTED_MINORS]);
    expect([...SUPPORTED_MINORS].sort((a, b) => compareVersions(`${a}.0`, `${b}.0`))).toEqual([...SUPPORTED_MINORS]);
    expect(Object.keys(CHART_OF)).toEqual([...SUPPORTED_MINORS]);
  });

  test('a new cluster (no chart version) gets the newest supported release', () => {
    expect(authentikMinor(DEFAULT_AUTHENTIK_CHART_VERSION)).toBe(SUPPORTED_MINORS.at(-1));
    const input = defaultInput() as { authentik: { chart: Record<string, unknown> } };
    delete input.authentik.chart.version;
    expect(parseConfig(input).authentik.chart.version).toBe(DEFAULT_AUTHENTIK_CHART_VERSION);
    const noChart = defaultInput() as { authentik: Record<string, unknown> };
    delete noChart.authentik.chart;
    expect(parseConfig(noChart).authentik.chart).toEqual({ version: DEFAULT_AUTHENTIK_CHART_VERSION, releaseName: 'authentik' });
  });

  test('the seed cluster pins the first 2026.2 patch without a known defect for what it uses (agents)', () => {
    const pinned = parseConfig(defaultInput()).authentik.chart.version;
    expect(pinned).toBe('2026.2.3');
    expect(defectsHit(pinned, new Set(['agents']))).toEqual([]);
    // 2026.2.2 has the fix too, but no chart of it was released; every earlier 2026.2 patch is hit.
    for (const v of ['2026.2.0', '2026.2.1']) expect(defectsHit(v, new Set(['agents']))).toHaveLength(1);
  });
});

describe('known defects', () => {
  const withChart = (version: string, agents = true) => {
    const input = defaultInput();
    input.authentik.chart = { ...input.authentik.chart, version };
    if (!agents) {
      input.services = input.services.filter((s) => !s.agent);
      input.groups = input.groups.filter((g) => g.members !== 'agents');
    }
    return input;
  };
  const problems = inputProblems;

  test.each(['2026.2.0', '2026.2.1'])('agents on %s: one line naming the fixed release', (v) => {
    expect(problems(withChart(v))).toEqual([
      expect.stringMatching(
        new RegExp(`^authentik\\.chart\\.version: "${v.replace(/\./g, '\\.')}" breaks agents .*; use 2026\\.2\\.2 or newer$`),
      ),
    ]);
  });

  test('the same release without agents is accepted (the defect only breaks the agent path)', () => {
    expect(problems(withChart('2026.2.1', false))).toEqual([]);
  });

  test.each(['2026.2.2', '2026.2.3', '2026.5.6', '2026.8.0', '2026.8.9'])('agents on %s are accepted', (v) => {
    expect(problems(withChart(v))).toEqual([]);
  });

  test('every defect lies inside a supported minor and is fixed within it', () => {
    for (const d of KNOWN_DEFECTS) {
      expect(SUPPORTED_MINORS).toContain(authentikMinor(d.from));
      expect(authentikMinor(d.to)).toBe(authentikMinor(d.from));
      expect(authentikMinor(d.fixedIn)).toBe(authentikMinor(d.from));
      expect(compareVersions(d.fixedIn, d.to)).toBeGreaterThan(0);
    }
  });
});

describe('API differences between supported minors', () => {
  const installed = Object.fromEntries(SUPPORTED_MINORS.map((m) => [m, importer.extractAuthentikApi(m, ROOT).schemas]));

  test('the table lists exactly the *Request differences of the installed releases, each at the minor it starts', () => {
    const found: string[] = [];
    for (let i = 1; i < SUPPORTED_MINORS.length; i++) {
      const since = SUPPORTED_MINORS[i];
      for (const d of diffRequestSchemas(installed[SUPPORTED_MINORS[i - 1]], installed[since])) found.push(key({ since, ...d }));
    }
    // A difference missing here needs a row (and handling); a row no schema shows is stale.
    expect([...SCHEMA_DIFFERENCES].map(key).sort()).toEqual(found.sort());
  });

  test('every pair of minors, not only neighbours: each difference has a row between them', () => {
    for (let i = 0; i < SUPPORTED_MINORS.length; i++) {
      for (let j = i + 1; j < SUPPORTED_MINORS.length; j++) {
        const [from, to] = [SUPPORTED_MINORS[i], SUPPORTED_MINORS[j]];
        const rows = differencesBetween(from, to).map((d) => `${d.path}: ${d.change}`);
        for (const d of diffRequestSchemas(installed[from], installed[to])) expect(rows).toContain(`${d.path}: ${d.change}`);
      }
    }
  });

  test('the diff sees a new required field, a removed enum value and a type change', () => {
    const base = installed['2026.8'];
    const tampered = structuredClone(base) as Record<string, any>;
    tampered.GroupRequest.properties.color = { type: 'string' };
    tampered.GroupRequest.required = [...(tampered.GroupRequest.required ?? []), 'color'];
    tampered.ProxyProviderRequest.properties.external_host.maxLength = 10;
    const mode = tampered.ProxyProviderRequest.properties.mode.allOf[0].$ref.split('/').pop();
    tampered[mode].enum = tampered[mode].enum.filter((v: string) => v !== 'forward_single');
    expect(diffRequestSchemas(base, tampered).map((d) => key({ since: 'x', ...d }))).toEqual([
      'x GroupRequest.color: field added',
      'x GroupRequest.color: now required',
      'x ProxyProviderRequest.external_host: changed maxLength: undefined -> 10',
      'x ProxyProviderRequest.mode: values removed forward_single',
    ]);
  });

  test('an upgrade from the oldest to the newest minor meets every row', () => {
    expect(differencesBetween(SUPPORTED_MINORS[0], SUPPORTED_MINORS.at(-1)!)).toHaveLength(SCHEMA_DIFFERENCES.length);
    expect(differencesBetween('2026.5', '2026.8').map((d) => d.path)).toEqual(['OAuth2ProviderRequest.grant_types[]']);
  });
});

describe.each(SUPPORTED_MINORS)('the default config on Authentik %s', (minor) => {
  const input = defaultInput();
  input.authentik.chart = { ...input.authentik.chart, version: CHART_OF[minor] };
  const r = renderInput(input);
  const providers = r.blueprints.flatMap((b) => b.entries.filter((e) => e.model === MODEL.oauth2Provider && e.state !== 'absent'));

  test('synthesizes with every check passing, validated against its own minor', () => {
    expect(r.model.authentik.minor).toBe(minor);
    for (const bp of r.blueprints) expect(validateBlueprint(bp, minor)).toEqual([]);
  });

  test('grant_types exactly where the minor has the field: client_credentials for agents', () => {
    const hasField = compareVersions(`${minor}.0`, '2026.5.0') >= 0;
    expect(providers.length).toBeGreaterThan(0);
    for (const p of providers) {
      if (!hasField) expect(p.attrs).not.toHaveProperty('grant_types');
      else if (p.attrs!.redirect_uris && (p.attrs!.redirect_uris as unknown[]).length === 0)
        expect(p.attrs!.grant_types).toEqual(['client_credentials']);
      else expect(p.attrs!.grant_types).toEqual(['authorization_code', 'refresh_token']);
    }
  });
});

describe('each minor is validated against its own schema, not another', () => {
  const agentBlueprint = (minor: string): Blueprint => {
    const input = defaultInput();
    input.authentik.chart = { ...input.authentik.chart, version: CHART_OF[minor] };
    return renderInput(input).blueprints.find((b) => b.entries.some((e) => e.attrs?.grant_types))!;
  };

  test('a 2026.5 blueprint with grant_types is refused by the 2026.2 schema: the field would be dropped', () => {
    const errors = validateBlueprint(agentBlueprint('2026.5'), '2026.2');
    expect(errors.length).toBeGreaterThan(0);
    for (const e of errors) expect(e).toMatch(/field grant_types: unknown field; Authentik would silently drop it/);
  });

  test('a grant type new in 2026.8 is refused by the 2026.5 schema and accepted by 2026.8', () => {
    const bp = agentBlueprint('2026.8');
    const provider = bp.entries.find((e) => e.attrs?.grant_types)!;
    provider.attrs!.grant_types = ['urn:ietf:params:oauth:grant-type:token-exchange'];
    expect(validateBlueprint(bp, '2026.8')).toEqual([]);
    expect(validateBlueprint(bp, '2026.5')).toEqual([
      expect.stringMatching(
        /field grant_types\[0\]: a string \("urn:ietf:params:oauth:grant-type:token-exchange"\) is not one of authorization_code/,
      ),
    ]);
  });
});

describe('docs/upgrades.md, the upgrade guide', () => {
  const guide = fs.readFileSync(path.join(ROOT, 'docs/upgrades.md'), 'utf8');
  test('holds the differences table exactly as in code', () => expect(guide).toContain(differencesMarkdown()));
  test('holds the known-defect table exactly as in code', () => expect(guide).toContain(defectsMarkdown()));
  test('lists exactly the files an upgrade of the seed cluster from 2026.2 to 2026.8 changes', () => {
    const before = renderInput(defaultInput());
    const upgraded = defaultInput();
    upgraded.authentik.chart = { ...upgraded.authentik.chart, version: '2026.8.0' };
    const after = renderInput(upgraded);
    const text = (r: typeof before) => new Map(r.files.map((f) => [f.path, f.text]));
    const [a, b] = [text(before), text(after)];
    const changed = [...new Set([...a.keys(), ...b.keys()])].filter((p) => a.get(p) !== b.get(p)).sort();
    const listed = [...guide.matchAll(/^drift: dist\/(\S+) differs from a fresh synth$/gm)].map((m) => m[1]).sort();
    expect(listed).toEqual(changed);
    expect(guide).toContain(`check: ${changed.length} file(s) out of date`);
  });
});

describe('test/fixtures/authentik-*.yaml: the default cluster on each supported minor', () => {
  // CI validates each against its minor's official blueprint schema and renders it with its chart,
  // so each must stay the default config with only the Authentik release changed. When config/frank.ts
  // changes, regenerate them: UPDATE_FIXTURES=1 npx jest test/model/authentik-versions.test.ts
  // The last field turns the in-cluster verify hook on: CI checks its Job against those charts too.
  const fixtures: Array<[string, string, string, boolean, boolean]> = [
    [
      'authentik-2026.5.yaml',
      '2026.5.6',
      'The default cluster (config/frank.ts) on Authentik 2026.5: CI validates its blueprints against the 2026.5\nblueprint schema and renders its values with the 2026.5.6 chart, with the verify hook on.',
      false,
      true,
    ],
    [
      'authentik-2026.8.yaml',
      '2026.8.0',
      'The default cluster (config/frank.ts) on Authentik 2026.8: CI validates its blueprints against the 2026.8\nblueprint schema and renders its values with the 2026.8.0 chart, with the verify hook on.',
      false,
      true,
    ],
    [
      'authentik-2026.2.1-no-agents.yaml',
      '2026.2.1',
      'The default cluster (config/frank.ts) without agents, on Authentik 2026.2.1: that release breaks agents\n(synth refuses them there), but a cluster without agents may run it. CI renders the 2026.2.1 chart with it.',
      true,
      false,
    ],
  ];
  test.each(fixtures)('%s is the default config on Authentik %s', (name, version, header, noAgents, verifyHook) => {
    const c = defaultInput() as any;
    c.authentik.chart = { ...c.authentik.chart, version };
    if (noAgents) {
      c.services = c.services.filter((s: { agent?: unknown }) => !s.agent);
      c.groups = c.groups.filter((g: { members?: string }) => g.members !== 'agents');
    }
    if (verifyHook) c.verify = { postSyncHook: { enabled: true } };
    const text = `${header.replace(/^/gm, '# ')}\n${yaml.dump(JSON.parse(JSON.stringify(c)), { lineWidth: 120 })}`;
    const file = path.join(ROOT, 'test/fixtures', name);
    if (process.env.UPDATE_FIXTURES) fs.writeFileSync(file, text);
    if (fs.readFileSync(file, 'utf8') !== text) {
      throw new Error(
        `test/fixtures/${name} is not the default config on ${version}; regenerate: UPDATE_FIXTURES=1 npx jest test/model/authentik-versions.test.ts`,
      );
    }
    expect(renderInput(yaml.load(text)).model.authentik.chartVersion).toBe(version);
  });
  test('together with the default config they cover every supported minor and every chart CI renders', () => {
    const versions = [parseConfig(defaultInput()).authentik.chart.version, ...fixtures.map(([, v]) => v)];
    expect([...new Set(versions.map(authentikMinor))].sort()).toEqual([...SUPPORTED_MINORS]);
    expect(versions.sort()).toEqual(['2026.2.1', '2026.2.3', '2026.5.6', '2026.8.0']);
  });
});

describe('.ci/closest-blueprint-schema.cjs (which official schema CI validates each release against)', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- an untyped .cjs script; its shape is declared by the cast below
  const { closest } = require('../../.ci/closest-blueprint-schema.cjs') as {
    closest: (dir: string, v: string) => { file: string } | undefined;
  };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ua-schemas-'));
  for (const v of ['2026.2.0', '2026.2.4', '2026.5.6', '2026.8.0-rc1'])
    fs.writeFileSync(path.join(dir, `authentik-blueprint-schema-${v}.json`), '{}');
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  test.each([
    ['2026.2.1', 'authentik-blueprint-schema-2026.2.0.json'],
    ['2026.2.3', 'authentik-blueprint-schema-2026.2.4.json'],
    ['2026.2.2', 'authentik-blueprint-schema-2026.2.0.json'],
    ['2026.5.1', 'authentik-blueprint-schema-2026.5.6.json'],
    ['2026.8.0', 'authentik-blueprint-schema-2026.8.0-rc1.json'],
  ])('%s -> %s', (v, file) => expect(closest(dir, v)?.file).toBe(file));
  test('never a schema of another minor', () => expect(closest(dir, '2026.11.0')).toBeUndefined());
});
