// Import of a Flux layer (lib/import/flux.ts): the authentik HelmRelease's chart version, release
// and valuesFrom become the draft's authentik.chart and gitops.flux; what the config cannot carry
// (inline values, targetPath) is a note. Round trip: a synthesized Flux layer reads back as its config.
import fs from 'node:fs';
import path from 'node:path';
import { fluxDraft, readFluxRelease } from '../../lib/import/flux';
import { loadAllYaml } from '../../lib/readback/yaml';
import { parseConfig } from '../../lib/rules/validate';
import type { Doc } from '../../lib/import/read';
import { ROOT, loadYamlFile, renderInput } from '../support/helpers';

const objectsOf = (where: string, text: string) => loadAllYaml(text).map((doc) => ({ where, doc: doc as Doc }));

test('a hand-written layer: chartRef to an OCIRepository, valuesFrom, inline values and targetPath noted', () => {
  const file = path.join(ROOT, 'test/fixtures/flux-layer/authentik.yaml');
  const r = readFluxRelease(objectsOf('flux-layer/authentik.yaml', fs.readFileSync(file, 'utf8')))!;
  expect(r).toMatchObject({ namespace: 'security', releaseName: 'authentik', chartVersion: '2026.5.6' });
  expect(r.valuesFrom).toEqual([
    { kind: 'ConfigMap', name: 'authentik-values' },
    { kind: 'Secret', name: 'authentik-secret-values', valuesKey: 'secret.yaml' },
    { kind: 'Secret', name: 'authentik-smtp', valuesKey: 'host' },
  ]);
  expect(r.notes).toEqual([expect.stringMatching(/valuesFrom\[2\] sets targetPath/), expect.stringMatching(/spec\.values \(inline\)/)]);
  expect(fluxDraft(r)).toEqual({
    authentik: { chart: { version: '2026.5.6' }, namespace: 'security', existingRelease: true },
    gitops: { engine: 'flux', flux: { valuesFrom: r.valuesFrom } },
  });
});

test('no HelmRelease of the authentik chart: nothing read', () =>
  expect(readFluxRelease([{ where: 'x', doc: { kind: 'HelmRelease', spec: { chart: { spec: { chart: 'grafana' } } } } }])).toBeUndefined());

test('round trip: the synthesized Flux layer reads back as the config it came from', () => {
  const input = loadYamlFile(path.join(ROOT, 'test/fixtures/flux.yaml')) as Record<string, any>;
  const out = renderInput(input);
  const objects = out.files.flatMap((f) => (f.docs ?? []).map((doc) => ({ where: f.path, doc: doc as Doc })));
  const r = readFluxRelease(objects)!;
  expect(r.notes).toEqual([]);
  // The generated ConfigMap is the output's own, not the operator's: not read back, synth adds it again.
  const draft = fluxDraft(r);
  const again = parseConfig({ ...input, authentik: { ...input.authentik, ...draft.authentik }, gitops: draft.gitops });
  expect(again.gitops).toEqual(parseConfig(input).gitops);
  expect(again.authentik.chart).toEqual(parseConfig(input).authentik.chart);
});
