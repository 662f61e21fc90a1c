// Rules on group names and parents that span entries (docs/names.md). Authentik keeps group
// names as free text; what is refused here is only what Authentik or a consumer cannot carry.
import type { ClusterConfig } from '../config/schema';

type Group = ClusterConfig['groups'][number];

interface GroupRule {
  /** One line per problem of groups[i], given the groups listed before it. */
  problems: (g: Group, at: string, before: ReadonlySet<string>, c: ClusterConfig) => string[];
}

// A line break or other control character cannot be carried by ArgoCD's policy.csv: its rules are
// read one line at a time before the CSV fields are split.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f]/;

export const GROUP_RULES: ReadonlyArray<GroupRule> = [
  {
    // Authentik's blueprint importer resolves !KeyOf only to an entry it has already applied
    // (authentik/blueprints/v1/common.py, KeyOf.resolve), so a parent must come first.
    problems: (g, at, before, c) =>
      (g.parents ?? []).flatMap((p, j) =>
        p === c.groupParent || before.has(p)
          ? []
          : [
              p === g.name
                ? `${at}.parents[${j}]: "${p}" is the group itself`
                : `${at}.parents[${j}]: "${p}" is not the groupParent or a group listed before ${at} (a parent must come first)`,
            ],
      ),
  },
  {
    problems: (g, at) =>
      g.argocd && CONTROL.test(g.name)
        ? [
            `${at}.name: ${JSON.stringify(g.name)} has a line break or control character, which ArgoCD's policy.csv (one rule per line) cannot carry; rename the group or drop ${at}.argocd`,
          ]
        : [],
  },
];

/** Every rule on every active group; retired groups are tombstones and cannot be parents. */
export function groupRuleProblems(c: ClusterConfig): string[] {
  const before = new Set<string>();
  const out: string[] = [];
  c.groups.forEach((g, i) => {
    if (!g.retired) for (const rule of GROUP_RULES) out.push(...rule.problems(g, `groups[${i}]`, before, c));
    if (!g.retired) before.add(g.name);
  });
  return out;
}
