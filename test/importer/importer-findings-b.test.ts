// Issue 24, part B, replayed in the importer model (test/support/authentik-importer.ts) with real
// synth output: an application moving between providers (finding 3), OIDC services moving into
// their shard files, an upgrade across minors (finding 6) and adoption with identities that do not
// match the live ones (finding 8). Every change is applied in every order of the files it touches.
import path from 'node:path';
import { freshAuthentik, AUTHENTIK_OWN_BLUEPRINTS, type AuthentikModel } from '../support/authentik-importer';
import { errors, mounted, synth, tmpDir } from '../support/lifecycle';
// A synth into a new directory copies the suite's first synth of that config (test/support/shared-synth.ts).
import { synthNew } from '../support/shared-synth';
import { confidentialApps, derive } from '../../lib/model/derive';
import { parseConfig } from '../../lib/rules/validate';
import { readBlueprints, blueprintsInTree } from '../../lib/previous/blueprints';
import { buildBlueprints, renderBlueprint } from '../../lib/blueprints/build';
import { providerBlueprint } from '../../lib/model/identity';
import { authentikChanges } from '../../lib/guards/authentik-changes';
import { defaultInput } from '../support/helpers';
import { readTree } from '../../lib/readback/tree';
import { plan } from '../../lib/plan';
import { formatPlan } from '../../lib/plan/format';

type Input = ReturnType<typeof defaultInput>;
const OAUTH2 = 'authentik_providers_oauth2.oauth2provider';
const PROXY = 'authentik_providers_proxy.proxyprovider';
const APP = 'authentik_core.application';

/** The worker's env for a config: one value per secret its blueprints read. */
function envOf(input: Input): Record<string, string> {
  const m = derive(parseConfig(input));
  return Object.fromEntries([
    ...confidentialApps(m).map((a) => [a.clientSecret.envVar, `${a.slug}-secret`]),
    ...m.agents.map((a) => [a.tokenSecret.envVar, `${a.slug}-password`]),
  ]);
}

/** Every order of `xs` (the files one change touches are few). */
function permutations<T>(xs: T[]): T[][] {
  if (xs.length <= 1) return [xs];
  return xs.flatMap((x, i) => permutations([...xs.slice(0, i), ...xs.slice(i + 1)]).map((p) => [x, ...p]));
}

/** Authentik running the output in `out` (its own default blueprints applied long before). */
function running(out: string, env: Record<string, string>, minor: AuthentikModel['minor'] = '2026.2'): AuthentikModel {
  const ak = freshAuthentik();
  ak.minor = minor;
  Object.assign(ak.env, env);
  ak.discover(new Map(AUTHENTIK_OWN_BLUEPRINTS));
  ak.discover(mounted(out));
  expect(errors(ak)).toEqual([]);
  return ak;
}

/** The files of `next` whose text differs from `prev` (what the worker re-applies), by mount path. */
function changed(prev: Map<string, string>, next: Map<string, string>): string[] {
  return [...next].filter(([p, t]) => prev.get(p) !== t).map(([p]) => p);
}

/**
 * From `before` to `after` in every order of the changed files: the worker applies them one by one,
 * then one more discovery (what a restarted worker does at startup). Returns, per order, every
 * failed apply on the way and Authentik at the end.
 */
function everyOrder(before: Input, after: Input): Array<{ order: string[]; firstPass: string[]; ak: AuthentikModel }> {
  const dir = tmpDir('findings-b');
  const out = path.join(dir, 'dist');
  expect(synthNew(before, out)).toEqual([]);
  const prev = mounted(out);
  expect(synth(after, out)).toEqual([]);
  const next = mounted(out);
  const touched = changed(prev, next);
  expect(touched.length).toBeLessThanOrEqual(6);
  return permutations(touched).map((order) => {
    const ak = freshAuthentik();
    Object.assign(ak.env, envOf(before));
    ak.discover(new Map(AUTHENTIK_OWN_BLUEPRINTS));
    ak.discover(prev);
    expect(errors(ak)).toEqual([]);
    Object.assign(ak.env, envOf(after));
    const applied = ak.applies.length;
    // One file at a time, as the worker's tasks may run them.
    for (const p of order) ak.discover(new Map([[p, next.get(p)!]]));
    const firstPass = ak.applies
      .slice(applied)
      .filter((a) => !a.ok)
      .map((a) => `${a.path}: ${errors(ak).join('; ')}`);
    ak.discover(next);
    return { order, firstPass, ak };
  });
}

