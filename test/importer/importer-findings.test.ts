// Each way the output before access policies went wrong in Authentik's importer, shown on that
// old output (test/fixtures/legacy-output/, exactly as it was generated) through the importer
// model, next to the same situation with today's output.
import path from 'node:path';
import { AUTHENTIK_OWN_BLUEPRINTS, freshAuthentik, type AuthentikModel } from '../support/authentik-importer';
import { errors, mounted, synth, tmpDir } from '../support/lifecycle';
import { readBlueprints } from '../../lib/previous/blueprints';
import { parseConfig, ConfigError } from '../../lib/rules/validate';
import { derive } from '../../lib/model/derive';
import { buildBlueprints } from '../../lib/blueprints/build';
import { ROOT, defaultInput } from '../support/helpers';
import { Condition, type Find } from '../../lib/upstream/blueprint-tags';

const LEGACY = path.join(ROOT, 'test/fixtures/legacy-output');
const legacyBase = () => mounted(path.join(LEGACY, 'base'));
const ENV = {
  UA_OIDC_ARGOCD_CLIENT_SECRET: 'argocd-v1',
  UA_OIDC_GRAFANA_CLIENT_SECRET: 'grafana-v1',
  UA_OIDC_INFISICAL_CLIENT_SECRET: 'infisical-v1',
  UA_AGENT_K8S_AGENT_APP_PASSWORD: 'agent-v1',
};

/** An Authentik whose own default blueprints were applied long ago, running `files`. */
function installed(files: Map<string, string>): AuthentikModel {
  const ak = freshAuthentik();
  Object.assign(ak.env, ENV);
  ak.discover(new Map(AUTHENTIK_OWN_BLUEPRINTS));
  ak.discover(files);
  expect(errors(ak)).toEqual([]);
  return ak;
}

/** Today's output of a config, synthesized into a fresh directory. */
function current(
  mutate: (c: ReturnType<typeof defaultInput>) => void = () => {},
  out = path.join(tmpDir('findings'), 'dist'),
  baseline?: string,
): string {
  const input = defaultInput();
  mutate(input);
  expect(synth(input, out, baseline ? ['--baseline', baseline] : [])).toEqual([]);
  return out;
}

describe('1. narrowing allowedGroups shifts binding orders onto ones still held', () => {
  test('old output: the proxy blueprint fails on the unique (policy, target, order) check, tombstones and all', () => {
    const ak = installed(legacyBase());
    ak.discover(mounted(path.join(LEGACY, 'hubble-narrowed')));
    expect(errors(ak)).toEqual([expect.stringMatching(/proxy-providers\.yaml: .*policy, target, order must make a unique set/)]);
    // The whole file rolled back: root-devops keeps Hubble, and the next discovery fails again.
    const devops = ak.create('authentik_core.user', {
      username: 'd',
      groups: [ak.find('authentik_core.group', { name: 'root-devops' })!.pk],
    });
    expect(ak.mayUse(String(devops.fields.username), 'hubble')).toBe(true);
    ak.discover(mounted(path.join(LEGACY, 'hubble-narrowed')));
    expect(errors(ak)).toHaveLength(1);
  });

  test('today: the same narrowing rewrites one policy expression and applies cleanly', () => {
    const out = current();
    const ak = installed(mounted(out));
    current((c) => (c.services.find((s) => s.slug === 'hubble')!.allowedGroups = ['root-admins', 'root-developers']), out);
    ak.discover(mounted(out));
    expect(errors(ak)).toEqual([]);
    const devops = ak.create('authentik_core.user', {
      username: 'd',
      groups: [ak.find('authentik_core.group', { name: 'root-devops' })!.pk],
    });
    expect(ak.mayUse(String(devops.fields.username), 'hubble')).toBe(false);
  });
});

