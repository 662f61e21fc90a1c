// The names Kubernetes and Authentik find our files and bindings by: blueprint and ConfigMap
// names, ClusterRoleBinding names, the Omni patch id. Each has a default and an optional override
// that adopts a live object of a hand-written layer in place (README § Adopting an existing auth
// layer); application slugs and provider names are the integrations' (patterns.ts). Derivation
// and validation both read them from here, so a collision the validator reports is exactly one
// the model would have produced.
import type { ClusterConfig, Group, Service } from '../config/schema';
import type { BlueprintRef } from './types';

type BlueprintName = NonNullable<NonNullable<Service['oidc']>['blueprint']>;

/** The label on the Kubernetes objects this tool owns beyond its Applications (LB Service, edge objects). */
export const PART_OF_LABEL = { 'app.kubernetes.io/part-of': 'unified-auth' } as const;

/** Our own blueprint files: `unified-auth-<id>` in ConfigMap `authentik-blueprint-<id>`. */
export const blueprintRef = (id: string): BlueprintRef => ({
  name: `unified-auth-${id}`,
  configMapName: `authentik-blueprint-${id}`,
  fileName: `${id}.yaml`,
});

/** The blueprint of one OIDC or kubectl service (named after the service slug, not the application's). */
export const providerBlueprint = (serviceSlug: string): BlueprintRef => blueprintRef(`provider-${serviceSlug}`);

/** A blueprint adopted from a hand-written layer, under its own names. */
export const adoptedBlueprint = (b: BlueprintName): BlueprintRef => ({
  name: b.name,
  configMapName: b.configMapName,
  fileName: b.fileName ?? `${b.configMapName}.yaml`,
});

/** The shared blueprints, each under its default name unless the config adopts a live one. */
export function sharedBlueprints(c: ClusterConfig): Record<'groups' | 'outpost' | 'agents' | 'retired', BlueprintRef> {
  const named = (key: keyof ClusterConfig['authentik']['blueprints'], id: string) => {
    const b = c.authentik.blueprints[key];
    return b ? adoptedBlueprint(b) : blueprintRef(id);
  };
  return {
    groups: named('groups', 'groups'),
    outpost: named('outpost', 'embedded-outpost'),
    agents: named('agents', 'agent-auth'),
    retired: named('retired', 'retired'),
  };
}

/**
 * The group's ClusterRoleBinding. The role is part of the default name: roleRef is immutable, so
 * a new role must be a new binding (the old one is pruned by the authentik-extras Application).
 * '.' cannot occur in either name, so two groups never collide (a-b + c vs a + b-c).
 */
export const clusterRoleBindingNameOf = (g: Group): string =>
  g.clusterRoleBindingName ?? (g.kubernetes ? `authentik-${g.name}.${g.kubernetes}` : `authentik-${g.name}`);

/** ConfigPatch ids are global in Omni's namespace, so the cluster name is part of the default. */
export const omniPatchIdOf = (t: NonNullable<ClusterConfig['talos']>, omniCluster: string): string =>
  t.omniPatchId ?? `150-${omniCluster}-apiserver-oidc`;
