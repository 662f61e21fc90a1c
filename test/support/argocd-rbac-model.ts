// ArgoCD's RBAC as casbin evaluates it inside ArgoCD: its model (argo-cd assets/model.conf), its
// built-in policy (assets/builtin-policy.csv), the globOrRegexMatch function ArgoCD registers, and
// its default-role rule. Both texts are ArgoCD's documented data, copied verbatim from v3.5.1 and
// embedded as strings (the synth bundle reads no files); .ci/argocd-rbac-upstream.cjs checks them
// against the upstream files. Used by tests and CI to evaluate the generated policy.csv.
import { newEnforcer, newModelFromString, StringAdapter, type Enforcer } from 'casbin';

/** argo-cd v3.5.1 assets/model.conf (unchanged since v3.4.4). */
export const ARGOCD_RBAC_MODEL = `[request_definition]
r = sub, res, act, obj

[policy_definition]
p = sub, res, act, obj, eft

[role_definition]
g = _, _

[policy_effect]
e = some(where (p.eft == allow)) && !some(where (p.eft == deny))

[matchers]
m = g(r.sub, p.sub) && globOrRegexMatch(r.res, p.res) && globOrRegexMatch(r.act, p.act) && globOrRegexMatch(r.obj, p.obj)
`;

/** argo-cd v3.5.1 assets/builtin-policy.csv: role:readonly, role:admin, and admin -> role:admin. */
export const ARGOCD_BUILTIN_POLICY = `# Built-in policy which defines two roles: role:readonly and role:admin,
# and additionally assigns the admin user to the role:admin role.
# There are two policy formats:
# 1. Applications, applicationsets, logs, and exec (which belong to a project):
# p, <role/user/group>, <resource>, <action>, <project>/<object>, <allow/deny>
# 2. All other resources:
# p, <role/user/group>, <resource>, <action>, <object>, <allow/deny>

p, role:readonly, applications, get, */*, allow
p, role:readonly, applicationsets, get, */*, allow
p, role:readonly, certificates, get, *, allow
p, role:readonly, clusters, get, *, allow
p, role:readonly, repositories, get, *, allow
p, role:readonly, write-repositories, get, *, allow
p, role:readonly, projects, get, *, allow
p, role:readonly, accounts, get, *, allow
p, role:readonly, gpgkeys, get, *, allow
p, role:readonly, logs, get, */*, allow

p, role:admin, applications, create, */*, allow
p, role:admin, applications, update, */*, allow
p, role:admin, applications, update/*, */*, allow
p, role:admin, applications, delete, */*, allow
p, role:admin, applications, delete/*, */*, allow
p, role:admin, applications, sync, */*, allow
p, role:admin, applications, override, */*, allow
p, role:admin, applications, action/*, */*, allow
p, role:admin, applicationsets, get, */*, allow
p, role:admin, applicationsets, create, */*, allow
p, role:admin, applicationsets, update, */*, allow
p, role:admin, applicationsets, delete, */*, allow
p, role:admin, certificates, create, *, allow
p, role:admin, certificates, update, *, allow
p, role:admin, certificates, delete, *, allow
p, role:admin, clusters, create, *, allow
p, role:admin, clusters, update, *, allow
p, role:admin, clusters, delete, *, allow
p, role:admin, repositories, create, *, allow
p, role:admin, repositories, update, *, allow
p, role:admin, repositories, delete, *, allow
p, role:admin, write-repositories, create, *, allow
p, role:admin, write-repositories, update, *, allow
p, role:admin, write-repositories, delete, *, allow
p, role:admin, projects, create, *, allow
p, role:admin, projects, update, *, allow
p, role:admin, projects, delete, *, allow
p, role:admin, accounts, update, *, allow
p, role:admin, gpgkeys, create, *, allow
p, role:admin, gpgkeys, delete, *, allow
p, role:admin, exec, create, */*, allow

g, role:admin, role:readonly
g, admin, role:admin
`;

