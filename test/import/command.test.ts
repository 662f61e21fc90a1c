// `npm run import`: a hand-written auth layer (test/fixtures/hand-written-layer) becomes a draft
// config that reproduces its live identities; bad input is one line, exit 1, nothing written.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import yaml from 'js-yaml';
import { importLayer, importMain, verifyDraft } from '../../lib/import/cli';
import { main } from '../../main';
import { planMain } from '../../lib/plan/cli';
import { plan } from '../../lib/plan/index';
import { render } from '../../lib/output/render';
import { runChecks } from '../../lib/checks';
import { checkOrphans, previouslyCreatedIn } from '../../lib/guards/orphans';
import { parseConfig } from '../../lib/rules/validate';
import { readTree } from '../../lib/readback/tree';
import { blueprintsInTree } from '../../lib/previous/blueprints';
import { previouslyCreated } from '../../lib/guards/orphans';
import { MODEL } from '../../lib/upstream/authentik-models';
import { validateBlueprint } from '../../lib/upstream/api-schema';
import { legacyBindingsIn } from '../../lib/previous/legacy-bindings';
import { Find, KeyOf } from '../../lib/upstream/blueprint-tags';
import { authentikChanges } from '../../lib/guards/authentik-changes';
import type { BlueprintEntry } from '../../lib/upstream/blueprint-types';
import { ROOT, defaultInput } from '../support/helpers';

