// Under gitops.engine flux the runbook (dist/docs/manual-operations.yaml) speaks Flux
// (lib/reviewer-docs/manual-operations.ts, engine-words.ts): no ArgoCD Application, no `$values`
// multi-source values, and Grafana's values reach the operator's own HelmRelease through
// spec.valuesFrom (helm-controller docs/spec/v2/helmreleases.md, "Values references": ConfigMaps
// and Secrets in the HelmRelease's namespace, merged in list order, inline spec.values over them).
import fs from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import { OUTPUT } from '../../lib/base/paths';
import type { ManualOperation } from '../../lib/reviewer-docs/manual-operations';
import { ROOT, loadYamlFile, renderInput } from '../support/helpers';

/** ArgoCD's concepts as the runbook words them: its name, its Application kind and CLI, multi-source values. */
const ARGOCD_CONCEPTS: ReadonlyArray<RegExp> = [
  /\bArgoCD\b/,
  /\bApplication\b/,
  /\bargocd app\b/,
  /get applications?\b/,
  /\$values\//,
  /spec\.sources?\b/,
  /helm\.valueFiles/,
];

const linesOf = (ops: ManualOperation[]) =>
  ops.flatMap((o) => [o.when, o.why_manual, ...o.commands, ...o.verify].map((line) => ({ id: o.id, line })));
const conceptsIn = (ops: ManualOperation[]) =>
  linesOf(ops).flatMap(({ id, line }) => ARGOCD_CONCEPTS.filter((re) => re.test(line)).map((re) => `${id}: ${String(re)}`));

const flux = renderInput(loadYamlFile(path.join(ROOT, 'test/fixtures/flux.yaml')));
const fluxOps = yaml.load(flux.files.find((f) => f.path === OUTPUT.manualOperations)!.text) as ManualOperation[];

test("the Flux fixture's runbook names no ArgoCD concept", () => expect(conceptsIn(fluxOps)).toEqual([]));

test('the same words are found in the committed ArgoCD runbook (so the list above can fail)', () => {
  const argo = yaml.load(fs.readFileSync(path.join(ROOT, 'dist', OUTPUT.manualOperations), 'utf8')) as ManualOperation[];
  const found = new Set(conceptsIn(argo).map((c) => c.slice(c.indexOf(': ') + 2)));
  expect([...found].sort()).toEqual(ARGOCD_CONCEPTS.map(String).sort());
});

test("Grafana's values go to the operator's HelmRelease through spec.valuesFrom, from a ConfigMap of the output's file", () => {
  const g = fluxOps.find((o) => o.id === 'grafana-values-grafana')!;
  expect(g.when).toBe('once, in your HelmRelease victoria-metrics-k8s-stack (grafana.application), which runs Grafana');
  expect(g.why_manual).toContain('dist/values/grafana.yaml (nested under grafana:,');
  expect(g.commands).toEqual([
    expect.stringMatching(
      /^in the kustomization that applies HelmRelease victoria-metrics-k8s-stack, generate a ConfigMap .*configMapGenerator: \[\{name: grafana-unified-auth-values, files: \[values\.yaml=<path from that kustomization to dist\/values\/grafana\.yaml>\], options: \{disableNameSuffixHash: true\}\}\]$/,
    ),
    expect.stringMatching(
      /^append to spec\.valuesFrom of HelmRelease victoria-metrics-k8s-stack, after your own entries .*- \{kind: ConfigMap, name: grafana-unified-auth-values\}; .*inline spec\.values, which override every valuesFrom entry$/,
    ),
  ]);
  expect(g.verify[0]).toMatch(/get helmrelease .*valuesFrom.*# ends with grafana-unified-auth-values$/);
});

test('the engine-worded entries say Flux where ArgoCD said ArgoCD', () => {
  const text = linesOf(fluxOps).map((l) => l.line);
  expect(text).toEqual(
    expect.arrayContaining([
      expect.stringContaining('never applied by Flux: the decryption key stays off the cluster'),
      expect.stringContaining('Talos machine config, which Flux cannot apply'),
      expect.stringContaining('commit: Flux applies the ConfigMap and the worker re-applies the blueprint'),
    ]),
  );
});