describe('2. a tombstone whose group lookup finds nothing deletes someone else’s binding', () => {
  /** A binding an admin added by hand in the UI: this user may use ArgoCD. */
  const handMade = (ak: AuthentikModel, slug: string) => {
    const user = ak.create('authentik_core.user', { username: 'break-glass', groups: [] });
    return ak.create('authentik_policies.policybinding', {
      target: ak.find('authentik_core.application', { slug })!.pk,
      user: user.pk,
      order: 7,
    });
  };

  test('old output: with root-agents gone and the groups blueprint failing, the ArgoCD blueprint deletes the hand-made user binding', () => {
    const ak = installed(legacyBase());
    const binding = handMade(ak, 'argocd');
    // The group was deleted by hand, and the groups blueprint fails (here: an entry with no
    // identifiers), so the ArgoCD file's metaapplyblueprint cannot bring it back; the importer
    // does not check whether that inner apply succeeded.
    ak.objects = ak.objects.filter((o) => !(o.model === 'authentik_core.group' && o.fields.name === 'root-agents'));
    const files = legacyBase();
    const groupsPath = [...files.keys()].find((p) => p.endsWith('/groups.yaml'))!;
    files.set(
      groupsPath,
      files.get(groupsPath)!.replace('entries:\n', 'entries:\n  - model: authentik_core.group\n    attrs: { name: broken }\n'),
    );
    ak.applyInstance(
      ak.instances.find((i) => i.path.endsWith('provider-argocd.yaml'))!,
      files,
    );
    expect(errors(ak)).toEqual([]);
    expect(ak.objects).not.toContainEqual(binding);
  });

  test('today: a legacy tombstone carries its group lookup as a condition and leaves the binding alone', () => {
    const ak = installed(legacyBase());
    const out = tmpDir('findings-2');
    current((c) => (c.services.find((s) => s.slug === 'sympozium')!.allowedGroups = 'any'), out, path.join(LEGACY, 'base'));
    const binding = handMade(ak, 'longhorn');
    // root-devops disappears before the migration applies: its tombstone must not match group IS NULL.
    ak.objects = ak.objects.filter((o) => !(o.model === 'authentik_core.group' && o.fields.name === 'root-devops'));
    ak.discover(mounted(out));
    expect(errors(ak)).toEqual([]);
    expect(ak.objects).toContainEqual(binding);
    // And synth refuses a tombstone without that condition (lib/upstream/references.ts).
    const tomb = readBlueprints(out)
      .flatMap((b) => b.entries)
      .filter((e) => e.state === 'absent' && e.model === 'authentik_policies.policybinding');
    expect(tomb.length).toBeGreaterThan(0);
    for (const e of tomb) expect(e.conditions).toEqual([new Condition('AND', (e.identifiers as { group: Find }).group)]);
  });
});

describe('3. a fresh install applies ours before Authentik’s defaults exist', () => {
  test('old output: every provider blueprint fails on its first apply (its flow !Find is empty)', () => {
    const ak = freshAuthentik();
    Object.assign(ak.env, ENV);
    ak.discover(legacyBase()); // discovered before the default blueprints' files
    expect(errors(ak).length).toBeGreaterThanOrEqual(4);
    expect(errors(ak).join('\n')).toMatch(/authorization_flow: This field may not be null/);
  });

  test('today: each blueprint applies the defaults it needs first (by path): one discovery, no error', () => {
    const ak = freshAuthentik();
    Object.assign(ak.env, ENV);
    ak.discover(mounted(current())); // ours first, Authentik's own last
    expect(errors(ak)).toEqual([]);
  });

  test('today, the documented wait: a file applied before the instances it depends on are registered', () => {
    const ak = freshAuthentik();
    Object.assign(ak.env, ENV);
    // Worst case: each file applied the moment it is discovered, ours before Authentik's own.
    const out = current();
    ak.discover(mounted(out), { eagerDiscovery: true });
    const waiting = errors(ak);
    expect(waiting.length).toBeGreaterThan(0);
    for (const e of waiting) expect(e).toMatch(/Required blueprint does not exist|authorization_flow: This field may not be null/);
    // Nothing of a failed file was applied (one transaction), and the next discovery clears it.
    expect(ak.find('authentik_core.user', { username: 'k8s-agent' })).toBeUndefined();
    ak.discover(mounted(out));
    expect(errors(ak)).toEqual([]);
  });
});

