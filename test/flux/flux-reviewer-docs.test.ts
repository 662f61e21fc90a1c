// Under gitops.engine flux every reviewer doc (dist/docs/: the runbook with a domain move's phase
// steps, SECRETS.md, ACCESS.md, architecture.md) speaks Flux, and under ArgoCD none speaks Flux
// (lib/reviewer-docs/engine-words.ts). ArgoCD the consumer service (its OIDC Secret, its CLI login)
// is not the engine and stays named. Rendered in-process, one render per config.
import path from 'node:path';
import yaml from 'js-yaml';
import { OUTPUT } from '../../lib/base/paths';
import type { SynthResult } from '../../lib/output/render';
import type { ManualOperation } from '../../lib/reviewer-docs/manual-operations';
import { ROOT, loadYamlFile, renderInput } from '../support/helpers';

/** ArgoCD's sync path: a sync, its Applications (Authentik's admin menu "Applications ->" is not one), its CLI, app-of-apps. */
const ARGOCD_SYNC_PATH: ReadonlyArray<RegExp> = [
  /\bsync(s|ed|ing)?\b/i,
  /\bApplications?\b(?! (->|→))/,
  /\bargocd app\b/,
  /\bapp-of-apps\b/,
];
/** Flux's words for the same path. */
const FLUX_SYNC_PATH: ReadonlyArray<RegExp> = [/\bFlux\b/, /\bKustomization\b/, /\bHelmRelease\b/, /\breconcil/i, /\bflux reconcile\b/];

/** migration.yaml only while a domain move is configured. */
const DOCS = [OUTPUT.manualOperations, OUTPUT.secretsDoc, OUTPUT.accessDoc, OUTPUT.architectureDoc, OUTPUT.migrationRecord];

/** Every line a reviewer reads in the docs: the runbook's prose fields (not ids and app slugs), the markdown's lines. */
function readLines(r: SynthResult): Array<{ where: string; line: string }> {
  return DOCS.flatMap((p) => {
    const text = r.files.find((f) => f.path === p)?.text ?? '';
    if (p !== OUTPUT.manualOperations) return text.split('\n').map((line) => ({ where: p, line }));
    return (yaml.load(text) as ManualOperation[]).flatMap((o) =>
      [o.when, o.why_manual, ...o.commands, ...o.verify].map((line) => ({ where: `${p} ${o.id}`, line })),
    );
  });
}

const found = (r: SynthResult, words: ReadonlyArray<RegExp>) =>
  readLines(r).flatMap(({ where, line }) => words.filter((re) => re.test(line)).map((re) => `${where}: ${String(re)}: ${line}`));
const termsFound = (rs: SynthResult[], words: ReadonlyArray<RegExp>) =>
  [...new Set(rs.flatMap((r) => found(r, words)).map((f) => f.split(': ')[1]))].sort();

const fixture = (name: string) => loadYamlFile(path.join(ROOT, 'test/fixtures', name)) as Record<string, any>;
const asFlux = (c: Record<string, any>) => {
  delete c.argocd.valueFiles;
  delete c.argocd.noValueFiles;
  return { ...c, gitops: { engine: 'flux' } };
};
/**
 * The migration fixture in a phase, with an in-cluster edge: its routes are then applied by the
 * engine, so every phase step that waits for the engine is worded (traefik-file's edge step is scp).
 */
const migration = (phase: string, engine: 'argocd' | 'flux') => {
  const c = fixture('migration.yaml');
  c.migration.phase = phase;
  // In-cluster routes name Services, not URLs.
  c.edge = { ...c.edge, mode: 'traefik-crd' };
  for (const s of c.services) {
    if (s.forwardAuth?.upstream) s.forwardAuth = {};
    if (s.forwardAuth || s.routes) s.routes = [{ service: { namespace: s.slug, name: s.slug, port: 80 } }];
  }
  return engine === 'flux' ? asFlux(c) : c;
};
const PHASES = ['overlap', 'cutover', 'done'];

