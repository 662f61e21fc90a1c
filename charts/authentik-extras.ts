// dist/authentik-extras/: raw manifests next to the chart. Blueprint ConfigMaps, the Cilium L2
// LoadBalancer Service, and the ClusterRoleBindings for OIDC groups.
import { ApiObject, Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import { IntOrString, KubeClusterRoleBinding, KubeConfigMap, KubeService } from '../imports/k8s';
import type { AuthModel } from '../lib/model/derive';
import type { Blueprint } from '../lib/blueprints/types';
import { BLUEPRINT_LABEL, renderBlueprint } from '../lib/blueprints/build';

export interface AuthentikExtrasChartProps {
  readonly model: AuthModel;
  readonly blueprints: ReadonlyArray<Blueprint>;
}

export class AuthentikExtrasChart extends Chart {
  constructor(scope: Construct, id: string, props: AuthentikExtrasChartProps) {
    super(scope, id, { disableResourceNameHashes: true });
    const m = props.model;

    for (const bp of props.blueprints) {
      new KubeConfigMap(this, `configmap-${bp.configMapName}`, {
        metadata: { name: bp.configMapName, namespace: m.authentik.namespace, labels: { ...BLUEPRINT_LABEL } },
        data: { [bp.fileName]: renderBlueprint(bp) },
      });
    }

    const lb = m.authentik.loadBalancer;
    new KubeService(this, 'lb', {
      metadata: {
        name: lb.serviceName,
        namespace: m.authentik.namespace,
        labels: { ...lb.serviceLabels },
        annotations: { [lb.annotation]: lb.ip },
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

    // Optional Cilium objects, both selecting only this Service (cluster-scoped).
    const selectService = { matchLabels: { ...lb.serviceLabels } };
    const pool = m.cilium.ipPool;
    if (pool) {
      new ApiObject(this, 'ip-pool', {
        apiVersion: pool.apiVersion,
        kind: 'CiliumLoadBalancerIPPool',
        metadata: { name: pool.name },
        spec: { [pool.blocksField]: pool.cidrs.map((cidr) => ({ cidr })), serviceSelector: selectService },
      });
    }
    const l2 = m.cilium.l2Policy;
    if (l2) {
      new ApiObject(this, 'l2-policy', {
        apiVersion: 'cilium.io/v2alpha1',
        kind: 'CiliumL2AnnouncementPolicy',
        metadata: { name: l2.name },
        spec: { serviceSelector: selectService, interfaces: l2.interfaces, loadBalancerIPs: true },
      });
    }

    for (const g of m.groups.filter((x) => x.kubernetesRole)) {
      new KubeClusterRoleBinding(this, `clusterrolebinding-${g.clusterRoleBindingName}`, {
        metadata: { name: g.clusterRoleBindingName },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: g.kubernetesRole! },
        subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: g.rbacSubject }],
      });
    }
  }
}
