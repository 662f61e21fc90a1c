// Agents: one client-credentials provider per agent integration, issued for an Authentik service
// account whose app password is the client secret; the apiserver trusts its issuer.
import { oauth2GrantTypes } from '../../upstream/authentik-versions';
import { serviceAccountOf, type AgentIntegration } from '../patterns';
import type { AgentApp } from '../types';
import { accessPolicyName, clientIdentity, envName, keyName, tokenIdentifier, type AuthentikContext } from './shared';

/**
 * Bytes of the hex app password, at least 32, chosen so that "<service account>:<password>" is a
 * multiple of 3 long: its base64 (the agent's client secret) then has no `=` padding, and base64 of
 * a DNS label, `:` and hex digits never yields `+` or `/`. The secret is made of letters and digits
 * only, so it reads the same whether or not a client percent-escapes it in the Basic header (Go's
 * oauth2 does, Authentik before 2026.2.2 does not decode it).
 */
export function appPasswordHexBytes(serviceAccount: string): number {
  let n = 32;
  while ((serviceAccount.length + 1 + 2 * n) % 3 !== 0) n++;
  return n;
}

export function deriveAgents(
  integrations: AgentIntegration[],
  ak: AuthentikContext,
  usernamePrefix: string,
  clusterName: string,
): AgentApp[] {
  return integrations.map((i): AgentApp => {
    const { service: s, agent } = i;
    const sa = serviceAccountOf({ slug: s.slug, agent });
    return {
      ...clientIdentity(i, ak),
      group: agent.group,
      serviceAccount: sa,
      kubernetesUsername: `${usernamePrefix}${sa}`,
      accessTokenValidity: agent.accessTokenValidity,
      tokenIdentifier: tokenIdentifier(sa),
      tokenSecret: {
        authentikKey: `${keyName(sa)}_app_password`,
        envVar: `UA_AGENT_${envName(sa)}_APP_PASSWORD`,
        ...(agent.appPasswordRotation ? { rotation: agent.appPasswordRotation } : {}),
      },
      // Only the agent's group may get tokens: any user with an app password could otherwise.
      access: { name: accessPolicyName(s.slug), allowedGroups: [agent.group] },
      // A shell variable may not start with a digit; slugs may.
      kubeconfigEnvVar: `${envName(s.slug)}_CLIENT_SECRET`.replace(/^(?=\d)/, 'AGENT_'),
      kubeconfigContext: `${s.slug}@${clusterName}`,
      appPasswordCommand: `openssl rand -hex ${appPasswordHexBytes(sa)}`,
      grantTypes: oauth2GrantTypes(ak.minor, 'agent'),
    };
  });
}
