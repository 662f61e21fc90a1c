// Removing a service entry outright would leave its application and provider in Authentik: synth
// compares with the output it replaces and refuses, until the service is retired first.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import yaml from 'js-yaml';
import { main } from '../../main';
import { checkOrphans, previouslyCreated } from '../../lib/guards/orphans';
import { defaultInput, renderInput } from '../support/helpers';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ua-orphans-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function configFile(name: string, mutate: (c: ReturnType<typeof defaultInput>) => void): string {
  const input = defaultInput();
  mutate(input);
  const file = path.join(tmp, `${name}.yaml`);
  fs.writeFileSync(file, yaml.dump(input));
  return file;
}

/**
 * `npm run synth -- --out <out>` (the default config) into a new directory: the first one runs,
 * the others copy its output (nothing else is written: the state of an output outside the config's
 * repository is not recorded), so a test still owns its output.
 */
let kept: string | undefined;
function defaultOutput(out: string): void {
  if (!kept) expect(main(['--out', (kept = path.join(tmp, 'default-output'))])).toBe(0);
  expect(fs.existsSync(out)).toBe(false);
  fs.cpSync(kept, out, { recursive: true });
}

const snapshot = (dir: string) =>
  Object.fromEntries(
    (fs.readdirSync(dir, { recursive: true }) as string[]).sort().map((f) => {
      const p = path.join(dir, f);
      return [f, fs.statSync(p).isDirectory() ? null : fs.readFileSync(p, 'utf8')];
    }),
  );

describe('orphans', () => {
  let errors: string[];
  beforeEach(() => {
    errors = [];
    jest.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void errors.push(a.join(' ')));
    jest.spyOn(console, 'log').mockImplementation(() => {});
  });
  afterEach(() => jest.restoreAllMocks());

  test('deleting a service entry is refused, naming what would stay behind; the output is untouched', () => {
    const out = path.join(tmp, 'delete');
    defaultOutput(out);
    const before = snapshot(out);
    const withoutLonghorn = configFile('without-longhorn', (c) => (c.services = c.services.filter((s) => s.slug !== 'longhorn')));
    expect(main(['--config', withoutLonghorn, '--out', out])).toBe(1);
    expect(errors).toHaveLength(3);
    expect(errors[0]).toMatch(
      /^check failed: proxy provider "longhorn forward auth" \(created by .*configmap-authentik-blueprint-proxy-providers\.yaml\) .*put the old entry back with retired: true/,
    );
    expect(errors[1]).toMatch(/^check failed: application "longhorn"/);
    expect(errors[2]).toMatch(/^check failed: access policy "unified-auth access longhorn"/);
    expect(snapshot(out)).toEqual(before);
  });

  test('retire first, then remove: both runs pass', () => {
    const out = path.join(tmp, 'retire');
    defaultOutput(out);
    const retired = configFile('retired', (c) => (c.services.find((s) => s.slug === 'grafana')!.retired = true));
    expect(main(['--config', retired, '--out', out])).toBe(0);
    const removed = configFile('removed', (c) => (c.services = c.services.filter((s) => s.slug !== 'grafana')));
    expect(main(['--config', removed, '--out', out])).toBe(0);
    expect(errors).toEqual([]);
  });

  test('a copy of the default output is byte for byte what synth writes in a directory of its own', () => {
    defaultOutput(path.join(tmp, 'copied'));
    expect(main(['--out', path.join(tmp, 'own')])).toBe(0);
    expect(snapshot(path.join(tmp, 'copied'))).toEqual(snapshot(path.join(tmp, 'own')));
    expect(errors).toEqual([]);
  });

  test('an empty or missing output directory has nothing to orphan', () => {
    expect(previouslyCreated(path.join(tmp, 'nothing-here'))).toEqual([]);
  });

  test('the pure check: what the old output created and the new one does not mention', () => {
    const out = path.join(tmp, 'pure');
    defaultOutput(out);
    const previous = previouslyCreated(out);
    expect(previous.map((o) => o.key)).toEqual(
      expect.arrayContaining(['argocd', 'longhorn', 'longhorn forward auth', 'k8s-agent', 'root-admins', 'k8s-agent-app-password']),
    );
    expect(checkOrphans(previous, renderInput(defaultInput()))).toEqual([]);
    const input = defaultInput();
    input.services = input.services.filter((s) => s.slug !== 'infisical');
    expect(checkOrphans(previous, renderInput(input)).map((f) => f.split(' (')[0])).toEqual([
      'OAuth2 provider with client_id "infisical"',
      'application "infisical"',
      'access policy "unified-auth access infisical"',
    ]);
  });
});

