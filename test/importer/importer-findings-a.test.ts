// Issue 24, findings 1, 4, 5 and 10, replayed through the importer model on each supported minor:
// each test names the Authentik source that decides it and fails on the output before the fix.
// (Finding 2, Kubernetes name limits, is test/names/kubernetes-names.test.ts plus CI's rendered-name check.)
import fs from 'node:fs';
import path from 'node:path';
import {
  AUTHENTIK_OWN_BLUEPRINTS,
  PROXY_DEFAULT_MAPPINGS,
  RESERVED_APPLICATION_SLUGS,
  freshAuthentik,
  type AuthentikModel,
  type Obj,
} from '../support/authentik-importer';
import { errors, mounted, synth, tmpDir } from '../support/lifecycle';
import { synthNew } from '../support/shared-synth';
import { ROOT, defaultInput, loadYamlFile } from '../support/helpers';
import { SUPPORTED_MINORS, reservedSlugsOf } from '../../lib/upstream/authentik-versions';
import { readBlueprints } from '../../lib/previous/blueprints';
import { authentikChanges } from '../../lib/guards/authentik-changes';

const LEGACY = path.join(ROOT, 'test/fixtures/legacy-output');
type Input = ReturnType<typeof defaultInput>;
/** The same cluster on each supported minor: the default config (2026.2) and the CI minor fixtures. */
const MINORS: Array<[AuthentikModel['minor'], () => Input]> = [
  ['2026.2', defaultInput],
  ['2026.5', () => loadYamlFile(path.join(ROOT, 'test/fixtures/authentik-2026.5.yaml')) as Input],
  ['2026.8', () => loadYamlFile(path.join(ROOT, 'test/fixtures/authentik-2026.8.yaml')) as Input],
];
const ENV = {
  UA_OIDC_ARGOCD_CLIENT_SECRET: 'argocd-v1',
  UA_OIDC_GRAFANA_CLIENT_SECRET: 'grafana-v1',
  UA_OIDC_INFISICAL_CLIENT_SECRET: 'infisical-v1',
  UA_AGENT_K8S_AGENT_APP_PASSWORD: 'agent-v1',
};

function output(
  input: Input,
  mutate: (c: Input) => void = () => {},
  out = path.join(tmpDir('findings-a'), 'dist'),
  baseline?: string,
): string {
  mutate(input);
  expect(baseline ? synth(input, out, ['--baseline', baseline]) : synthNew(input, out)).toEqual([]);
  return out;
}
/** A new Authentik running `minor` (the importer model knows which models each minor has). */
const fresh = (minor: AuthentikModel['minor'] = '2026.2'): AuthentikModel => Object.assign(freshAuthentik(), { env: { ...ENV }, minor });
/** An Authentik whose own blueprints were applied long ago, running `files`. */
function installed(files: Map<string, string>, minor?: AuthentikModel['minor']): AuthentikModel {
  const ak = fresh(minor);
  ak.discover(new Map(AUTHENTIK_OWN_BLUEPRINTS));
  ak.discover(files);
  expect(errors(ak)).toEqual([]);
  return ak;
}
const service = (c: Input, slug: string) => c.services.find((s) => s.slug === slug)!;
const userIn = (ak: AuthentikModel, group: string) =>
  ak.create('authentik_core.user', { username: `in-${group}`, groups: [ak.find('authentik_core.group', { name: group })!.pk] });

describe('finding 1: reserved application slugs (core/api/applications.py ApplicationSerializer.validate_slug, core/models.py Application.reserved_slugs)', () => {
  test.each(SUPPORTED_MINORS)('the oracle’s list is the product’s list for %s', (minor) => {
    expect([...reservedSlugsOf(minor)].sort()).toEqual([...RESERVED_APPLICATION_SLUGS].sort());
  });

  test('the importer model: one reserved slug rolls back the whole shared forward-auth file, so no other forward-auth change arrives', () => {
    const out = output(defaultInput());
    const ak = installed(mounted(out));
    output(defaultInput(), (c) => (service(c, 'hubble').allowedGroups = ['root-admins', 'root-developers']), out);
    // What synth wrote before the fix for longhorn renamed to `token`: the same file, that slug.
    const files = new Map(
      [...mounted(out)].map(([p, t]) => [p, p.endsWith('/proxy-providers.yaml') ? t.replace(/slug: longhorn$/m, 'slug: token') : t]),
    );
    ak.discover(files);
    expect(errors(ak)).toEqual([expect.stringMatching(/proxy-providers\.yaml: .*The slug 'token' is reserved/)]);
    // The narrowing of Hubble, in the same file, never arrived.
    expect(ak.mayUse(String(userIn(ak, 'root-devops').fields.username), 'hubble')).toBe(true);
  });

  test.each(MINORS)('%s: synth refuses it with one line naming the path, and writes nothing', (minor, input) => {
    const out = output(input());
    const before = fs.readFileSync(path.join(out, '.unified-auth.sha256'), 'utf8');
    const bad = input();
    service(bad, 'longhorn').slug = 'token';
    const i = bad.services.findIndex((s) => s.slug === 'token');
    expect(synth(bad, out)).toEqual([expect.stringContaining(`services[${i}].slug: "token" is reserved by Authentik ${minor}`)]);
    expect(fs.readFileSync(path.join(out, '.unified-auth.sha256'), 'utf8')).toBe(before);
  });
});