const providerOf = (ak: AuthentikModel, slug: string) => {
  const app = ak.find(APP, { slug });
  return app ? ak.objects.find((o) => o.pk === app.fields.provider) : undefined;
};

const withOidc = (input: Input) => {
  input.services.find((s) => s.slug === 'longhorn')!.oidc = { consumer: 'generic', callbackPath: '/oauth2/callback' };
};

// core/models.py Application.provider (OneToOneField) and Provider.name (unique), the same at the
// 2026.2, 2026.5 and 2026.8 sources; blueprints/v1/importer.py Importer.apply: one transaction per file.
describe('3. an application moving between providers, in any order of the files', () => {
  test('adding oidc to forward-auth longhorn: applies cleanly in every order, each application on its own provider', () => {
    const before = defaultInput();
    const after = defaultInput();
    withOidc(after);
    const runs = everyOrder(before, after);
    for (const r of runs) {
      // Without ordering, proxy-providers.yaml gave longhorn-forward-auth the proxy provider longhorn
      // still held while provider-longhorn.yaml moved longhorn: one of the orders failed.
      expect({ order: r.order, errors: r.firstPass }).toEqual({ order: r.order, errors: [] });
      expect(providerOf(r.ak, 'longhorn')?.model).toBe(OAUTH2);
      expect(providerOf(r.ak, 'longhorn-forward-auth')?.fields.name).toBe('longhorn forward auth');
    }
  });

  test('removing oidc again: longhorn takes its proxy provider back in the same file, in every order', () => {
    const before = defaultInput();
    withOidc(before);
    const after = defaultInput();
    // The OAuth2 provider and the forward-auth application's policy are the operator's to retire.
    after.retiredObjects = [
      { model: OAUTH2, identifiers: { client_id: 'longhorn' } },
      { model: 'authentik_policies_expression.expressionpolicy', identifiers: { name: 'unified-auth access longhorn-forward-auth' } },
    ];
    const runs = everyOrder(before, after);
    for (const r of runs) {
      expect({ order: r.order, errors: r.firstPass }).toEqual({ order: r.order, errors: [] });
      expect(providerOf(r.ak, 'longhorn')?.model).toBe(PROXY);
      expect(r.ak.find(APP, { slug: 'longhorn-forward-auth' })).toBeUndefined();
      expect(r.ak.find(OAUTH2, { client_id: 'longhorn' })).toBeUndefined();
    }
  });

  test('adding forward auth to OIDC grafana: its application moves from its shard to the forward-auth file, in every order', () => {
    const after = defaultInput();
    after.services.find((s) => s.slug === 'grafana')!.forwardAuth = { upstream: 'http://10.0.0.9:80' };
    for (const r of everyOrder(defaultInput(), after)) {
      expect({ order: r.order, errors: r.firstPass }).toEqual({ order: r.order, errors: [] });
      expect(providerOf(r.ak, 'grafana')?.fields.client_id).toBe('grafana');
      expect(providerOf(r.ak, 'grafana-forward-auth')?.model).toBe(PROXY);
    }
  });

  test('a new OIDC service in an existing shard: the old worker, without its secret yet, fails that shard; the restarted worker applies it', () => {
    const out = path.join(tmpDir('shard-add'), 'dist');
    const before = defaultInput();
    expect(synthNew(before, out)).toEqual([]);
    const ak = running(out, envOf(before));
    const after = defaultInput();
    // harbor hashes into grafana's shard (oidc-providers-11).
    after.services.push({
      slug: 'harbor',
      name: 'Harbor',
      host: 'harbor.frank.derio.net',
      allowedGroups: 'any',
      oidc: { consumer: 'generic', callbackPath: '/c/oidc/callback' },
    });
    expect(synth(after, out)).toEqual([]);
    // The kubelet updates the mounted shard in place; the old pods' env has no UA_OIDC_HARBOR_CLIENT_SECRET.
    ak.discover(mounted(out));
    expect(errors(ak)).toEqual([expect.stringMatching(/oidc-providers-11\.yaml: .*client_secret: This field may not be null/)]);
    expect(ak.find(APP, { slug: 'harbor' })).toBeUndefined();
    // The secretKeyRef changed the worker Deployment: the new pods have it, and discover at startup.
    Object.assign(ak.env, envOf(after));
    ak.discover(mounted(out));
    expect(errors(ak)).toEqual([]);
    expect(providerOf(ak, 'harbor')?.fields.client_secret).toBe('harbor-secret');
  });

  test('OIDC services moving from provider-<slug> files into their shards: same objects, in every order', () => {
    // The layout before sharding, rebuilt: each OIDC app in a file of its own.
    const m = derive(parseConfig(defaultInput()));
    const perService = buildBlueprints({ ...m, oidcApps: m.oidcApps.map((a) => ({ ...a, blueprint: providerBlueprint(a.slug) })) });
    const old = new Map<string, string>(AUTHENTIK_OWN_BLUEPRINTS);
    for (const bp of perService) old.set(`mounted/cm-${bp.configMapName}/${bp.fileName}`, renderBlueprint(bp));
    expect([...old.keys()].filter((p) => p.includes('provider-argocd'))).toHaveLength(1);
    const out = path.join(tmpDir('shard-move'), 'dist');
    expect(synthNew(defaultInput(), out)).toEqual([]);
    const now = mounted(out);
    const shards = [...now.keys()].filter((p) => p.includes('oidc-providers-'));
    expect(shards.map((p) => path.basename(p)).sort()).toEqual([
      'oidc-providers-11.yaml',
      'oidc-providers-15.yaml',
      'oidc-providers-5.yaml',
    ]);
    for (const order of permutations(shards)) {
      const ak = freshAuthentik();
      Object.assign(ak.env, envOf(defaultInput()));
      ak.discover(old);
      expect(errors(ak)).toEqual([]);
      const objects = JSON.stringify(ak.objects);
      // The new worker mounts only the shards; the old files are gone with their ConfigMaps.
      for (const p of order) ak.discover(new Map([[p, now.get(p)!]]));
      expect(errors(ak)).toEqual([]);
      expect(JSON.stringify(ak.objects)).toBe(objects);
    }
  });
});

