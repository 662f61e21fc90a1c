// The second sync, and every one after: a config's life (install, add, narrow, widen, reorder,
// retire, remove, retire a group, rename, rotate) run through synth and the importer model in
// test/support/authentik-importer.ts. After each step: no blueprint in error, Authentik's
// decisions equal ACCESS.md, and the objects that are not the project's are untouched.
import path from 'node:path';
import { confidentialApps, derive } from '../../lib/model/derive';
import { parseConfig } from '../../lib/rules/validate';
import { AUTHENTIK_OWN_BLUEPRINTS, freshAuthentik } from '../support/authentik-importer';
import {
  accessMismatches,
  errors,
  mounted,
  replayConcurrentPairs,
  replayEveryOrder,
  seedForeignObjects,
  synth,
  tmpDir,
} from '../support/lifecycle';
import { ROOT, defaultInput } from '../support/helpers';
import { importLayer } from '../../lib/import/cli';
import { readImportDirs } from '../../lib/import/read';

type Input = ReturnType<typeof defaultInput>;
const out = path.join(tmpDir('lifecycle'), 'dist');
const ak = freshAuthentik();
const foreign = seedForeignObjects(ak);
const foreignBefore = foreign();
const config: Input = defaultInput();
const svc = (slug: string) => config.services.find((s) => s.slug === slug)!;

/** The worker's env: one value per secret the blueprints read, as the pods' secretKeyRefs give it. */
function startPods(version: Record<string, string> = {}): void {
  const m = derive(parseConfig(config));
  for (const a of confidentialApps(m)) ak.env[a.clientSecret.envVar] = `${a.slug}-secret-${version[a.slug] ?? 'v1'}`;
  for (const a of m.agents) ak.env[a.tokenSecret.envVar] = `${a.slug}-password-${version[a.slug] ?? 'v1'}`;
}

/**
 * Synth the current config over the previous output, let the worker discover it, and check
 * everything. The files the change touches apply in any order (one task each): every order is
 * replayed first and must converge to the same database (lifecycle.ts replayEveryOrder).
 */
function step(): string[] {
  expect(synth(config, out)).toEqual([]);
  const before = ak.applies.length;
  const files = mounted(out);
  expect(replayEveryOrder(ak, files).problems).toEqual([]);
  // Two tasks at once, converged by the next discovery at the latest. The importer differs only
  // from 2026.8 on (docs/authentik-importer.md), so 2026.5 stands for 2026.2 too.
  for (const minor of ['2026.5', '2026.8'] as const) {
    ak.minor = minor;
    const { problems, waited } = replayConcurrentPairs(ak, files);
    expect(problems).toEqual([]);
    waits[minor] = waited;
  }
  ak.discover(files);
  expect(errors(ak)).toEqual([]);
  // The policy engine combines bindings differently on 2026.2 (docs/authentik-importer.md, rule 24).
  for (const minor of MINORS) {
    ak.minor = minor;
    expect(accessMismatches(ak, out, config.services)).toEqual([]);
  }
  expect(foreign()).toEqual(foreignBefore);
  return ak.applies.slice(before).map((a) => a.path);
}

const MINORS = ['2026.2', '2026.5', '2026.8'] as const;
/** Per minor, how many replayed pairs of concurrent tasks in the last step left a file for the next discovery. */
const waits: Record<string, number> = {};

const clientSecret = (clientId: string) =>
  ak.find('authentik_providers_oauth2.oauth2provider', { client_id: clientId })?.fields.client_secret;

test('fresh install: every blueprint applies in one discovery, even with ours discovered before Authentik’s defaults', () => {
  startPods();
  const applied = step();
  // groups, three OIDC apps, the kubectl client, forward auth, agents.
  expect(applied.filter((p) => p.startsWith('mounted/'))).toHaveLength(7);
  expect(ak.find('authentik_core.application', { slug: 'longhorn' })?.fields.policy_engine_mode).toBe('all');
  expect(clientSecret('argocd')).toBe('argocd-secret-v1');
  // Two provider files at once both create the default flows: on 2026.2 and 2026.5 one of them
  // waits for the next discovery; 2026.8 retries the insert (importer.py Importer._save_with_retry).
  expect(waits['2026.5']).toBeGreaterThan(0);
  expect(waits['2026.8']).toBe(0);
  // Nothing changed: the next discovery applies nothing.
  ak.discover(mounted(out));
  expect(ak.applies.at(-1)).toEqual({ path: applied.at(-1), ok: true });
  expect(step()).toEqual([]);
});

