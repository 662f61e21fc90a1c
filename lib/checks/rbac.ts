// A ClusterRoleBinding must be able to match a real token (docs/field-traps.md#rbac-subjects): its Group subject is
// the groups-claim prefix the apiserver adds plus a group Authentik puts in the claim. For an
// agents group that means some agent's service account (the user its client-credentials tokens
// are issued for) is a member of it in the agent blueprint; a client-credentials token without
// such a user carries no groups at all. For a people group it means a client whose issuer the
// rendered Talos patch trusts, whose provider maps the profile scope (the groups claim), and whose
// application's access policy admits the group (or every authenticated user).
import type { SynthResult } from '../output/render';
import { MODEL } from '../upstream/authentik-models';
import { Find, KeyOf } from '../upstream/blueprint-tags';
import { parseAccessExpression } from '../blueprints/access';
import { SCOPE_MAPPINGS, authentikIssuer } from '../upstream/conventions';
import { OUTPUT, isTalosFile } from '../base/paths';
import { apiserverOidc, asArray, groupFinds, isObj, k8sObjects, list, oauth2ByClientId, presentEntries, where } from './rendered';
import { valueAt, asString } from '../base/records';

/**
 * For each provider whose tokens the apiserver trusts and that puts groups in them: the groups
 * its application admits (undefined = every user), read from the rendered blueprints.
 */
function peopleClients(r: SynthResult): Array<{ clientId: string; admits?: string[] }> {
  // Without a talos block the operator configures the apiserver with the model's issuers (manual-operations.yaml).
  const trusted = new Set(
    r.model.talos
      ? r.files
          .filter((f) => f.path === OUTPUT.talosPatch)
          .flatMap((f) => (f.docs ?? []).flatMap(apiserverOidc))
          .map((o) => o.issuer)
      : r.model.apiserverIssuers.map((i) => i.issuer),
  );
  const out: Array<{ clientId: string; admits?: string[] }> = [];
  for (const [clientId, hit] of oauth2ByClientId(r)) {
    if (!hit.slug || !trusted.has(authentikIssuer(r.model.authentik.url, hit.slug))) continue;
    const profile = asArray(hit.provider.attrs?.property_mappings).some(
      (f) =>
        f instanceof Find && f.model === MODEL.scopeMapping && f.query.some(([k, v]) => k === 'managed' && v === SCOPE_MAPPINGS.profile),
    );
    if (!profile) continue;
    // The application's access: the expression policies bound to it (every one must pass).
    const appEntry = hit.bp.entries.find((e) => e.model === MODEL.application && e.state !== 'absent' && e.identifiers.slug === hit.slug);
    const policyIds = hit.bp.entries
      .filter(
        (e) =>
          e.model === MODEL.policyBinding &&
          e.state !== 'absent' &&
          e.identifiers.target instanceof KeyOf &&
          e.identifiers.target.id === appEntry?.id,
      )
      .map((e) => (e.identifiers.policy instanceof KeyOf ? e.identifiers.policy.id : undefined));
    let admits: string[] | undefined;
    for (const id of policyIds) {
      const policy = hit.bp.entries.find((e) => e.id === id && e.model === MODEL.expressionPolicy);
      const allowed = policy
        ? parseAccessExpression(typeof policy.attrs?.expression === 'string' ? policy.attrs.expression : '')
        : undefined;
      // An unreadable policy admits nobody we can prove; `any` narrows nothing.
      if (allowed === undefined) admits = [];
      else if (allowed !== 'any') admits = admits ? admits.filter((g) => allowed.includes(g)) : [...allowed];
    }
    out.push({ clientId: String(clientId), admits });
  }
  return out;
}

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
    for (const g of groupFinds(valueAt(e.attrs, 'groups'))) members.set(g, [...(members.get(g) ?? []), username]);
  }

  const people = peopleClients(r);
  for (const { file, obj } of k8sObjects(r, 'ClusterRoleBinding')) {
    const role = String(valueAt(obj, 'roleRef', 'name'));
    for (const s of asArray(obj.subjects).filter(isObj)) {
      if (s.kind !== 'Group') continue;
      const name = String(s.name);
      if (!name.startsWith(prefix)) {
        out.push(
          `${file}: Group subject "${name}" lacks the groups prefix "${prefix}" the apiserver adds to every group, so it never matches a token (expected "${prefix}${name}")`,
        );
        continue;
      }
      const groupName = name.slice(prefix.length);
      const group = m.groups.find((g) => g.name === groupName);
      if (!group) {
        out.push(
          `${file}: Group subject "${name}" is no configured group with the prefix "${prefix}" (groups: ${list(m.groups.map((g) => g.name))})`,
        );
        continue;
      }
      if (group.members === 'people' && !people.some((c) => !c.admits || c.admits.includes(groupName))) {
        out.push(
          `${file}: binds ${role} to people group "${groupName}", but no OIDC client whose issuer ${OUTPUT.talosPatch} trusts both maps the profile scope (groups claim) and admits that group (clients: ${list(people.map((c) => c.clientId))}); no person's token carries it, so the binding never matches`,
        );
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
      out.push(
        `${mapping.file} makes the apiserver prefix groups with "${mapping.prefix}", but the ClusterRoleBindings in ${`${OUTPUT.extrasDir}/`} expect "${prefix}"`,
      );
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
    else if (!groupFinds(valueAt(user.e.attrs, 'groups')).includes(a.group)) {
      out.push(`${where(user.bp)}: service account "${a.serviceAccount}" of agent ${a.slug} is not a member of its group "${a.group}"`);
    }
  }
  return out;
}
