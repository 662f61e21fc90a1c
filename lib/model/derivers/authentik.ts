// Authentik itself and the platform around it: the release, its Secrets, the LoadBalancer Service
// (and the Cilium pool and L2 policy that serve it), the endpoints, and the Talos apiserver patch.
import { PART_OF_LABEL, omniPatchIdOf } from '../identity';
import type { ClusterConfig } from '../../config/schema';
import { AUTHENTIK_SERVICE_HTTP_PORT, authentikServerService, type EdgeModel } from '../edge';
import type { AuthModel, VerifyHookModel } from '../types';
import { authentikEndpoints } from '../../upstream/conventions';
import { authenticationConfigApiVersion, ciliumIpPoolFormat, lbIpamAnnotation, talosAuthForm } from '../../upstream/chart-versions';
import type { AuthentikContext } from './shared';
import { OUTPUT, repoPath } from '../../base/paths';
import { deriveValuesLayering } from './values-layering';

export const AUTHENTIK_CHART_REPO = 'https://charts.goauthentik.io';

/** The LB Service's name (also the Cilium pool's and L2 policy's) and the edge's plain-http upstream. */
export function loadBalancerNames(c: ClusterConfig): { serviceName: string; edgeUpstream: string } {
  const lb = c.authentik.loadBalancer;
  return { serviceName: `${c.authentik.chart.releaseName}-server-lb`, edgeUpstream: `http://${lb.ip}:${lb.httpPort}` };
}

export function deriveAuthentik(c: ClusterConfig, ak: AuthentikContext, edge: EdgeModel): AuthModel['authentik'] {
  const lb = c.authentik.loadBalancer;
  const { serviceName, edgeUpstream } = loadBalancerNames(c);
  return {
    url: ak.url,
    host: ak.host,
    servedUrls: ak.served,
    namespace: c.authentik.namespace,
    chartRepo: AUTHENTIK_CHART_REPO,
    chartVersion: c.authentik.chart.version,
    minor: ak.minor,
    releaseName: c.authentik.chart.releaseName,
    secret: { ...c.authentik.secret },
    postgresqlSecret: { ...c.authentik.postgresqlSecret },
    loadBalancer: {
      serviceName,
      serviceLabels: { 'app.kubernetes.io/name': serviceName, ...PART_OF_LABEL },
      ip: lb.ip,
      pool: lb.pool,
      httpPort: lb.httpPort,
      httpsPort: lb.httpsPort,
      ...(c.cilium ? { annotation: lbIpamAnnotation(c.cilium.version) } : {}),
    },
    serverSelector: { 'app.kubernetes.io/name': 'authentik', 'app.kubernetes.io/component': 'server' },
    endpoints: authentikEndpoints(ak.url),
    edgeUpstream,
    outpostTraefikUrl: edge.forwardAuth.address,
    manageOutpostProviders: c.authentik.outpost.manageProviders,
    values: deriveValuesLayering(c.authentik, repoPath(c.git.path, OUTPUT.authentikValues)),
  };
}

export function deriveCilium(c: ClusterConfig): AuthModel['cilium'] {
  if (!c.cilium) return {};
  const { serviceName } = loadBalancerNames(c);
  return {
    version: c.cilium.version,
    ...(c.cilium.manageIpPool
      ? { ipPool: { name: serviceName, ...ciliumIpPoolFormat(c.cilium.version), cidrs: c.authentik.loadBalancer.pool } }
      : {}),
    ...(c.cilium.l2Interfaces ? { l2Policy: { name: serviceName, interfaces: c.cilium.l2Interfaces } } : {}),
  };
}

export function deriveTalos(c: ClusterConfig): AuthModel['talos'] {
  if (!c.talos) return undefined;
  const { omniPatchId: _id, ...talos } = c.talos;
  return {
    ...talos,
    form: talosAuthForm(c.talos.version, c.talos.apiServerAuth),
    authenticationConfigApiVersion: authenticationConfigApiVersion(c.talos.version),
    ...(c.talos.omniCluster
      ? { omniPatch: { id: omniPatchIdOf(c.talos, c.talos.omniCluster), machineSet: `${c.talos.omniCluster}-control-planes` } }
      : {}),
  };
}

/** The authentik chart's default image (global.image.repository); its tag defaults to the chart's appVersion, which is the chart's version. */
export const AUTHENTIK_SERVER_IMAGE = 'ghcr.io/goauthentik/server';

/** The PostSync check's Job and ConfigMap, beside the release's own objects. */
export const verifyHookName = (releaseName: string): string => `${releaseName}-verify`;

/** The opt-in in-cluster check (docs/verify.md#the-in-cluster-hook); undefined when it is off. */
export function deriveVerifyHook(c: ClusterConfig): VerifyHookModel | undefined {
  const h = c.verify.postSyncHook;
  if (!h.enabled) return undefined;
  const release = c.authentik.chart.releaseName;
  return {
    name: verifyHookName(release),
    image: `${AUTHENTIK_SERVER_IMAGE}:${c.authentik.chart.version}`,
    // Plain http inside the cluster, as Traefik's forward auth reaches it (lib/model/edge.ts).
    url: `http://${authentikServerService(release)}.${c.authentik.namespace}.svc.cluster.local:${AUTHENTIK_SERVICE_HTTP_PORT}`,
    tokenSecret: { ...h.tokenSecret },
    waitSeconds: h.waitSeconds,
  };
}
