// Switching gitops.engine over a baseline the other engine synced (lib/guards/engine-switch.ts): the
// generated ArgoCD Applications carry resources-finalizer.argocd.argoproj.io, so pruning them
// deletes what they synced (argo-cd docs user-guide/app_deletion.md); a Flux Kustomization with
// prune: true deletes what it applied when deleted (kustomize-controller
// docs/spec/v1/kustomizations.md, "Deletion policy": Orphan leaves it), the HelmRelease included,
// whose deletion uninstalls unless suspended (helm-controller helmrelease_controller.go
// reconcileDelete). A switch is refused until phase 1 (gitops.handoverTo) released them.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { main } from '../../main';
import { parseConfig } from '../../lib/rules/validate';
import { readBaseline } from '../../lib/pipeline/baseline';
import { renderAndCheck } from '../../lib/pipeline/render-and-guard';
import { recordedEngineIn } from '../../lib/guards/engine-switch';
import { plan } from '../../lib/plan/index';
import { parseState, recordedOf, stateText } from '../../lib/state/file';
import { HelmRelease } from '@kubernetes-models/flux-cd/helm.toolkit.fluxcd.io/v2/HelmRelease';
import { Kustomization } from '@kubernetes-models/flux-cd/kustomize.toolkit.fluxcd.io/v1/Kustomization';
import { loadYaml } from '../../lib/readback/yaml';
import { ROOT, defaultInput, loadYamlFile, renderInput } from '../support/helpers';

type Input = Record<string, any>;
const argocd = (): Input => defaultInput();
const flux = (): Input => loadYamlFile(path.join(ROOT, 'test/fixtures/flux.yaml')) as Input;
const released = (i: Input): Input => ({
  ...i,
  gitops: { ...(i.gitops ?? {}), handoverTo: i.gitops?.engine === 'flux' ? 'argocd' : 'flux' },
});

const treeOf = (input: Input) => new Map(renderInput(input).files.map((f) => [f.path, f.text]));
const guard = (input: Input, baselineOf: Input) =>
  renderAndCheck({ config: parseConfig(input), baseline: readBaseline({ kind: 'tree', tree: treeOf(baselineOf), label: 'dist' }) }).phases;
const docsIn = (tree: Map<string, string>, kind: string) =>
  [...tree.entries()].filter(([, t]) => new RegExp(`^kind: ${kind}$`, 'm').test(t)).map(([p, t]) => ({ p, t }));

describe('ArgoCD -> Flux', () => {
  test('over the generated Applications (resources finalizer): refused, one line naming the way', () =>
    expect(guard(flux(), argocd())).toEqual([
      "gitops.engine: flux over dist, which argocd syncs: its Applications carry ArgoCD's resources finalizer, so pruning them deletes Authentik, its database and the blueprints with them; switch in two syncs: first gitops: {engine: argocd, handoverTo: flux} (releases them), then gitops.engine: flux (docs/flux.md#switching-engines)",
    ]));

  test('phase 1 (handoverTo: flux) emits the Applications without the finalizer; then the switch passes', () => {
    const tree = treeOf(released(argocd()));
    const apps = docsIn(tree, 'Application');
    expect(apps.map((a) => a.p).sort()).toEqual([
      'apps/application-argocd.yaml',
      'apps/application-authentik-extras.yaml',
      'apps/application-authentik.yaml',
    ]);
    for (const a of apps) expect(a.t).not.toMatch(/resources-finalizer/);
    expect(recordedEngineIn(tree)).toEqual({ engine: 'argocd', released: true });
    expect(guard(flux(), released(argocd()))).toEqual([]);
  });

  test('the plan names phase 1 and the switch', () => {
    expect(plan(treeOf(argocd()), treeOf(released(argocd()))).engine).toEqual([
      'argocd objects released for a hand-over (phase 1): removing them later leaves Authentik running',
    ]);
    expect(plan(treeOf(released(argocd())), treeOf(flux())).engine).toEqual([
      expect.stringMatching(/^argocd -> flux: the argocd objects were released \(phase 1\)/),
    ]);
  });
});

