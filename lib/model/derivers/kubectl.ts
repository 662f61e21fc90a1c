// People at kubectl: one public (PKCE) client per kubectl integration for kubelogin, and the list
// of issuers the kube-apiserver trusts (agents' and people's).
import type { ClusterConfig } from '../../config/schema';
import { oauth2GrantTypes } from '../../upstream/authentik-versions';
import type { KubectlIntegration } from '../patterns';
import type { AgentApp, ApiserverIssuer, KubectlApp } from '../types';
import { KUBELOGIN_CALLBACKS, authentikIssuer } from '../../upstream/conventions';
import { accessOf, clientIdentity, type AuthentikContext } from './shared';
import { providerBlueprint } from '../identity';

export function deriveKubectlApps(integrations: KubectlIntegration[], c: ClusterConfig, ak: AuthentikContext): KubectlApp[] {
  const peopleRoles = c.groups.filter((g) => !g.retired && g.members === 'people' && g.kubernetes).map((g) => g.name);
  return integrations.map((i): KubectlApp => {
    const { service: s, kubectl } = i;
    return {
      ...clientIdentity(i, ak),
      redirectUris: KUBELOGIN_CALLBACKS.map((url) => ({ url, matching: 'strict' })),
      // profile carries the groups claim; offline_access gives kubelogin a refresh token.
      scopes: ['openid', 'email', 'profile', 'offline_access'],
      accessTokenValidity: kubectl.accessTokenValidity,
      refreshTokenValidity: kubectl.refreshTokenValidity,
      grantTypes: oauth2GrantTypes(ak.minor, 'oidc'),
      // Omitted or `any`: every authenticated user may sign in (the ClusterRoleBindings decide).
      allowedGroups: Array.isArray(s.allowedGroups) ? s.allowedGroups : undefined,
      access: accessOf(i.application.slug, s.allowedGroups),
      rbacGroups: peopleRoles.filter((g) => !Array.isArray(s.allowedGroups) || s.allowedGroups.includes(g)),
      user: `${s.slug}-oidc`,
      context: `${s.slug}@${c.cluster.name}`,
      blueprint: providerBlueprint(s.slug),
    };
  });
}

/**
 * Every issuer the apiserver trusts: agents first, then people, in config order; during a domain
 * move one per URL Authentik is served at (the destination first), since a client may hold a
 * token or kubeconfig of either until the move is done. Each is its own JWT authenticator: issuer
 * URLs differ (one per URL and application), as AuthenticationConfiguration requires.
 */
export const deriveApiserverIssuers = (agents: AgentApp[], kubectlApps: KubectlApp[], ak: AuthentikContext): ApiserverIssuer[] =>
  [
    ...agents.map((a) => ({ kind: 'agent' as const, slug: a.slug, clientId: a.clientId })),
    ...kubectlApps.map((k) => ({ kind: 'people' as const, slug: k.slug, clientId: k.clientId })),
  ].flatMap((x) => ak.served.map((url): ApiserverIssuer => ({ ...x, issuer: authentikIssuer(url, x.slug) })));
