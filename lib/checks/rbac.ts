// A ClusterRoleBinding must be able to match a real token (docs/field-traps.md#rbac-subjects): its Group subject is
// the groups-claim prefix the apiserver adds plus a group Authentik puts in the claim. For an
// agents group that means some agent's service account (the user its client-credentials tokens
// are issued for) is a member of it in the agent blueprint; a client-credentials token without
// such a user carries no groups at all.
import type { SynthResult } from '../synth';
import { MODEL } from '../blueprints/models';
import { OUTPUT, isTalosFile } from '../paths';
import { apiserverOidc, asArray, asString, get, groupFinds, isObj, k8sObjects, list, presentEntries, where } from './util';

/** The groups prefix (and claim) the rendered Talos files give the apiserver, per issuer. */
function apiserverGroupMappings(r: SynthResult): Array<{ file: string; prefix: string; claim?: string }> {
  return r.files
    .filter((f) => isTalosFile(f.path))
    .flatMap((f) => (f.docs ?? []).flatMap(apiserverOidc).map((o) => ({ file: f.path, prefix: o.groupsPrefix, claim: o.groupsClaim })));
}

export function checkRbac(r: SynthResult): string[] {
  const m = r.model;
  const out: string[] = [];
  const prefix = m.kubernetes.groupsPrefix;

  // Service accounts placed in each group by the blueprints (members whose tokens carry it).
  const agentUsers = new Set(m.agents.map((a) => a.serviceAccount));
  const members = new Map<string, string[]>();
  for (const { e } of presentEntries(r, MODEL.user)) {
    const username = asString(e.identifiers.username) ?? '';
    for (const g of groupFinds(get(e.attrs, 'groups'))) members.set(g, [...(members.get(g) ?? []), username]);
  }

  for (const { file, obj } of k8sObjects(r, 'ClusterRoleBinding')) {
    const role = String(get(obj, 'roleRef', 'name'));
    for (const s of asArray(obj.subjects).filter(isObj)) {
      if (s.kind !== 'Group') continue;
      const name = String(s.name);
      if (!name.startsWith(prefix)) {
        out.push(`${file}: Group subject "${name}" lacks the groups prefix "${prefix}" the apiserver adds to every group, so it never matches a token (expected "${prefix}${name}")`);
        continue;
      }
      const groupName = name.slice(prefix.length);
      const group = m.groups.find((g) => g.name === groupName);
      if (!group) {
        out.push(`${file}: Group subject "${name}" is no configured group with the prefix "${prefix}" (groups: ${list(m.groups.map((g) => g.name))})`);
        continue;
      }
      if (group.members === 'agents') {
        const accounts = (members.get(groupName) ?? []).filter((u) => agentUsers.has(u));
        if (!accounts.length) {
          out.push(
            `${file}: binds ${role} to agents group "${groupName}", but no agent service account is a member of it in the agent blueprint (members: ${list(members.get(groupName) ?? [])}); a client-credentials token never carries the group, so the binding never matches`,
          );
        }
      }
    }
  }

  // The prefix the binding names must be the prefix the apiserver really adds.
  for (const mapping of apiserverGroupMappings(r)) {
    if (mapping.prefix !== prefix) {
      out.push(`${mapping.file} makes the apiserver prefix groups with "${mapping.prefix}", but the ClusterRoleBindings in ${`${OUTPUT.extrasDir}/`} expect "${prefix}"`);
    }
    if (mapping.claim !== undefined && mapping.claim !== m.kubernetes.groupsClaim) {
      out.push(`${mapping.file} reads groups from claim "${mapping.claim}", but the model's groups claim is "${m.kubernetes.groupsClaim}"`);
    }
  }

  // Every agent's account must exist and be in its group.
  const agentBp = r.blueprints.find((b) => b.name === m.blueprints.agents.name);
  for (const a of m.agents) {
    const user = presentEntries(r, MODEL.user).find(({ e }) => e.identifiers.username === a.serviceAccount);
    if (!user) out.push(`agent ${a.slug}: no service account "${a.serviceAccount}" in ${agentBp ? where(agentBp) : 'any blueprint'}`);
    else if (!groupFinds(get(user.e.attrs, 'groups')).includes(a.group)) {
      out.push(`${where(user.bp)}: service account "${a.serviceAccount}" of agent ${a.slug} is not a member of its group "${a.group}"`);
    }
  }
  return out;
}
