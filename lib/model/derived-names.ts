// Derived names are injective: two config values that derive the same name (agents `1bot` and
// `agent-1bot` both read ${AGENT_1BOT_CLIENT_SECRET}) would make one output silently serve both.
// Each row says what kind of name it is, where in the model it is derived and which config path
// it comes from; every row is checked here, in one place, on the derived model itself, so a name
// another step shortens or rewrites is checked as it is written.
import type { ClusterConfig } from '../config/schema';
import { groupKubernetesName } from './identity';
import { clientIdOf } from './patterns';
import { AUTHENTIK_ENV, blueprintVolumeName } from '../upstream/conventions';
import { OUTPUT } from '../base/paths';
import type { AuthModel, BlueprintRef, PassThroughRef } from './types';

/** One derived name: `from` is the config path it comes from, `owner` what it names (same owner, no collision). */
interface Derived {
  name: string;
  from: string;
  owner?: string;
}

/** Config paths of the model's pieces: services by slug and client id, blueprints by ref. */
export interface Sources {
  slug: (slug: string) => string;
  host: (host: string) => string;
  /** An edge route's owner: a service by slug, or Authentik's own route. */
  route: (slug: string) => string;
  serviceAccount: (slug: string) => string;
  oidcSlug: (clientId: string) => string;
  oidcApplication: (clientId: string) => string;
  consumerSecret: (clientId: string) => string;
  blueprints: (m: AuthModel) => Array<{ ref: BlueprintRef | PassThroughRef; from: string }>;
  /** A group by its (Authentik) name. */
  group: (name: string) => string;
}

interface NameRule {
  kind: (m: AuthModel) => string;
  names: (m: AuthModel, at: Sources) => Derived[];
}

const managed = (m: AuthModel) => m.oidcApps.filter((a) => a.clientSecret?.mode === 'managed');
const ownRef = (r: BlueprintRef | PassThroughRef) => JSON.stringify(r);

/** Every derived name that must be unique within its kind. */
export const DERIVED_NAMES: ReadonlyArray<NameRule> = [
  {
    kind: () => "environment variable of Authentik's pods",
    names: (m, at) => [
      ...Object.values(AUTHENTIK_ENV).map((name) => ({ name, from: "Authentik's own settings" })),
      ...managed(m).map((a) => ({ name: a.clientSecret!.envVar, from: at.oidcSlug(a.clientId) })),
      ...m.agents.map((a) => ({ name: a.tokenSecret.envVar, from: at.serviceAccount(a.slug) })),
    ],
  },
  {
    kind: (m) => `key of Authentik's Secret "${m.authentik.secret.name}"`,
    names: (m, at) => [
      { name: m.authentik.secret.secretKey, from: 'authentik.secret.secretKey' },
      { name: m.authentik.secret.bootstrapPassword, from: 'authentik.secret.bootstrapPassword' },
      ...managed(m).map((a) => ({ name: a.clientSecret!.authentikKey, from: at.oidcSlug(a.clientId) })),
      ...m.agents.map((a) => ({ name: a.tokenSecret.authentikKey, from: at.serviceAccount(a.slug) })),
    ],
  },
  {
    kind: () => 'Secret key a consumer reads its client secret from',
    names: (m, at) =>
      m.oidcApps.flatMap((a) => {
        const s = a.clientSecret?.consumer;
        return s ? [{ name: `${s.namespace}/${s.name}:${s.key}`, from: at.consumerSecret(a.clientId) }] : [];
      }),
  },
  {
    // secrets.mode external-secrets: each generated Secret has a name of its own (lib/model/derivers/secrets.ts).
    kind: (m) => `Secret in the namespace ${m.authentik.namespace}`,
    names: (m, at) =>
      m.secrets.mode === 'sops'
        ? []
        : m.secrets.values.map((v) => ({
            name: v.place.secret,
            from: v.slug ? at.slug(v.slug) : `authentik.${v.place.secret === m.authentik.secret.name ? 'secret' : 'postgresqlSecret'}.name`,
            // Values sharing one Secret (Authentik's own, or adopted in place) are one owner.
            owner: v.slug && v.generator ? v.id : v.place.secret,
          })),
  },
  {
    kind: () => `environment variable in ${OUTPUT.kubeconfig}`,
    names: (m, at) => m.agents.map((a) => ({ name: a.kubeconfigEnvVar, from: at.slug(a.slug) })),
  },
  {
    kind: () => `context in ${OUTPUT.kubeconfig}`,
    names: (m, at) => m.agents.map((a) => ({ name: a.kubeconfigContext, from: at.slug(a.slug) })),
  },
  {
    kind: () => `context or user in ${OUTPUT.peopleKubeconfig}`,
    names: (m, at) => m.kubectlApps.flatMap((k) => [k.context, k.user].map((name) => ({ name, from: at.slug(k.slug), owner: k.slug }))),
  },
  {
    kind: () => 'access policy name',
    names: (m, at) =>
      [
        ...m.oidcApps.map((a) => ({ ...a, from: at.oidcApplication(a.clientId) })),
        ...[...m.agents, ...m.kubectlApps].map((a) => ({ ...a, from: at.slug(a.slug) })),
      ]
        .map((a) => ({ name: a.access.name, from: a.from }))
        .concat(m.proxyApps.map((a) => ({ name: a.access.name, from: at.host(a.host) }))),
  },
  {
    kind: () => 'app-password token identifier',
    names: (m, at) => m.agents.map((a) => ({ name: a.tokenIdentifier, from: at.serviceAccount(a.slug) })),
  },
  {
    kind: () => 'edge router name',
    names: (m, at) => m.edge.routes.map((r) => ({ name: r.routerName, from: at.route(r.slug), owner: `${r.slug} ${r.path}` })),
  },
  {
    kind: () => 'edge route object (namespace/name)',
    names: (m, at) =>
      m.edge.routes.flatMap((r) =>
        r.object ? [{ name: `${r.object.namespace}/${r.object.name}`, from: at.route(r.slug), owner: r.slug }] : [],
      ),
  },
  {
    // Every active group, with a Kubernetes role or not: the form names its ClusterRoleBinding, and
    // two groups that differ only by case or dropped characters would share it (docs/names.md).
    kind: () => 'Kubernetes name form of a group',
    names: (m, at) => m.groups.map((g) => ({ name: groupKubernetesName(g.name), from: at.group(g.name) })),
  },
  {
    // Under Flux the generated values ConfigMap sits beside the blueprint ConfigMaps (docs/flux.md).
    // So does the verify hook's ConfigMap (docs/verify.md).
    kind: (m) => (m.gitops.engine === 'flux' || m.verifyHook ? 'ConfigMap name in the Authentik namespace' : 'blueprint ConfigMap name'),
    names: (m, at) => [
      ...at.blueprints(m).map(({ ref, from }) => ({ name: ref.configMapName, from, owner: ownRef(ref) })),
      ...(m.gitops.engine === 'flux' ? [{ name: m.gitops.flux.generatedValues.name, from: 'authentik.chart.releaseName' }] : []),
      ...(m.verifyHook ? [{ name: m.verifyHook.name, from: 'verify.postSyncHook (named after authentik.chart.releaseName)' }] : []),
    ],
  },
  {
    kind: () => "blueprint volume of Authentik's worker",
    names: (m, at) => at.blueprints(m).map(({ ref, from }) => ({ name: blueprintVolumeName(ref.configMapName), from, owner: ownRef(ref) })),
  },
];

