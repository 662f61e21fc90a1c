// `npm run import` on a Flux layer (lib/import/flux.ts, lib/import/substitute.ts): the engine is
// found from the authentik HelmRelease (or asked with --engine), the draft keeps it with the
// operator's valuesFrom sources by reference, a ConfigMap source's values are read (AUTHENTIK_HOST,
// Secret names) and a Secret's never are; Flux post-build variables come from --substitute.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { importLayer, importMain } from '../../lib/import/cli';
import { substituteTree } from '../../lib/import/substitute';
import { ROOT } from '../support/helpers';

const LAYER = path.join(ROOT, 'test/fixtures/flux-layer');
const DOMAIN = new Map([['DOMAIN', 'home.example.net']]);

describe('adopting the fixture Flux layer', () => {
  const r = importLayer([LAYER], '/nonexistent/cluster.yaml', { substitute: DOMAIN });
  const c = r.draft.config as Record<string, any>;

  test('the engine is found from the HelmRelease and kept, with its values sources in order', () => {
    expect(r.draft.engine).toMatch(/^flux \(the authentik HelmRelease in .*authentik\.yaml\)$/);
    expect(c.gitops).toEqual({
      engine: 'flux',
      flux: {
        valuesFrom: [
          { kind: 'ConfigMap', name: 'authentik-values' },
          { kind: 'Secret', name: 'authentik-secret-values', valuesKey: 'secret.yaml' },
          { kind: 'Secret', name: 'authentik-smtp', valuesKey: 'host' },
        ],
      },
    });
    expect(c.authentik).toMatchObject({ namespace: 'security', existingRelease: true, chart: { version: '2026.5.6' } });
  });

  test('ArgoCD-only fields stay out of a Flux draft (lib/rules/gitops.ts refuses them)', () => {
    for (const k of ['valueFiles', 'noValueFiles']) expect(c.authentik[k]).toBeUndefined();
    for (const k of ['existingRelease', 'valueFiles', 'noValueFiles']) expect(c.argocd[k]).toBeUndefined();
    expect(r.problems).toEqual([]);
  });

  test("a ConfigMap source's values are read after substitution; a Secret's are only referenced", () => {
    expect(c.authentik.url).toBe('https://auth.home.example.net');
    expect(c.authentik.secret).toEqual({ name: 'authentik-secret', secretKey: 'secret-key' });
    expect(c.services[0].host).toBe('grafana.home.example.net');
    expect(r.draft.notes.filter((n) => /valuesFrom Secret .*never read/.test(n))).toHaveLength(2);
  });

  test('adoption passes the guards: the kept values source and the replaced chart source are lines, not findings', () => {
    expect(r.findings).toEqual([]);
    expect(r.draft.notes).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^ConfigMap security\/authentik-values: not in the output, and the HelmRelease reads it/),
        expect.stringMatching(/^OCIRepository security\/authentik: the chart source of the adopted HelmRelease/),
      ]),
    );
  });
});

