// gitops.engine flux (docs/flux.md): the Flux objects validate against @kubernetes-models/flux-cd
// (generated from Flux's API types), the values layer in valuesFrom order, the blueprints are the
// ArgoCD output's byte for byte, and a field the engine does not read is one line, exit 1.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { HelmRelease } from '@kubernetes-models/flux-cd/helm.toolkit.fluxcd.io/v2/HelmRelease';
import { HelmRepository } from '@kubernetes-models/flux-cd/source.toolkit.fluxcd.io/v1/HelmRepository';
import { Kustomization } from '@kubernetes-models/flux-cd/kustomize.toolkit.fluxcd.io/v1/Kustomization';
import { ConfigError, parseConfig } from '../../lib/rules/validate';
import { checkFlux } from '../../lib/checks/flux';
import type { SynthResult } from '../../lib/output/render';
import { OUTPUT } from '../../lib/base/paths';
import { ROOT, defaultInput, loadYamlFile, renderInput } from '../support/helpers';

const FIXTURE = path.join(ROOT, 'test/fixtures/flux.yaml');
type Doc = { apiVersion: string; kind: string; metadata: { name: string }; spec?: Record<string, unknown>; data?: Record<string, string> };

/** The Flux models by apiVersion/kind: what each rendered Flux object is checked against. */
const MODELS: Record<string, new (d: never) => { validate(): void }> = {
  'helm.toolkit.fluxcd.io/v2/HelmRelease': HelmRelease,
  'source.toolkit.fluxcd.io/v1/HelmRepository': HelmRepository,
  'kustomize.toolkit.fluxcd.io/v1/Kustomization': Kustomization,
};

const docs = (r: SynthResult): Array<{ path: string; doc: Doc }> =>
  r.files.flatMap((f) => (f.docs ?? []).map((d) => ({ path: f.path, doc: d as Doc })));