const fluxMoves = PHASES.map((p) => renderInput(migration(p, 'flux')));
const argoMoves = PHASES.map((p) => renderInput(migration(p, 'argocd')));
const fluxRenders = [
  renderInput(fixture('flux.yaml')),
  renderInput(asFlux(fixture('edge-traefik-crd.yaml'))),
  renderInput(asFlux(fixture('edge-gateway-api.yaml'))),
  ...fluxMoves,
];
const argoRenders = [renderInput(fixture('edge-traefik-crd.yaml')), renderInput(fixture('edge-gateway-api.yaml')), ...argoMoves];

test('a domain move renders its phase runbook under both engines (so the checks below read it)', () => {
  for (const r of [...fluxMoves, ...argoMoves]) {
    const ids = (yaml.load(r.files.find((f) => f.path === OUTPUT.manualOperations)!.text) as ManualOperation[]).map((o) => o.id);
    expect(ids.some((id) => id.startsWith('migration-'))).toBe(true);
    expect(r.files.some((f) => f.path === OUTPUT.migrationRecord)).toBe(true);
  }
});

test("under Flux no reviewer doc names ArgoCD's sync path", () => {
  expect(fluxRenders.flatMap((r) => found(r, ARGOCD_SYNC_PATH))).toEqual([]);
});

test('under ArgoCD no reviewer doc names Flux', () => {
  expect(argoRenders.flatMap((r) => found(r, FLUX_SYNC_PATH))).toEqual([]);
});

test('each word above is found in the other engine’s docs (so both lists can fail)', () => {
  expect(termsFound(argoRenders, ARGOCD_SYNC_PATH)).toEqual(ARGOCD_SYNC_PATH.map(String).sort());
  expect(termsFound(fluxRenders, FLUX_SYNC_PATH)).toEqual(FLUX_SYNC_PATH.map(String).sort());
});

const runbook = (r: SynthResult) => yaml.load(r.files.find((f) => f.path === OUTPUT.manualOperations)!.text) as ManualOperation[];
const step = (r: SynthResult, id: string) => runbook(r).find((o) => o.id === id)!;

test("the Flux phase runbook reconciles the output's Kustomizations and the HelmRelease by name", () => {
  const [, cutover, done] = fluxMoves;
  const host = step(cutover, 'migration-cutover-1-authentik-host');
  expect(host.when).toBe('as soon as this output is committed (Flux applies it)');
  expect(host.why_manual).toMatch(
    /^AUTHENTIK_HOST \(the HelmRelease authentik, from the ConfigMap authentik-unified-auth-values; the pods restart with it\)/,
  );
  expect(host.commands[0]).toContain(
    'flux reconcile kustomization authentik-extras -n flux-system --with-source && flux reconcile helmrelease authentik -n authentik',
  );
  const consumers = step(cutover, 'migration-cutover-2-consumers-on-new-host');
  expect(consumers.commands).toContain(
    "flux reconcile kustomization <the one that applies HelmRelease victoria-metrics-k8s-stack> --with-source && flux reconcile helmrelease victoria-metrics-k8s-stack -n <its namespace>, and re-apply argocd's values where it is installed: check both took the new values",
  );
  expect(step(done, 'migration-done-3-old-routes').commands).toEqual([
    'Flux applies the edge Kustomization (dist/edge) at its interval; now: flux reconcile kustomization edge -n flux-system --with-source, then check it is Ready: flux get kustomizations -n flux-system',
  ]);
  expect(step(done, 'migration-done-4-tombstones').when).toBe('after Flux applied authentik-extras');
  const means = (r: SynthResult) => (yaml.load(r.files.find((f) => f.path === OUTPUT.migrationRecord)!.text) as { means: string }).means;
  expect(means(cutover)).toMatch(/^AUTHENTIK_HOST, the outpost, launch URLs and the consumers the output's values files configure move/);
});

test('SECRETS.md and ACCESS.md say what Flux does where ArgoCD syncs', () => {
  const text = (p: string) => fluxRenders[1].files.find((f) => f.path === p)!.text;
  expect(text(OUTPUT.secretsDoc)).toContain(
    'none is applied by Flux: each is\na SOPS-encrypted manifest, applied by hand before the first reconciliation',
  );
  expect(text(OUTPUT.accessDoc)).toContain('in edge/, applied by the edge Kustomization)');
});