// blueprints/v1/tasks.py check_blueprint_v1_file: a file is applied when its sha512 differs from the
// last applied hash, and apply_blueprint records the hash only on success; blueprints/apps.py: the
// discovery also runs at worker startup (send_on_startup). Same at the 2026.2, 2026.5 and 2026.8 sources.
describe('6. an upgrade across minors: the fields of the new minor reach Authentik with no hand step', () => {
  test('2026.2 -> 2026.5, the old worker applying the new files first: every OAuth2 provider ends with its grant_types', () => {
    const out = path.join(tmpDir('upgrade'), 'dist');
    const old = defaultInput();
    expect(synthNew(old, out)).toEqual([]);
    const ak = running(out, envOf(old), '2026.2');
    const upgraded = defaultInput();
    upgraded.authentik.chart!.version = '2026.5.6';
    expect(synth(upgraded, out)).toEqual([]);
    // The chart and the ConfigMaps change in one sync; kubelet updates the old worker's files first.
    ak.discover(mounted(out));
    // The old worker refuses every file with a field of 2026.5 (importer.py _apply_models: a model
    // it does not have fails the file), so it records no hash ...
    expect(errors(ak).length).toBeGreaterThan(0);
    for (const e of errors(ak)) expect(e).toMatch(/App or Model does not exist/);
    expect(ak.all(OAUTH2).some((p) => p.fields.grant_types !== undefined)).toBe(false);
    // ... and the upgraded worker applies them at its startup discovery.
    ak.minor = '2026.5';
    ak.discover(mounted(out));
    expect(errors(ak)).toEqual([]);
    for (const p of ak.all(OAUTH2)) expect(p.fields.grant_types).toEqual(expect.arrayContaining([expect.any(String)]));
    expect(ak.find(OAUTH2, { client_id: 'k8s-agent' })?.fields.grant_types).toEqual(['client_credentials']);
  });

  test('the gate is in the files of 2026.5 and later only, and never in the plan as a change', () => {
    const at = (version: string) => {
      const input = defaultInput();
      input.authentik.chart!.version = version;
      const out = path.join(tmpDir('gate'), 'dist');
      expect(synthNew(input, out)).toEqual([]);
      return readBlueprints(out);
    };
    const gated = (bps: ReturnType<typeof readBlueprints>) =>
      bps.filter((b) => b.entries.some((e) => e.model === 'authentik_stages_account_lockdown.accountlockdownstage')).map((b) => b.key);
    expect(gated(at('2026.2.3'))).toEqual([]);
    const five = at('2026.5.6');
    expect(gated(five).sort()).toEqual(
      ['agent-auth.yaml', 'oidc-providers-11.yaml', 'oidc-providers-15.yaml', 'oidc-providers-5.yaml', 'provider-kubernetes.yaml'].sort(),
    );
    expect(authentikChanges(at('2026.2.3'), five).deleted).toEqual([]);
    // The plan says what to expect during the rollout.
    const tree = (version: string) => {
      const input = defaultInput();
      input.authentik.chart!.version = version;
      const out = path.join(tmpDir('gate-plan'), 'dist');
      expect(synthNew(input, out)).toEqual([]);
      return readTree(out);
    };
    expect(plan(tree('2026.2.3'), tree('2026.5.6')).firstInstall).toEqual([expect.stringMatching(/^new Authentik minor: .*no hand step/)]);
    expect(gated(at('2026.8.0')).length).toBe(5);
  });
});