const fluxObjects = (r: SynthResult) => docs(r).filter(({ doc }) => /fluxcd\.io\//.test(doc.apiVersion ?? ''));
const one = (r: SynthResult, kind: string) => fluxObjects(r).find(({ doc }) => doc.kind === kind)!.doc;

/** The default cluster under Flux: ArgoCD's git-path values files become the fixture's valuesFrom. */
function frankUnderFlux(valuesOrder?: 'operatorFirst' | 'generatedFirst') {
  const c = defaultInput() as Record<string, any>;
  delete c.authentik.valueFiles;
  delete c.argocd.valueFiles;
  if (valuesOrder) c.authentik.valuesOrder = valuesOrder;
  c.gitops = { engine: 'flux', flux: { valuesFrom: [{ kind: 'Secret', name: 'authentik-own-values' }] } };
  return c;
}

describe('the Flux fixture', () => {
  const r = renderInput(loadYamlFile(FIXTURE));
  const own = r.files.filter(
    (f) => f.path.startsWith(`${OUTPUT.appsDir}/`) || f.docs?.some((d) => /fluxcd\.io\//.test((d as Doc).apiVersion)),
  );

  test.each(own.map((f) => [f.path, f.text]))('%s', (_p, text) => expect(text).toMatchSnapshot());

  test('has a HelmRelease, its HelmRepository and a Kustomization, and no ArgoCD Application', () => {
    expect(
      fluxObjects(r)
        .map(({ doc }) => doc.kind)
        .sort(),
    ).toEqual(['HelmRelease', 'HelmRepository', 'Kustomization']);
    expect(docs(r).filter(({ doc }) => doc.kind === 'Application')).toEqual([]);
  });

  test.each(fluxObjects(r).map(({ path: p, doc }) => [p, doc]))('%s validates against @kubernetes-models/flux-cd', (_p, doc) => {
    const Model = MODELS[`${doc.apiVersion}/${doc.kind}`];
    expect(Model).toBeDefined();
    expect(() => new Model(structuredClone(doc) as never).validate()).not.toThrow();
  });

  test('the validation can fail: a HelmRelease taking values from a kind Flux does not read is rejected', () => {
    const bad = structuredClone(one(r, 'HelmRelease')) as Doc & { spec: { valuesFrom: Array<{ kind: string }> } };
    bad.spec.valuesFrom[0].kind = 'GitRepository';
    expect(() => new HelmRelease(bad as never).validate()).toThrow();
  });

  test('the chart is pinned to authentik.chart.version from the HelmRepository the output carries', () => {
    const hr = one(r, 'HelmRelease') as Doc & { spec: { chart: { spec: { version: string; sourceRef: { name: string } } } } };
    expect(hr.spec.chart.spec.version).toBe('2026.2.3');
    expect(hr.spec.chart.spec.sourceRef.name).toBe(one(r, 'HelmRepository').metadata.name);
  });

  test('the HelmRelease and the blueprint ConfigMaps are applied by the same pruned Kustomization', () => {
    const release = fluxObjects(r).find(({ doc }) => doc.kind === 'HelmRelease')!.path;
    expect(path.dirname(release)).toBe(OUTPUT.extrasDir);
    expect(r.files.some((f) => f.path.startsWith(`${OUTPUT.extrasDir}/configmap-authentik-blueprint-`))).toBe(true);
    const k = one(r, 'Kustomization');
    expect(k.metadata.name).toBe('authentik-extras');
    expect(k.spec).toMatchObject({ path: `./dist/${OUTPUT.extrasDir}`, prune: true });
  });
});

// Flux merges spec.valuesFrom in list order, a later entry's keys winning, then inline spec.values
// last (fluxcd.io/flux/components/helm/helmreleases/#values-overrides).
describe('values layering through valuesFrom', () => {
  const sources = (order?: 'operatorFirst' | 'generatedFirst') =>
    (one(renderInput(frankUnderFlux(order)), 'HelmRelease').spec!.valuesFrom as Array<{ name: string }>).map((v) => v.name);

  test('operatorFirst (the default): the generated values come last and win', () =>
    expect(sources()).toEqual(['authentik-own-values', 'authentik-unified-auth-values']));
  test('generatedFirst: the operator’s source comes last and wins', () =>
    expect(sources('generatedFirst')).toEqual(['authentik-unified-auth-values', 'authentik-own-values']));
  test('no inline spec.values, which would beat every valuesFrom entry', () =>
    expect(one(renderInput(frankUnderFlux()), 'HelmRelease').spec).not.toHaveProperty('values'));

  test('the generated ConfigMap carries dist/values/authentik.yaml as written', () => {
    const r = renderInput(frankUnderFlux());
    const cm = docs(r).find(({ doc }) => doc.kind === 'ConfigMap' && doc.metadata.name === 'authentik-unified-auth-values')!.doc;
    expect(cm.data!['values.yaml']).toBe(r.files.find((f) => f.path === OUTPUT.authentikValues)!.text);
  });
});

test('the blueprints are byte-identical between the two engines for the same config', () => {
  // The same cluster; only the fields each engine reads for values layering differ.
  const blueprints = (r: SynthResult) =>
    r.files.filter((f) => f.path.includes('configmap-authentik-blueprint-')).map((f) => [f.path, f.text]);
  const argo = blueprints(renderInput(defaultInput()));
  expect(argo.length).toBeGreaterThan(3);
  expect(blueprints(renderInput(frankUnderFlux()))).toEqual(argo);
});

describe('bad input: one line naming the config path', () => {
  const fails = (mutate: (c: Record<string, any>) => void) => {
    const c = frankUnderFlux();
    mutate(c);
    try {
      parseConfig(c);
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      return (e as ConfigError).problems;
    }
    throw new Error('accepted');
  };

  test.each<[string, (c: Record<string, any>) => void, RegExp]>([
    ['an unknown engine', (c) => (c.gitops.engine = 'fleet'), /^gitops\.engine: /],
    [
      'argocd.existingRelease under Flux',
      (c) => (c.argocd.existingRelease = true),
      /^argocd\.existingRelease: is read only with gitops\.engine argocd/,
    ],
    [
      'argocd.valueFiles under Flux',
      (c) => (c.argocd.valueFiles = ['a.yaml']),
      /^argocd\.valueFiles: is read only with gitops\.engine argocd/,
    ],
    ['authentik.valueFiles under Flux', (c) => (c.authentik.valueFiles = ['a.yaml']), /^authentik\.valueFiles: .*gitops\.flux\.valuesFrom/],
    [
      'gitops.flux under ArgoCD',
      (c) => Object.assign(c, { ...defaultInput(), gitops: { engine: 'argocd', flux: {} } }),
      /^gitops\.flux: is read only with gitops\.engine flux/,
    ],
    [
      'a values source that is the generated ConfigMap',
      (c) => c.gitops.flux.valuesFrom.push({ kind: 'ConfigMap', name: 'authentik-unified-auth-values' }),
      /^gitops\.flux\.valuesFrom\[1\]: ConfigMap "authentik-unified-auth-values" is the one the output generates/,
    ],
    [
      'a running release with no values sources named',
      (c) => delete c.gitops.flux.valuesFrom,
      /^gitops\.flux\.valuesFrom: authentik\.existingRelease/,
    ],
    [
      'a values source of another kind',
      (c) => (c.gitops.flux.valuesFrom[0].kind = 'GitRepository'),
      /^gitops\.flux\.valuesFrom\[0\]\.kind: /,
    ],
  ])('%s', (_what, mutate, line) => {
    const problems = fails(mutate);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(line);
  });

  test('the CLI says it in one line, exits 1 and leaves the output as it was', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flux-bad-'));
    const config = path.join(dir, 'bad.json');
    const out = path.join(dir, 'out');
    fs.writeFileSync(config, JSON.stringify({ ...frankUnderFlux(), gitops: { engine: 'fleet' } }));
    let status = 0;
    let stderr = '';
    try {
      execFileSync(process.execPath, [path.join(ROOT, 'bin/synth.cjs'), '--config', config, '--out', out], {
        stdio: 'pipe',
        encoding: 'utf8',
      });
    } catch (e) {
      ({ status, stderr } = e as { status: number; stderr: string });
    }
    expect(status).toBe(1);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/gitops\.engine/);
    expect(fs.existsSync(out)).toBe(false);
  });
});

