// dist/docs/ACCESS.md: the access matrix, group × service, read from the same model values the
// ClusterRoleBindings, ArgoCD policy.csv, Grafana role_attribute_path and Authentik access
// policies are rendered from.
import { ARGOCD_CLI_CALLBACK, consumerApp, type AuthModel, type ModelGroup, type OidcApp } from '../model/derive';
import { grafanaRoleAttributePath, grafanaRoleFor } from '../consumers/grafana-values';
import { code, markdownFile, table, mdText } from './markdown';
import { OUTPUT, repoPath } from '../base/paths';
import { routesSection } from './edge-access';
import { END_REFRESH_STEP, END_SESSIONS_STEP } from '../upstream/conventions';

const NONE = '—';
const ANYONE = 'any authenticated user';
const PUBLIC = 'public (no authentication)';

/** A matrix row: the parent group or one of its children. */
interface Row {
  name: string;
  group?: ModelGroup;
}

/** undefined: the service is open on purpose (`allowedGroups: any`). */
const allowed = (row: Row, allowedGroups: string[] | undefined): boolean | undefined => allowedGroups?.includes(row.name);

const gate = (a: boolean | undefined, granted: string) => (a === false ? 'denied' : granted);

export function accessMatrix(m: AuthModel): { headers: string[]; rows: string[][] } {
  const rows: Row[] = [{ name: m.parentGroup.name }, ...m.groups.map((g) => ({ name: g.name, group: g }))];
  const columns: Array<{ header: string; value: (r: Row) => string }> = [
    {
      header: 'Members',
      value: (r) => {
        if (!r.group) return `parent of ${m.groups.map((g) => mdText(g.name)).join(', ')}`;
        const agents = m.agents.filter((a) => a.group === r.name).map((a) => `service account ${mdText(a.serviceAccount)}`);
        return [r.group.members, ...agents].join(': ');
      },
    },
    { header: 'Authentik', value: (r) => (r.group?.superuser ? 'superuser (admin interface)' : 'user') },
    { header: 'Kubernetes ClusterRole', value: (r) => r.group?.kubernetesRole ?? NONE },
  ];
  for (const app of m.oidcApps) {
    let granted: (r: Row) => string = () => (app.allowedGroups ? 'allowed' : ANYONE);
    if (app.consumer === 'argocd') {
      const fallback = m.argocd.defaultRole ? `${m.argocd.defaultRole} (policy.default)` : 'no access (no policy.default)';
      granted = (r) => r.group?.argocdRole ?? fallback;
    } else if (app.consumer === 'grafana') {
      granted = (r) => grafanaRoleFor(m, [r.name]) ?? 'denied (role_attribute_strict)';
    }
    columns.push({ header: mdText(app.name), value: (r) => gate(allowed(r, app.allowedGroups), granted(r)) });
  }
  for (const app of m.proxyApps) {
    columns.push({ header: mdText(app.name), value: (r) => gate(allowed(r, app.allowedGroups), app.allowedGroups ? 'allowed' : ANYONE) });
  }
  for (const app of m.publicApps) columns.push({ header: mdText(app.name), value: () => PUBLIC });
  for (const k of m.kubectlApps) {
    columns.push({
      header: mdText(k.name),
      value: (r) =>
        gate(
          allowed(r, k.allowedGroups),
          r.group?.members === 'people' && r.group.kubernetesRole ? r.group.kubernetesRole : 'signs in, no ClusterRole',
        ),
    });
  }
  return {
    headers: ['Group', ...columns.map((c) => c.header)],
    rows: rows.map((r) => [r.group ? mdText(r.name) : `${mdText(r.name)} (parent)`, ...columns.map((c) => c.value(r))]),
  };
}

