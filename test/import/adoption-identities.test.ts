// Keeping a live layer's identities on adoption (docs/pass-through.md): a provider the live layer
// finds by name keeps being found by name; a namespace-less hand-written object is the same object
// as ours in the plan; a native app's private-use redirect URI is accepted as Authentik accepts it.
import { MODEL } from '../../lib/upstream/authentik-models';
import { runChecks } from '../../lib/checks';
import { highEntropyTokens } from '../../lib/checks/secrets';
import { plan } from '../../lib/plan/index';
import { defaultInput, renderInput } from '../support/helpers';

type Svc = { slug: string; oidc?: Record<string, unknown> };

function withOidc(slug: string, oidc: Record<string, unknown>) {
  const input = defaultInput() as unknown as { services: Svc[] };
  const s = input.services.find((x) => x.slug === slug)!;
  s.oidc = { ...s.oidc, ...oidc };
  return input;
}

const providerOf = (r: ReturnType<typeof renderInput>, name: string) =>
  r.blueprints.flatMap((b) => b.entries).find((e) => e.model === MODEL.oauth2Provider && (e.identifiers.name ?? e.attrs?.name) === name)!;

describe('services[].oidc.providerFoundBy: name', () => {
  test('the provider is found by its name and its live client_id is left as it is when no clientId is set', () => {
    const r = renderInput(
      withOidc('infisical', { consumer: 'generic', callbackPath: '/cb', providerFoundBy: 'name', providerName: 'infisical' }),
    );
    const p = providerOf(r, 'infisical');
    expect(p.identifiers).toEqual({ name: 'infisical' });
    expect(p.attrs).not.toHaveProperty('client_id');
    // Every check (issuers, callbacks) still finds it for its application.
    expect(() => runChecks(r)).not.toThrow();
  });

  test('with clientId set, the client_id is written (the consumer config carries it)', () => {
    const r = renderInput(withOidc('grafana', { providerFoundBy: 'name', providerName: 'grafana', clientId: 'grafana-live' }));
    const p = providerOf(r, 'grafana');
    expect(p.identifiers).toEqual({ name: 'grafana' });
    expect(p.attrs?.client_id).toBe('grafana-live');
    expect(() => runChecks(r)).not.toThrow();
  });
});

describe('redirect URIs of native apps (RFC 8252 section 7.1)', () => {
  test('a private-use (reverse-DNS) scheme is accepted and rendered as written', () => {
    const r = renderInput(withOidc('infisical', { redirectUris: [{ url: 'app.immich:///oauth-callback', matching: 'strict' }] }));
    const uris = providerOf(r, 'Infisical OIDC').attrs?.redirect_uris as Array<{ url: string }>;
    expect(uris.map((u) => u.url)).toContain('app.immich:///oauth-callback');
  });

  test.each(['javascript:alert(1)', 'app:/callback', 'data:text/html,x'])('%s is refused', (url) => {
    expect(() => renderInput(withOidc('infisical', { redirectUris: [{ url, matching: 'strict' }] }))).toThrow(/not an http\(s\) URL/);
  });
});

describe('plan: a namespace-less hand-written object', () => {
  const live = new Map([
    [
      'kustomization.yaml',
      'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nconfigMapGenerator:\n  - name: blueprints\n    files: [a.yaml]\n',
    ],
    ['a.yaml', 'version: 1\nentries: []\n'],
  ]);
  test('is the one object of its kind and name in the new output, not a removal', () => {
    const ours = new Map([['cm.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: blueprints\n  namespace: authentik\n']]);
    const p = plan(live, ours);
    expect(p.kubernetes.removed).toEqual([]);
  });
  test('is removed when the new output has none of that kind and name', () => {
    const p = plan(live, new Map([['cm.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: other\n  namespace: authentik\n']]));
    expect(p.kubernetes.removed.map((k) => k.name)).toEqual(['blueprints']);
  });
});

describe('secret scan: identifiers in CSS are not secrets', () => {
  test('custom properties and BEM classes pass, random base64 with separators does not', () => {
    expect(highEntropyTokens('--pf-c-background-image--BackgroundImage-2x: none')).toEqual([]);
    expect(highEntropyTokens('--pf-c-nav__link--m-current--after--BorderColor: red')).toEqual([]);
    expect(highEntropyTokens('token Zx9-Qp3_Lk7-Wm2_Rt5vBn8Yc4Hj6')).not.toEqual([]);
  });
});