describe('4. rotating a secret never reached Authentik', () => {
  const secret = (ak: AuthentikModel) =>
    ak.find('authentik_providers_oauth2.oauth2provider', { client_id: 'argocd' })!.fields.client_secret;

  test('old output: new env, restarted pods, unchanged file: Authentik keeps the old client secret', () => {
    const ak = installed(legacyBase());
    ak.env.UA_OIDC_ARGOCD_CLIENT_SECRET = 'argocd-v2';
    ak.discover(legacyBase());
    expect(secret(ak)).toBe('argocd-v1');
  });

  test('today: the rotation marker changes exactly the blueprint that reads the secret, which re-reads !Env', () => {
    const before = buildBlueprints(derive(parseConfig(defaultInput())));
    const input = defaultInput();
    input.services[0].oidc!.clientSecretRotation = '2026-11-30';
    const after = buildBlueprints(derive(parseConfig(input)));
    const changed = after.filter((b, i) => JSON.stringify(b) !== JSON.stringify(before[i])).map((b) => b.name);
    expect(changed).toEqual(['unified-auth-oidc-providers-15']);
    input.services[6].agent!.appPasswordRotation = 'r2';
    const agent = buildBlueprints(derive(parseConfig(input)));
    expect(agent.filter((b, i) => JSON.stringify(b) !== JSON.stringify(after[i])).map((b) => b.name)).toEqual(['unified-auth-agent-auth']);

    const out = current();
    const ak = installed(mounted(out));
    ak.env.UA_OIDC_ARGOCD_CLIENT_SECRET = 'argocd-v2';
    current((c) => (c.services[0].oidc!.clientSecretRotation = '2026-11-30'), out);
    ak.discover(mounted(out));
    expect(secret(ak)).toBe('argocd-v2');
  });
});

describe('5. an application without allowedGroups was open to everyone by omission', () => {
  test('old output: Sympozium has no binding, so any authenticated user may open it', () => {
    const ak = installed(legacyBase());
    const nobody = ak.create('authentik_core.user', { username: 'someone', groups: [] });
    expect(ak.mayUse(String(nobody.fields.username), 'sympozium')).toBe(true);
  });

  test('today: leaving it unsaid is a config error that shows both choices', () => {
    const input = defaultInput();
    delete input.services[5].allowedGroups;
    expect(() => parseConfig(input)).toThrow(ConfigError);
    try {
      parseConfig(input);
    } catch (e) {
      expect((e as ConfigError).problems).toEqual([
        expect.stringMatching(/^services\[5\]\.allowedGroups: .*allowedGroups: \[root-admins\].*allowedGroups: any/),
      ]);
    }
  });
});

describe('6. entries grew as services × groups', () => {
  const entries = (files: Map<string, string>) =>
    [...files].filter(([p]) => p.startsWith('mounted/')).map(([, t]) => (t.match(/^ {2}- model: /gm) ?? []).length);
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

  test('old output: one absent binding per (application, managed group not allowed)', () => {
    const files = legacyBase();
    expect(sum(entries(files))).toBe(62);
    // 7 applications × 5 managed groups (root and its 4 children), minus the 6 allowed bindings
    // (Longhorn 2, Hubble 3, the agent 1): 29 tombstones, growing as services × groups.
    const absent = sum([...files].map(([, t]) => (t.match(/model: authentik_policies\.policybinding\n {4}state: absent/g) ?? []).length));
    expect(absent).toBe(7 * 5 - 6);
  });

  test('today: adding groups adds only group entries; adding services adds a constant per service', () => {
    const count = (services: number, groups: number) => {
      const input = defaultInput();
      input.groups = [...input.groups, ...Array.from({ length: groups }, (_x, i) => ({ name: `team-${i}` }))];
      for (let i = 0; i < services; i++) {
        input.services.push({
          slug: `svc-${i}`,
          name: `Service ${i}`,
          host: `svc-${i}.frank.derio.net`,
          allowedGroups: [`team-${i % groups}`],
          forwardAuth: { upstream: 'http://10.0.0.1:80' },
        });
      }
      return sum(buildBlueprints(derive(parseConfig(input))).map((b) => b.entries.length));
    };
    const base = count(10, 4);
    expect(count(10, 24) - base).toBe(20); // one group entry each, nothing per (service, group)
    // provider, handover guard (proxyEntries), application, policy, binding per service
    expect(count(30, 4) - base).toBe(20 * 5);
  });
});

describe('moving a blueprint file to another ConfigMap (size sharding)', () => {
  test('discovery fails while the old instance holds the name; the hourly cleanup clears it, then it converges', () => {
    const ak = installed(mounted(current()));
    const moved = new Map(
      [...mounted(current())].map(([p, t]) => [p.replace('cm-authentik-blueprint-oidc-providers-11/', 'cm-authentik-blueprints-1/'), t]),
    );
    expect(() => ak.discover(moved)).toThrow(/instance named "unified-auth-oidc-providers-11" already exists/);
    ak.clearFailedBlueprints(moved);
    ak.discover(moved);
    expect(errors(ak)).toEqual([]);
  });
});
