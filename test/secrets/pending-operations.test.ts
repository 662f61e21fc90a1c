// What stays manual once secrets are generated (issue 28 items 3 and 4, docs/secrets.md#what-stays-manual):
// the Grafana values file in the operator's own Application, named by the path synth really writes;
// the edge file, optional through the in-cluster edge modes; the root Application, a one-time
// bootstrap of every mode. Each says why it cannot be automated.
import path from 'node:path';
import type { SynthResult } from '../../lib/output/render';
import { OUTPUT } from '../../lib/base/paths';
import { EDGE_MODES } from '../../lib/config/edge-schema';
import { ROOT, defaultInput, loadYamlFile, renderInput } from '../support/helpers';

type Doc = Record<string, any>;
const fixture = (): Doc => structuredClone(loadYamlFile(path.join(ROOT, 'test/fixtures/external-secrets.yaml')) as Doc);
const synth = (c: unknown): SynthResult => renderInput(c);
const ops = (r: SynthResult): Doc[] => r.files.find((f) => f.path === 'docs/manual-operations.yaml')!.docs![0] as Doc[];
const op = (r: SynthResult, id: string): Doc | undefined => ops(r).find((o) => o.id === id);

describe('Grafana values in the operator-owned Application', () => {
  const c = fixture();
  c.git.path = 'clusters/zero/auth';
  const r = synth(c);
  const entry = op(r, 'grafana-values-grafana')!;

  test('the one line to add names the file synth writes, at its repository path, resolved through a ref: values source', () => {
    expect(r.files.some((f) => f.path === OUTPUT.grafanaValues)).toBe(true);
    const line = `- $values/clusters/zero/auth/${OUTPUT.grafanaValues}`;
    expect(entry.commands[0]).toMatch(
      /^in spec\.sources of Application victoria-metrics-k8s-stack, append .*helm\.valueFiles, after your own files/,
    );
    expect(entry.commands[0].endsWith(`: ${line}`)).toBe(true);
    expect(entry.commands[1]).toContain('{repoURL: https://git.example.org/ops/zero.git, targetRevision: main, ref: values}');
    expect(entry.verify[0]).toContain(`get application victoria-metrics-k8s-stack`);
    expect(entry.verify[0]).toContain(`# ends with $values/clusters/zero/auth/${OUTPUT.grafanaValues}`);
  });

  test('why it cannot be automated: the Application is the operator’s, and the subchart key is said', () => {
    expect(entry.why_manual).toMatch(/which is yours, not generated here: a second Application for the same release would fight it/);
    expect(entry.why_manual).toContain('synth never edits files outside clusters/zero/auth/');
    expect(entry.why_manual).toContain('nested under grafana:');
    // No Application of that name is in the output: the step really is outside what synth owns.
    expect(
      r.files.some((f) => f.docs?.some((d: any) => d?.kind === 'Application' && d.metadata?.name === 'victoria-metrics-k8s-stack')),
    ).toBe(false);
  });
});

describe('the edge file is optional through the in-cluster edge modes', () => {
  test('the traefik-file runbook entry names the modes that remove it, and in those modes it is gone', () => {
    const file = op(synth(defaultInput()), 'edge-traefik-dynamic-config')!;
    const inCluster = EDGE_MODES.filter((m) => m !== 'traefik-file');
    for (const mode of inCluster) expect(file.why_manual).toContain(mode);
    expect(file.why_manual).toMatch(/This step is optional/);
    for (const name of ['edge-traefik-crd.yaml', 'edge-gateway-api.yaml']) {
      const r = synth(loadYamlFile(path.join(ROOT, 'test/fixtures', name)));
      expect(op(r, 'edge-traefik-dynamic-config')).toBeUndefined();
      expect(r.files.some((f) => f.path.startsWith('edge/'))).toBe(true);
    }
  });
});

describe('the root Application: a one-time bootstrap in every mode, outside the item-4 count', () => {
  test('the same entry in sops and external-secrets mode, saying the output cannot create what syncs it', () => {
    const eso = defaultInput() as Doc;
    eso.secrets = { mode: 'external-secrets', consumerNamespaces: ['argocd', 'monitoring', 'infisical'] };
    const [a, b] = [synth(defaultInput()), synth(eso)].map((r) => op(r, 'bootstrap-root-application')!);
    // Only its prerequisite differs (the SOPS Secrets, or ESO running).
    expect({ ...a, when: '' }).toEqual({ ...b, when: '' });
    expect(b.when).toMatch(/External Secrets Operator/);
    expect(a.when).toMatch(/^once per cluster/);
    expect(a.why_manual).toContain('the output cannot create the Application that syncs it');
  });
});