const FIXTURE = path.join(ROOT, 'test/fixtures/hand-written-layer');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ua-import-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** A directory with these files (relative path → text). */
function layerDir(name: string, files: Record<string, string>): string {
  const dir = path.join(tmp, name);
  for (const [f, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    fs.writeFileSync(path.join(dir, f), text);
  }
  return dir;
}

const BLUEPRINT = `version: 1
metadata:
  name: lab-wiki
entries:
  - model: authentik_providers_oauth2.oauth2provider
    id: p
    identifiers:
      client_id: wiki
    attrs:
      name: Wiki
      authorization_flow: !Find [authentik_flows.flow, [slug, default-provider-authorization-implicit-consent]]
      invalidation_flow: !Find [authentik_flows.flow, [slug, default-provider-invalidation-flow]]
      redirect_uris:
        - matching_mode: strict
          url: https://wiki.lab.example.org/oauth2/callback
  - model: authentik_core.application
    identifiers:
      slug: wiki
    attrs:
      name: Wiki
      provider: !KeyOf p
`;

describe('import: the draft of the hand-written layer', () => {
  const { draft } = importLayer([FIXTURE], 'cluster.yaml');
  const c = draft.config as any;
  const svc = (slug: string) => c.services.find((s: any) => s.slug === slug);

  test('every application of the layer is a service, with its provider name, slug and blueprint', () => {
    expect(c.services).toHaveLength(19);
    expect(c.services.filter((s: any) => s.oidc)).toHaveLength(4);
    expect(c.services.filter((s: any) => s.forwardAuth)).toHaveLength(15);
    expect(c.services.filter((s: any) => s.agent)).toHaveLength(1);
    // People groups have ClusterRoleBindings: a kubectl client their tokens can come from is added.
    expect(svc('kubernetes')).toEqual({
      slug: 'kubernetes',
      name: 'Kubernetes',
      allowedGroups: ['root-admins', 'root-devops', 'root-developers'],
      kubectl: {},
    });
    expect(c.talos.apiServerAuth).toBe('structured');
    expect(svc('longhorn').forwardAuth.providerName).toBe('Longhorn UI (cluster)');
    expect(svc('longhorn').allowedGroups).toEqual(['root-admins', 'root-devops']);
    expect(svc('ntfy').allowedGroups).toEqual(['root-admins', 'root-devops']); // bindings that !Find their application
    expect(svc('sympozium').allowedGroups).toBe('any'); // no binding: open today, and kept so
    // In the shared file (the one with the outpost): no blueprint of its own.
    expect(svc('longhorn').forwardAuth.blueprint).toBeUndefined();
    expect(svc('grafana').forwardAuth.blueprint).toEqual({
      name: 'frank-proxy-grafana',
      configMapName: 'authentik-blueprints-proxy-extra',
      fileName: 'proxy-grafana.yaml',
    });
    // One ConfigMap per blueprint: the kustomize ConfigMap keeps its first file, the others move.
    expect(svc('minio').forwardAuth.blueprint).toBeUndefined();
    expect(draft.notes.filter((n) => n.includes('shares ConfigMap authentik-blueprints-proxy-extra'))).toHaveLength(4);
    expect(svc('argocd').oidc.blueprint).toEqual({
      name: 'frank-argocd',
      configMapName: 'authentik-blueprints-argocd',
      fileName: 'argocd.yaml',
    });
    expect(c.authentik.blueprints).toEqual({
      agents: { name: 'frank-agent-auth', configMapName: 'authentik-blueprints-agent-auth', fileName: 'agent-auth.yaml' },
      retired: { name: 'frank-legacy-cleanup', configMapName: 'authentik-blueprints-legacy', fileName: 'legacy.yaml' },
      groups: { name: 'frank-groups', configMapName: 'authentik-blueprints-groups', fileName: 'groups.yaml' },
      outpost: { name: 'frank-proxy-providers', configMapName: 'authentik-blueprints-proxy', fileName: 'proxy-providers.yaml' },
    });
  });

  test('OIDC shapes: the extra dex callback, an http:// IP callback, generated secrets, OIDC plus forward auth on one host', () => {
    expect(svc('argocd').oidc).toMatchObject({
      consumer: 'argocd',
      providerName: 'ArgoCD',
      redirectUris: [{ url: 'https://argocd.frank.derio.net/api/dex/callback', matching: 'strict' }],
      secretMode: 'existingSecret',
      clientSecret: { namespace: 'argocd', name: 'argocd-oidc', key: 'client_secret' },
      offlineAccess: true,
    });
    expect(svc('gitea').oidc).toMatchObject({
      consumer: 'generic',
      callbackUrl: 'http://192.168.55.220:3000/user/oauth2/authentik/callback',
    });
    expect(svc('gitea').host).toBe('gitea.frank.derio.net'); // guessed: it is reached at an IP today
    expect(svc('grafana').oidc).toMatchObject({ consumer: 'grafana', secretMode: 'managed', offlineAccess: false });
    expect(svc('grafana').forwardAuth).toMatchObject({
      providerName: 'Grafana (cluster)',
      application: { slug: 'grafana-proxy', name: 'Grafana (forward auth)' },
    });
    expect(svc('infisical').forwardAuth.application.slug).toBe('infisical-proxy');
    // Forward auth runs first: who reaches Infisical today is who both applications admit.
    expect(svc('infisical').allowedGroups).toEqual(['root-admins', 'root-devops']);
  });

  test('groups with their ClusterRoleBindings and ArgoCD roles; the agent; the tombstones, applications first', () => {
    expect(c.groups).toEqual([
      {
        name: 'root-admins',
        superuser: true,
        kubernetes: 'cluster-admin',
        clusterRoleBindingName: 'oidc-root-admins',
        argocd: 'role:admin',
      },
      { name: 'root-devops', kubernetes: 'admin', clusterRoleBindingName: 'oidc-root-devops', argocd: 'role:admin' },
      { name: 'root-developers', kubernetes: 'view', clusterRoleBindingName: 'oidc-root-developers', argocd: 'role:readonly' },
      { name: 'root-agents', members: 'agents', kubernetes: 'cluster-admin', clusterRoleBindingName: 'oidc-root-agents' },
    ]);
    expect(c.groupParent).toBeUndefined(); // root, the default
    expect(svc('k8s-agent').agent).toEqual({ group: 'root-agents', accessTokenValidity: 'hours=8' });
    expect(c.retiredObjects).toHaveLength(8);
    expect(c.retiredObjects.slice(0, 4).every((o: any) => o.model === MODEL.application)).toBe(true);
    expect(c.retiredObjects[4]).toEqual({ model: MODEL.proxyProvider, identifiers: { name: 'Longhorn' } });
  });

  test('values files, the outpost, the LB and the Secrets come from the layer', () => {
    expect(c.authentik).toMatchObject({
      url: 'https://auth.frank.derio.net',
      chart: { version: '2026.2.3' },
      loadBalancer: { ip: '192.168.55.211' },
      secret: { name: 'authentik-secrets', secretKey: 'AUTHENTIK_SECRET_KEY', bootstrapPassword: 'AUTHENTIK_BOOTSTRAP_PASSWORD' },
      outpost: { manageProviders: false },
      existingRelease: true,
      valueFiles: ['apps/authentik/values.yaml'],
    });
    expect(c.argocd).toMatchObject({
      project: 'infrastructure',
      existingRelease: true,
      valueFiles: ['apps/argocd/values.yaml'],
      defaultRole: 'role:readonly',
    });
    expect(c.git.repoURL).toBe('https://github.com/derio-net/frank.git');
  });

  test('one printed line per thing the config cannot say, naming file and entry; nothing is dropped silently', () => {
    expect(draft.notes.filter((n) => n.includes('not represented by the config'))).toEqual([]);
    const grafanaSecret = draft.notes.find((n) => n.includes('GRAFANA_OIDC_SECRET'));
    expect(grafanaSecret).toMatch(
      /^\/.*\/test\/fixtures\/hand-written-layer\/apps\/authentik-extras\/blueprints-provider-grafana\.yaml \(ConfigMap authentik-blueprints-grafana, key grafana\.yaml\) entry 1 \(authentik_providers_oauth2\.oauth2provider name=Grafana\): client_secret is read from !Env/,
    );
    expect(draft.notes.some((n) => /blueprints-proxy-providers\.yaml .*outpost.*lists no providers/.test(n))).toBe(true);
    expect(draft.notes.filter((n) => n.includes('upstream of'))).toHaveLength(15);
    // The generated Authentik values own global.env: an operator entry there would be lost.
    expect(draft.notes).toContainEqual(
      expect.stringMatching(/apps\/authentik\/values\.yaml: global\.env GRAFANA_OIDC_SECRET: the generated values own global\.env/),
    );
    expect(draft.notes.some((n) => /proxy-infisical\.yaml entry 2 .*"infisical-proxy" admits root-admins, root-devops/.test(n))).toBe(true);
  });

  test('the written draft is the same data, with review comments', () => {
    const { text } = importLayer([FIXTURE], 'cluster.yaml');
    expect(yaml.load(text)).toEqual(JSON.parse(JSON.stringify(c)));
    expect(text).toMatch(
      /# REVIEW: placeholder; the edge route is not in the layer: set the backend address\n\s+upstream: http:\/\/upstream\.invalid:80/,
    );
    expect(text).toContain('npm run plan -- --config cluster.yaml --baseline');
  });
});

describe("import: this tool's own output, read back", () => {
  test('every service comes back with its slug, name, host, kind and allowedGroups; nothing unrepresented', () => {
    const dist = path.join(ROOT, 'dist');
    const { draft } = importLayer([path.join(dist, 'authentik-extras'), path.join(dist, 'apps')], 'cluster.yaml');
    const kind = (s: any) => ['oidc', 'forwardAuth', 'agent', 'kubectl'].filter((k) => s[k]).join('+');
    const summary = (s: any) => ({ slug: s.slug, name: s.name, host: s.host, kind: kind(s), allowedGroups: s.allowedGroups ?? 'any' });
    const frank = defaultInput().services.map(summary);
    expect([...(draft.config.services as any[])].map(summary).sort((a, b) => a.slug.localeCompare(b.slug))).toEqual(
      frank.sort((a, b) => a.slug.localeCompare(b.slug)),
    );
    expect(draft.notes.filter((n) => n.includes('not represented by the config') || n.includes('tombstone'))).toEqual([]);
  });
});

describe('a hand-written layer as a baseline', () => {
  test('the blueprint reader finds ConfigMaps and the raw files a kustomization packs, under their ConfigMap', () => {
    const bps = blueprintsInTree(readTree(FIXTURE));
    expect(bps).toHaveLength(13);
    expect(bps.find((b) => b.name === 'frank-proxy-minio')).toMatchObject({
      configMap: 'authentik-blueprints-proxy-extra',
      key: 'proxy-minio.yaml',
    });
    expect(bps.find((b) => b.name === 'frank-argocd')).toMatchObject({ configMap: 'authentik-blueprints-argocd', key: 'argocd.yaml' });
  });

  test('every direct group binding is found for the migration to access policies, however it finds its application', () => {
    const bindings = legacyBindingsIn(blueprintsInTree(readTree(FIXTURE)));
    expect(bindings).toHaveLength(29);
    expect(bindings.filter((b) => b.slug === 'ntfy')).toEqual([
      { slug: 'ntfy', group: 'root-admins' },
      { slug: 'ntfy', group: 'root-devops' },
    ]);
    expect(bindings.filter((b) => b.slug === 'gitea').map((b) => b.group)).toEqual(['root-admins', 'root-developers', 'root-devops']);
  });

  test('plan: a tombstone deletes a binding written with its identifiers in another order', () => {
    const bp = (entries: Array<Record<string, unknown>>) => ({
      file: 'f',
      configMap: 'c',
      key: 'k',
      text: '',
      name: 'n',
      labels: {},
      entries,
    });
    const app = { model: MODEL.application, id: 'app', identifiers: { slug: 'wiki' }, attrs: { name: 'Wiki' } };
    const group = new Find(MODEL.group, ['name', 'lab']);
    const before = bp([app, { model: MODEL.policyBinding, identifiers: { target: new KeyOf('app'), group }, attrs: { order: 0 } }]);
    const after = bp([app, { model: MODEL.policyBinding, state: 'absent', identifiers: { group, target: new KeyOf('app'), order: 0 } }]);
    const changes = authentikChanges([before], [after]);
    expect(changes.deleted.map((d) => d.identity)).toEqual(['group=group(name=lab), target=application(slug=wiki), order=0']);
    expect(changes.abandoned).toEqual([]);
  });

  test('the orphan guard tracks a provider found by name by the client_id it sets', () => {
    const keys = previouslyCreated(FIXTURE).map((o) => `${o.model} ${o.key}`);
    expect(keys).toEqual(
      expect.arrayContaining([
        `${MODEL.oauth2Provider} argocd`,
        `${MODEL.proxyProvider} Longhorn UI (cluster)`,
        `${MODEL.application} grafana-proxy`,
        `${MODEL.user} k8s-agent`,
        `${MODEL.group} root`,
      ]),
    );
    // Tombstones create nothing.
    expect(keys).not.toContain(`${MODEL.application} longhorn-ui`);
  });
});

describe('npm run import: the command', () => {
  let errors: string[];
  let logs: string[];
  beforeEach(() => {
    errors = [];
    logs = [];
    jest.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void errors.push(a.join(' ')));
    jest.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void logs.push(a.join(' ')));
  });
  afterEach(() => jest.restoreAllMocks());

  const refused = (argv: string[], message: RegExp, out?: string) => {
    expect(importMain(argv)).toBe(1);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(message);
    if (out) expect(fs.existsSync(out)).toBe(false);
  };

  test('writes the draft and prints its lines; an existing --out only with --force', () => {
    const out = path.join(tmp, 'cli', 'cluster.yaml');
    const code = importMain(['--from', FIXTURE, '--out', out]);
    expect(fs.readFileSync(out, 'utf8')).toBe(importLayer([FIXTURE], out).text);
    expect(logs.filter((l) => l.startsWith('not represented: '))).toHaveLength(importLayer([FIXTURE], out).draft.notes.length);
    expect(logs.at(-1)).toMatch(/^wrote .*cluster\.yaml: 19 services, 4 groups, 8 retired objects/);
    expect(code).toBe(0);
    errors = [];
    fs.writeFileSync(out, 'mine\n');
    refused(
      ['--from', FIXTURE, '--out', out],
      /^import error: --out .*cluster\.yaml: exists; refusing to replace it \(add --force to overwrite\)$/,
    );
    expect(fs.readFileSync(out, 'utf8')).toBe('mine\n');
    errors = [];
    importMain(['--from', FIXTURE, '--out', out, '--force']);
    expect(fs.readFileSync(out, 'utf8')).not.toBe('mine\n');
  });

  test('a draft written into the imported directory is not read back on the next run', () => {
    const dir = layerDir('draft-inside', { 'wiki.yaml': BLUEPRINT });
    const out = path.join(dir, 'cluster.yaml');
    importMain(['--from', dir, '--out', out, '--authentik-version', '2026.2.3']);
    errors = [];
    logs = [];
    importMain(['--from', dir, '--out', out, '--force', '--authentik-version', '2026.2.3']);
    expect(errors.filter((e) => e.includes('not a blueprint'))).toEqual([]);
    expect(logs.at(-1)).toMatch(/^wrote .*: 1 services/);
  });

  test('missing --from or --out', () => {
    refused(['--out', path.join(tmp, 'x.yaml')], /^usage error: --from <dir> is required/, path.join(tmp, 'x.yaml'));
    errors = [];
    refused(['--from', FIXTURE], /^usage error: --out <cluster\.yaml> is required/);
    errors = [];
    refused(
      ['--from', path.join(tmp, 'nope'), '--out', path.join(tmp, 'y.yaml')],
      /^import error: --from .*nope: no such directory$/,
      path.join(tmp, 'y.yaml'),
    );
  });

  test('YAML that is not a blueprint, a Kubernetes object or a values file', () => {
    const dir = layerDir('not-a-blueprint', { 'wiki.yaml': BLUEPRINT, 'notes.yaml': 'todo:\n  - rotate the grafana secret\n' });
    const out = path.join(tmp, 'z.yaml');
    refused(['--from', dir, '--out', out], /^import error: .*not-a-blueprint\/notes\.yaml: document 1 is YAML but not a blueprint/, out);
  });

  test("a live blueprint that Authentik's API refuses today is a printed line, not a refusal", () => {
    const dir = layerDir('api-problem', {
      'wiki.yaml': BLUEPRINT.replace('      name: Wiki\n', '      name: Wiki\n      client_typo: confidential\n'),
    });
    const { draft } = importLayer([dir], path.join(tmp, 'api.yaml'), { authentikVersion: '2026.2.3' });
    expect(draft.notes).toContainEqual(
      expect.stringMatching(/wiki\.yaml: .*client_typo.*\(against Authentik 2026\.2's API: it fails or is dropped on the cluster today\)$/),
    );
  });

  test('a directory without any blueprint', () => {
    const dir = layerDir('no-blueprints', { 'values.yaml': 'configs:\n  cm: {}\n' });
    refused(
      ['--from', dir, '--out', path.join(tmp, 'n.yaml')],
      /^import error: no blueprint found in .*no-blueprints: give the directories/,
      path.join(tmp, 'n.yaml'),
    );
  });

  test('YAML that does not parse (left out; here nothing else is left)', () => {
    const dir = layerDir('broken', { 'wiki.yaml': 'version: 1\nentries: [\n' });
    refused(
      ['--from', dir, '--out', path.join(tmp, 'b.yaml')],
      /^import error: no blueprint found in .*broken \(.*broken\/wiki\.yaml does not parse: .*\): give the directories/,
      path.join(tmp, 'b.yaml'),
    );
  });
  // Blueprints older than 2026.x are converted, or refused when ambiguous: test/import/convert.test.ts.
});

describe('verifyDraft: the draft synthesized against the layer it came from', () => {
  test('a config against its own output: nothing to report', () => {
    expect(verifyDraft(parseConfig(defaultInput()), readTree(path.join(ROOT, 'dist')))).toEqual([]);
  });

  test('a config that drops a service: the orphans and what the plan leaves behind, by name', () => {
    const input = defaultInput();
    input.services = input.services.filter((s) => s.slug !== 'hubble');
    const findings = verifyDraft(parseConfig(input), readTree(path.join(ROOT, 'dist')));
    expect(findings).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^orphan: proxy provider "hubble forward auth"/),
        expect.stringMatching(/^orphan: application "hubble"/),
        expect.stringMatching(/^plan leaves authentik_core\.application slug=hubble unmanaged/),
      ]),
    );
  });
});

