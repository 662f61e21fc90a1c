// A managed group's ClusterRole, granted to the Group subject its tokens carry (the groups-claim
// prefix plus the group name, docs/field-traps.md#rbac-subjects), with cdk8s-plus's L2 construct.
import { Construct } from 'constructs';
import { ClusterRole, ClusterRoleBinding, Group } from 'cdk8s-plus-28';
import type { ModelGroup } from '../lib/model/derive';

export interface GroupClusterRoleBindingProps {
  /** A group with a `kubernetesRole`. */
  readonly group: ModelGroup & { kubernetesRole: string };
}

export class GroupClusterRoleBinding extends Construct {
  readonly binding: ClusterRoleBinding;

  constructor(scope: Construct, id: string, props: GroupClusterRoleBindingProps) {
    super(scope, id);
    const g = props.group;
    // The role is part of the name: roleRef is immutable, so a new role is a new binding.
    this.binding = new ClusterRoleBinding(this, 'Resource', {
      metadata: { name: g.clusterRoleBindingName },
      role: ClusterRole.fromClusterRoleName(this, 'Role', g.kubernetesRole),
    });
    this.binding.addSubjects(Group.fromName(this, 'Subject', g.rbacSubject));
  }
}