export function accessMarkdown(m: AuthModel): string[] {
  const { headers, rows } = accessMatrix(m);
  const argocd = consumerApp(m, 'argocd');
  const grafana = consumerApp(m, 'grafana');
  const who = (a: { allowedGroups?: string[] }) =>
    a.allowedGroups ? a.allowedGroups.map(mdText).join(', ') : `**open**: ${ANYONE} (allowedGroups: any)`;
  const services = [
    ...m.oidcApps.map((a) => [mdText(a.name), 'native OIDC', a.host, who(a)]),
    ...m.proxyApps.map((a) => [mdText(a.name), 'forward auth (edge Traefik + embedded outpost)', a.host, who(a)]),
    ...m.publicApps.map((a) => [mdText(a.name), PUBLIC, a.host, '**open**: anyone, no login']),
  ];
  // groups[].parents: a parent is the groupParent or an earlier group, so all still descend from it.
  const nested = m.groups.some((g) => g.parentIds.join() !== m.parentGroup.blueprintId);
  const lines = [
    `# Access matrix of ${m.clusterName} (${m.domain})`,
    '',
    `What a member of each Authentik group gets on each service. Every group is a ${nested ? 'descendant' : 'child'} of ${code(m.parentGroup.name)}.`,
    '',
    ...table(headers, rows),
    '',
    '## Reading the matrix',
    '',
    `- ${code('denied')}: the service names allowedGroups and the group is not among them; Authentik refuses the login.`,
    `- ${code(ANYONE)}: the config opens the service on purpose (${code('allowedGroups: any')}), so Authentik lets every logged-in user open it.`,
    `- Authentik enforces this with one access policy per application (${code('unified-auth access <slug>')}) in policy engine mode ${code('all')}: a binding added by hand can only narrow access, never widen it.`,
    `- Kubernetes: a ClusterRoleBinding binds the ClusterRole to the Group subject ${code(`${m.kubernetes.groupsPrefix}<group>`)} from the ${code(m.kubernetes.groupsClaim)} claim.`,
  ];
  if (argocd) {
    lines.push(
      `- ${mdText(argocd.name)}: policy.csv maps groups to roles (scopes [groups]); policy.default ${code(m.argocd.defaultRole || '(none)')} applies to every user in addition. Several groups: the union of their roles.`,
    );
  }
  if (grafana) {
    lines.push(
      `- ${mdText(grafana.name)}: role_attribute_path picks the most privileged role of the user's groups (GrafanaAdmin > Admin > Editor > Viewer); ${
        m.grafana.roleAttributeStrict ? 'no matching group denies the login (role_attribute_strict)' : 'no matching group gives Viewer'
      }:`,
      `  ${code(grafanaRoleAttributePath(m.groups, m.grafana.roleAttributeStrict))}`,
    );
  }
  if (m.agents.length) {
    lines.push(
      '',
      '## Agents',
      '',
      ...table(
        ['Agent', 'Client id', 'Issuer', 'Kubernetes username', 'Group', 'Kubernetes ClusterRole'],
        m.agents.map((a) => [
          mdText(a.name),
          a.clientId,
          a.issuer,
          a.kubernetesUsername,
          mdText(a.group),
          m.groups.find((g) => g.name === a.group)?.kubernetesRole ?? NONE,
        ]),
      ),
    );
  }
  lines.push('', ...narrowingMarkdown(m));
  lines.push('', ...signInMarkdown(m));
  lines.push('', '## Services', '', ...table(['Service', 'Authentication', 'Host', 'Who may open it'], services));
  lines.push(...routesSection(m));
  return lines;
}

/**
 * Narrowing is not retroactive (lib/upstream/conventions.ts END_SESSIONS_STEP): how long each service's
 * existing sessions outlive a group's removal, from the same values the blueprints set.
 */
