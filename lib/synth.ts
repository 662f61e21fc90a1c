// The whole pipeline in memory: config -> model -> every output file -> checks.
// Nothing here touches the disk; lib/output.ts writes (or compares) the result.
import { App, type Chart } from 'cdk8s';
import { AppsChart } from '../charts/apps';
import { AuthentikExtrasChart } from '../charts/authentik-extras';
import type { ClusterConfig } from './config/schema';
import { derive, consumerApp, type AuthModel } from './model/derive';
import { buildBlueprints } from './blueprints/build';
import type { Blueprint } from './blueprints/types';
import type { LegacyBinding } from './blueprints/legacy';
import { authentikValues } from './consumers/authentik-values';
import { argocdValues } from './consumers/argocd-values';
import { grafanaValuesFile } from './consumers/grafana-values';
import { talosFiles } from './consumers/talos-patch';
import { edgeFiles } from './edge/render';
import { agentKubeconfigFile, peopleKubeconfigFile } from './consumers/kubeconfig';
import { accessDoc } from './docs/access';
import { secretsDoc } from './docs/secrets';
import { manualOperationsDoc } from './docs/manual-operations';
import { architectureDoc } from './docs/architecture';
import { yamlFile, type OutputFile } from './render';
import { OUTPUT } from './paths';
import { manifestFile } from './output';

export interface SynthResult {
  model: AuthModel;
  blueprints: Blueprint[];
  files: OutputFile[];
}

/** `<kind>-<name>.yaml`, one Kubernetes object per file so reviews diff per object. */
const objectFileName = (o: { kind: string; metadata: { name: string } }) => `${o.kind.toLowerCase()}-${o.metadata.name}.yaml`;

function chartFiles(dir: string, chart: Chart): OutputFile[] {
  return chart.toJson().map((o) => yamlFile(`${dir}/${objectFileName(o)}`, o));
}

/**
 * Renderers of everything outside the two charts: one entry per emitted concern, each reading
 * only the model (and the blueprints it may list). Order does not matter; files are sorted.
 */
const FILE_RENDERERS: ReadonlyArray<(m: AuthModel, blueprints: ReadonlyArray<Blueprint>) => OutputFile[]> = [
  (m, bps) => [yamlFile(OUTPUT.authentikValues, authentikValues(m, bps))],
  (m) => [yamlFile(OUTPUT.argocdValues, argocdValues(m, consumerApp(m, 'argocd')))],
  (m) => {
    const grafana = consumerApp(m, 'grafana');
    return grafana ? [yamlFile(OUTPUT.grafanaValues, grafanaValuesFile(m, grafana))] : [];
  },
  talosFiles,
  edgeFiles,
  (m) => (m.agents.length ? [agentKubeconfigFile(m)] : []),
  (m) => (m.kubectlApps.length ? [peopleKubeconfigFile(m)] : []),
  (m, bps) => [accessDoc(m), secretsDoc(m), manualOperationsDoc(m, bps), architectureDoc(m)],
];

export interface RenderOptions {
  /** Group bindings an older output created, to delete (lib/blueprints/legacy.ts reads them). */
  legacyBindings?: ReadonlyArray<LegacyBinding>;
}

export function render(config: ClusterConfig, options: RenderOptions = {}): SynthResult {
  const model = derive(config);
  const blueprints = buildBlueprints(model, options.legacyBindings);
  const app = new App();
  const files: OutputFile[] = [
    ...chartFiles(OUTPUT.appsDir, new AppsChart(app, 'apps', { model })),
    ...chartFiles(OUTPUT.extrasDir, new AuthentikExtrasChart(app, 'authentik-extras', { model, blueprints })),
    ...FILE_RENDERERS.flatMap((r) => r(model, blueprints)),
  ];
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  // Last, listing every other file: what proves the directory is synth's own (lib/output.ts).
  files.push(manifestFile(files));
  return { model, blueprints, files };
}