/**
 * A gobwas/glob pattern (what ArgoCD's util/glob compiles, with no separators) as a RegExp:
 * `*` any run of characters, `/` included; `?` one character; `[abc]`, `[a-z]`, `[!…]`;
 * `{a,b}` alternatives; `\` escapes. Returns undefined when the pattern does not compile, which
 * ArgoCD treats as "no match".
 */
export function globToRegExp(pattern: string): RegExp | undefined {
  let i = 0;
  const esc = (c: string) => c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  // Parses until one of `stops` (at brace depth > 0) or the end; returns the regex source.
  const seq = (inBraces: boolean): string => {
    let out = '';
    while (i < pattern.length) {
      const c = pattern[i];
      if (inBraces && (c === ',' || c === '}')) return out;
      i++;
      if (c === '\\') {
        if (i >= pattern.length) throw new Error('trailing escape');
        out += esc(pattern[i++]);
      } else if (c === '*') {
        while (pattern[i] === '*') i++;
        out += '[\\s\\S]*';
      } else if (c === '?') {
        out += '[\\s\\S]';
      } else if (c === '[') {
        const close = pattern.indexOf(']', i);
        if (close < 0) throw new Error('unclosed [');
        let body = pattern.slice(i, close);
        i = close + 1;
        const negate = body.startsWith('!');
        if (negate) body = body.slice(1);
        if (!body) throw new Error('empty []');
        out += `[${negate ? '^' : ''}${body.replace(/[\\\]^]/g, '\\$&')}]`;
      } else if (c === '{') {
        const alts: string[] = [];
        for (;;) {
          alts.push(seq(true));
          if (i >= pattern.length) throw new Error('unclosed {');
          if (pattern[i++] === '}') break;
        }
        out += `(?:${alts.join('|')})`;
      } else {
        out += esc(c);
      }
    }
    if (inBraces) throw new Error('unclosed {');
    return out;
  };
  try {
    return new RegExp(`^${seq(false)}$`);
  } catch {
    return undefined;
  }
}

export const globMatch = (pattern: string, text: string): boolean => globToRegExp(pattern)?.test(text) ?? false;

/** policy.matchMode regex: Go's regexp.MatchString, i.e. unanchored; a bad pattern never matches. */
export function regexMatch(pattern: string, text: string): boolean {
  try {
    return new RegExp(pattern).test(text);
  } catch {
    return false;
  }
}

export type MatchMode = 'glob' | 'regex';

export interface ArgocdEnforcerOptions {
  /** Model text; ArgoCD's by default (CI passes the upstream file to compare). */
  model?: string;
  /** Built-in policy CSV; ArgoCD's by default. */
  builtinPolicy?: string;
  /** policy.matchMode; ArgoCD's default is glob. */
  matchMode?: MatchMode;
}

/** An enforcer over builtin + user-defined policy, as ArgoCD's adapter loads them (in that order). */
export async function argocdEnforcer(policyCsv: string, opts: ArgocdEnforcerOptions = {}): Promise<Enforcer> {
  const match = opts.matchMode === 'regex' ? regexMatch : globMatch;
  const policy = `${opts.builtinPolicy ?? ARGOCD_BUILTIN_POLICY}\n${policyCsv}`;
  const e = await newEnforcer(newModelFromString(opts.model ?? ARGOCD_RBAC_MODEL), new StringAdapter(policy));
  // ArgoCD's globOrRegexMatch(value, pattern).
  await e.addFunction(
    'globOrRegexMatch',
    (value: unknown, pattern: unknown) => typeof value === 'string' && typeof pattern === 'string' && match(pattern, value),
  );
  return e;
}

/**
 * ArgoCD's decision for a user: allowed if policy.default allows (checked first, on its own),
 * or if any subject does (the groups of the claims named by `scopes`, and the user itself). Each
 * subject is a separate enforcement, so a deny on one subject never cancels another's allow.
 */
export function argocdCanDo(
  e: Enforcer,
  defaultRole: string,
  subjects: ReadonlyArray<string>,
  res: string,
  act: string,
  obj: string,
): boolean {
  if (defaultRole && e.enforceSync(defaultRole, res, act, obj)) return true;
  return subjects.some((s) => e.enforceSync(s, res, act, obj));
}