test('add a service', () => {
  config.services.push({
    slug: 'gitea',
    name: 'Gitea',
    host: 'git.frank.derio.net',
    allowedGroups: ['root-developers'],
    oidc: { consumer: 'generic', callbackPath: '/user/oauth2/authentik/callback' },
  });
  startPods();
  expect(step()).toEqual(['mounted/cm-authentik-blueprint-oidc-providers-1/oidc-providers-1.yaml']);
  expect(ak.mayUse('member-of-root-developers', 'gitea')).toBe(true);
  expect(ak.mayUse('member-of-root-devops', 'gitea')).toBe(false);
});

test('narrow allowedGroups (Hubble loses root-devops): only the proxy blueprint re-applies', () => {
  svc('hubble').allowedGroups = ['root-admins', 'root-developers'];
  expect(step()).toEqual(['mounted/cm-authentik-blueprint-proxy-providers/proxy-providers.yaml']);
  expect(ak.mayUse('member-of-root-devops', 'hubble')).toBe(false);
});

test('widen allowedGroups (Longhorn gains root-developers)', () => {
  svc('longhorn').allowedGroups = ['root-admins', 'root-devops', 'root-developers'];
  step();
  expect(ak.mayUse('member-of-root-developers', 'longhorn')).toBe(true);
});

test('reorder groups', () => {
  svc('longhorn').allowedGroups = ['root-developers', 'root-admins', 'root-devops'];
  config.groups.reverse();
  step();
});

test('open a service on purpose, then close it again', () => {
  svc('sympozium').allowedGroups = 'any';
  step();
  expect(ak.mayUse('member-of-root-agents', 'sympozium')).toBe(true);
  svc('sympozium').allowedGroups = ['root-admins'];
  step();
  expect(ak.mayUse('member-of-root-agents', 'sympozium')).toBe(false);
});

test('retire a service, then remove it', () => {
  svc('longhorn').retired = true;
  step();
  expect(ak.find('authentik_core.application', { slug: 'longhorn' })).toBeUndefined();
  expect(ak.find('authentik_policies_expression.expressionpolicy', { name: 'unified-auth access longhorn' })).toBeUndefined();
  expect(ak.all('authentik_policies.policybinding').filter((b) => b.fields.target === undefined)).toEqual([]);
  config.services = config.services.filter((s) => s.slug !== 'longhorn');
  step();
});

test('retire a group (after taking it out of every allowedGroups)', () => {
  for (const s of config.services) {
    if (!Array.isArray(s.allowedGroups)) continue;
    const rest = s.allowedGroups.filter((g) => g !== 'root-developers');
    s.allowedGroups = rest.length ? rest : ['root-admins'];
  }
  config.groups.find((g) => g.name === 'root-developers')!.retired = true;
  step();
  expect(ak.find('authentik_core.group', { name: 'root-developers' })).toBeUndefined();
});

test('rename a display name', () => {
  svc('hubble').name = 'Hubble UI';
  step();
  expect(ak.find('authentik_core.application', { slug: 'hubble' })?.fields.name).toBe('Hubble UI');
});

test('rotate a secret: new env alone changes nothing; the marker re-applies exactly the blueprint that reads it', () => {
  // The Secret is updated and the pods restarted: the env is new, the blueprint text is not.
  startPods({ argocd: 'v2' });
  expect(step()).toEqual([]);
  expect(clientSecret('argocd')).toBe('argocd-secret-v1');
  svc('argocd').oidc!.clientSecretRotation = '2026-11-30';
  expect(step()).toEqual(['mounted/cm-authentik-blueprint-oidc-providers-15/oidc-providers-15.yaml']);
  expect(clientSecret('argocd')).toBe('argocd-secret-v2');
  // The agent's app password: its marker re-applies the agents blueprint only.
  startPods({ argocd: 'v2', 'k8s-agent': 'v2' });
  svc('k8s-agent').agent!.appPasswordRotation = '1';
  expect(step()).toEqual(['mounted/cm-authentik-blueprint-agent-auth/agent-auth.yaml']);
  expect(ak.find('authentik_core.token', { identifier: 'k8s-agent-app-password' })?.fields.key).toBe('k8s-agent-password-v2');
});

