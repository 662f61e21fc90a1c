// Changing domains (docs/changing-domains.md): the fixture test/fixtures/migration.yaml walked
// through overlap, cutover and done. The expectations are computed here from the fixture's own
// migration block (old and new host of each move), not from the model: what each phase must
// register, trust and route, and that nothing points at a host once it is retired.
import fs from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import { ConfigError, parseConfig } from '../../lib/rules/validate';
import { render, type SynthResult } from '../../lib/output/render';
import { runChecks } from '../../lib/checks';
import { checkMigration } from '../../lib/checks/migration';
import { apiserverOidc, oauth2ByClientId, presentEntries, redirectUris } from '../../lib/checks/rendered';
import { MODEL } from '../../lib/upstream/authentik-models';
import { OUTPUT } from '../../lib/base/paths';
import { checkMigrationPhase, migrationNow, recordedMigrationIn } from '../../lib/guards/migration';
import { plan } from '../../lib/plan';
import { formatPlan } from '../../lib/plan/format';
import { CONSUMER_CALLBACK_PATH } from '../../lib/upstream/conventions';
import { planMain } from '../../lib/plan/cli';
import { readTree } from '../../lib/readback/tree';
import { errors, mounted, replayEveryOrder, synth, tmpDir } from '../support/lifecycle';
import { freshAuthentik } from '../support/authentik-importer';
import { confidentialApps, derive } from '../../lib/model/derive';
import { ROOT, doc, flagsForm } from '../support/helpers';

const FIXTURE = path.join(ROOT, 'test/fixtures/migration.yaml');
type Phase = 'overlap' | 'cutover' | 'done';
const PHASES: Phase[] = ['overlap', 'cutover', 'done'];
const input = (): any => yaml.load(fs.readFileSync(FIXTURE, 'utf8'));
const withPhase = (phase: Phase) => {
  const c = input();
  c.migration.phase = phase;
  return c;
};
/** The cluster before the move: every host and URL at its old value, no migration block. */
const beforeMove = () => {
  const c = input();
  const back = new Map<string, string>(c.migration.hosts.map((h: any) => [h.to, h.from]));
  c.authentik.url = c.migration.authentik.from;
  for (const s of c.services) if (s.host) s.host = back.get(s.host) ?? s.host;
  delete c.migration;
  return c;
};
/** The cluster after the move, once the migration block is gone. */
const afterMove = () => {
  const c = input();
  delete c.migration;
  return c;
};
/** Rendered and checked once per distinct config: the tests only read the result (most configs recur). */
const rendered = new Map<string, SynthResult>();
const renderChecked = (c: unknown): SynthResult => {
  const key = JSON.stringify(c);
  let r = rendered.get(key);
  if (!r) {
    r = render(parseConfig(c));
    runChecks(r);
    rendered.set(key, r);
  }
  return r;
};
const tree = (r: SynthResult) => new Map(r.files.map((f) => [f.path, f.text]));

const fx = input();
const oldAuth = fx.migration.authentik.from as string;
const newAuth = fx.migration.authentik.to as string;
const hostName = (url: string) => new URL(url).host;
const moves = fx.migration.hosts as Array<{ from: string; to: string }>;
const oldOf = (host: string) => moves.find((h) => h.to === host)!.from;
const oldHosts = [hostName(oldAuth), ...moves.map((h) => h.from)];
/** Clients may still hold the old URL until done; consumers are pointed at the new one from cutover. */
const served = (phase: Phase) => (phase === 'done' ? ['new'] : ['new', 'old']);
const current = (phase: Phase) => (phase === 'overlap' ? 'old' : 'new');
const pick = (side: string, oldV: string, newV: string) => (side === 'old' ? oldV : newV);

