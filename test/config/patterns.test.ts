// Typed service patterns: a service's blocks become integrations, a union on `kind`, and a
// service may carry several (validation allows oidc plus forwardAuth on one host).
import { ClusterConfigSchema, type Service } from '../../lib/config/schema';
import { derive } from '../../lib/model/derive';
import { integrationsOf, providerIdentifiers, providerName, type ForwardAuthIntegration, type Integration } from '../../lib/model/patterns';
import { defaultInput } from '../support/helpers';

/** The default config with longhorn (forward auth) also given an oidc block: the one pair validation lets share a service. */
const twoOnOneHost = (retired = false) => {
  const input = defaultInput();
  const longhorn = input.services.find((s) => s.slug === 'longhorn');
  if (!longhorn) throw new Error('fixture: longhorn is missing');
  longhorn.oidc = { consumer: 'generic', callbackPath: '/oauth2/callback' };
  longhorn.retired = retired;
  return ClusterConfigSchema.parse(input);
};

const service = (s: Partial<Service>): Service => ({ slug: 'svc', name: 'Svc', retired: false, ...s });

describe('integrationsOf', () => {
  test('each block becomes one integration carrying only its own block', () => {
    const [i] = integrationsOf(service({ host: 'svc.example.org', forwardAuth: { sessionValidity: 'hours=24' } }));
    expect(i.kind).toBe('forwardAuth');
    expect(Object.keys(i).sort()).toEqual(['application', 'forwardAuth', 'host', 'kind', 'service']);
    expect(Object.keys(i.service)).not.toContain('oidc');
  });

  test('a forward-auth integration has no oidc field to reach (checked by tsc)', () => {
    const fa: ForwardAuthIntegration = {
      kind: 'forwardAuth',
      service: { slug: 'a', name: 'A', retired: false },
      host: 'a.example.org',
      forwardAuth: { sessionValidity: 'hours=1' },
      application: { slug: 'a', name: 'A' },
    };
    // @ts-expect-error: only the oidc member of the union carries an oidc block
    expect(fa.oidc).toBeUndefined();
    // @ts-expect-error: the service core carries no pattern blocks either
    expect(fa.service.oidc).toBeUndefined();
  });

  test('a pattern that needs a host yields nothing without one; agents and kubectl need none', () => {
    expect(
      integrationsOf(
        service({
          oidc: {
            consumer: 'grafana',
            providerFoundBy: 'client_id',
            cli: false,
            offlineAccess: true,
            accessTokenValidity: 'hours=1',
            refreshTokenValidity: 'days=30',
            secretMode: 'managed',
          },
        }),
      ),
    ).toEqual([]);
    const kinds = (s: Service) => integrationsOf(s).map((i: Integration) => i.kind);
    expect(kinds(service({ agent: { group: 'g', accessTokenValidity: 'hours=8' } }))).toEqual(['agent']);
    expect(kinds(service({ kubectl: { accessTokenValidity: 'minutes=15', refreshTokenValidity: 'hours=12' } }))).toEqual(['kubectl']);
  });

  test('one service may carry oidc and forward auth: derive() gives it an OIDC app and a proxy app', () => {
    const m = derive(twoOnOneHost());
    const oidc = m.oidcApps.find((a) => a.slug === 'longhorn');
    // Two applications on one service: the forward-auth one needs a slug of its own.
    const proxy = m.proxyApps.find((a) => a.slug === 'longhorn-forward-auth');
    expect(oidc?.consumerCallback).toBe('https://longhorn.frank.derio.net/oauth2/callback');
    expect(oidc?.providerName).toBe('Longhorn OIDC');
    expect(proxy?.providerName).toBe('longhorn forward auth');
    expect(proxy?.host).toBe(oidc?.host);
  });

  test('retiring a service with two integrations deletes both providers', () => {
    const r = derive(twoOnOneHost(true)).retired.find((x) => x.slug === 'longhorn');
    expect(r?.applications.map((a) => a.provider)).toEqual([
      { model: 'authentik_providers_oauth2.oauth2provider', identifiers: { client_id: 'longhorn' } },
      { model: 'authentik_providers_proxy.proxyprovider', identifiers: { name: 'longhorn forward auth' } },
    ]);
  });

  test('provider names and identifiers follow the integration, not the service', () => {
    const s = service({
      slug: 'both',
      name: 'Both',
      host: 'both.example.org',
      oidc: {
        consumer: 'generic',
        callbackPath: '/cb',
        clientId: 'both-client',
        providerFoundBy: 'client_id',
        cli: false,
        offlineAccess: true,
        accessTokenValidity: 'hours=1',
        refreshTokenValidity: 'days=30',
        secretMode: 'managed',
      },
      forwardAuth: { sessionValidity: 'hours=24' },
    });
    const providers = integrationsOf(s).flatMap((i) => (i.kind === 'public' ? [] : [i]));
    expect(providers.map(providerName)).toEqual(['Both OIDC', 'both forward auth']);
    expect(providers.map(providerIdentifiers).map((p) => p.identifiers)).toEqual([
      { client_id: 'both-client' },
      { name: 'both forward auth' },
    ]);
  });
});
