// dist/authentik-extras/: raw manifests next to the Authentik chart. Blueprint ConfigMaps, the
// Cilium L2 LoadBalancer Service (and its optional pool and L2 policy), and the
// ClusterRoleBindings for OIDC groups; the opt-in PostSync verify hook.
import { Construct } from 'constructs';
import type { AuthModel } from '../model/derive';
import type { Blueprint } from '../upstream/blueprint-types';
import { BlueprintConfigMap } from './blueprint-configmap';
import { AuthentikLoadBalancer } from './authentik-load-balancer';
import { GroupClusterRoleBinding } from './group-bindings';
import { VerifyHook } from './verify-hook';
import { expectedInstances } from '../blueprints/instances';

export interface AuthentikExtrasProps {
  /** The derived model: `derive(parseConfig(input))` (lib/model/derive.ts). */
  readonly model: AuthModel;
  /** The blueprints of that model (`buildBlueprints(model)`), one ConfigMap each. */
  readonly blueprints: ReadonlyArray<Blueprint>;
}

export class AuthentikExtras extends Construct {
  readonly blueprintConfigMaps: ReadonlyArray<BlueprintConfigMap>;
  readonly loadBalancer: AuthentikLoadBalancer;
  readonly clusterRoleBindings: ReadonlyArray<GroupClusterRoleBinding>;
  /** The PostSync check, when verify.postSyncHook.enabled. */
  readonly verifyHook?: VerifyHook;

  constructor(scope: Construct, id: string, props: AuthentikExtrasProps) {
    super(scope, id);
    const m = props.model;
    this.blueprintConfigMaps = props.blueprints.map(
      (blueprint) => new BlueprintConfigMap(this, `configmap-${blueprint.configMapName}`, { blueprint, namespace: m.authentik.namespace }),
    );
    const lb = m.authentik.loadBalancer;
    this.loadBalancer = new AuthentikLoadBalancer(this, 'lb', {
      name: lb.serviceName,
      namespace: m.authentik.namespace,
      ip: lb.ip,
      ciliumVersion: m.cilium.version,
      labels: lb.serviceLabels,
      selector: m.authentik.serverSelector,
      httpPort: lb.httpPort,
      httpsPort: lb.httpsPort,
      ...(m.cilium.ipPool ? { ipPool: m.cilium.ipPool.cidrs } : {}),
      ...(m.cilium.l2Policy ? { l2Interfaces: m.cilium.l2Policy.interfaces } : {}),
    });
    this.clusterRoleBindings = m.groups.flatMap((g) =>
      g.kubernetesRole
        ? [
            new GroupClusterRoleBinding(this, `clusterrolebinding-${g.clusterRoleBindingName}`, {
              group: g.rbacSubject,
              clusterRole: g.kubernetesRole,
              name: g.clusterRoleBindingName,
            }),
          ]
        : [],
    );
    if (m.verifyHook)
      this.verifyHook = new VerifyHook(this, 'verify', {
        ...m.verifyHook,
        namespace: m.authentik.namespace,
        expected: expectedInstances(props.blueprints),
      });
  }
}