/** Where each of the model's pieces comes from in the config. */
export function sourcesOf(c: ClusterConfig): Sources {
  const index = new Map<string, number>();
  const byClientId = new Map<string, number>();
  const byHost = new Map<string, number>();
  c.services.forEach((s, i) => {
    if (s.retired) return;
    index.set(s.slug, i);
    if (s.host) byHost.set(s.host, i);
    if (s.oidc) byClientId.set(clientIdOf(s), i);
  });
  const svc = (i: number | undefined, tail: string) => (i === undefined ? 'the model' : `services[${i}].${tail}`);
  const blueprintFrom = new Map<string, string>();
  c.services.forEach((s, i) => {
    for (const [kind, o] of [
      ['oidc', s.oidc],
      ['forwardAuth', s.forwardAuth],
    ] as const)
      if (o?.blueprint) blueprintFrom.set(o.blueprint.configMapName, `services[${i}].${kind}.blueprint.configMapName`);
  });
  const groupAt = new Map(c.groups.map((g, i) => [g.name, `groups[${i}].name`]));
  return {
    group: (name) => groupAt.get(name) ?? 'the model',
    slug: (slug) => svc(index.get(slug), 'slug'),
    host: (host) => svc(byHost.get(host), 'slug'),
    route: (slug) => (index.has(slug) ? svc(index.get(slug), 'slug') : `the generated route "${slug}"`),
    serviceAccount: (slug) => {
      const i = index.get(slug);
      return svc(i, i !== undefined && c.services[i].agent?.serviceAccount ? 'agent.serviceAccount' : 'slug');
    },
    // An OIDC app's env var and Secret key derive from the service slug, its policy from the application slug.
    oidcSlug: (id) => svc(byClientId.get(id), 'slug'),
    oidcApplication: (id) => {
      const i = byClientId.get(id);
      return svc(i, i !== undefined && c.services[i].oidc?.application?.slug ? 'oidc.application.slug' : 'slug');
    },
    consumerSecret: (id) => {
      const i = byClientId.get(id);
      return svc(i, i !== undefined && c.services[i].oidc?.clientSecret ? 'oidc.clientSecret' : 'slug');
    },
    blueprints: (m) => {
      const shared = (['groups', 'outpost', 'agents', 'retired'] as const).map((k) => ({
        ref: m.blueprints[k],
        from: c.authentik.blueprints[k] ? `authentik.blueprints.${k}.configMapName` : `the ${k} blueprint`,
      }));
      const own = [...m.oidcApps, ...m.kubectlApps, ...m.proxyApps].map((a) => ({
        ref: a.blueprint,
        from:
          blueprintFrom.get(a.blueprint.configMapName) ??
          ('clientId' in a ? svc(index.get(a.slug) ?? byClientId.get(a.clientId), 'slug') : 'the shared forward-auth blueprint'),
      }));
      const kept = m.blueprints.passThrough.map((ref, i) => ({ ref, from: `authentik.passThrough[${i}].file` }));
      return [...shared, ...own, ...kept];
    },
  };
}

/** One line per collision, naming both config paths. */
export function derivedNameCollisions(c: ClusterConfig, m: AuthModel): string[] {
  const at = sourcesOf(c);
  const out: string[] = [];
  for (const rule of DERIVED_NAMES) {
    const seen = new Map<string, Derived>();
    for (const d of rule.names(m, at)) {
      const prev = seen.get(d.name);
      if (!prev) seen.set(d.name, d);
      else if ((prev.owner ?? prev.from) !== (d.owner ?? d.from))
        out.push(`${d.from}: derives the ${rule.kind(m)} "${d.name}", which ${prev.from} derives too; rename one of them`);
    }
  }
  return [...new Set(out)];
}
