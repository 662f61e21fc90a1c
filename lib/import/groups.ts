// Groups of the imported layer: the hierarchy under one parent, superusers, agent groups (a
// service account is a member), the ClusterRoleBinding of each (kubernetes and its name), and the
// ArgoCD role its policy.csv line gives it.
import { MODEL } from '../upstream/authentik-models';
import { type Doc, type ImportedBlueprint } from './read';
import { attrsOf, groupOfFind, idsOf, present, type DraftContext, type Located } from './context';
import { isRecord, valueAt, asString } from '../base/records';

export interface ImportedGroups {
  groups: Doc[];
  /** The parent most groups share (the config's groupParent). */
  groupParent?: string;
  /** The blueprints the groups are written in. */
  files: Set<ImportedBlueprint>;
}

/** Group -> ArgoCD role, from the `g, <group>, role:<name>` lines of the values' policy.csv. */
function argocdRolesOf(argocdValues: ReadonlyArray<Doc>): Map<string, string> {
  const argocdRoles = new Map<string, string>();
  for (const v of argocdValues) {
    const csv = asString(valueAt(v, 'configs', 'rbac', 'policy.csv')) ?? '';
    for (const line of csv.split('\n')) {
      const m = /^\s*g\s*,\s*([^,\s]+)\s*,\s*(role:[^,\s]+)\s*$/.exec(line);
      if (m) argocdRoles.set(m[1], m[2]);
    }
  }
  return argocdRoles;
}

type LayerObject = DraftContext['layer']['objects'][number];

/** The group's ClusterRoleBinding (the first that binds it) into `group`, with a note for each thing the config cannot carry. */
function takeBinding(ctx: DraftContext, crbs: ReadonlyArray<LayerObject>, group: Doc, name: string): void {
  const mine = crbs.filter((c) => {
    const subjects = Array.isArray(c.doc.subjects) ? c.doc.subjects : [];
    return subjects.some((s) => isRecord(s) && s.kind === 'Group' && s.name === name);
  });
  if (mine.length > 1)
    ctx.notes.push(
      `${mine[1].where}: ClusterRoleBinding ${String(valueAt(mine[1].doc, 'metadata', 'name'))} binds group "${name}" a second time; the config binds one ClusterRole per group`,
    );
  const crb = mine[0];
  if (!crb) return;
  const role = valueAt(crb.doc, 'roleRef', 'name');
  if (valueAt(crb.doc, 'roleRef', 'kind') === 'ClusterRole' && typeof role === 'string') group.kubernetes = role;
  else ctx.notes.push(`${crb.where}: ClusterRoleBinding for group "${name}" does not refer to a ClusterRole`);
  group.clusterRoleBindingName = valueAt(crb.doc, 'metadata', 'name');
  const others = (Array.isArray(crb.doc.subjects) ? crb.doc.subjects : []).filter((s) => !(isRecord(s) && s.name === name));
  if (others.length)
    ctx.notes.push(
      `${crb.where}: ClusterRoleBinding ${String(group.clusterRoleBindingName)} has other subjects besides group "${name}"; the generated one binds the group only`,
    );
}