describe('an OAuth2 provider found by name (oidc.providerFoundBy: name, its client_id left to the cluster)', () => {
  const withWiki = (c: ReturnType<typeof defaultInput>, retired = false) =>
    c.services.push({
      slug: 'wiki-x',
      name: 'Wiki X',
      host: `wiki-x.${c.cluster.domain}`,
      allowedGroups: 'any',
      ...(retired ? { retired: true } : {}),
      oidc: { consumer: 'generic', callbackPath: '/cb', providerFoundBy: 'name', providerName: 'Wiki, "X"' },
    });

  test('is tracked by its identifiers: dropping its service is refused naming it; retiring it first is not', () => {
    jest.spyOn(console, 'log').mockImplementation(() => {});
    jest.spyOn(console, 'error').mockImplementation(() => {});
    const out = path.join(tmp, 'found-by-name');
    expect(main(['--config', configFile('wiki', (c) => withWiki(c)), '--out', out])).toBe(0);
    const previous = previouslyCreated(out);
    expect(previous.map((o) => `${o.model} ${o.key}`)).toContain('authentik_providers_oauth2.oauth2provider {"name":"Wiki, \\"X\\""}');
    const findings = checkOrphans(previous, renderInput(defaultInput()));
    expect(findings.map((f) => f.split(' (')[0])).toEqual([
      'authentik_providers_oauth2.oauth2provider {name: "Wiki, \\"X\\""}',
      'application "wiki-x"',
      'access policy "unified-auth access wiki-x"',
    ]);
    expect(findings[0]).toMatch(/list it in retiredObjects/);
    const retired = defaultInput();
    withWiki(retired, true);
    expect(checkOrphans(previous, renderInput(retired))).toEqual([]);
    jest.restoreAllMocks();
  });
});

describe('retiring groups and renames', () => {
  beforeEach(() => {
    jest.spyOn(console, 'error').mockImplementation(() => {});
    jest.spyOn(console, 'log').mockImplementation(() => {});
  });
  afterEach(() => jest.restoreAllMocks());

  test('a retired group is deleted by the groups blueprint; removing it outright is refused', () => {
    const out = path.join(tmp, 'groups');
    defaultOutput(out);
    const dropped = configFile('drop-developers', (c) => {
      c.groups = c.groups.filter((g) => g.name !== 'root-developers');
      c.services.find((s) => s.slug === 'hubble')!.allowedGroups = ['root-admins', 'root-devops'];
      c.services.find((s) => s.slug === 'kubernetes')!.allowedGroups = ['root-admins', 'root-devops'];
    });
    expect(main(['--config', dropped, '--out', out])).toBe(1);
    const retired = configFile('retire-developers', (c) => {
      c.groups.find((g) => g.name === 'root-developers')!.retired = true;
      c.services.find((s) => s.slug === 'hubble')!.allowedGroups = ['root-admins', 'root-devops'];
      c.services.find((s) => s.slug === 'kubernetes')!.allowedGroups = ['root-admins', 'root-devops'];
    });
    expect(main(['--config', retired, '--out', out])).toBe(0);
    const groups = fs.readFileSync(path.join(out, 'authentik-extras/configmap-authentik-blueprint-groups.yaml'), 'utf8');
    expect(groups).toMatch(/- model: authentik_core\.group\n\s+state: absent\n\s+identifiers:\n\s+name: root-developers/);
    expect(fs.readFileSync(path.join(out, 'docs/ACCESS.md'), 'utf8')).not.toContain('root-developers');
    expect(main(['--config', dropped, '--out', out])).toBe(0);
  });

  test('renaming a service keeps its OAuth2 provider (found by client_id) and proxy provider (named by slug)', () => {
    const out = path.join(tmp, 'rename');
    defaultOutput(out);
    const renamed = configFile('renamed', (c) => {
      c.services.find((s) => s.slug === 'grafana')!.name = 'Dashboards';
      c.services.find((s) => s.slug === 'longhorn')!.name = 'Storage';
    });
    expect(main(['--config', renamed, '--out', out])).toBe(0);
  });

  test('changing an agent service account is refused: the old account would keep its group and password', () => {
    const out = path.join(tmp, 'account');
    defaultOutput(out);
    const moved = configFile('moved-account', (c) => (c.services.find((s) => s.slug === 'k8s-agent')!.agent!.serviceAccount = 'k8s-bot'));
    expect(main(['--config', moved, '--out', out])).toBe(1);
    const previous = previouslyCreated(out);
    const findings = checkOrphans(previous, renderInput(loadYaml(moved)));
    expect(findings.map((f) => f.split(' (')[0])).toEqual(['service account "k8s-agent"', 'app-password token "k8s-agent-app-password"']);
  });

  test('--baseline names the previous output explicitly (a fresh --out has none)', () => {
    const base = path.join(tmp, 'baseline');
    defaultOutput(base);
    const without = configFile('baseline-without-sympozium', (c) => (c.services = c.services.filter((s) => s.slug !== 'sympozium')));
    expect(main(['--config', without, '--out', path.join(tmp, 'fresh')])).toBe(0);
    expect(main(['--config', without, '--out', path.join(tmp, 'fresh2'), '--baseline', base])).toBe(1);
  });
});

function loadYaml(file: string): unknown {
  return yaml.load(fs.readFileSync(file, 'utf8'));
}
