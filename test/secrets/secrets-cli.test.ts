// secrets.mode external-secrets through the real CLI (main.ts synth, lib/plan/cli.ts plan), as an
// operator runs it: the config file edited in place, its state file beside it, the previous output
// in --out. Bad input is one line, exit 1, the output byte for byte as it was; a rotation is one
// counter whose plan names every restart and whose written output carries every step of it
// (docs/secrets.md#rotation). ESO's behaviour comes from test/support/eso-harness.ts (cited there).
import fs from 'node:fs';
import path from 'node:path';
import { main } from '../../main';
import { planMain } from '../../lib/plan/cli';
import { readTree } from '../../lib/readback/tree';
import { RESTART_ANNOTATION } from '../../lib/model/derivers/secrets';
import { EsoHarness } from '../support/eso-harness';
import { ROOT, loadYamlFile, snapshotTree } from '../support/helpers';
import { tmpDir } from '../support/lifecycle';
import yaml from 'js-yaml';

type Doc = Record<string, any>;
const fixture = (): Doc => structuredClone(loadYamlFile(path.join(ROOT, 'test/fixtures/external-secrets.yaml')) as Doc);
const withSecrets = (over: Doc): Doc => {
  const c = fixture();
  c.secrets = { ...c.secrets, ...over };
  return c;
};

