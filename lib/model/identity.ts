// The names Authentik and Kubernetes find our objects by: application slugs, provider names,
// blueprint and ConfigMap names, ClusterRoleBinding names. Each has a default built from the
// config and an optional override that adopts a live object of a hand-written layer in place
// (README § Adopting an existing auth layer). Derivation and validation both read them from here,
// so a collision the validator reports is exactly one the model would have produced.
import type { ClusterConfig, Group, Service } from '../config/schema';

type Oidc = NonNullable<Service['oidc']>;
type ForwardAuth = NonNullable<Service['forwardAuth']>;
type BlueprintName = NonNullable<Oidc['blueprint']>;

export interface BlueprintRef {
  /** metadata.name of the blueprint document. */
  name: string;
  configMapName: string;
  /** ConfigMap data key; must end in .yaml or Authentik never reads it (docs/field-traps.md#blueprint-configmaps). */
  fileName: string;
}

/** Our own blueprint files: `unified-auth-<id>` in ConfigMap `authentik-blueprint-<id>`. */
export const blueprintRef = (id: string): BlueprintRef => ({
  name: `unified-auth-${id}`,
  configMapName: `authentik-blueprint-${id}`,
  fileName: `${id}.yaml`,
});

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

/** The OIDC application: the service's slug and name unless adopted. */
export const oidcApplication = (s: Service, o: Oidc) => ({ slug: o.application?.slug ?? s.slug, name: o.application?.name ?? s.name });

/**
 * The forward-auth application. Alone on its service it is the service's own; next to an OIDC
 * application on the same host it needs a slug of its own (slugs are unique in Authentik).
 */
export const proxyApplication = (s: Service, f: ForwardAuth) => ({
  slug: f.application?.slug ?? (s.oidc ? `${s.slug}-forward-auth` : s.slug),
  name: f.application?.name ?? (s.oidc ? `${s.name} (forward auth)` : s.name),
});

/** An OAuth2 provider is found by client_id, so its display name may follow the service's. */
export const oidcProviderName = (s: Service, o: Oidc): string => o.providerName ?? `${s.name} OIDC`;

/**
 * A proxy provider has no unique field but its name, which is what its blueprint finds it by:
 * built from the slug, so renaming the service does not orphan it.
 */
export const proxyProviderName = (s: Service, f: ForwardAuth): string => f.providerName ?? `${s.slug} forward auth`;

/**
 * The group's ClusterRoleBinding. The role is part of the default name: roleRef is immutable, so
 * a new role must be a new binding (the old one is pruned by the authentik-extras Application).
 * '.' cannot occur in either name, so two groups never collide (a-b + c vs a + b-c).
 */
export const clusterRoleBindingNameOf = (g: Group): string =>
  g.clusterRoleBindingName ?? (g.kubernetes ? `authentik-${g.name}.${g.kubernetes}` : `authentik-${g.name}`);

/** ConfigPatch ids are global in Omni's namespace, so the cluster name is part of the default. */
export const omniPatchIdOf = (t: ClusterConfig['talos'], omniCluster: string): string =>
  t.omniPatchId ?? `150-${omniCluster}-apiserver-oidc`;

/** People at kubectl and agents: OAuth2 providers found by client_id, named after the service. */
export const kubectlProviderName = (s: Service): string => `${s.name} (kubectl)`;
export const agentProviderName = (s: Service): string => `${s.name} (client credentials)`;