export function importGroups(ctx: DraftContext, argocdValues: ReadonlyArray<Doc>): ImportedGroups {
  const groupEntries = ctx.byModel(MODEL.group);
  const parentsOf = (l: Located): string[] => {
    const ps = attrsOf(l.e).parents;
    return (Array.isArray(ps) ? ps : [])
      .map((p) => ctx.resolveRef(p, l.bp))
      .map((p) => (p ? asString(idsOf(p.e).name) : undefined))
      .filter((n): n is string => n !== undefined);
  };
  const presentGroups = groupEntries.filter((l) => present(l.e) && asString(idsOf(l.e).name));
  const parentCounts = new Map<string, number>();
  for (const g of presentGroups) for (const p of parentsOf(g)) parentCounts.set(p, (parentCounts.get(p) ?? 0) + 1);
  const groupParent = [...parentCounts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
  const serviceAccounts = ctx.byModel(MODEL.user).filter((l) => present(l.e) && attrsOf(l.e).type === 'service_account');
  const agentGroups = new Set(
    serviceAccounts.flatMap((u) => (Array.isArray(attrsOf(u.e).groups) ? (attrsOf(u.e).groups as unknown[]) : []).map(groupOfFind)),
  );
  const crbs = ctx.layer.objects.filter((o) => o.doc.kind === 'ClusterRoleBinding');
  const argocdRoles = argocdRolesOf(argocdValues);
  const groups: Doc[] = [];
  for (const g of presentGroups) {
    const name = asString(idsOf(g.e).name)!;
    // Several blueprints may each declare the group they bind to (one object in Authentik): keep one.
    if (groups.some((x) => x.name === name)) {
      ctx.used.add(g.e);
      continue;
    }
    if (name === groupParent) {
      ctx.used.add(g.e);
      continue;
    }
    ctx.used.add(g.e);
    const group: Doc = { name };
    // The live hierarchy is kept (parents: several allowed in 2026.x); only the usual single parent is the default.
    const parents = parentsOf(g);
    if (parents.length && (parents.length !== 1 || parents[0] !== groupParent)) group.parents = parents;
    else if (!parents.length)
      ctx.notes.push(`${ctx.at(g)}: group "${name}" has no parent; the config puts it under groupParent (${groupParent ?? 'root'})`);
    if (attrsOf(g.e).is_superuser === true) group.superuser = true;
    if (agentGroups.has(name)) group.members = 'agents';
    takeBinding(ctx, crbs, group, name);
    const argocd = argocdRoles.get(name);
    if (argocd === 'role:admin' || argocd === 'role:readonly') group.argocd = argocd;
    else if (argocd) ctx.notes.push(`ArgoCD policy.csv: group "${name}" has ${argocd}; the config maps groups to the built-in roles only`);
    const extra = Object.keys(attrsOf(g.e)).filter((k) => !['is_superuser', 'parents', 'name'].includes(k));
    if (extra.length) ctx.notes.push(`${ctx.at(g)}: group "${name}" sets ${extra.join(', ')}; the config does not carry these`);
    groups.push(group);
  }
  for (const c of crbs) {
    const subjects = Array.isArray(c.doc.subjects) ? c.doc.subjects : [];
    if (!subjects.some((s) => isRecord(s) && s.kind === 'Group' && groups.some((g) => g.name === s.name)))
      ctx.notes.push(
        `${c.where}: ClusterRoleBinding ${String(valueAt(c.doc, 'metadata', 'name'))} binds no imported group; it is not generated, and adopting would prune it if it lives in the synced directory`,
      );
  }
  if (groups.some((g) => !g.superuser) && argocdValues.length === 0 && groups.length)
    ctx.comments.set('groups', 'REVIEW: no ArgoCD values were imported, so groups have no argocd role yet');
  if (groups.length)
    ctx.comments.set(
      'groups[0]',
      'REVIEW: grafana roles (groups[].grafana) are not imported: set them as your Grafana role mapping has them',
    );

  return { groups: parentsFirst(ctx, groups, groupParent), groupParent, files: new Set(presentGroups.map((g) => g.bp)) };
}

/**
 * The config lists a parent before its children (a blueprint finds a parent only once it is
 * applied): groups in layer order, each moved after the parents it names. A parent the layer does
 * not define (an LDAP source's group) cannot be named by the config: it is dropped with a line.
 */
function parentsFirst(ctx: DraftContext, groups: Doc[], groupParent: string | undefined): Doc[] {
  const known = new Set(groups.map((g) => g.name as string));
  for (const g of groups) {
    const parents = (g.parents as string[] | undefined) ?? [];
    const kept = parents.filter((p) => p === groupParent || known.has(p));
    for (const p of parents.filter((x) => !kept.includes(x)))
      ctx.notes.push(
        `group "${String(g.name)}": parent "${p}" is not a group of the layer; the draft leaves it out (add that group to keep it)`,
      );
    if (parents.length && !kept.length) delete g.parents;
    else if (kept.length !== parents.length) g.parents = kept;
  }
  const out: Doc[] = [];
  const placed = new Set<string>();
  const place = (g: Doc, seen: Set<string>): void => {
    const name = g.name as string;
    if (placed.has(name) || seen.has(name)) return;
    seen.add(name);
    for (const p of (g.parents as string[] | undefined) ?? []) {
      const parent = groups.find((x) => x.name === p);
      if (parent) place(parent, seen);
    }
    placed.add(name);
    out.push(g);
  };
  for (const g of groups) place(g, new Set());
  return out;
}
