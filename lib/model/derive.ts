// The pure derivation step: config in, every name and URL out, each computed exactly once.
// Renderers (lib/blueprints, lib/consumers, lib/edge, lib/reviewer-docs, lib/constructs) only read from the AuthModel.
//
// derive() is the one entry point. It turns each service into typed integrations
// (patterns.ts: a union on `kind`, several per service possible) and hands each concern to its
// deriver in derivers/: groups, oidc-apps, proxy-apps, agents, kubectl, authentik (with Cilium
// and Talos), consumers (ArgoCD, Grafana, repo paths) and retired. The model's shape is in
// types.ts; docs/derived-facts.md lists where each fact is derived.
import { deriveGitOps } from './derivers/gitops';
import type { ClusterConfig } from '../config/schema';
import { deriveEdge } from './edge';
import { integrationsOf, ofKind } from './patterns';
import type { AuthModel, ClientSecret, OidcApp } from './types';
import { deriveAgents } from './derivers/agents';
import { deriveAuthentik, deriveCilium, deriveTalos, deriveVerifyHook, loadBalancerNames } from './derivers/authentik';
import { deriveConsumers } from './derivers/consumers';
import { deriveGroups } from './derivers/groups';
import { deriveApiserverIssuers, deriveKubectlApps } from './derivers/kubectl';
import { deriveOidcApps } from './derivers/oidc-apps';
import { deriveProxyApps, derivePublicApps } from './derivers/proxy-apps';
import { deriveRetired } from './derivers/retired';
import { deriveSecrets, withGenerationMarkers } from './derivers/secrets';
import { authentikContext } from './derivers/shared';
import { PHASES, hostOf, oldHostStandIns, retiredStandIns } from './migration';
import { passThroughRef, sharedBlueprints } from './identity';

export type * from './types';
export { AUTHENTIK_CHART_REPO } from './derivers/authentik';
export { ARGOCD_CHART_REPO } from './derivers/consumers';
export { PROXY_APPS_PER_BLUEPRINT } from './derivers/proxy-apps';
export { appPasswordHexBytes } from './derivers/agents';
export { clientIdOf, integrationsOf, providerIdentifiers, providerName, serviceAccountOf, type Integration } from './patterns';
export { AUTHENTIK_ROUTE } from './edge';
// Upstream conventions live in lib/upstream/conventions.ts; re-exported for the modules that import them from here.
export {
  ARGOCD_CLI_CALLBACK,
  ARGOCD_SECRET,
  AUTHENTIK_BLUEPRINTS,
  DEFAULT_CERTIFICATE,
  DEFAULT_FLOWS,
  EMBEDDED_OUTPOST,
  GRAFANA_ENV,
  KUBELOGIN_CALLBACKS,
  SCOPE_MAPPINGS,
} from '../upstream/conventions';

/** An OIDC app with a client secret: every one but a public (PKCE) client. */
export type ConfidentialApp = OidcApp & { clientSecret: ClientSecret };
export const confidentialApps = (m: Pick<AuthModel, 'oidcApps'>): ConfidentialApp[] =>
  m.oidcApps.filter((a): a is ConfidentialApp => !!a.clientSecret);
/** Confidential apps whose secret the blueprint sets from Authentik's Secret (secretMode managed). */
export const managedSecretApps = (m: Pick<AuthModel, 'oidcApps'>): ConfidentialApp[] =>
  confidentialApps(m).filter((a) => a.clientSecret.mode === 'managed');
/** The secret of a consumer that is always confidential (validation allows PKCE for ArgoCD only). */
export function secretOf(app: OidcApp): ClientSecret {
  if (!app.clientSecret) throw new Error(`internal: the ${app.slug} client is public and has no secret`);
  return app.clientSecret;
}

export function derive(c: ClusterConfig): AuthModel {
  const ak = authentikContext(c);
  const integrations = c.services.filter((s) => !s.retired).flatMap(integrationsOf);
  // A domain move (docs/changing-domains.md): the old hosts are served by stand-ins until done.
  const mig = ak.migration;
  const standIns = oldHostStandIns(mig, c.services);
  const derivedAgents = deriveAgents(ofKind(integrations, 'agent'), ak, c.kubernetes.usernamePrefix, c.cluster.name);
  const kubectlApps = deriveKubectlApps(ofKind(integrations, 'kubectl'), c, ak);
  const edge = deriveEdge(c, {
    // Authentik's own route keeps its name on the destination; the old host gets a route of its own.
    authentikHost: hostOf(ak.destination),
    ...(mig?.authentik && PHASES[mig.phase].oldServed ? { oldAuthentikHost: hostOf(mig.authentik.from) } : {}),
    oldHostStandIns: standIns,
    authentikNamespace: c.authentik.namespace,
    releaseName: c.authentik.chart.releaseName,
    lbUpstream: loadBalancerNames(c).edgeUpstream,
  });
  const consumers = deriveConsumers(c);
  const groups = deriveGroups(c);
  const forwardAuth = ofKind(integrations, 'forwardAuth');
  const proxyApps = deriveProxyApps([...forwardAuth, ...ofKind(standIns.flatMap(integrationsOf), 'forwardAuth')], mig);
  // A service with oidc and forward auth keeps both in the forward-auth file (oidc-apps.ts).
  const besideForwardAuth = new Map(forwardAuth.map((i, n) => [i.service.slug, proxyApps[n].blueprint]));
  const derivedOidc = deriveOidcApps(ofKind(integrations, 'oidc'), ak, c.argocd.namespace, besideForwardAuth);
  // external-secrets mode: a value's generation is the blueprint's rotation marker.
  const secrets = deriveSecrets(c, derivedOidc, derivedAgents);
  const { apps: oidcApps, agents } = withGenerationMarkers(secrets, derivedOidc, derivedAgents);
  return {
    gitops: deriveGitOps(c),
    secrets,
    clusterName: c.cluster.name,
    domain: c.cluster.domain,
    authentik: deriveAuthentik(c, ak, edge),
    argocd: consumers.argocd,
    git: consumers.git,
    cilium: deriveCilium(c),
    repoPaths: consumers.repoPaths,
    kubernetes: consumers.kubernetes,
    talos: deriveTalos(c),
    traefik: consumers.traefik,
    edge,
    grafana: consumers.grafana,
    parentGroup: groups.parentGroup,
    groups: groups.groups,
    retiredGroups: groups.retiredGroups,
    ...(c.verify.postSyncHook.enabled ? { verifyHook: deriveVerifyHook(c) } : {}),
    oidcApps,
    proxyApps,
    publicApps: derivePublicApps(ofKind(integrations, 'public')),
    agents,
    kubectlApps,
    apiserverIssuers: deriveApiserverIssuers(agents, kubectlApps, ak),
    retired: deriveRetired([...c.services, ...retiredStandIns(mig, c.services)]),
    retiredObjects: c.retiredObjects.map((o) => ({ model: o.model, identifiers: { ...o.identifiers } })),
    blueprints: {
      ...sharedBlueprints(c),
      outpostAdopted: c.authentik.blueprints.outpost !== undefined,
      passThrough: c.authentik.passThrough.map(passThroughRef),
    },
    ...(mig ? { migration: mig } : {}),
  };
}

/** The OIDC app a consumer kind talks to, if configured. */
export const consumerApp = (m: AuthModel, consumer: OidcApp['consumer']) => m.oidcApps.find((a) => a.consumer === consumer);