describe('8. adoption with identities that differ from the live ones', () => {
  /** A live hand-written layer: "Grafana OIDC" under client_id grafana-live. */
  const live = (): Map<string, string> => {
    const dir = path.join(tmpDir('live'), 'dist');
    expect(synthNew(defaultInput(), dir)).toEqual([]);
    const files = mounted(dir);
    for (const [p, t] of files)
      if (p.includes('oidc-providers-11')) files.set(p, t.replace('client_id: grafana', 'client_id: grafana-live'));
    return files;
  };

  test('Provider.name is unique across provider types (core/models.py): the blueprint fails, it does not duplicate', () => {
    const ak = freshAuthentik();
    Object.assign(ak.env, envOf(defaultInput()));
    ak.discover(new Map(AUTHENTIK_OWN_BLUEPRINTS));
    ak.discover(live());
    expect(errors(ak)).toEqual([]);
    const out = path.join(tmpDir('adopt'), 'dist');
    expect(synthNew(defaultInput(), out)).toEqual([]);
    const next = mounted(out);
    ak.discover(new Map([...next].map(([p, t]) => [p, t.replace(/^# .*\n/, '# re-read\n')])));
    expect(errors(ak)).toEqual([
      expect.stringMatching(/oidc-providers-11\.yaml: .*name: must be unique \(core\/models\.py Provider\.name/),
    ]);
    expect(ak.all(OAUTH2).filter((p) => p.fields.name === 'Grafana OIDC')).toHaveLength(1);
  });

  test('a live application of another slug holding the provider (Application.provider is one-to-one): the plan names it', () => {
    const dir = path.join(tmpDir('live-slug'), 'dist');
    expect(synthNew(defaultInput(), dir)).toEqual([]);
    const live = new Map(
      [...readTree(dir)].map(([p, t]) => [p, p.includes('oidc-providers-11') ? t.replace('slug: grafana\n', 'slug: grafana-old\n') : t]),
    );
    const conflicts = authentikChanges(blueprintsInTree(live), readBlueprints(dir)).conflicts;
    expect(conflicts).toEqual([
      expect.stringMatching(
        /^oidc-providers-11\.yaml entry \d+ \(authentik_core\.application slug=grafana\): its provider oauth2provider\(client_id=grafana\) is held by the live application slug=grafana-old .*services\[\]\.oidc\.application/,
      ),
    ]);
    // Moves this tool orders itself (oidc added beside forward auth, and removed again) are no conflict.
    const dual = defaultInput();
    dual.services.find((x) => x.slug === 'longhorn')!.oidc = { consumer: 'generic', callbackPath: '/oauth2/callback' };
    const dualDir = path.join(tmpDir('dual'), 'dist');
    expect(synthNew(dual, dualDir)).toEqual([]);
    expect(authentikChanges(readBlueprints(dir), readBlueprints(dualDir)).conflicts).toEqual([]);
    expect(authentikChanges(readBlueprints(dualDir), readBlueprints(dir)).conflicts).toEqual([]);
  });

  test('the plan names the file and entry that would fail, and what to set', () => {
    const dir = path.join(tmpDir('live-plan'), 'dist');
    expect(synthNew(defaultInput(), dir)).toEqual([]);
    const before = blueprintsInTree(
      new Map(
        [...readTree(dir)].map(([p, t]) => [
          p,
          p.includes('oidc-providers-11') ? t.replace('client_id: grafana', 'client_id: grafana-live') : t,
        ]),
      ),
    );
    const after = readBlueprints(dir);
    expect(authentikChanges(before, after).conflicts).toEqual([
      expect.stringMatching(
        /^oidc-providers-11\.yaml entry \d+ \(authentik_providers_oauth2\.oauth2provider client_id=grafana\): name "Grafana OIDC" is the live authentik_providers_oauth2\.oauth2provider client_id=grafana-live's .*services\[\]\.oidc\.clientId/,
      ),
    ]);
  });
});

// providers/oauth2/views/token.py: TokenParams.__post_init_refresh runs no PolicyEngine (only the
// client-credentials paths call __check_policy_access) and create_refresh_response issues a new
// refresh token, revoking the old; a refresh token is issued only for offline_access. The same at
// the 2026.2 and 2026.5 branch points and at 2026.8.0-rc1.
describe('7. narrowing is not retroactive: the plan and ACCESS.md say for how long, and how to end it', () => {
  const tree = (mutate: (c: Input) => void = () => {}) => {
    const input = defaultInput();
    mutate(input);
    const out = path.join(tmpDir('narrow'), 'dist');
    expect(synthNew(input, out)).toEqual([]);
    return readTree(out);
  };

  test('the plan of a narrowing names each narrowed service, how long its sessions last, and the step that ends them', () => {
    const narrowedTree = tree((c) => {
      c.services.find((s) => s.slug === 'hubble')!.allowedGroups = ['root-admins', 'root-developers'];
      c.services.find((s) => s.slug === 'grafana')!.allowedGroups = ['root-admins'];
    });
    const p = plan(tree(), narrowedTree);
    expect(p.sessions).toEqual([
      expect.stringMatching(/^grafana: .*up to days=30 after each token refresh .*Sessions tab.*OAuth Refresh Tokens tab/),
      expect.stringMatching(/^hubble: .*up to hours=24 after sign-in \(the outpost session\); .*Sessions tab/),
    ]);
    expect(formatPlan(p, 'text', 't')).toContain('Existing sessions after this narrowing (not ended by the change):');
    // Widening says nothing of sessions.
    expect(plan(narrowedTree, tree()).sessions).toEqual([]);
  });

  test('ACCESS.md lists what each service keeps after a narrowing, from the values the blueprints set', () => {
    const access = tree().get('docs/ACCESS.md')!;
    expect(access).toContain('## After a narrowing: existing sessions');
    expect(access).toContain('| Kubernetes | hours=12 after each token refresh | sessions and OAuth refresh tokens |');
    expect(access).toContain('| Hubble | hours=24 after sign-in (outpost session) | sessions |');
  });
});

// blueprints/apps.py: blueprints_discovery runs at startup and hourly; importer.py (2026.8.0-rc1,
// PR #22599) _save_with_retry retries an entry once on an integrity error, 2026.2 and 2026.5 do not.
describe('9. a first install: the plan says what to expect', () => {
  test('with no blueprint in the baseline the plan says that files may fail until the next discovery, within the hour', () => {
    const out = path.join(tmpDir('first'), 'dist');
    expect(synthNew(defaultInput(), out)).toEqual([]);
    const p = plan(new Map(), readTree(out));
    expect(p.firstInstall).toEqual([expect.stringMatching(/next blueprint discovery .*within an hour .*ak apply_blueprint/)]);
    expect(plan(readTree(out), readTree(out)).firstInstall).toEqual([]);
  });
});
