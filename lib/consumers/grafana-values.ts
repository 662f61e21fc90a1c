// dist/values/grafana.yaml: the OIDC fragment of the Grafana chart's values, for whichever
// Application runs Grafana (it is not managed here). Secrets only by reference (docs/field-traps.md#grafana-env-from-secret).
import { secretOf, type AuthModel, type ModelGroup, type OidcApp } from '../model/derive';

export type GrafanaRole = NonNullable<ModelGroup['grafanaRole']>;

/** Most privileged first: role_attribute_path returns the first match, so order is precedence. */
export const GRAFANA_ROLE_ORDER: ReadonlyArray<GrafanaRole> = ['GrafanaAdmin', 'Admin', 'Editor', 'Viewer'];

export interface GrafanaRoleRule {
  group: string;
  role: GrafanaRole;
}

type RoleGroup = Pick<ModelGroup, 'name' | 'grafanaRole'>;

/**
 * The group -> role rules in evaluation order: by privilege, then config order. Without strict
 * mode a Viewer rule is dropped: the fallback already yields Viewer.
 */
export function grafanaRoleRules(groups: ReadonlyArray<RoleGroup>, strict: boolean): GrafanaRoleRule[] {
  return GRAFANA_ROLE_ORDER.filter((role) => strict || role !== 'Viewer').flatMap((role) =>
    groups.filter((g) => g.grafanaRole === role).map((g) => ({ group: g.name, role })),
  );
}

/**
 * A JMESPath string. A raw string literal ('...') where it is unambiguous: backslash-quote is the one escape
 * both go-jmespath (Grafana) and jmespath.js decode there, and a backslash before anything else is
 * read differently by the two. A string with a backslash or a control character is written as a
 * JSON literal in backticks instead, which both parse as JSON. A backtick inside is written as the
 * JSON escape \u0060: jmespath.js unescapes only the first escaped backtick of a literal (docs/names.md).
 */
export function jmespathString(s: string): string {
  // eslint-disable-next-line no-control-regex -- control characters go through JSON escapes
  if (!/[\\\u0000-\u001f]/.test(s)) return `'${s.replace(/'/g, "\\'")}'`;
  return `\`${JSON.stringify(s).replace(/`/g, '\\u0060')}\``;
}

/**
 * role_attribute_path from the groups' Grafana roles, e.g.
 * `contains(groups[*], 'root-admins') && 'Admin' || contains(groups[*], 'root-devops') && 'Editor' || 'Viewer'`.
 * Strict: no fallback; an explicit `null` (Grafana reads any non-string as "no role" and denies).
 */
export function grafanaRoleAttributePath(groups: ReadonlyArray<RoleGroup>, strict: boolean): string {
  const clauses = grafanaRoleRules(groups, strict).map(
    (r) => `contains(groups[*], ${jmespathString(r.group)}) && ${jmespathString(r.role)}`,
  );
  return [...clauses, strict ? '`null`' : jmespathString('Viewer')].join(' || ');
}

/** What role_attribute_path yields for a user in `groups` (for the docs); undefined = denied. */
export function grafanaRoleFor(m: AuthModel, groups: ReadonlyArray<string>): GrafanaRole | undefined {
  const hit = grafanaRoleRules(m.groups, m.grafana.roleAttributeStrict).find((r) => groups.includes(r.group));
  return hit?.role ?? (m.grafana.roleAttributeStrict ? undefined : 'Viewer');
}

/**
 * The file as the chart that runs Grafana reads it: the grafana chart's values at the top, or
 * nested under the parent chart's subchart key (victoria-metrics-k8s-stack and
 * kube-prometheus-stack pass only `grafana:` to their Grafana subchart and silently drop the rest).
 */
export function grafanaValuesFile(m: AuthModel, app: OidcApp) {
  const values = grafanaValues(m, app);
  return m.grafana.parentKey ? { [m.grafana.parentKey]: values } : values;
}

/** The grafana chart's own values (envFromSecret, grafana.ini). */
export function grafanaValues(m: AuthModel, app: OidcApp) {
  const strict = m.grafana.roleAttributeStrict;
  const grafanaAdmin = m.groups.some((g) => g.grafanaRole === 'GrafanaAdmin');
  return {
    // envFromSecret turns each key into an env var of the same name; validation pins the key to
    // GF_AUTH_GENERIC_OAUTH_CLIENT_SECRET (a differently named key fails silently, docs/field-traps.md#grafana-env-from-secret).
    envFromSecret: secretOf(app).consumer.name,
    ...restartOnRotation(m, app),
    'grafana.ini': {
      server: { root_url: app.url },
      // The chart writes each top-level key as an ini section, so the dotted name is one key.
      'auth.generic_oauth': {
        enabled: true,
        name: 'Authentik',
        client_id: app.clientId,
        client_secret: `$__env{${secretOf(app).consumer.key}}`,
        // Authentik puts `groups` in the profile scope and ignores the unknown `groups` scope;
        // it is requested anyway so the intent reads the same as ArgoCD's requestedScopes.
        scopes: [...app.scopes, 'groups'].join(' '),
        // With offline_access Authentik issues a refresh token; Grafana renews the session with it.
        use_refresh_token: app.scopes.includes('offline_access'),
        auth_url: m.authentik.endpoints.authorize,
        token_url: m.authentik.endpoints.token,
        api_url: m.authentik.endpoints.userinfo,
        role_attribute_path: grafanaRoleAttributePath(m.groups, strict),
        role_attribute_strict: strict,
        ...(grafanaAdmin ? { allow_assign_grafana_admin: true } : {}),
      },
    },
  };
}

/**
 * external-secrets mode: Grafana reads the env only at start, so its pod template names the
 * generation of its client secret; a rotation changes it and the Deployment rolls (docs/secrets.md).
 */
function restartOnRotation(m: AuthModel, app: OidcApp) {
  if (m.secrets.mode === 'sops') return {};
  const v = m.secrets.values.find((x) => x.id === secretOf(app).authentikKey);
  return v ? { podAnnotations: { [m.secrets.restartAnnotation]: `${app.slug}:${v.generation}` } } : {};
}
