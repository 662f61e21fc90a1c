// The Cilium L2 LoadBalancer Service in front of the Authentik server pods, and optionally its
// own CiliumLoadBalancerIPPool and CiliumL2AnnouncementPolicy, both selecting only this Service.
// The Cilium classes are generated from Cilium's CRDs (`cdk8s import`, imports/cilium-*.ts).
import { Construct } from 'constructs';
import { IntOrString, KubeService } from '../imports/k8s';
import { CiliumLoadBalancerIpPool, CiliumLoadBalancerIpPoolV2Alpha1 } from '../imports/cilium-lb-ip-pool-cilium.io';
import { CiliumL2AnnouncementPolicy } from '../imports/cilium-l2-announcement-policy-cilium.io';
import type { AuthModel } from '../lib/model/derive';

export interface AuthentikLoadBalancerProps {
  readonly model: AuthModel;
}

export class AuthentikLoadBalancer extends Construct {
  readonly service: KubeService;
  readonly ipPool?: CiliumLoadBalancerIpPool | CiliumLoadBalancerIpPoolV2Alpha1;
  readonly l2Policy?: CiliumL2AnnouncementPolicy;

  constructor(scope: Construct, id: string, props: AuthentikLoadBalancerProps) {
    super(scope, id);
    const m = props.model;
    const lb = m.authentik.loadBalancer;
    this.service = new KubeService(this, 'Service', {
      metadata: {
        name: lb.serviceName,
        namespace: m.authentik.namespace,
        labels: { ...lb.serviceLabels },
        // The LB-IPAM annotation's name depends on the Cilium version (docs/field-traps.md#lb-ipam);
        // without Cilium the Service requests no address (the operator's, manual-operations.yaml).
        ...(lb.annotation ? { annotations: { [lb.annotation]: lb.ip } } : {}),
      },
      spec: {
        type: 'LoadBalancer',
        selector: { ...m.authentik.serverSelector },
        ports: [
          { name: 'http', port: lb.httpPort, targetPort: IntOrString.fromString('http'), protocol: 'TCP' },
          { name: 'https', port: lb.httpsPort, targetPort: IntOrString.fromString('https'), protocol: 'TCP' },
        ],
      },
    });

    // Cluster-scoped, so no namespace.
    const serviceSelector = { matchLabels: { ...lb.serviceLabels } };
    const pool = m.cilium.ipPool;
    if (pool) {
      const poolProps = { metadata: { name: pool.name }, spec: { blocks: pool.cidrs.map((cidr) => ({ cidr })), serviceSelector } };
      if (pool.apiVersion === CiliumLoadBalancerIpPool.GVK.apiVersion)
        this.ipPool = new CiliumLoadBalancerIpPool(this, 'IpPool', poolProps);
      else if (pool.blocksField === 'cidrs') this.ipPool = new CidrsIpPool(this, 'IpPool', poolProps);
      else this.ipPool = new CiliumLoadBalancerIpPoolV2Alpha1(this, 'IpPool', poolProps);
    }
    const l2 = m.cilium.l2Policy;
    if (l2) {
      this.l2Policy = new CiliumL2AnnouncementPolicy(this, 'L2Policy', {
        metadata: { name: l2.name },
        spec: { serviceSelector, interfaces: l2.interfaces, loadBalancerIPs: true },
      });
    }
  }
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
