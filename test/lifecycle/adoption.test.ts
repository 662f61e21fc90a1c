// Adopting a hand-written layer: overrides keep the live identities (so blueprints update the live
// objects in place), one service carries OIDC and forward auth, extra and explicit redirect URIs,
// and objects the tool did not create are deleted in a safe order.
import { checkOrphans } from '../../lib/guards/orphans';
import { parseBlueprint } from '../../lib/blueprints/build';
import { MODEL } from '../../lib/upstream/authentik-models';
import { validateBlueprint } from '../../lib/upstream/api-schema';
import type { SynthResult } from '../../lib/output/render';
import { defaultInput, doc, renderInput } from '../support/helpers';

type Input = ReturnType<typeof defaultInput>;
const svc = (c: Input, slug: string) => {
  const s = c.services.find((x) => x.slug === slug);
  if (!s) throw new Error(`fixture: no service ${slug}`);
  return s;
};
const render = (mutate: (c: Input) => void): SynthResult => {
  const c = defaultInput();
  mutate(c);
  return renderInput(c);
};
const blueprintNamed = (r: SynthResult, name: string) => {
  const bp = r.blueprints.find((b) => b.name === name);
  if (!bp) throw new Error(`no blueprint ${name} in ${r.blueprints.map((b) => b.name).join(', ')}`);
  return bp;
};
const entriesOf = (r: SynthResult, model: string) => r.blueprints.flatMap((b) => b.entries.filter((e) => e.model === model));
/** The blueprint text of a ConfigMap in authentik-extras/, parsed back. */
const configMapBlueprint = (r: SynthResult, configMap: string): any => {
  const f = r.files.find((x) => x.path === `authentik-extras/configmap-${configMap}.yaml`);
  if (!f?.docs) throw new Error(`no ConfigMap file for ${configMap}: ${r.files.map((x) => x.path).join(', ')}`);
  const cm = f.docs[0] as { metadata: { name: string }; data: Record<string, string> };
  expect(cm.metadata.name).toBe(configMap);
  return Object.fromEntries(Object.entries(cm.data).map(([k, v]) => [k, parseBlueprint(v)]));
};

