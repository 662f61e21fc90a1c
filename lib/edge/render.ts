// The edge's non-Kubernetes output: the file-provider config for the Traefik outside the cluster
// (traefik-file). The in-cluster modes' IngressRoutes, HTTPRoutes and Middlewares are Kubernetes
// objects of the AuthEdge construct (lib/constructs/edge.ts), one file each in dist/edge/.
import type { AuthModel } from '../model/derive';
import { yamlFile, type OutputFile } from '../base/file-text';
import { OUTPUT } from '../base/paths';
import { traefikDynamicConfig } from './traefik-file';

/** Flat (an Application syncs one directory, not its subdirectories), namespace in the name. */
export const edgeObjectPath = (o: { kind: string; metadata?: { name?: string; namespace?: string } }, dir: string = OUTPUT.edgeDir) =>
  `${dir}/${o.kind.toLowerCase()}-${o.metadata?.namespace ?? ''}.${o.metadata?.name ?? ''}.yaml`;

export function edgeFiles(m: AuthModel): OutputFile[] {
  return m.edge.inCluster ? [] : [yamlFile(OUTPUT.traefik, traefikDynamicConfig(m))];
}
