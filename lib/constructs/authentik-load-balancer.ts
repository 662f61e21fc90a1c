// The Cilium L2 LoadBalancer Service in front of the Authentik server pods, and optionally its
// own CiliumLoadBalancerIPPool and CiliumL2AnnouncementPolicy, both selecting only this Service.
// The Cilium classes are generated from Cilium's CRDs (`cdk8s import`, imports/cilium-*.ts).
import { Construct } from 'constructs';
import { IntOrString, KubeService } from '../../imports/k8s';
import { CiliumLoadBalancerIpPool, CiliumLoadBalancerIpPoolV2Alpha1 } from '../../imports/cilium-lb-ip-pool-cilium.io';
import { CiliumL2AnnouncementPolicy } from '../../imports/cilium-l2-announcement-policy-cilium.io';
import { ciliumIpPoolFormat, lbIpamAnnotation } from '../upstream/chart-versions';

/** The pods the Authentik chart labels as its server. */
const AUTHENTIK_SERVER_PODS: Readonly<Record<string, string>> = {
  'app.kubernetes.io/name': 'authentik',
  'app.kubernetes.io/component': 'server',
};

export interface AuthentikLoadBalancerProps {
  /** The Service's name, also the IP pool's and the L2 policy's. */
  readonly name: string;
  /** Authentik's namespace. */
  readonly namespace: string;
  /** The address Cilium LB-IPAM gives the Service. */
  readonly ip: string;
  /**
   * The cluster's Cilium version: it names the LB-IPAM annotation and picks the IP pool's
   * apiVersion and blocks field (docs/field-traps.md#lb-ipam).
   * @default - no Cilium: no LB-IPAM annotation, no IP pool, no L2 policy (the address is the operator's)
   */
  readonly ciliumVersion?: string;
  /**
   * The Service's labels; the IP pool and the L2 policy select the Service by them.
   * @default { 'app.kubernetes.io/name': name }
   */
  readonly labels?: Readonly<Record<string, string>>;
  /**
   * The Authentik server pods.
   * @default { 'app.kubernetes.io/name': 'authentik', 'app.kubernetes.io/component': 'server' }
   */
  readonly selector?: Readonly<Record<string, string>>;
  /** @default 9000 (the Authentik server's http port) */
  readonly httpPort?: number;
  /** @default 9443 (the Authentik server's https port) */
  readonly httpsPort?: number;
  /**
   * CIDR blocks of a CiliumLoadBalancerIPPool reserved for this Service. Leave unset when a pool
   * already covers them: Cilium allocates from neither of two overlapping pools.
   * @default - no pool
   */
  readonly ipPool?: ReadonlyArray<string>;
  /**
   * Node interfaces (regexes) a CiliumL2AnnouncementPolicy announces the Service on.
   * @default - no L2 policy
   */
  readonly l2Interfaces?: ReadonlyArray<string>;
}

export class AuthentikLoadBalancer extends Construct {
  readonly service: KubeService;
  readonly ipPool?: CiliumLoadBalancerIpPool | CiliumLoadBalancerIpPoolV2Alpha1;
  readonly l2Policy?: CiliumL2AnnouncementPolicy;

  constructor(scope: Construct, id: string, props: AuthentikLoadBalancerProps) {
    super(scope, id);
    const labels = { ...(props.labels ?? { 'app.kubernetes.io/name': props.name }) };
    this.service = new KubeService(this, 'Service', {
      metadata: {
        name: props.name,
        namespace: props.namespace,
        labels,
        // The LB-IPAM annotation's name depends on the Cilium version (docs/field-traps.md#lb-ipam);
        // without Cilium the Service requests no address (the operator's, manual-operations.yaml).
        ...(props.ciliumVersion ? { annotations: { [lbIpamAnnotation(props.ciliumVersion)]: props.ip } } : {}),
      },
      spec: {
        type: 'LoadBalancer',
        selector: { ...(props.selector ?? AUTHENTIK_SERVER_PODS) },
        ports: [
          { name: 'http', port: props.httpPort ?? 9000, targetPort: IntOrString.fromString('http'), protocol: 'TCP' },
          { name: 'https', port: props.httpsPort ?? 9443, targetPort: IntOrString.fromString('https'), protocol: 'TCP' },
        ],
      },
    });
    // Cluster-scoped, so no namespace.
    const serviceSelector = { matchLabels: { ...labels } };
    if (props.ipPool && props.ciliumVersion) this.ipPool = ipPool(this, props.name, props.ciliumVersion, props.ipPool, serviceSelector);
    if (props.l2Interfaces && props.ciliumVersion) {
      this.l2Policy = new CiliumL2AnnouncementPolicy(this, 'L2Policy', {
        metadata: { name: props.name },
        spec: { serviceSelector, interfaces: [...props.l2Interfaces], loadBalancerIPs: true },
      });
    }
  }
}

/** The pool in the shape the Cilium version serves (ciliumIpPoolFormat). */
function ipPool(
  scope: Construct,
  name: string,
  ciliumVersion: string,
  cidrs: ReadonlyArray<string>,
  serviceSelector: { matchLabels: Record<string, string> },
): CiliumLoadBalancerIpPool | CiliumLoadBalancerIpPoolV2Alpha1 {
  const format = ciliumIpPoolFormat(ciliumVersion);
  const poolProps = { metadata: { name }, spec: { blocks: cidrs.map((cidr) => ({ cidr })), serviceSelector } };
  if (format.apiVersion === CiliumLoadBalancerIpPool.GVK.apiVersion) return new CiliumLoadBalancerIpPool(scope, 'IpPool', poolProps);
  if (format.blocksField === 'cidrs') return new CidrsIpPool(scope, 'IpPool', poolProps);
  return new CiliumLoadBalancerIpPoolV2Alpha1(scope, 'IpPool', poolProps);
}

/**
 * Cilium before 1.15 called the pool's blocks `cidrs`. The generated class follows today's CRD
 * (and re-serializes through it, dropping unknown fields), so the field is renamed on output.
 */
class CidrsIpPool extends CiliumLoadBalancerIpPoolV2Alpha1 {
  override toJson(): unknown {
    const json = super.toJson() as { spec: { blocks?: unknown } & Record<string, unknown> };
    const { blocks, ...rest } = json.spec;
    return { ...json, spec: { cidrs: blocks, ...rest } };
  }
}