describe('adoption: live identities', () => {
  const r = render((c) => {
    Object.assign(svc(c, 'grafana').oidc ?? {}, {
      providerName: 'Grafana (cluster)',
      application: { slug: 'grafana-cluster', name: 'Grafana (cluster)' },
      blueprint: { name: 'grafana-oidc', configMapName: 'authentik-blueprints-grafana', fileName: 'grafana.yaml' },
    });
    Object.assign(svc(c, 'longhorn').forwardAuth ?? {}, {
      providerName: 'Longhorn UI (cluster)',
      application: { slug: 'longhorn-ui', name: 'Longhorn UI' },
      blueprint: { name: 'longhorn-forward-auth', configMapName: 'authentik-blueprints-longhorn' },
    });
    c.groups[0].clusterRoleBindingName = 'oidc-cluster-admins';
    c.talos!.omniCluster = 'frank';
    c.talos!.omniPatchId = '400-frank-oidc';
    c.authentik.blueprints = { groups: { name: 'Groups (cluster)', configMapName: 'authentik-blueprints-groups' } };
  });

  test('the OIDC provider and application are the live ones; the issuer follows the live slug', () => {
    const bp = configMapBlueprint(r, 'authentik-blueprints-grafana')['grafana.yaml'];
    expect(bp.metadata.name).toBe('grafana-oidc');
    const provider = bp.entries.find((e: any) => e.model === MODEL.oauth2Provider);
    expect(provider.identifiers).toEqual({ client_id: 'grafana' });
    expect(provider.attrs.name).toBe('Grafana (cluster)');
    const app = bp.entries.find((e: any) => e.model === MODEL.application);
    expect(app.identifiers).toEqual({ slug: 'grafana-cluster' });
    expect(app.attrs.name).toBe('Grafana (cluster)');
    // The consumer side reads the same issuer (Grafana discovers nothing: its URLs are global, the
    // issuer shows up in the model and the docs).
    expect(r.model.oidcApps.find((a) => a.clientId === 'grafana')?.issuer).toBe(
      'https://auth.frank.derio.net/application/o/grafana-cluster/',
    );
  });

  test('an adopted forward-auth blueprint is a file of its own, found by the live provider name', () => {
    const bp = configMapBlueprint(r, 'authentik-blueprints-longhorn')['authentik-blueprints-longhorn.yaml'];
    expect(bp.metadata.name).toBe('longhorn-forward-auth');
    const provider = bp.entries.find((e: any) => e.model === MODEL.proxyProvider);
    expect(provider.identifiers).toEqual({ name: 'Longhorn UI (cluster)' });
    expect(bp.entries.find((e: any) => e.model === MODEL.application && e.state !== 'absent').identifiers).toEqual({ slug: 'longhorn-ui' });
    // The other forward-auth services still share a file; the outpost then lives in its own and
    // finds every provider by name, the adopted one included.
    const outpost = blueprintNamed(r, 'unified-auth-embedded-outpost').entries.find((e) => e.model === MODEL.outpost);
    expect(JSON.stringify(outpost?.attrs)).toContain('Longhorn UI (cluster)');
    // The Authentik chart mounts the adopted ConfigMap.
    const values = doc(r, 'values/authentik.yaml');
    expect(values.blueprints.configMaps).toEqual(expect.arrayContaining(['authentik-blueprints-longhorn', 'authentik-blueprints-grafana']));
  });

  test('the shared groups blueprint, the ClusterRoleBinding and the Omni patch keep their live names', () => {
    expect(configMapBlueprint(r, 'authentik-blueprints-groups')['authentik-blueprints-groups.yaml'].metadata.name).toBe('Groups (cluster)');
    expect(r.files.some((f) => f.path === 'authentik-extras/clusterrolebinding-oidc-cluster-admins.yaml')).toBe(true);
    const omni = r.files.find((f) => f.path.startsWith('talos/omni'));
    expect(JSON.stringify(omni?.docs)).toContain('400-frank-oidc');
  });

  test('every adopted blueprint validates against the Authentik API schema', () => {
    for (const bp of r.blueprints) expect(validateBlueprint(bp, r.model.authentik.minor)).toEqual([]);
  });

  test('the orphan guard speaks of the live identities: with the overrides nothing is orphaned', () => {
    const live = [
      { model: MODEL.proxyProvider, key: 'Longhorn UI (cluster)', file: 'live/longhorn.yaml' },
      { model: MODEL.application, key: 'longhorn-ui', file: 'live/longhorn.yaml' },
      { model: MODEL.application, key: 'grafana-cluster', file: 'live/grafana.yaml' },
    ];
    expect(checkOrphans(live, r)).toEqual([]);
    const plain = render(() => {});
    expect(checkOrphans(live, plain).map((l) => l.split(' (')[0])).toEqual([
      'proxy provider "Longhorn UI',
      'application "longhorn-ui"',
      'application "grafana-cluster"',
    ]);
  });
});

