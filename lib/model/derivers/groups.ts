// Groups: the parent group, each active group with its RBAC subject and ClusterRoleBinding name,
// and the retired groups to delete.
import type { ClusterConfig } from '../../config/schema';
import type { AuthModel, ModelGroup } from '../types';
import { clusterRoleBindingNameOf } from '../identity';

export function deriveGroups(c: ClusterConfig): Pick<AuthModel, 'parentGroup' | 'groups' | 'retiredGroups'> {
  const groups = c.groups
    .filter((g) => !g.retired)
    .map((g): ModelGroup => ({
      name: g.name,
      superuser: g.superuser,
      members: g.members,
      kubernetesRole: g.kubernetes,
      argocdRole: g.argocd,
      grafanaRole: g.grafana,
      rbacSubject: `${c.kubernetes.groupsPrefix}${g.name}`,
      clusterRoleBindingName: clusterRoleBindingNameOf(g),
      blueprintId: `group-${g.name}`,
    }));
  return {
    parentGroup: { name: c.groupParent, blueprintId: `group-${c.groupParent}` },
    groups,
    retiredGroups: c.groups.filter((g) => g.retired).map((g) => g.name),
  };
}