/** Every object of Authentik's own blueprints (flows, scope mappings), as it is now. */
const defaults = (ak: AuthentikModel): Obj[] =>
  structuredClone(ak.objects.filter((o) => o.model === 'authentik_flows.flow' || o.model === 'authentik_providers_oauth2.scopemapping'));

describe('finding 4: no generated blueprint re-imposes a default object (blueprints/v1/meta/apply_blueprint.py ApplyBlueprintMetaSerializer.create re-imports the whole file; importer.py _validate_single skips an entry whose conditions fail, before anything else)', () => {
  test.each(MINORS)('%s: a fresh install with ours discovered and applied first converges in one discovery', (minor, input) => {
    const ak = fresh(minor);
    ak.discover(mounted(output(input())));
    expect(errors(ak)).toEqual([]);
    for (const p of ak.all('authentik_providers_oauth2.oauth2provider')) expect(p.fields.authorization_flow).toEqual(expect.any(Number));
  });

  test.each(MINORS)(
    '%s: after an operator edits default flows and mappings, later changes of every generated file leave them as edited',
    (minor, input) => {
      const out = output(input());
      const ak = installed(mounted(out), minor);
      ak.find('authentik_flows.flow', { slug: 'default-authentication-flow' })!.fields.name = 'Sign in to frank';
      ak.find('authentik_providers_oauth2.scopemapping', { managed: 'goauthentik.io/providers/oauth2/scope-profile' })!.fields.scope_name =
        'profile-edited';
      const edited = defaults(ak);
      // A config change, and every generated file changed (re-applied) besides.
      output(input(), (c) => (service(c, 'hubble').allowedGroups = ['root-admins', 'root-developers']), out);
      for (const i of ak.instances) if (i.path.startsWith('mounted/')) delete i.lastAppliedHash;
      ak.discover(mounted(out));
      expect(errors(ak)).toEqual([]);
      expect(ak.applies.filter((a) => a.path.startsWith('mounted/')).length).toBeGreaterThan(5);
      expect(defaults(ak)).toEqual(edited);
    },
  );
});