/** One operator's checkout: a repository (a .git is all lib/pipeline/git-path.ts looks for) with the config, rewritten in place, its state file beside it, and dist/ (the fixture's git.path). */
function checkout() {
  const dir = tmpDir('secrets-cli');
  fs.mkdirSync(path.join(dir, '.git'));
  const config = path.join(dir, 'cluster.json');
  const out = path.join(dir, 'dist');
  const capture = <T>(fn: () => T) => {
    const stdout: string[] = [];
    const stderr: string[] = [];
    const w = jest.spyOn(process.stdout, 'write').mockImplementation((s) => stdout.push(String(s)) > 0);
    const l = jest.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void stdout.push(a.map(String).join(' ')));
    const e = jest.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void stderr.push(a.map(String).join(' ')));
    try {
      return { code: fn(), stdout: stdout.join('\n'), stderr };
    } finally {
      w.mockRestore();
      l.mockRestore();
      e.mockRestore();
    }
  };
  const write = (c: Doc) => fs.writeFileSync(config, JSON.stringify(c));
  return {
    out,
    synth: (c: Doc) => (write(c), capture(() => main(['--config', config, '--out', out]))),
    plan: (c: Doc) => (write(c), capture(() => planMain(['--config', config, '--baseline', out]))),
    state: () => fs.readFileSync(path.join(dir, 'cluster.state.json'), 'utf8'),
    cleanup: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

/** Exit 1, exactly one line (no newline, no stack trace) matching `line`, output and state file unchanged. */
function expectRefused(run: () => { code: unknown; stderr: string[] }, out: string, state: () => string, line: RegExp) {
  const before = snapshotTree(out);
  const stateBefore = state();
  const r = run();
  expect(r.code).toBe(1);
  expect(r.stderr).toHaveLength(1);
  expect(r.stderr[0]).toMatch(line);
  expect(r.stderr[0]).not.toMatch(/\n|^\s+at |Error: /);
  expect(snapshotTree(out)).toEqual(before);
  expect(state()).toBe(stateBefore);
}

describe('bad input through the CLI: one line, exit 1, nothing written', () => {
  let co: ReturnType<typeof checkout>;
  beforeEach(() => {
    co = checkout();
  });
  afterEach(() => co.cleanup());

  test('a consumer namespace for which secrets.consumerNamespaces grants ESO no Role', () => {
    expect(co.synth(fixture()).code).toBe(0);
    expectRefused(
      () => co.synth(withSecrets({ consumerNamespaces: ['argocd', 'infisical', 'wiki'] })),
      co.out,
      co.state,
      /^config error: \S*cluster\.json:\d+:\d+: services\[1\]\.oidc: .*namespace monitoring, for which secrets\.consumerNamespaces grants ESO no Role; add monitoring there$/,
    );
  });

  test('a rotation counter going backwards against the recorded state (synth and plan)', () => {
    expect(co.synth(withSecrets({ rotate: { grafana: 2 } })).code).toBe(0);
    expect(JSON.parse(co.state()).secrets.generations.grafana_client_secret).toBe(2);
    const back = withSecrets({ rotate: { grafana: 1 } });
    const line =
      /^check failed: secrets\.rotate\.grafana: the generation of grafana_client_secret would go back from 2 to 1; generations only go up/;
    expectRefused(() => co.synth(back), co.out, co.state, line);
    expectRefused(() => co.plan(back), co.out, co.state, line);
  });

  test('a mode switch that would drop the generated Secrets (external-secrets -> sops)', () => {
    expect(co.synth(fixture()).code).toBe(0);
    expectRefused(
      () => co.synth(withSecrets({ mode: 'sops', consumerNamespaces: undefined })),
      co.out,
      co.state,
      /^check failed: secrets\.mode: the previous output generated its Secrets with ESO/,
    );
  });

  test('a mode switch that would generate over the SOPS Secrets (sops -> external-secrets without adoptSops)', () => {
    expect(co.synth(withSecrets({ mode: 'sops', consumerNamespaces: undefined })).code).toBe(0);
    expectRefused(() => co.synth(fixture()), co.out, co.state, /^check failed: secrets\.adoptSops: the previous output ran in sops mode/);
  });
});

test('external-secrets with gitops.engine flux is refused before anything is written (docs/secrets.md#external-secrets-mode)', () => {
  const co = checkout();
  try {
    const flux = loadYamlFile(path.join(ROOT, 'test/fixtures/flux.yaml')) as Doc;
    flux.secrets = { mode: 'external-secrets', consumerNamespaces: ['argocd', 'monitoring', 'infisical', 'wiki'] };
    const r = co.synth(flux);
    expect(r.code).toBe(1);
    expect(r.stderr).toEqual([
      expect.stringMatching(/^config error: \S*cluster\.json.*secrets\.mode: external-secrets is not supported with gitops\.engine flux/),
    ]);
    expect(fs.existsSync(co.out)).toBe(false);
  } finally {
    co.cleanup();
  }
});

describe('rotation walk through the CLI: counter -> generator -> restart -> marker -> plan', () => {
  const co = checkout();
  afterAll(() => co.cleanup());
  const files = () => readTree(co.out);
  const docsOf = (text: string): Doc[] => yaml.loadAll(text).filter(Boolean) as Doc[];
  const esoDocs = () => [...files()].filter(([p]) => p.startsWith('secrets/')).flatMap(([, t]) => docsOf(t));
  const workerAnnotation = () => (yaml.load(files().get('values/authentik.yaml')!) as Doc).worker.podAnnotations[RESTART_ANNOTATION];
  const grafanaBlueprint = () => [...files()].find(([p, t]) => p.startsWith('authentik-extras/') && t.includes('client_id: grafana'))!;

  test('walks every step, the plan first, then the synced output, then ESO', () => {
    expect(co.synth(fixture()).code).toBe(0);
    const eso = new EsoHarness();
    eso.sync(esoDocs());
    eso.reconcile();
    const old = eso.value('monitoring', 'grafana-oidc-secret', 'GF_AUTH_GENERIC_OAUTH_CLIENT_SECRET');
    const annotationBefore = workerAnnotation();
    const [bpPath, bpBefore] = grafanaBlueprint();
    expect(bpBefore).not.toContain('unified-auth/grafana_client_secret.rotation-id');

    // The one-line change; the plan names every pod that restarts and the rotated secret.
    const rotated = withSecrets({ rotate: { grafana: 1 } });
    const p = co.plan(rotated);
    expect(p.code).toBe(0);
    expect(p.stdout).toContain('Pods that restart');
    expect(p.stdout).toMatch(/Authentik worker pods .*grafana:0.* -> .*grafana:1/);
    expect(p.stdout).toMatch(/Grafana pods .*: grafana:0 -> grafana:1/);
    expect(p.stdout).toMatch(/Secret monitoring\/grafana-oidc-secret gets the new value/);
    expect(p.stdout).toContain('Secrets rotated');
    expect(p.stdout).toContain('grafana_client_secret');

    expect(co.synth(rotated).code).toBe(0);
    // A new generator object (CreatedOnce never refreshes a changed spec, so a new name is the rotation).
    const generators = esoDocs()
      .filter((d) => d.kind === 'Password')
      .map((d) => d.metadata.name);
    expect(generators.some((n) => n.includes('grafana') && n.endsWith('-g1'))).toBe(true);
    expect(generators.some((n) => n.includes('grafana') && n.endsWith('-g0'))).toBe(false);
    // The worker's pod template changes, so it restarts and reads the new value through !Env.
    expect(workerAnnotation()).not.toBe(annotationBefore);
    expect(workerAnnotation()).toContain('grafana:1');
    // The blueprint's marker changes, so the worker re-applies it.
    expect(grafanaBlueprint()).toEqual([bpPath, expect.stringContaining('unified-auth/grafana_client_secret.rotation-id: generation-1')]);
    expect(JSON.parse(co.state()).secrets.generations.grafana_client_secret).toBe(1);

    // ESO makes the new value and both sides get it.
    eso.sync(esoDocs());
    eso.reconcile();
    const fresh = eso.value('authentik', 'authentik-secrets-grafana-client-secret-g1', 'grafana_client_secret');
    expect(fresh).toBeDefined();
    expect(fresh).not.toBe(old);
    expect(eso.value('monitoring', 'grafana-oidc-secret', 'GF_AUTH_GENERIC_OAUTH_CLIENT_SECRET')).toBe(fresh);

    // A second sync of the same config changes nothing: an empty plan, and ESO keeps the value (CreatedOnce).
    expect(co.plan(rotated).stdout).toMatch(/no changes/);
    expect(co.synth(rotated).code).toBe(0);
    eso.sync(esoDocs());
    eso.reconcile();
    expect(eso.value('monitoring', 'grafana-oidc-secret', 'GF_AUTH_GENERIC_OAUTH_CLIENT_SECRET')).toBe(fresh);
  });
});
