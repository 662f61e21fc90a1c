// The pure derivation step: every name and URL computed once, from the config alone.
import { parseConfig } from '../../lib/rules/validate';
import { derive } from '../../lib/model/derive';
import { defaultInput } from '../support/helpers';

const model = (mutate: (c: ReturnType<typeof defaultInput>) => void = () => {}) => {
  const input = defaultInput();
  mutate(input);
  return derive(parseConfig(input));
};

describe('derive', () => {
  const m = model();

  test('issuers are per application slug and keep their trailing slash', () => {
    expect(m.oidcApps.map((a) => a.issuer)).toEqual([
      'https://auth.frank.derio.net/application/o/argocd/',
      'https://auth.frank.derio.net/application/o/grafana/',
      'https://auth.frank.derio.net/application/o/infisical/',
    ]);
    expect(m.agents[0].issuer).toBe('https://auth.frank.derio.net/application/o/k8s-agent/');
    for (const a of [...m.oidcApps, ...m.agents]) expect(a.issuer.endsWith('/')).toBe(true);
  });

  test('a trailing slash on the Authentik URL does not double up', () => {
    const m2 = model((c) => (c.authentik.url = 'https://auth.frank.derio.net/'));
    expect(m2.authentik.url).toBe('https://auth.frank.derio.net');
    expect(m2.oidcApps[0].issuer).toBe('https://auth.frank.derio.net/application/o/argocd/');
  });

  test('redirect URIs follow the consumer kind', () => {
    const by = Object.fromEntries(m.oidcApps.map((a) => [a.slug, a.redirectUris.map((r) => `${r.matching} ${r.url}`)]));
    expect(by.argocd).toEqual(['strict https://argocd.frank.derio.net/auth/callback']);
    expect(by.grafana).toEqual(['strict https://grafana.frank.derio.net/login/generic_oauth']);
    expect(by.infisical).toEqual(['strict https://infisical.frank.derio.net/api/v1/sso/oidc/callback']);
  });

  test('a new service gets its redirect URI, launch URL, blueprint and secret reference from one entry', () => {
    const m2 = model((c) =>
      c.services.push({
        slug: 'gitea',
        name: 'Gitea',
        host: 'git.frank.derio.net',
        allowedGroups: ['root-devops'],
        oidc: { consumer: 'generic', callbackPath: '/user/oauth2/authentik/callback' },
      }),
    );
    const gitea = m2.oidcApps.find((a) => a.slug === 'gitea')!;
    expect(gitea.redirectUris).toEqual([{ url: 'https://git.frank.derio.net/user/oauth2/authentik/callback', matching: 'strict' }]);
    expect(gitea.launchUrl).toBe('https://git.frank.derio.net/');
    expect(gitea.clientId).toBe('gitea');
    expect(gitea.blueprint).toEqual({
      name: 'unified-auth-oidc-providers-1',
      configMapName: 'authentik-blueprint-oidc-providers-1',
      fileName: 'oidc-providers-1.yaml',
    });
    expect(gitea.clientSecret).toEqual({
      authentikKey: 'gitea_client_secret',
      envVar: 'UA_OIDC_GITEA_CLIENT_SECRET',
      consumer: { namespace: 'gitea', name: 'gitea-oidc-secret', key: 'client-secret' },
      mode: 'managed',
    });
  });

  test('consumer-side Secret references default per consumer kind', () => {
    const by = Object.fromEntries(m.oidcApps.map((a) => [a.slug, a.clientSecret?.consumer]));
    expect(by.argocd).toEqual({ namespace: 'argocd', name: 'argocd-oidc-secret', key: 'oidc.authentik.clientSecret' });
    expect(by.grafana).toEqual({ namespace: 'monitoring', name: 'grafana-oidc-secret', key: 'GF_AUTH_GENERIC_OAUTH_CLIENT_SECRET' });
  });

  test('global endpoints, the edge forwardAuth address and the LB-IPAM annotation', () => {
    expect(m.authentik.endpoints).toEqual({
      authorize: 'https://auth.frank.derio.net/application/o/authorize/',
      token: 'https://auth.frank.derio.net/application/o/token/',
      userinfo: 'https://auth.frank.derio.net/application/o/userinfo/',
    });
    expect(m.authentik.outpostTraefikUrl).toBe('http://192.168.55.211:9000/outpost.goauthentik.io/auth/traefik');
    expect(m.authentik.loadBalancer.annotation).toBe('lbipam.cilium.io/ips');
  });

  test('RBAC subjects carry the groups prefix; agents are identified by their service account', () => {
    const m2 = model((c) => (c.kubernetes = { ...c.kubernetes, groupsPrefix: 'authentik:' }));
    expect(m2.groups.map((g) => g.rbacSubject)).toEqual([
      'authentik:root-admins',
      'authentik:root-devops',
      'authentik:root-developers',
      'authentik:root-agents',
    ]);
    expect(m.agents[0]).toMatchObject({
      serviceAccount: 'k8s-agent',
      kubernetesUsername: 'oidc:k8s-agent',
      group: 'root-agents',
      accessTokenValidity: 'hours=8',
    });
  });

  test('retired services leave the active lists and become tombstone targets', () => {
    const m2 = model((c) => {
      c.services[3].retired = true; // longhorn (forward auth)
      c.services[1].retired = true; // grafana (oidc)
    });
    expect(m2.proxyApps.map((p) => p.slug)).toEqual(['hubble', 'sympozium']);
    expect(m2.oidcApps.map((p) => p.slug)).toEqual(['argocd', 'infisical']);
    // OAuth2 providers are found by their unique client_id, proxy providers by a slug-based name.
    expect(m2.retired).toEqual([
      {
        slug: 'grafana',
        applications: [
          {
            slug: 'grafana',
            provider: { model: 'authentik_providers_oauth2.oauth2provider', identifiers: { client_id: 'grafana' } },
            accessPolicyName: 'unified-auth access grafana',
          },
        ],
      },
      {
        slug: 'longhorn',
        applications: [
          {
            slug: 'longhorn',
            provider: { model: 'authentik_providers_proxy.proxyprovider', identifiers: { name: 'longhorn forward auth' } },
            accessPolicyName: 'unified-auth access longhorn',
          },
        ],
      },
    ]);
  });
});