describe('Flux -> ArgoCD', () => {
  test('over pruning Kustomizations and a live HelmRelease: refused', () =>
    expect(guard(argocd(), flux())).toEqual([
      expect.stringMatching(
        /^gitops\.engine: argocd over dist, which flux syncs: its Kustomizations prune .*first gitops: \{engine: flux, handoverTo: argocd\}/,
      ),
    ]));

  test('phase 1 (handoverTo: argocd): Kustomizations orphan on deletion, the HelmRelease is suspended, both valid Flux objects; then the switch passes', () => {
    const tree = treeOf(released(flux()));
    const objects = [...docsIn(tree, 'Kustomization'), ...docsIn(tree, 'HelmRelease')];
    expect(objects.length).toBeGreaterThanOrEqual(2);
    for (const { t } of docsIn(tree, 'Kustomization')) expect(t).toMatch(/^ {2}deletionPolicy: Orphan$/m);
    for (const { t } of docsIn(tree, 'HelmRelease')) expect(t).toMatch(/^ {2}suspend: true$/m);
    for (const { t } of docsIn(tree, 'Kustomization')) expect(() => new Kustomization(loadYaml(t) as never).validate()).not.toThrow();
    for (const { t } of docsIn(tree, 'HelmRelease')) expect(() => new HelmRelease(loadYaml(t) as never).validate()).not.toThrow();
    expect(guard(argocd(), released(flux()))).toEqual([]);
  });
});

test('the same engine (a Flux output over a Flux baseline) is no switch', () => expect(guard(flux(), flux())).toEqual([]));

test('gitops.handoverTo naming the engine in use is a config error', () =>
  expect(() => parseConfig({ ...argocd(), gitops: { engine: 'argocd', handoverTo: 'argocd' } })).toThrow(
    /gitops\.handoverTo: argocd is the engine in use; it names the engine the output is being handed to/,
  ));

describe('the state records the engine (docs/state.md)', () => {
  const config = parseConfig(argocd());
  const recorded = readBaseline({ kind: 'tree', tree: treeOf(argocd()), label: '' }).recorded;

  test('written and read back', () => {
    const s = parseState('x.state.json', stateText('x.state.json', undefined, config, recorded));
    expect(recordedOf(s, 'dist').gitops).toEqual({ engine: 'argocd', released: false });
  });

  test('a state written before the engine was recorded reads as ArgoCD unreleased (fail closed)', () => {
    const text = stateText('x.state.json', undefined, config, { ...recorded, gitops: undefined });
    expect(text).not.toMatch(/"gitops"/);
    expect(recordedOf(parseState('x.state.json', text), 'dist').gitops).toEqual({ engine: 'argocd', released: false });
  });
});

test('bad input: synth of a Flux config over an ArgoCD output is one line, exit 1, the output left as it was', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'engine-switch-'));
  const errors: string[] = [];
  jest.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void errors.push(a.join(' ')));
  jest.spyOn(console, 'log').mockImplementation(() => {});
  try {
    const out = path.join(tmp, 'dist');
    fs.writeFileSync(path.join(tmp, 'argocd.json'), JSON.stringify(argocd()));
    fs.writeFileSync(path.join(tmp, 'flux.json'), JSON.stringify(flux()));
    expect(main(['--config', path.join(tmp, 'argocd.json'), '--out', out, '--baseline', 'none'])).toBe(0);
    const before = fs
      .readdirSync(out, { recursive: true })
      .map((p) => [p, fs.statSync(path.join(out, String(p))).isFile() ? fs.readFileSync(path.join(out, String(p)), 'utf8') : '']);
    errors.length = 0;
    expect(main(['--config', path.join(tmp, 'flux.json'), '--out', out, '--baseline', out])).toBe(1);
    expect(errors).toEqual([
      expect.stringMatching(/^check failed: gitops\.engine: flux over .*dist, which argocd syncs: .*docs\/flux\.md#switching-engines\)$/),
    ]);
    expect(
      fs
        .readdirSync(out, { recursive: true })
        .map((p) => [p, fs.statSync(path.join(out, String(p))).isFile() ? fs.readFileSync(path.join(out, String(p)), 'utf8') : '']),
    ).toEqual(before);
  } finally {
    jest.restoreAllMocks();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});
