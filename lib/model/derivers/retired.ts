// Retired services: tombstones (state: absent) for what each of their integrations created in
// Authentik. A public integration created nothing there, so a public-only service gets none.
import type { Service } from '../../config/schema';
import { integrationsOf, providerIdentifiers, serviceAccountOf, type ProviderIntegration } from '../patterns';
import type { RetiredApp } from '../types';
import { accessPolicyName, tokenIdentifier } from './shared';

export function deriveRetired(services: Service[]): RetiredApp[] {
  return services
    .filter((s) => s.retired)
    .flatMap((s): RetiredApp[] => {
      const providers = integrationsOf(s).filter((i): i is ProviderIntegration => i.kind !== 'public');
      if (!providers.length) return [];
      const agent = providers.find((i) => i.kind === 'agent');
      const sa = agent?.kind === 'agent' ? serviceAccountOf({ slug: s.slug, agent: agent.agent }) : undefined;
      return [
        {
          slug: s.slug,
          applications: providers.map((i) => ({
            slug: i.application.slug,
            provider: providerIdentifiers(i),
            accessPolicyName: accessPolicyName(i.application.slug),
          })),
          ...(sa ? { agent: { serviceAccount: sa, tokenIdentifier: tokenIdentifier(sa) } } : {}),
        },
      ];
    });
}