test("a values ConfigMap made by the layer's configMapGenerator: its file is read, no 'not in the directories' line", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flux-gen-'));
  try {
    for (const f of ['authentik.yaml', 'blueprints.yaml']) fs.copyFileSync(path.join(LAYER, f), path.join(dir, f));
    fs.writeFileSync(
      path.join(dir, 'kustomization.yaml'),
      'kind: Kustomization\nresources: [./authentik.yaml, ./blueprints.yaml]\nconfigMapGenerator:\n  - name: authentik-values\n    files: [values.yaml=./helm-values.yaml]\n',
    );
    fs.writeFileSync(
      path.join(dir, 'helm-values.yaml'),
      'global:\n  env:\n    - name: AUTHENTIK_HOST\n      value: https://auth.${DOMAIN}\n',
    );
    const r = importLayer([dir], path.join(dir, 'out.yaml'), { substitute: DOMAIN });
    expect((r.draft.config as Record<string, any>).authentik.url).toBe('https://auth.home.example.net');
    expect(r.draft.notes.filter((n) => /not in the imported directories/.test(n))).toEqual([]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

describe('a Flux layer without its HelmRelease (--engine flux): the namespace and version are asked, never guessed', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flux-nohr-'));
    fs.copyFileSync(path.join(LAYER, 'blueprints.yaml'), path.join(dir, 'blueprints.yaml'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const draftOf = (namespace?: string) =>
    importLayer([dir], path.join(dir, 'out.yaml'), {
      engine: 'flux',
      authentikVersion: '2026.5.6',
      substitute: DOMAIN,
      ...(namespace ? { namespace } : {}),
    });

  test('--authentik-namespace puts the draft where Authentik runs; valuesFrom: [] is a line to review', () => {
    const r = draftOf('security');
    expect((r.draft.config as Record<string, any>).authentik).toMatchObject({ namespace: 'security', existingRelease: true });
    expect((r.draft.config as Record<string, any>).gitops).toEqual({ engine: 'flux', flux: { valuesFrom: [] } });
    expect(r.draft.comments.get('gitops.flux.valuesFrom')).toMatch(/^REVIEW: the layer has no HelmRelease/);
    expect(r.problems).toEqual([]);
  });

  test('without it: the default, said on a line and a REVIEW comment (adopting elsewhere installs a second Authentik)', () => {
    const r = draftOf();
    expect((r.draft.config as Record<string, any>).authentik.namespace).toBeUndefined();
    expect(r.draft.notes).toEqual(
      expect.arrayContaining([expect.stringMatching(/does not say which namespace Authentik runs in .*--authentik-namespace/)]),
    );
    expect(r.draft.comments.get('authentik')).toMatch(/^REVIEW: /);
  });
});

test('--authentik-namespace against the HelmRelease, or for an ArgoCD layer: refused', () => {
  expect(() => importLayer([LAYER], '/nonexistent/c.yaml', { substitute: DOMAIN, namespace: 'auth' })).toThrow(
    /^--authentik-namespace auth: .*authentik\.yaml runs Authentik in namespace security; give that one, or leave the flag out$/,
  );
  expect(() => importLayer([path.join(ROOT, 'test/fixtures/hand-written-layer')], '/nonexistent/c.yaml', { namespace: 'auth' })).toThrow(
    /^--authentik-namespace auth: only for a Flux layer/,
  );
});

describe("the layer's own Flux Kustomization, which the output replaces (kustomize-controller kustomizations.md, Deletion policy)", () => {
  const KS = (policy: string) =>
    `apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: authentik\n  namespace: flux-system\nspec:\n  interval: 1h\n  path: ./apps/authentik\n  prune: true\n${policy}  sourceRef:\n    kind: GitRepository\n    name: flux-system\n`;
  const adopt = (policy: string) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flux-ks-'));
    try {
      fs.cpSync(LAYER, path.join(dir, 'app'), { recursive: true });
      fs.writeFileSync(path.join(dir, 'ks.yaml'), KS(policy));
      return importLayer([dir], path.join(dir, 'out.yaml'), { substitute: DOMAIN });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  };

  test('pruning: removing it would delete the HelmRelease with it, so adopting is refused with the way out', () =>
    expect(adopt('').findings).toEqual([
      expect.stringMatching(
        /^plan removes Kustomization flux-system\/authentik \(.*ks\.yaml\): it prunes, .*set deletionPolicy: Orphan on it and let Flux apply that first/,
      ),
    ]));

  test('deletionPolicy: Orphan: its removal is a line, not a finding', () => {
    const r = adopt('  deletionPolicy: Orphan\n');
    expect(r.findings).toEqual([]);
    expect(r.draft.notes).toEqual(
      expect.arrayContaining([expect.stringMatching(/^Kustomization flux-system\/authentik: leaves what it applied/)]),
    );
  });
});

test('a HelmRelease on a version range pins nothing: --authentik-version is asked for, then pinned', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flux-range-'));
  try {
    fs.cpSync(LAYER, dir, { recursive: true });
    const hr = path.join(dir, 'authentik.yaml');
    fs.writeFileSync(hr, fs.readFileSync(hr, 'utf8').replace('tag: 2026.5.6', 'semver: ">=2026.5.0"'));
    const out = path.join(dir, 'out.yaml');
    expect(() => importLayer([dir], out, { substitute: DOMAIN })).toThrow(
      /authentik\.yaml: the HelmRelease pins no chart version \(">=2026\.5\.0" is a range\): give the one the cluster runs with --authentik-version/,
    );
    const r = importLayer([dir], out, { substitute: DOMAIN, authentikVersion: '2026.5.6' });
    expect((r.draft.config as Record<string, any>).authentik.chart).toEqual({ version: '2026.5.6' });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

describe('Flux post-build substitution (kustomize-controller docs/spec/v1/kustomizations.md, "Post build variable substitution")', () => {
  const sub = (text: string, vars: Record<string, string> = {}) =>
    substituteTree(new Map([['a.yaml', text]]), new Map(Object.entries(vars)), 'layer').get('a.yaml');

  test.each([
    ['host: ${D}', { D: 'x.net' }, 'host: x.net'],
    ['host: ${D:=d.net}', {}, 'host: d.net'],
    ['host: ${D:-d.net}', { D: 'x.net' }, 'host: x.net'],
    ['host: $${D}', {}, 'host: ${D}'],
    ['run: echo $D', {}, 'run: echo $D'],
  ])('%s', (text, vars, want) => expect(sub(text, vars)).toBe(want));

  test('an object annotated kustomize.toolkit.fluxcd.io/substitute: disabled is left as written', () => {
    const text = 'a: ${X}\n---\nmetadata:\n  annotations:\n    kustomize.toolkit.fluxcd.io/substitute: disabled\nb: ${Y}\n';
    expect(sub(text, { X: '1' })).toBe(
      'a: 1\n---\nmetadata:\n  annotations:\n    kustomize.toolkit.fluxcd.io/substitute: disabled\nb: ${Y}\n',
    );
  });

  test("a configMapGenerator's files are left alone when its generatorOptions disable substitution", () => {
    const tree = new Map([
      [
        'kustomization.yaml',
        'configMapGenerator:\n  - name: bp\n    files: [x.yaml=./bp/x.yaml]\ngeneratorOptions:\n  annotations:\n    kustomize.toolkit.fluxcd.io/substitute: disabled\n',
      ],
      ['bp/x.yaml', 'v: ${KEEP}\n'],
    ]);
    expect(substituteTree(tree, new Map(), 'layer').get('bp/x.yaml')).toBe('v: ${KEEP}\n');
  });

  test('a variable with no value and no default: one line naming the file and the variable', () =>
    expect(() => sub('a: ok\nb: ${DOMAIN}\n')).toThrow(
      /^layer\/a\.yaml: Flux post-build variable \$\{DOMAIN\} has no value and no default: give it with --substitute DOMAIN=<value>$/,
    ));
});

describe('bad input: one line, exit 1, nothing written', () => {
  let tmp: string;
  let errors: string[];
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'flux-import-'));
    errors = [];
    jest.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void errors.push(a.join(' ')));
    jest.spyOn(console, 'log').mockImplementation(() => {});
  });
  afterEach(() => {
    jest.restoreAllMocks();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  test.each([
    [['--engine', 'fluxcd'], /^usage error: --engine fluxcd: not a GitOps engine \(argocd or flux\)$/],
    [
      ['--engine', 'argocd', '--substitute', 'DOMAIN=x.net'],
      /^import error: --engine argocd: .*authentik\.yaml runs Authentik from a Flux HelmRelease; import it with --engine flux/,
    ],
    [['--substitute', 'my-var=1'], /^usage error: --substitute my-var=1: not KEY=VALUE with a Flux variable name/],
    [['--substitute', 'DOMAIN=a', '--substitute', 'DOMAIN=b'], /^usage error: --substitute DOMAIN: given twice$/],
    [[], /^import error: .*flux-layer\/blueprints\.yaml: Flux post-build variable \$\{DOMAIN\} has no value and no default/],
    [
      ['--substitute', 'DOMAIN=x.net', '--authentik-version', '2026.8.0'],
      /^import error: --authentik-version 2026\.8\.0: .*authentik\.yaml runs chart 2026\.5\.6/,
    ],
  ])('%j', (args, line) => {
    const out = path.join(tmp, 'cluster.yaml');
    expect(importMain(['--from', LAYER, '--out', out, ...args])).toBe(1);
    expect(errors).toEqual([expect.stringMatching(line)]);
    expect(fs.readdirSync(tmp)).toEqual([]);
  });
});
