// Groups: the parent group, each active group with its RBAC subject and ClusterRoleBinding name,
// and the retired groups to delete.
import type { ClusterConfig } from '../../config/schema';
import type { AuthModel, ModelGroup } from '../types';
import { clusterRoleBindingNameOf } from '../identity';

/** A group's entry id in the groups blueprint (free text: Authentik's KeyOf compares ids as strings). */
const groupBlueprintId = (name: string) => `group-${name}`;

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
      blueprintId: groupBlueprintId(g.name),
      parentIds: (g.parents ?? [c.groupParent]).map(groupBlueprintId),
    }));
  return {
    parentGroup: { name: c.groupParent, blueprintId: groupBlueprintId(c.groupParent) },
    groups,
    retiredGroups: c.groups.filter((g) => g.retired).map((g) => g.name),
  };
}