test('upgrade from the output before access policies: legacy group bindings go, access stays as ACCESS.md says', () => {
  const legacyOut = path.join(tmpDir('upgrade'), 'dist');
  const old = freshAuthentik();
  const own = seedForeignObjects(old);
  const ownBefore = own();
  startPods();
  // What the cluster runs today: the old output (test/fixtures/legacy-output/base, default config),
  // installed when Authentik's own blueprints had long been applied.
  Object.assign(old.env, ak.env);
  old.discover(new Map(AUTHENTIK_OWN_BLUEPRINTS));
  old.discover(mounted(path.join(ROOT, 'test/fixtures/legacy-output/base')));
  expect(errors(old)).toEqual([]);
  // Synth with that output as the baseline (it has no manifest: the upgrade path of
  // docs/output.md#what-synth-may-replace): its group bindings are read back and tombstoned.
  const input = defaultInput();
  input.services.find((s) => s.slug === 'sympozium')!.allowedGroups = 'any'; // as the seed had it
  expect(synth(input, legacyOut, ['--baseline', path.join(ROOT, 'test/fixtures/legacy-output/base')])).toEqual([]);
  expect(replayEveryOrder(old, mounted(legacyOut)).problems).toEqual([]);
  old.discover(mounted(legacyOut));
  expect(errors(old)).toEqual([]);
  expect(old.all('authentik_policies.policybinding').filter((b) => b.fields.group && !own().some((o) => o.pk === b.pk))).toEqual([]);
  for (const minor of MINORS) {
    old.minor = minor;
    expect(accessMismatches(old, legacyOut, input.services)).toEqual([]);
  }
  expect(own()).toEqual(ownBefore);
  // The second sync keeps the tombstones (carried forward) and changes nothing.
  expect(synth(input, legacyOut)).toEqual([]);
  const n = old.applies.length;
  old.discover(mounted(legacyOut));
  expect(old.applies.length).toBe(n);
});

test('more forward-auth services than one blueprint file holds: split files and the outpost converge in one discovery', () => {
  const big = defaultInput();
  for (let i = 0; i < 200; i++) {
    big.services.push({
      slug: `svc-${i}`,
      name: `Service ${i}`,
      host: `svc-${i}.frank.derio.net`,
      allowedGroups: i % 2 ? ['root-devops'] : 'any',
      forwardAuth: { upstream: 'http://10.0.0.1:80' },
    });
  }
  const dir = path.join(tmpDir('lifecycle-big'), 'dist');
  expect(synth(big, dir)).toEqual([]);
  const files = mounted(dir);
  expect([...files.keys()].filter((p) => /proxy-providers-\d+\.yaml$/.test(p))).toHaveLength(2);
  const fresh = freshAuthentik();
  Object.assign(fresh.env, ak.env);
  fresh.discover(files);
  expect(errors(fresh)).toEqual([]);
  const outpost = fresh.find('authentik_outposts.outpost', { managed: 'goauthentik.io/outposts/embedded' })!;
  expect((outpost.fields.providers as number[]).length).toBe(203);
  expect((outpost.fields.providers as number[]).every((pk) => typeof pk === 'number')).toBe(true);
  expect(accessMismatches(fresh, dir, big.services)).toEqual([]);
});

test('adopt a hand-written layer (npm run import): the imported output applies over the live one in every order', () => {
  const FIXTURE = path.join(ROOT, 'test/fixtures/hand-written-layer');
  // The live cluster: Authentik running the hand-written layer for a while (two discoveries: its
  // agent file finds a group that its groups file creates, with no meta-apply between them).
  const live = new Map(readImportDirs([FIXTURE]).blueprints.map((b) => [`mounted/cm-${b.configMap}/${b.key}`, b.text]));
  const adopted = freshAuthentik();
  adopted.env.GRAFANA_OIDC_SECRET = 'grafana-live';
  adopted.discover(new Map(AUTHENTIK_OWN_BLUEPRINTS));
  adopted.discover(live);
  adopted.discover(live);
  expect(errors(adopted)).toEqual([]);
  // The imported draft, synthesized with the layer as baseline (docs/adopting.md).
  const { draft } = importLayer([FIXTURE], 'cluster.yaml');
  const dist = path.join(tmpDir('adopt'), 'dist');
  expect(synth(draft.config, dist, ['--baseline', FIXTURE])).toEqual([]);
  const m = derive(parseConfig(draft.config));
  for (const a of confidentialApps(m)) adopted.env[a.clientSecret.envVar] ??= `${a.slug}-secret`;
  for (const a of m.agents) adopted.env[a.tokenSecret.envVar] = `${a.slug}-password`;
  const files = mounted(dist);
  expect(replayEveryOrder(adopted, files).problems).toEqual([]);
  adopted.discover(files);
  expect(errors(adopted)).toEqual([]);
  for (const minor of MINORS) {
    adopted.minor = minor;
    expect(accessMismatches(adopted, dist, (draft.config as Input).services)).toEqual([]);
  }
});
