// The edge's files for the configured mode: the file-provider config (traefik-file), or one file
// per Kubernetes object in dist/edge/ (traefik-crd, gateway-api), synced by the `edge` Application.
import type { AuthModel } from '../model/derive';
import { yamlFile, type OutputFile } from '../render';
import { OUTPUT } from '../paths';
import { traefikDynamicConfig } from './traefik-file';
import { ingressRoutes, ownedMiddlewares } from './traefik-crd';
import { httpRoutes } from './gateway-api';

/** Flat (an Application syncs one directory, not its subdirectories), namespace in the name. */
export const edgeObjectPath = (o: { kind: string; metadata?: { name?: string; namespace?: string } }) =>
  `${OUTPUT.edgeDir}/${o.kind.toLowerCase()}-${o.metadata?.namespace ?? ''}.${o.metadata?.name ?? ''}.yaml`;

export function edgeFiles(m: AuthModel): OutputFile[] {
  if (!m.edge.inCluster) return [yamlFile(OUTPUT.traefik, traefikDynamicConfig(m))];
  const routes = m.edge.mode === 'gateway-api' ? httpRoutes(m) : ingressRoutes(m);
  return [...routes, ...ownedMiddlewares(m)].map((o) => {
    const json = o.toJSON() as { kind: string; metadata?: { name?: string; namespace?: string } };
    return yamlFile(edgeObjectPath(json), json);
  });
}