describe('adoption: one host with OIDC and forward auth', () => {
  const r = render((c) => {
    svc(c, 'grafana').forwardAuth = { upstream: 'http://192.168.55.220:3000' };
  });

  test('two applications: the OIDC one keeps the slug (and issuer), the forward-auth one gets its own', () => {
    expect(r.model.oidcApps.find((a) => a.consumer === 'grafana')?.slug).toBe('grafana');
    const proxy = r.model.proxyApps.find((p) => p.host === 'grafana.frank.derio.net');
    expect(proxy).toMatchObject({ slug: 'grafana-forward-auth', name: 'Grafana (forward auth)', providerName: 'grafana forward auth' });
    const slugs = entriesOf(r, MODEL.application).map((e) => e.identifiers.slug);
    expect(slugs).toEqual(expect.arrayContaining(['grafana', 'grafana-forward-auth']));
    expect(new Set(slugs).size).toBe(slugs.length);
  });

  test('the host is routed through forward auth, and each application has its own access policy', () => {
    const route = r.model.edge.routes.find((x) => x.host === 'grafana.frank.derio.net');
    expect(route?.protection).toBe('forward-auth');
    const policies = entriesOf(r, MODEL.expressionPolicy).map((e) => e.identifiers.name);
    expect(policies).toEqual(expect.arrayContaining(['unified-auth access grafana', 'unified-auth access grafana-forward-auth']));
  });

  test('retiring it deletes both applications and both providers', () => {
    const gone = render((c) => {
      const g = svc(c, 'grafana');
      g.forwardAuth = { upstream: 'http://192.168.55.220:3000' };
      g.retired = true;
    });
    const absent = blueprintNamed(gone, 'unified-auth-retired').entries.map((e) => `${e.model} ${JSON.stringify(e.identifiers)}`);
    expect(absent).toEqual(
      expect.arrayContaining([
        `${MODEL.application} {"slug":"grafana"}`,
        `${MODEL.application} {"slug":"grafana-forward-auth"}`,
        `${MODEL.oauth2Provider} {"client_id":"grafana"}`,
        `${MODEL.proxyProvider} {"name":"grafana forward auth"}`,
      ]),
    );
  });
});

describe('adoption: redirect URIs', () => {
  const r = render((c) => {
    Object.assign(svc(c, 'argocd').oidc ?? {}, {
      redirectUris: [
        { url: 'https://argocd.frank.derio.net/api/dex/callback' },
        { url: '^https://argocd\\.frank\\.derio\\.net/auth/callback/[a-z]+$', matching: 'regex' },
      ],
    });
    Object.assign(svc(c, 'grafana').oidc ?? {}, { callbackUrl: 'http://192.168.55.220:3000/login/generic_oauth' });
  });
  const redirects = (clientId: string) =>
    entriesOf(r, MODEL.oauth2Provider).find((e) => e.identifiers.client_id === clientId)?.attrs?.redirect_uris;

  test('extra URIs sit next to the consumer callback, each with its matching mode', () => {
    expect(redirects('argocd')).toEqual([
      { matching_mode: 'strict', url: 'https://argocd.frank.derio.net/auth/callback' },
      { matching_mode: 'strict', url: 'https://argocd.frank.derio.net/api/dex/callback' },
      { matching_mode: 'regex', url: '^https://argocd\\.frank\\.derio\\.net/auth/callback/[a-z]+$' },
    ]);
  });

  test('an explicit http:// callback is registered as written, and the consumer is told the same URL', () => {
    expect(redirects('grafana')).toEqual([{ matching_mode: 'strict', url: 'http://192.168.55.220:3000/login/generic_oauth' }]);
    const values = doc(r, 'values/grafana.yaml');
    expect(values.grafana['grafana.ini'].server.root_url).toBe('http://192.168.55.220:3000');
  });
});

describe('adoption: retiring foreign objects', () => {
  const r = render((c) => {
    c.retiredObjects = [
      { model: MODEL.proxyProvider, identifiers: { name: 'Longhorn (legacy)' } },
      { model: MODEL.application, identifiers: { slug: 'longhorn-legacy' } },
      { model: MODEL.group, identifiers: { name: 'longhorn-users' } },
    ];
  });

  test('they become tombstones, applications before providers before groups', () => {
    const entries = blueprintNamed(r, 'unified-auth-retired').entries;
    expect(entries.map((e) => [e.model, e.state, e.identifiers])).toEqual([
      [MODEL.application, 'absent', { slug: 'longhorn-legacy' }],
      [MODEL.proxyProvider, 'absent', { name: 'Longhorn (legacy)' }],
      [MODEL.group, 'absent', { name: 'longhorn-users' }],
    ]);
    expect(validateBlueprint(blueprintNamed(r, 'unified-auth-retired'), r.model.authentik.minor)).toEqual([]);
  });
});
