// Groups: the parent group, each active group with its RBAC subject and ClusterRoleBinding name,
// and the retired groups to delete.
import type { ClusterConfig } from '../../config/schema';
import type { AuthModel, ModelGroup } from '../types';

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
      // The role is part of the name: roleRef is immutable, so a new role must be a new binding
      // (the old one is pruned by the authentik-extras Application).
      // '.' cannot occur in either name, so two groups never collide (a-b + c vs a + b-c).
      clusterRoleBindingName: g.kubernetes ? `authentik-${g.name}.${g.kubernetes}` : `authentik-${g.name}`,
      blueprintId: `group-${g.name}`,
    }));
  return {
    parentGroup: { name: c.groupParent, blueprintId: `group-${c.groupParent}` },
    groups,
    retiredGroups: c.groups.filter((g) => g.retired).map((g) => g.name),
  };
}