describe.each(PHASES)('phase %s', (phase) => {
  const r = renderChecked(withPhase(phase));

  test('every consumer callback of every served host is registered, and only those', () => {
    const providers = oauth2ByClientId(r);
    for (const s of fx.services.filter((x: any) => x.oidc)) {
      const p = providers.get(s.slug)!;
      const uris = redirectUris(p.provider).map((u) => String(u.url));
      const path = CONSUMER_CALLBACK_PATH[s.oidc.consumer as keyof typeof CONSUMER_CALLBACK_PATH];
      const expected = served(phase).map((side) => `https://${pick(side, oldOf(s.host), s.host)}${path}`);
      expect(uris.sort()).toEqual(expected.sort());
    }
    // Forward auth: a proxy provider for every served host (the embedded outpost picks one by host).
    const external = presentEntries(r, MODEL.proxyProvider).map(({ e }) => String((e.attrs as any).external_host));
    for (const s of fx.services.filter((x: any) => x.forwardAuth)) {
      const expected = served(phase).map((side) => `https://${pick(side, oldOf(s.host), s.host)}`);
      expect(external.filter((u) => u.includes(s.slug)).sort()).toEqual(expected.sort());
    }
  });

  test('every issuer a client may hold is trusted by the apiserver, and kubeconfigs name the new one', () => {
    const trusted = r.files
      .filter((f) => f.path === OUTPUT.talosPatch || f.path === OUTPUT.omniPatch)
      .map((f) =>
        f
          .docs!.flatMap(apiserverOidc)
          .map((a) => `${a.issuer} ${a.clientId}`)
          .sort(),
      );
    const clients = fx.services.filter((x: any) => x.agent || x.kubectl).map((x: any) => x.slug as string);
    const mayHold = clients.flatMap((slug: string) =>
      served(phase).map((side) => `${pick(side, oldAuth, newAuth)}/application/o/${slug}/ ${slug}`),
    );
    expect(trusted).toHaveLength(2);
    for (const t of trusted) expect(t).toEqual(mayHold.sort());
    // AuthenticationConfiguration refuses two JWT authenticators with one issuer URL.
    const urls = trusted[0].map((t) => t.split(' ')[0]);
    expect(new Set(urls).size).toBe(urls.length);
    for (const f of [OUTPUT.kubeconfig, OUTPUT.peopleKubeconfig]) {
      const issuers = [...r.files.find((x) => x.path === f)!.text.matchAll(/--oidc-issuer-url=(\S+?)['"\s]/g)].map((m) => m[1]);
      expect(issuers.length).toBeGreaterThan(0);
      for (const i of issuers) expect(i.startsWith(`${newAuth}/`)).toBe(true);
    }
  });

  test('the consumers, AUTHENTIK_HOST, the outpost and launch URLs follow the phase', () => {
    const url = pick(current(phase), oldAuth, newAuth);
    const env = doc(r, OUTPUT.authentikValues).global.env.find((e: any) => e.name === 'AUTHENTIK_HOST');
    expect(env.value).toBe(url);
    const outpost = presentEntries(r, MODEL.outpost)[0].e.attrs as any;
    expect(outpost.config).toEqual({ authentik_host: url, authentik_host_browser: url });
    const argocd = fx.services.find((s: any) => s.slug === 'argocd');
    const cm = doc(r, OUTPUT.argocdValues).configs.cm;
    expect(cm.url).toBe(`https://${pick(current(phase), oldOf(argocd.host), argocd.host)}`);
    expect((yaml.load(cm['oidc.config']) as any).issuer).toBe(`${url}/application/o/argocd/`);
    const launch = presentEntries(r, MODEL.application)
      .filter(({ e }) => e.identifiers.slug === 'longhorn')
      .map(({ e }) => (e.attrs as any).meta_launch_url);
    expect(launch).toEqual([`https://${pick(current(phase), 'longhorn.frank.derio.net', 'longhorn.cluster.derio.net')}/`]);
  });

  test('the edge routes both hosts while the old one is served', () => {
    const traefik = r.files.find((f) => f.path === OUTPUT.traefik)!.text;
    // Authentik and every service the edge routes (forward auth, and grafana's routes).
    const routed = fx.services.filter((s: any) => s.forwardAuth || s.routes).map((s: any) => s.host as string);
    expect(routed).toContain('grafana.cluster.derio.net');
    for (const h of [hostName(newAuth), ...routed]) expect(traefik).toContain(`Host(\`${h}\`)`);
    for (const h of [hostName(oldAuth), ...routed.map(oldOf)]) expect(traefik.includes(`Host(\`${h}\`)`)).toBe(phase !== 'done');
  });

  test('nothing references a retired host', () => {
    const retired = phase === 'done' ? oldHosts : [];
    // docs/ describes the move (the runbook names the old hosts to check they are gone).
    for (const f of r.files.filter((x) => !x.path.startsWith('docs/'))) {
      for (const h of retired) expect(`${f.path}: ${f.text.includes(h) ? h : ''}`).toBe(`${f.path}: `);
    }
  });

  test('the runbook of the phase is in manual-operations.yaml', () => {
    const ops = doc(r, OUTPUT.manualOperations) as Array<{ id: string; commands: string[]; verify: string[] }>;
    const ids = ops.filter((o) => o.id.startsWith(`migration-${phase}-`)).map((o) => o.id);
    expect(ids.length).toBeGreaterThan(1);
    expect(ops.some((o) => o.id.startsWith('migration-') && !o.id.startsWith(`migration-${phase}-`))).toBe(false);
    if (phase !== 'cutover') {
      const talos = ops.find((o) => o.id.startsWith(`migration-${phase}-2-apiserver`))!;
      expect(talos.verify.join('\n')).toMatch(/Ready[\s\S]*readyz[\s\S]*etcd/);
      expect(talos.commands.join('\n')).toContain('lock every control-plane machine but the first');
    }
  });
});

describe.each(['edge-traefik-file.yaml', 'edge-traefik-crd.yaml', 'edge-gateway-api.yaml'])('every edge mode: %s', (name) => {
  // The edge fixture moved from <label>-old.<domain> (covered by its wildcard certificates) to its own hosts.
  const moved = (phase: Phase) => {
    const c: any = yaml.load(fs.readFileSync(path.join(ROOT, 'test/fixtures', name), 'utf8'));
    const old = (h: string) => h.replace(/^([^.]+)/, '$1-old');
    const hosts = c.services.filter((s: any) => s.host && !s.retired).map((s: any) => s.host as string);
    // Two issuers during the move: the flags form cannot hold them (a config error says so).
    c.talos.apiServerAuth = 'structured';
    c.migration = {
      phase,
      authentik: { from: c.authentik.url.replace(/^https:\/\/([^.]+)/, 'https://$1-old'), to: c.authentik.url },
      hosts: hosts.map((to: string) => ({ from: old(to), to })),
    };
    return { c, hosts, old };
  };
  const routedHosts = (r: SynthResult) =>
    plan(new Map(), tree(r)).endpoints.added.flatMap((l) => (l.startsWith('the edge routes ') ? [l.slice('the edge routes '.length)] : []));
  test.each(PHASES)('%s: routes for both hosts until done, checked like any output', (phase) => {
    const { c, old } = moved(phase);
    const before = routedHosts(renderChecked(moved('overlap').c)).filter((h) => !h.includes('-old.'));
    const r = renderChecked(c);
    const routed = routedHosts(r);
    expect(before.length).toBeGreaterThan(2);
    for (const h of before) {
      expect(routed).toContain(h);
      expect(routed.includes(old(h))).toBe(phase !== 'done');
    }
  });
});

describe('done tombstones what only the old hosts used', () => {
  test('the forward-auth stand-ins are deleted, the services keep their own objects', () => {
    const r = renderChecked(withPhase('done'));
    const absent = r.blueprints.flatMap((b) =>
      b.entries.filter((e) => e.state === 'absent').map((e) => `${e.model} ${JSON.stringify(e.identifiers)}`),
    );
    for (const s of ['longhorn', 'hubble']) {
      expect(absent).toContain(`${MODEL.application} {"slug":"${s}-old-host"}`);
      expect(absent).toContain(`${MODEL.proxyProvider} {"name":"${s}-old-host forward auth"}`);
      expect(absent.some((a) => a.includes(`"slug":"${s}"`) || a.includes(`"${s} forward auth"`))).toBe(false);
    }
  });
});

describe('the phase order is guarded against the previous output', () => {
  const trees = {
    before: tree(renderChecked(beforeMove())),
    overlap: tree(renderChecked(withPhase('overlap'))),
    cutover: tree(renderChecked(withPhase('cutover'))),
    done: tree(renderChecked(withPhase('done'))),
  };
  const guard = (from: keyof typeof trees, c: any) =>
    checkMigrationPhase(recordedMigrationIn(trees[from]), migrationNow(parseConfig(c)), 'dist');

  test.each([
    ['before', 'overlap'],
    ['overlap', 'overlap'],
    ['overlap', 'cutover'],
    ['cutover', 'done'],
    ['cutover', 'overlap'],
    ['done', 'cutover'],
  ] as const)('%s -> %s is accepted', (from, to) => {
    expect(guard(from, withPhase(to))).toEqual([]);
  });

  test('after done, the migration block may go', () => {
    expect(guard('done', afterMove())).toEqual([]);
  });

  test.each([
    ['before', 'done', 'no migration', 'overlap and cutover'],
    ['before', 'cutover', 'no migration', 'overlap'],
    ['overlap', 'done', 'overlap', 'cutover'],
    ['done', 'overlap', 'done', 'cutover'],
  ] as const)('%s -> %s is refused, one line per move', (from, to, was, skipped) => {
    const lines = guard(from, withPhase(to));
    expect(lines).toHaveLength(1 + moves.length);
    expect(lines[0]).toContain(
      `migration.authentik (${oldAuth} -> ${newAuth}) goes from ${was} in dist straight to ${to}, skipping ${skipped}`,
    );
    for (const l of lines) expect(l).not.toMatch(/\n/);
  });

  test('a plain edit of authentik.url is refused: it is a migration in one step', () => {
    const lines = guard('before', afterMove());
    expect(lines).toEqual([expect.stringContaining(`authentik.url changes from ${oldAuth} (dist) to ${newAuth} in one step`)]);
  });

  test('dropping an unfinished migration is refused unless it goes back where it came from', () => {
    expect(guard('cutover', afterMove())[0]).toContain('is in phase cutover in dist and this config drops it');
    expect(guard('overlap', beforeMove())).toEqual([]);
  });
});

describe('npm run plan across a phase change', () => {
  const t = (phase: Phase) => tree(renderChecked(withPhase(phase)));
  test('overlap -> cutover moves the clients, adds and removes no trust', () => {
    const p = plan(t('overlap'), t('cutover'));
    expect(p.endpoints.phase).toBe('overlap -> cutover');
    expect(p.endpoints.added).toContain(`AUTHENTIK_HOST ${newAuth}`);
    expect(p.endpoints.removed).toContain(`AUTHENTIK_HOST ${oldAuth}`);
    expect(p.endpoints.added).toContain(`embedded outpost authentik_host ${newAuth}`);
    expect(p.endpoints.added.concat(p.endpoints.removed).filter((l) => l.startsWith('apiserver'))).toEqual([]);
    expect(formatPlan(p, 'text', 'plan')).toContain('> domain move: overlap -> cutover');
  });
  test('cutover -> done removes the old issuer, callbacks and routes, and deletes the stand-ins', () => {
    const p = plan(t('cutover'), t('done'));
    expect(p.endpoints.added).toEqual([]);
    expect(p.endpoints.removed).toEqual(
      expect.arrayContaining([
        `apiserver (${OUTPUT.talosPatch}) trusts issuer ${oldAuth}/application/o/k8s-agent/ (audience k8s-agent)`,
        'provider argocd accepts redirect URI https://argocd.frank.derio.net/auth/callback',
        `the edge routes ${hostName(oldAuth)}`,
        'the edge routes longhorn.frank.derio.net',
      ]),
    );
    expect(p.authentik.deleted.map((c) => c.identity)).toEqual(expect.arrayContaining(['slug=longhorn-old-host']));
  });
  test('no migration -> overlap removes no trust, callback or route', () => {
    expect(plan(t('overlap'), t('overlap')).endpoints).toEqual({ added: [], removed: [] });
    const q = plan(tree(renderChecked(beforeMove())), t('overlap'));
    expect(q.endpoints.phase).toBe('no migration -> overlap');
    expect(q.endpoints.added).toEqual(
      expect.arrayContaining([
        `apiserver (${OUTPUT.talosPatch}) trusts issuer ${newAuth}/application/o/kubernetes/ (audience kubernetes)`,
        'provider grafana accepts redirect URI https://grafana.cluster.derio.net/login/generic_oauth',
        `the edge routes ${hostName(newAuth)}`,
      ]),
    );
    // What goes: the kubeconfigs' old issuer (they name the new one) and the canonical proxy
    // providers' old external host (their stand-ins serve it now).
    expect(q.endpoints.removed.filter((l) => !/^(kubeconfig\/|proxy provider "(longhorn|hubble) forward auth")/.test(l))).toEqual([]);
  });
});

describe('the CLI walks the phases: synth guards them, plan shows each', () => {
  test('no migration -> done is refused with the output untouched; overlap -> cutover -> done -> no block synthesize; plan shows a phase change', () => {
    const out = path.join(tmpDir('migration'), 'dist');
    expect(synth(beforeMove(), out)).toEqual([]);
    const untouched = readTree(out);
    const refused = synth(withPhase('done'), out);
    expect(refused).toHaveLength(1 + moves.length);
    expect(refused[0]).toMatch(
      /^check failed: migration\.authentik \(.*\) goes from no migration in .* straight to done, skipping overlap and cutover: /,
    );
    expect(readTree(out)).toEqual(untouched);

    expect(synth(withPhase('overlap'), out)).toEqual([]);
    const file = path.join(tmpDir('migration-config'), 'cutover.json');
    fs.writeFileSync(file, JSON.stringify(withPhase('cutover')));
    const printed: string[] = [];
    const w = jest.spyOn(process.stdout, 'write').mockImplementation((s) => printed.push(String(s)) > 0);
    try {
      expect(planMain(['--config', file, '--baseline', out])).toBe(0);
    } finally {
      w.mockRestore();
    }
    const text = printed.join('');
    expect(text).toContain('Endpoints and trust:\n  > domain move: overlap -> cutover\n');
    expect(text).toContain(`  + AUTHENTIK_HOST ${newAuth}\n`);
    expect(text).toContain(`  - AUTHENTIK_HOST ${oldAuth}\n`);

    expect(synth(withPhase('cutover'), out)).toEqual([]);
    expect(synth(withPhase('done'), out)).toEqual([]);
    expect(readTree(out).has(OUTPUT.migrationRecord)).toBe(true);
    expect(synth(afterMove(), out)).toEqual([]);
    expect(readTree(out).has(OUTPUT.migrationRecord)).toBe(false);
  });
});

describe("Authentik's importer applies the phases in order (test/support/authentik-importer.ts)", () => {
  test('the stand-ins appear in overlap, the services keep their objects on the new host, done deletes the stand-ins', () => {
    const out = path.join(tmpDir('migration-importer'), 'dist');
    const ak = freshAuthentik();
    const apply = (c: unknown) => {
      const m = derive(parseConfig(c));
      for (const a of confidentialApps(m)) ak.env[a.clientSecret.envVar] = `${a.slug}-secret`;
      for (const a of m.agents) ak.env[a.tokenSecret.envVar] = `${a.slug}-password`;
      expect(synth(c, out)).toEqual([]);
      // Each phase's files apply in any order (test/support/lifecycle.ts replayEveryOrder).
      expect(replayEveryOrder(ak, mounted(out)).problems).toEqual([]);
      ak.discover(mounted(out));
      expect(errors(ak)).toEqual([]);
    };
    const proxy = (name: string) => ak.find('authentik_providers_proxy.proxyprovider', { name })?.fields.external_host;
    const app = (slug: string) => ak.find('authentik_core.application', { slug });
    apply(beforeMove());
    const longhornApp = app('longhorn')!.pk;
    expect(proxy('longhorn forward auth')).toBe('https://longhorn.frank.derio.net');
    for (const phase of ['overlap', 'cutover'] as const) {
      apply(withPhase(phase));
      expect(proxy('longhorn forward auth')).toBe('https://longhorn.cluster.derio.net');
      expect(proxy('longhorn-old-host forward auth')).toBe('https://longhorn.frank.derio.net');
      expect(app('longhorn')!.pk).toBe(longhornApp);
      expect(app('longhorn-old-host')).toBeDefined();
    }
    apply(withPhase('done'));
    expect(proxy('longhorn-old-host forward auth')).toBeUndefined();
    expect(app('longhorn-old-host')).toBeUndefined();
    expect(app('longhorn')!.pk).toBe(longhornApp);
    apply(afterMove());
    expect(proxy('longhorn forward auth')).toBe('https://longhorn.cluster.derio.net');
  });
});

describe('checkMigration: the rendered edge serves every route of a moved host on both hosts until done', () => {
  const fresh = (phase: Phase) => render(parseConfig(withPhase(phase)));
  test('the phases as rendered pass', () => {
    for (const phase of PHASES) expect(checkMigration(fresh(phase))).toEqual([]);
  });
  test('an old host that lost a route, its forward auth, or is still routed after done is a finding', () => {
    const r = fresh('overlap');
    const routers = doc(r, OUTPUT.traefik).http.routers;
    delete routers['longhorn-old-host'].middlewares;
    routers['hubble-old-host'].rule = 'Host(`hubble.frank.derio.net`) && PathPrefix(`/api`)';
    expect(checkMigration(r)).toEqual([
      'traefik/authentik.yaml routes longhorn.cluster.derio.net / to http://192.168.55.212:80 (forward auth), but its old host longhorn.frank.derio.net to http://192.168.55.212:80 (no forward auth): a move takes every route of the host with it while the overlap phase serves both',
      'traefik/authentik.yaml routes hubble.cluster.derio.net / to http://192.168.55.213:80 (forward auth), but its old host hubble.frank.derio.net not at all: a move takes every route of the host with it while the overlap phase serves both',
      'traefik/authentik.yaml routes the old host hubble.frank.derio.net at /api, which its new host hubble.cluster.derio.net does not serve',
    ]);
    const done = fresh('done');
    doc(done, OUTPUT.traefik).http.routers.stale = { rule: 'Host(`auth.frank.derio.net`)', service: 'authentik' };
    expect(checkMigration(done)).toEqual([`traefik/authentik.yaml still routes auth.frank.derio.net ("/"), which the done phase retired`]);
  });
});

describe('a moved service with adopted identities (docs/adopting.md) keeps them; its stand-in has its own', () => {
  test('forward auth with an adopted application and provider name, and a service with oidc plus forward auth', () => {
    for (const phase of PHASES) {
      const c = withPhase(phase);
      const longhorn = c.services.find((s: any) => s.slug === 'longhorn');
      longhorn.forwardAuth = {
        ...longhorn.forwardAuth,
        providerName: 'Longhorn (legacy)',
        application: { slug: 'longhorn-ui', name: 'Longhorn UI' },
      };
      const grafana = c.services.find((s: any) => s.slug === 'grafana');
      grafana.forwardAuth = {};
      const r = renderChecked(c);
      const proxies = presentEntries(r, MODEL.proxyProvider).map(
        ({ e }) => `${e.identifiers.name as string} ${(e.attrs as any).external_host as string}`,
      );
      expect(proxies).toEqual(
        expect.arrayContaining([
          'Longhorn (legacy) https://longhorn.cluster.derio.net',
          'grafana forward auth https://grafana.cluster.derio.net',
          ...(phase === 'done'
            ? []
            : [
                'longhorn-old-host forward auth https://longhorn.frank.derio.net',
                'grafana-old-host forward auth https://grafana.frank.derio.net',
              ]),
        ]),
      );
      const uris = redirectUris(oauth2ByClientId(r).get('grafana')!.provider).map((u) => String(u.url));
      expect(uris).toEqual([
        'https://grafana.cluster.derio.net/login/generic_oauth',
        ...(phase === 'done' ? [] : ['https://grafana.frank.derio.net/login/generic_oauth']),
      ]);
    }
  });
});

describe('the flags apiserver form holds one issuer', () => {
  test('overlap and cutover are config errors that say why; done trusts one issuer and is fine', () => {
    for (const phase of PHASES) {
      const c = withPhase(phase);
      flagsForm(c);
      if (phase === 'done') {
        expect(renderChecked(c).model.apiserverIssuers.map((a) => a.issuer)).toEqual([`${newAuth}/application/o/k8s-agent/`]);
        continue;
      }
      expect(() => parseConfig(c)).toThrow(
        new ConfigError([
          `talos.apiServerAuth: "flags" holds one issuer (--oidc-issuer-url), but in the ${phase} phase the apiserver must trust the issuers of both auth.frank.derio.net and auth.cluster.derio.net while agents and people move; use "structured" (one JWT authenticator per issuer)`,
        ]),
      );
    }
  });
});