describe('checkFlux: every Flux reference resolves in the output', () => {
  const fresh = () => renderInput(loadYamlFile(FIXTURE));
  const release = (r: SynthResult) => one(r, 'HelmRelease') as Doc & { spec: Record<string, any> };

  test('the fixture has no finding', () => expect(checkFlux(fresh())).toEqual([]));

  test.each<[string, (r: SynthResult) => void, RegExp]>([
    [
      'a Kustomization path with no files',
      (r) => (one(r, 'Kustomization').spec!.path = './dist/nowhere'),
      /spec\.path "\.\/dist\/nowhere" holds no rendered file/,
    ],
    [
      'a chart source not in the output',
      (r) => (release(r).spec.chart.spec.sourceRef.name = 'other'),
      /chart source HelmRepository "other" is not in the output/,
    ],
    ['inline values', (r) => (release(r).spec.values = { a: 1 }), /spec\.values is set/],
    [
      'a values ConfigMap neither generated nor configured',
      (r) => release(r).spec.valuesFrom.push({ kind: 'ConfigMap', name: 'ghost' }),
      /valuesFrom ConfigMap "ghost" is neither in the output nor in gitops\.flux\.valuesFrom/,
    ],
  ])('%s is a finding', (_what, mutate, line) => {
    const r = fresh();
    mutate(r);
    const f = checkFlux(r);
    expect(f).toHaveLength(1);
    expect(f[0]).toMatch(line);
  });
});

test('an in-cluster edge gets a pruned Kustomization of its own, as it has an Application under ArgoCD', () => {
  const c = loadYamlFile(path.join(ROOT, 'test/fixtures/edge-traefik-crd.yaml')) as Record<string, Record<string, unknown>>;
  delete c.argocd.noValueFiles; // ArgoCD-only: refused under Flux
  const r = renderInput({ ...c, gitops: { engine: 'flux' } });
  const ks = fluxObjects(r).filter(({ doc }) => doc.kind === 'Kustomization');
  expect(ks.map(({ doc }) => doc.metadata.name)).toEqual(['authentik-extras', 'edge']);
  expect(ks[1].doc.spec).toMatchObject({ path: `./${r.model.git.path}/${OUTPUT.edgeDir}`, prune: true });
  expect(r.files.some((f) => f.path.startsWith(`${OUTPUT.edgeDir}/`))).toBe(true);
  expect(checkFlux(r)).toEqual([]);
});

test('a blueprint ConfigMap named like the generated values ConfigMap is a collision (lib/model/derived-names.ts)', () => {
  const c = frankUnderFlux();
  c.authentik.blueprints = { groups: { name: 'groups', configMapName: 'authentik-unified-auth-values', fileName: 'groups.yaml' } };
  let problems: string[] = [];
  try {
    parseConfig(c);
  } catch (e) {
    problems = (e as ConfigError).problems;
  }
  expect(problems).toHaveLength(1);
  expect(problems[0]).toMatch(
    /^authentik\.chart\.releaseName: .*"authentik-unified-auth-values".*authentik\.blueprints\.groups\.configMapName/,
  );
});