describe('the fixture is a 2026.x layer', () => {
  test.each(['2026.2', '2026.5', '2026.8'])("every entry of every blueprint passes Authentik %s's API contract", (minor) => {
    const problems = blueprintsInTree(readTree(FIXTURE)).flatMap((bp) =>
      validateBlueprint(
        { name: bp.name, configMapName: bp.configMap, fileName: bp.key, entries: bp.entries as unknown as BlueprintEntry[] },
        minor,
      ),
    );
    expect(problems).toEqual([]);
  });

  test('the same check refuses the pre-2026 group parent', () => {
    const groups = blueprintsInTree(readTree(FIXTURE)).find((b) => b.name === 'frank-groups')!;
    const entries = groups.entries.map((e) => ({ ...e })) as unknown as BlueprintEntry[];
    entries[1] = { ...entries[1], attrs: { parent: 'root' } };
    expect(validateBlueprint({ name: groups.name, configMapName: groups.configMap, fileName: groups.key, entries }, '2026.2')).toEqual([
      expect.stringMatching(/parent/),
    ]);
  });
});

describe('adopting the hand-written layer (acceptance): import, synth with it as --baseline, plan', () => {
  const dir = path.join(tmp, 'adopt');
  const config = path.join(dir, 'cluster.yaml');
  const { draft } = importLayer([FIXTURE], config);
  const before = readTree(FIXTURE);
  const previous = blueprintsInTree(before);
  const result = render(parseConfig(draft.config), { legacyBindings: legacyBindingsIn(previous) });
  const p = plan(before, new Map(result.files.map((f) => [f.path, f.text])));

  test('npm run import: the draft validates, and synthesized against the layer it reports nothing (exit 0)', () => {
    const { problems, findings } = importLayer([FIXTURE], config);
    expect(problems).toEqual([]);
    expect(findings).toEqual([]);
    const logs: string[] = [];
    jest.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void logs.push(a.join(' ')));
    jest.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void logs.push(`error: ${a.join(' ')}`));
    try {
      expect(importMain(['--from', FIXTURE, '--out', path.join(tmp, 'accepted.yaml')])).toBe(0);
    } finally {
      jest.restoreAllMocks();
    }
    expect(logs.filter((l) => l.startsWith('error:') || l.startsWith('draft config error') || l.startsWith('adopting the draft'))).toEqual(
      [],
    );
  });

  test('synth with the layer as the baseline: every check passes, no orphan findings', () => {
    expect(() => runChecks(result)).not.toThrow();
    expect(checkOrphans(previouslyCreatedIn(FIXTURE, previous), result)).toEqual([]);
    expect(verifyDraft(parseConfig(draft.config), before)).toEqual([]);
  });

  test('plan: no deletions (the direct group bindings are taken over by access policies admitting the same groups); nothing abandoned, removed or moved', () => {
    expect(p.authentik.deleted).toEqual([]);
    expect(p.authentik.replaced.length).toBe(29);
    for (const d of p.authentik.replaced) {
      expect(d.model).toBe(MODEL.policyBinding);
      // By group and application only: a binding re-ordered by hand goes too (lib/previous/legacy-bindings.ts).
      expect(d.identity).toMatch(/^group=group\(name=[\w-]+\), target=application\(slug=[\w-]+\)$/);
      expect(d.by).toMatch(/^the access policy of [\w-]+, which admits [\w-]+$/);
    }
    expect(p.authentik.abandoned).toEqual([]);
    expect(p.kubernetes.removed).toEqual([]);
    expect(p.authentik.moved).toEqual([]);
    // Every live application, provider and group is updated in place, none created anew.
    const created = p.authentik.created.map((c) => `${c.model} ${c.identity}`);
    for (const kept of [
      `${MODEL.oauth2Provider} client_id=argocd`,
      `${MODEL.proxyProvider} name=Longhorn UI (cluster)`,
      `${MODEL.application} slug=grafana-proxy`,
      `${MODEL.group} name=root-admins`,
    ])
      expect(created).not.toContain(kept);
  });

  test('plan in plain words: who may use each host stays; the OIDC applications behind forward auth narrow to it; people get a kubectl client', () => {
    expect([...p.access].sort()).toEqual([
      'grafana (Grafana) is no longer open to every authenticated user: only root-admins, root-devops, root-developers',
      'infisical (Infisical) is no longer open to every authenticated user: only root-admins, root-devops',
      'kubernetes (Kubernetes) is new: open to root-admins, root-devops, root-developers',
    ]);
  });

  test('through the commands: npm run synth -- --baseline <layer> and npm run plan -- --baseline <layer> exit 0', () => {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(config, yaml.dump(draft.config));
    const errors: string[] = [];
    jest.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void errors.push(a.join(' ')));
    jest.spyOn(console, 'log').mockImplementation(() => {});
    const out: string[] = [];
    jest.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => (out.push(String(s)), true));
    try {
      expect(main(['--config', config, '--baseline', FIXTURE, '--out', path.join(dir, 'dist')])).toBe(0);
      expect(planMain(['--config', config, '--baseline', FIXTURE])).toBe(0);
    } finally {
      jest.restoreAllMocks();
    }
    expect(errors).toEqual([]);
    // The plan's sections, by their header lines ("Authentik objects:", "Kubernetes objects:", ...).
    const sections = new Map<string, string[]>();
    let current = '';
    for (const l of out.join('').split('\n')) {
      if (/^\S.*:$/.test(l)) sections.set((current = l), []);
      else sections.get(current)?.push(l);
    }
    const authentikLines = sections.get('Authentik objects:') ?? [];
    // No deletion; the 29 group bindings are shown as taken over by access policies (access unchanged).
    expect(authentikLines.filter((l) => /^\s+- /.test(l))).toEqual([]);
    const replaced = authentikLines.filter((l) => /^\s+> /.test(l));
    expect(replaced).toHaveLength(29);
    expect(replaced.every((l) => l.includes('authentik_policies.policybinding group=') && l.endsWith('(access unchanged)'))).toBe(true);
    expect(authentikLines.filter((l) => /^\s+! /.test(l))).toEqual([]);
    expect((sections.get('Kubernetes objects:') ?? []).filter((l) => /^\s+- /.test(l))).toEqual([]);
  });
});
