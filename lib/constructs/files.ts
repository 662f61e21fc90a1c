// Every output that is not one of the charts' Kubernetes objects: Helm values, the Talos patch, the
// edge (Traefik file config, or the in-cluster routes of lib/edge), the agent kubeconfig, reviewer docs. One renderer per concern, each reading only the
// model (and the blueprints it may list).
import { consumerApp, type AuthModel } from '../model/derive';
import type { Blueprint } from '../upstream/blueprint-types';
import { authentikValues } from '../consumers/authentik-values';
import { argocdValues } from '../consumers/argocd-values';
import { grafanaValuesFile } from '../consumers/grafana-values';
import { talosFiles } from '../consumers/talos-patch';
import { edgeFiles } from '../edge/render';
import { agentKubeconfigFile, peopleKubeconfigFile } from '../consumers/kubeconfig';
import { accessDoc } from '../reviewer-docs/access';
import { secretsDoc } from '../reviewer-docs/secrets';
import { manualOperationsDoc } from '../reviewer-docs/manual-operations';
import { architectureDoc } from '../reviewer-docs/architecture';
import { migrationRecordFile } from '../migration/record';
import { engineWords } from '../reviewer-docs/engine-words';
import { yamlFile, type OutputFile } from '../base/file-text';
import { OUTPUT } from '../base/paths';

type FileRenderer = (m: AuthModel, blueprints: ReadonlyArray<Blueprint>) => OutputFile[];

const FILE_RENDERERS: ReadonlyArray<FileRenderer> = [
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
  (m) => migrationRecordFile(m.migration, engineWords(m)),
];

/** The non-Kubernetes files, with their paths under the output directory (see paths.ts). */
export const renderFiles = (m: AuthModel, blueprints: ReadonlyArray<Blueprint>): OutputFile[] =>
  FILE_RENDERERS.flatMap((r) => r(m, blueprints));
