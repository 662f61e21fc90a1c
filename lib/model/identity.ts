// The names Kubernetes and Authentik find our files and bindings by: blueprint and ConfigMap
// names, ClusterRoleBinding names, the Omni patch id. Each has a default and an optional override
// that adopts a live object of a hand-written layer in place (docs/adopting.md);
// application slugs and provider names are the integrations' (patterns.ts). Derivation
// and validation both read them from here, so a collision the validator reports is exactly one
// the model would have produced.
import { createHash } from 'node:crypto';
import { DNS_LABEL, type ClusterConfig, type Group, type Service } from '../config/schema';
import { BLUEPRINT_CONFIGMAP_MAX } from '../upstream/conventions';
import type { BlueprintRef, PassThroughRef } from './types';

type BlueprintName = NonNullable<NonNullable<Service['oidc']>['blueprint']>;

/** The label on the Kubernetes objects this tool owns beyond its Applications (LB Service, edge objects). */
export const PART_OF_LABEL = { 'app.kubernetes.io/part-of': 'unified-auth' } as const;

/**
 * `name` if it has at most `max` characters, else its first characters and a hash of the whole
 * name (`<head>-<8 hex>`, exactly `max` long): deterministic, and two names that share the head
 * still differ (docs/kubernetes-names.md).
 */
export function fitName(name: string, max: number): string {
  if (name.length <= max) return name;
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 8);
  return `${name.slice(0, max - hash.length - 1).replace(/-+$/, '')}-${hash}`;
}

/**
 * Our own blueprint files: `unified-auth-<id>` in ConfigMap `authentik-blueprint-<id>`. The
 * ConfigMap name is shortened when the chart's volume name for it would pass the DNS-label limit
 * (lib/upstream/conventions.ts BLUEPRINT_CONFIGMAP_MAX); the blueprint name and file key keep the whole id.
 */
export const blueprintRef = (id: string): BlueprintRef => ({
  name: `unified-auth-${id}`,
  configMapName: fitName(`authentik-blueprint-${id}`, BLUEPRINT_CONFIGMAP_MAX),
  fileName: `${id}.yaml`,
});

/** The blueprint of one kubectl service (named after the service slug, not the application's). */
export const providerBlueprint = (serviceSlug: string): BlueprintRef => blueprintRef(`provider-${serviceSlug}`);

/** 32-bit FNV-1a: a stable, well-spread hash of a slug, the same on every machine. */
export function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (const c of Buffer.from(s, 'utf8')) h = Math.imul(h ^ c, 0x01000193) >>> 0;
  return h;
}

/**
 * OIDC services are spread over this many blueprint files (docs/oidc-shards.md). Fixed, so a
 * service's file depends on its own slug only: adding or removing others never moves it. Each file
 * is one ConfigMap and one volume on the worker, so 2000 services make 16 mounts, not 2000.
 */
export const OIDC_SHARDS = 16;

/** The shard file of a (non-adopted, OIDC-only) service: its service slug hashed, mod OIDC_SHARDS. */
export const oidcShardBlueprint = (serviceSlug: string): BlueprintRef => blueprintRef(`oidc-providers-${fnv1a(serviceSlug) % OIDC_SHARDS}`);

/** A blueprint adopted from a hand-written layer, under its own names. */
export const adoptedBlueprint = (b: BlueprintName): BlueprintRef => ({
  name: b.name,
  configMapName: b.configMapName,
  fileName: b.fileName ?? `${b.configMapName}.yaml`,
});

/**
 * A pass-through file's ConfigMap (`authentik-passthrough-<stem>`, the file's name lowercased with
 * every other character a dash, fitted like ours) and data key (`<stem>.yaml`: Authentik reads only
 * *.yaml keys). Two files that map to one name are refused by lib/model/derived-names.ts.
 */
export function passThroughRef(p: ClusterConfig['authentik']['passThrough'][number]): PassThroughRef {
  const base = p.file
    .split('/')
    .pop()!
    .replace(/\.ya?ml$/, '');
  const stem =
    base
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'blueprint';
  return {
    file: p.file,
    configMapName: p.configMapName ?? fitName(`authentik-passthrough-${stem}`, BLUEPRINT_CONFIGMAP_MAX),
    fileName: `${/^[-._a-zA-Z0-9]+$/.test(base) ? base : stem}.yaml`,
  };
}

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
 * A group name in the form a Kubernetes name can hold (docs/names.md): a DNS label stays as it is;
 * anything else is lowercased, each run of other characters becomes one '-', ends trimmed, at most
 * 63 characters. So "ArgoCD Admins" -> "argocd-admins". Names that keep no letter or digit get
 * `g-<8 hex of sha256>`. Two groups with the same form are refused (lib/model/derived-names.ts).
 */
export function groupKubernetesName(name: string): string {
  if (DNS_LABEL.test(name)) return name;
  const form = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, 63)
    .replace(/^-+|-+$/g, '');
  return form || `g-${createHash('sha256').update(name).digest('hex').slice(0, 8)}`;
}

/**
 * The group's ClusterRoleBinding. The role is part of the default name: roleRef is immutable, so
 * a new role must be a new binding (the old one is pruned by the authentik-extras Application).
 * '.' cannot occur in either name, so two groups never collide (a-b + c vs a + b-c).
 */
export const clusterRoleBindingNameOf = (g: Group): string => {
  const name = groupKubernetesName(g.name);
  return g.clusterRoleBindingName ?? (g.kubernetes ? `authentik-${name}.${g.kubernetes}` : `authentik-${name}`);
};

/** ConfigPatch ids are global in Omni's namespace, so the cluster name is part of the default. */
export const omniPatchIdOf = (t: NonNullable<ClusterConfig['talos']>, omniCluster: string): string =>
  t.omniPatchId ?? `150-${omniCluster}-apiserver-oidc`;
