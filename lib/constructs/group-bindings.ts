// A group's ClusterRole, granted to the Group subject its tokens carry (the groups-claim prefix
// plus the group name, docs/field-traps.md#rbac-subjects), with cdk8s-plus's L2 construct.
import { Construct } from 'constructs';
// The two modules it uses, not cdk8s-plus's index, which loads every construct it has (Deployment,
// Pod, Ingress, ...) on every start (docs/design.md#start-up); imports/k8s.ts does the same.
import { ClusterRole } from 'cdk8s-plus-28/lib/role';
import { ClusterRoleBinding, Group } from 'cdk8s-plus-28/lib/role-binding';

export interface GroupClusterRoleBindingProps {
  /**
   * The Group subject as the apiserver sees it: the groups-claim prefix plus the group's name
   * (`oidc:root-developers` with prefix `oidc:`).
   */
  readonly group: string;
  /** The ClusterRole granted (`view`, `edit`, `cluster-admin` or one of yours). */
  readonly clusterRole: string;
  /**
   * The binding's name. roleRef is immutable, so a new role must be a new binding: keep the role
   * in the name.
   * @default `authentik-${group}.${clusterRole}`
   */
  readonly name?: string;
}

export class GroupClusterRoleBinding extends Construct {
  readonly binding: ClusterRoleBinding;

  constructor(scope: Construct, id: string, props: GroupClusterRoleBindingProps) {
    super(scope, id);
    this.binding = new ClusterRoleBinding(this, 'Resource', {
      metadata: { name: props.name ?? `authentik-${props.group}.${props.clusterRole}` },
      role: ClusterRole.fromClusterRoleName(this, 'Role', props.clusterRole),
    });
    this.binding.addSubjects(Group.fromName(this, 'Subject', props.group));
  }
}