function narrowingMarkdown(m: AuthModel): string[] {
  // A refresh token is issued only for offline_access (providers/oauth2/views/token.py).
  const oauth2 = (a: Pick<OidcApp, 'scopes' | 'refreshTokenValidity' | 'accessTokenValidity'>) =>
    a.scopes.includes('offline_access')
      ? `${a.refreshTokenValidity} after each token refresh`
      : `${a.accessTokenValidity} (the access token)`;
  const rows = [
    ...m.oidcApps.map((a) => [mdText(a.name), oauth2(a), 'sessions and OAuth refresh tokens']),
    ...m.kubectlApps.map((k) => [mdText(k.name), oauth2(k), 'sessions and OAuth refresh tokens']),
    ...m.proxyApps.map((p) => [mdText(p.name), `${p.sessionValidity} after sign-in (outpost session)`, 'sessions']),
    ...m.agents.map((a) => [
      mdText(a.name),
      `${a.accessTokenValidity} (the access token; each new token is checked)`,
      'nothing: wait it out',
    ]),
  ];
  return [
    '## After a narrowing: existing sessions',
    '',
    'Removing a group from allowedGroups (or retiring a service) stops new sign-ins at once, but not the sessions people already have: a token refresh runs no access policy and issues a new refresh token. Until they run out:',
    '',
    ...table(['Service', 'Existing access lasts up to', 'What to delete to end it now'], rows),
    '',
    `${END_SESSIONS_STEP.replace(/^to end it now/, 'To end it now')}, ${END_REFRESH_STEP}.`,
  ];
}

/** How each kind of principal signs in: what a newcomer asks first. */
function signInMarkdown(m: AuthModel): string[] {
  const argocd = consumerApp(m, 'argocd');
  const lines = ['## How to sign in', ''];
  if (m.oidcApps.length || m.proxyApps.length) {
    lines.push(
      `- **People, in the browser**: open the service; it sends you to ${m.authentik.url} to log in (${[...m.oidcApps, ...m.proxyApps].map((a) => mdText(a.name)).join(', ')}). Forward-auth sessions last as long as each proxy provider's session validity; OIDC apps renew theirs with a refresh token where offline_access is on.`,
    );
  }
  for (const k of m.kubectlApps) {
    lines.push(
      `- **People, at kubectl** (${mdText(k.name)}): install kubelogin (${code('kubectl krew install oidc-login')}), copy ${code(repoPath(m.git.path, OUTPUT.peopleKubeconfig))}, fill in the server and CA placeholders and run any kubectl command with context ${code(k.context)}. kubelogin opens the browser (public client ${code(k.clientId)}, PKCE, callback on localhost:8000 or 18000); the apiserver trusts the issuer ${code(k.issuer)} and sees you as ${code(`${m.kubernetes.usernamePrefix}<username>`)} with your groups. ${
        k.allowedGroups
          ? `Only ${k.allowedGroups.map(mdText).join(', ')} may sign in here.`
          : 'Every authenticated user may sign in; the ClusterRoleBindings decide what they may do.'
      } Your ClusterRole is in the matrix above; tokens last ${k.accessTokenValidity} and are refreshed for ${k.refreshTokenValidity}. No secret is involved.`,
    );
  }
  if (m.agents.length) {
    lines.push(
      `- **Agents** (${m.agents.map((a) => mdText(a.name)).join(', ')}): client credentials with ${code('base64("<service account>:<app password>")')} as the client secret, from an environment variable (${code(repoPath(m.git.path, OUTPUT.kubeconfig))}); see the Agents table above.`,
    );
  }
  if (argocd) {
    lines.push(
      argocd.pkce
        ? `- **ArgoCD CLI**: ${code(`argocd login ${argocd.host} --sso`)} opens the browser and returns to ${code(ARGOCD_CLI_CALLBACK)}. The ${mdText(argocd.name)} client is public with PKCE and shared by the web UI and the CLI, so the CLI session has the same issuer, groups and ArgoCD role as the web UI.`
        : `- **ArgoCD CLI**: ${code('argocd login --sso')} is not offered: the ${mdText(argocd.name)} client is confidential and the CLI sends no secret, and a separate public client would have its own Authentik issuer, which argocd-server does not accept (set ${code('oidc.cli: true')} to make the client public with PKCE). ${
            m.kubectlApps.length
              ? `Use ${code('argocd --core')} with your kubectl access above (your ClusterRole applies), or the web UI.`
              : 'Use the web UI.'
          }`,
    );
  }
  return lines;
}

export const accessDoc = (m: AuthModel) => markdownFile(OUTPUT.accessDoc, accessMarkdown(m));