/** `items` in a shuffled order, the same for the same seed (a small LCG: no dependency, no Math.random). */
function shuffled<T>(items: T[], seed: number): T[] {
  const out = [...items];
  let x = seed;
  for (let i = out.length - 1; i > 0; i--) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    const j = x % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

describe('findings 4 and 5 on a fresh install, in any order of file application (blueprints/v1/tasks.py blueprints_discovery registers every file, then applies them)', () => {
  test('24 seeded orders of our files and Authentik’s: one discovery converges, every proxy provider has its five mappings, the defaults are the stand-ins’', () => {
    const files = [...mounted(output(defaultInput()))];
    const standIns = (() => {
      const ak = fresh();
      ak.discover(new Map(AUTHENTIK_OWN_BLUEPRINTS));
      return defaults(ak).map(({ model, fields }) => ({ model, fields }));
    })();
    for (let seed = 1; seed <= 24; seed++) {
      const ak = fresh();
      ak.discover(new Map(shuffled(files, seed)));
      expect({ seed, errors: errors(ak) }).toEqual({ seed, errors: [] });
      const want = PROXY_DEFAULT_MAPPINGS.map((managed) => ak.find('authentik_providers_oauth2.scopemapping', { managed })!.pk);
      for (const p of ak.all('authentik_providers_proxy.proxyprovider'))
        expect(p.fields.property_mappings).toEqual(expect.arrayContaining(want));
      // Each default object exactly once, as its own blueprint made it.
      expect(defaults(ak).map(({ model, fields }) => ({ model, fields }))).toEqual(expect.arrayContaining(standIns));
      expect(defaults(ak)).toHaveLength(standIns.length);
    }
  });
});

describe('finding 5: forward-auth providers get their scope mappings on a fresh install (providers/proxy/models.py ProxyProvider.set_oauth_defaults adds only mappings that exist)', () => {
  const mappingsOf = (ak: AuthentikModel) =>
    PROXY_DEFAULT_MAPPINGS.map((managed) => ak.find('authentik_providers_oauth2.scopemapping', { managed })?.pk);

  test.each(MINORS)(
    '%s: the forward-auth file applied before Authentik’s system blueprints still gives every proxy provider all five',
    (minor, input) => {
      const ak = fresh(minor);
      // Discovery registers every file, then applies ours first (mounted() lists them first).
      ak.discover(mounted(output(input())));
      expect(errors(ak)).toEqual([]);
      const want = mappingsOf(ak);
      expect(want).not.toContain(undefined);
      const providers = ak.all('authentik_providers_proxy.proxyprovider');
      expect(providers.length).toBeGreaterThan(0);
      for (const p of providers) expect(p.fields.property_mappings).toEqual(expect.arrayContaining(want));
    },
  );

  test.each(MINORS)(
    '%s: applied before the system instances even exist, the file fails and is retried, never applied without them',
    (minor, input) => {
      const out = output(input());
      const ak = fresh(minor);
      const proxy = [...mounted(out)].filter(([p]) => p.endsWith('/proxy-providers.yaml'));
      ak.discover(new Map([...mounted(out)].filter(([p]) => p.startsWith('default/')).concat(proxy)));
      expect(ak.all('authentik_providers_proxy.proxyprovider')).toEqual([]);
      expect(errors(ak)).toEqual([expect.stringMatching(/proxy-providers\.yaml: .*property_mappings/)]);
      ak.discover(mounted(out));
      expect(errors(ak)).toEqual([]);
      for (const p of ak.all('authentik_providers_proxy.proxyprovider'))
        expect(p.fields.property_mappings).toEqual(expect.arrayContaining(mappingsOf(ak)));
    },
  );
});

describe('finding 10: legacy group-binding tombstones do not depend on order (blueprints/v1/importer.py Importer.__query_from_identifier ANDs every identifier)', () => {
  test('a binding of the old output that an operator re-ordered by hand is deleted, and access is what ACCESS.md says', () => {
    const ak = installed(mounted(path.join(LEGACY, 'base')));
    const devops = ak.find('authentik_core.group', { name: 'root-devops' })!.pk;
    const longhorn = ak.find('authentik_core.application', { slug: 'longhorn' })!.pk;
    const binding = ak.find('authentik_policies.policybinding', { group: devops, target: longhorn })!;
    binding.fields.order = 17;
    // The old output (written before the manifest) is the baseline the new one replaces.
    const out = path.join(tmpDir('findings-a-10'), 'dist');
    // Longhorn narrowed to admins: root-devops must lose it, with or without the old binding's order.
    output(defaultInput(), (c) => (service(c, 'longhorn').allowedGroups = ['root-admins']), out, path.join(LEGACY, 'base'));
    ak.discover(mounted(out));
    expect(errors(ak)).toEqual([]);
    expect(ak.objects).not.toContainEqual(binding);
    const groupBindings = ak.all('authentik_policies.policybinding').filter((b) => b.fields.target === longhorn && b.fields.group);
    expect(groupBindings).toEqual([]);
    expect(ak.mayUse(String(userIn(ak, 'root-admins').fields.username), 'longhorn')).toBe(true);
  });

  test('npm run plan from an output whose tombstones still named the order: the same deletions, not new ones', () => {
    const out = path.join(tmpDir('findings-a-10-plan'), 'dist');
    output(defaultInput(), () => {}, out, path.join(LEGACY, 'base'));
    const after = readBlueprints(out);
    expect(after.flatMap((b) => b.entries).filter((e) => e.state === 'absent').length).toBeGreaterThan(0);
    // The same output as the release before this fix wrote it: each legacy tombstone with an order.
    const before = after.map((b) => ({
      ...b,
      entries: b.entries.map((e) => (e.state === 'absent' ? { ...e, identifiers: { ...(e.identifiers as object), order: 0 } } : e)),
    }));
    const changes = authentikChanges(before, after);
    expect([...changes.deleted, ...changes.replaced]).toEqual([]);
  });
});
