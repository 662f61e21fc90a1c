// Every group referenced anywhere must exist in the groups blueprint: a reference to a group
// Authentik never creates is a login that silently gets no role, or a `!Find` that resolves to
// null. Sources: ArgoCD policy.csv, Grafana role_attribute_path, ClusterRoleBinding Group
// subjects, blueprint `!Find [authentik_core.group, [name, …]]` (the agents' service accounts),
// the groups each application's access policy expression names, and the model's own references.
import type { SynthResult } from '../output/render';
import { MODEL } from '../upstream/authentik-models';
import { parseAccessExpression } from '../blueprints/access';
import { OUTPUT } from '../base/paths';
import { blueprintNamed, docAt, groupFinds, k8sObjects, list, valuesOfKey, where } from './rendered';
import { valueAt, asString } from '../base/records';

/** Groups named by `contains(groups[*], <string>)` in a Grafana role_attribute_path (both forms jmespathString writes). */
export function grafanaPathGroups(expr: string): string[] {
  return [...expr.matchAll(/contains\(\s*groups\[\*\]\s*,\s*(?:'((?:[^'\\]|\\.)*)'|`((?:[^`\\]|\\.)*)`)\s*\)/g)].map((m) =>
    m[1] !== undefined ? m[1].replace(/\\'/g, "'") : jsonLiteral(m[2]),
  );
}

/** A JMESPath JSON literal's string; text that is not JSON stays as it is, so it is reported, not skipped. */
function jsonLiteral(text: string): string {
  try {
    const v: unknown = JSON.parse(text);
    return typeof v === 'string' ? v : text;
  } catch {
    return text;
  }
}

/** Groups named by `g, <group>, <role>` lines of an ArgoCD policy.csv (bare or "quoted", as policyCsvField writes). */
export function policyCsvGroups(csv: string): string[] {
  return csv
    .split('\n')
    .map((l) => /^\s*g\s*,\s*(?:"((?:[^"]|"")*)"|([^,"]+?))\s*,/.exec(l))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => (m[1] !== undefined ? m[1].replace(/""/g, '"') : m[2]));
}

export function checkGroupReferences(r: SynthResult): string[] {
  const m = r.model;
  const groupsBp = blueprintNamed(r, m.blueprints.groups.name);
  if (!groupsBp) return [`the groups blueprint ${m.blueprints.groups.name} is not rendered`];
  const defined = new Set(
    groupsBp.entries.filter((e) => e.model === MODEL.group && e.state !== 'absent').map((e) => asString(e.identifiers.name) ?? ''),
  );

  const refs: Array<{ group: string; from: string }> = [];
  const csv = asString(valueAt(docAt(r, OUTPUT.argocdValues), 'configs', 'rbac', 'policy.csv'));
  if (csv) for (const g of policyCsvGroups(csv)) refs.push({ group: g, from: `${OUTPUT.argocdValues} policy.csv` });

  for (const { value } of valuesOfKey(docAt(r, OUTPUT.grafanaValues), 'role_attribute_path')) {
    if (typeof value === 'string')
      for (const g of grafanaPathGroups(value)) refs.push({ group: g, from: `${OUTPUT.grafanaValues} role_attribute_path` });
  }

  const prefix = m.kubernetes.groupsPrefix;
  for (const { file, obj } of k8sObjects(r, 'ClusterRoleBinding')) {
    for (const s of (obj.subjects as Array<{ kind?: string; name?: string }> | undefined) ?? []) {
      // A subject without the prefix is reported by checkRbac; the name is still checked here.
      if (s.kind === 'Group' && s.name)
        refs.push({ group: s.name.startsWith(prefix) ? s.name.slice(prefix.length) : s.name, from: `${file} subject` });
    }
  }

  for (const bp of r.blueprints) {
    for (const e of bp.entries) {
      if (e.state === 'absent') continue;
      for (const g of groupFinds([e.identifiers, e.attrs])) refs.push({ group: g, from: `${where(bp)} ${e.model} !Find` });
      if (e.model === MODEL.expressionPolicy && typeof e.attrs?.expression === 'string') {
        const allowed = parseAccessExpression(e.attrs.expression);
        if (allowed === undefined)
          refs.push({ group: '(unreadable expression)', from: `${where(bp)} access policy ${asString(e.identifiers.name)}` });
        else if (allowed !== 'any')
          for (const g of allowed) refs.push({ group: g, from: `${where(bp)} access policy ${asString(e.identifiers.name)}` });
      }
    }
  }

  for (const a of [...m.oidcApps, ...m.proxyApps, ...m.kubectlApps])
    for (const g of a.allowedGroups ?? []) refs.push({ group: g, from: `model ${a.slug}.allowedGroups` });
  for (const a of m.agents) refs.push({ group: a.group, from: `model agent ${a.slug}.group` });

  const out = new Set<string>();
  for (const { group, from } of refs) {
    if (!defined.has(group)) {
      out.add(
        `${from} references group "${group}", which the groups blueprint (${groupsBp.fileName}) does not define (defined: ${list([...defined])})`,
      );
    }
  }
  return [...out];
}
