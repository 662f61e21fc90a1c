// Removing a service entry outright would leave its application and provider in Authentik: synth
// compares with the output it replaces and refuses, until the service is retired first.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import yaml from 'js-yaml';
import { main } from '../main';
import { checkOrphans, previouslyCreated } from '../lib/checks/orphans';
import { defaultInput, renderInput } from './helpers';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ua-orphans-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function configFile(name: string, mutate: (c: ReturnType<typeof defaultInput>) => void): string {
  const input = defaultInput();
  mutate(input);
  const file = path.join(tmp, `${name}.yaml`);
  fs.writeFileSync(file, yaml.dump(input));
  return file;
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
    expect(main(['--out', out])).toBe(0);
    const before = snapshot(out);
    const withoutLonghorn = configFile('without-longhorn', (c) => (c.services = c.services.filter((s) => s.slug !== 'longhorn')));
    expect(main(['--config', withoutLonghorn, '--out', out])).toBe(1);
    expect(errors).toHaveLength(2);
    expect(errors[0]).toMatch(/^check failed: proxy provider "Longhorn forward auth" \(created by .*configmap-authentik-blueprint-proxy-providers\.yaml\) .*set retired: true/);
    expect(errors[1]).toMatch(/^check failed: application "longhorn"/);
    expect(snapshot(out)).toEqual(before);
  });

  test('retire first, then remove: both runs pass', () => {
    const out = path.join(tmp, 'retire');
    expect(main(['--out', out])).toBe(0);
    const retired = configFile('retired', (c) => (c.services.find((s) => s.slug === 'grafana')!.retired = true));
    expect(main(['--config', retired, '--out', out])).toBe(0);
    const removed = configFile('removed', (c) => (c.services = c.services.filter((s) => s.slug !== 'grafana')));
    expect(main(['--config', removed, '--out', out])).toBe(0);
    expect(errors).toEqual([]);
  });

  test('an empty or missing output directory has nothing to orphan', () => {
    expect(previouslyCreated(path.join(tmp, 'nothing-here'))).toEqual([]);
  });

  test('the pure check: what the old output created and the new one does not mention', () => {
    const out = path.join(tmp, 'pure');
    expect(main(['--out', out])).toBe(0);
    const previous = previouslyCreated(out);
    expect(previous.map((o) => o.key)).toEqual(
      expect.arrayContaining(['argocd', 'ArgoCD OIDC', 'longhorn', 'Longhorn forward auth', 'k8s-agent']),
    );
    expect(checkOrphans(previous, renderInput(defaultInput()))).toEqual([]);
    const input = defaultInput();
    input.services = input.services.filter((s) => s.slug !== 'infisical');
    expect(checkOrphans(previous, renderInput(input)).map((f) => f.split(' (')[0])).toEqual([
      'OAuth2 provider "Infisical OIDC"',
      'application "infisical"',
    ]);
  });
});
