// Derived names are injective (issue 22 item 4): every name derived from a slug or name is
// checked in one table (lib/model/derived-names.ts), and a collision is one config error naming
// both config paths, before anything is written.
import { DERIVED_NAMES, derivedNameCollisions, sourcesOf } from '../../lib/model/derived-names';
import { parseConfig } from '../../lib/rules/validate';
import { derive } from '../../lib/model/derive';
import path from 'node:path';
import { ROOT, configProblems, defaultInput, loadYamlFile } from '../support/helpers';
import { expectRefused, runSynth } from './cli-case';

type Input = ReturnType<typeof defaultInput>;
const svc = (c: Input, slug: string) => c.services.find((s) => s.slug === slug)!;
const agent = (c: Input, slug: string, extra: Record<string, unknown> = {}) =>
  c.services.push({ ...structuredClone(svc(c, 'k8s-agent')), slug, name: `Agent ${slug}`, ...extra });

const problems = configProblems;

/** [case, mutation, the lines it must produce (regexes, in order)] */
const CASES: Array<[string, (c: Input) => void, RegExp[]]> = [
  [
    'agents 1bot and agent-1bot: one kubeconfig env var',
    (c) => {
      agent(c, '1bot');
      agent(c, 'agent-1bot');
    },
    [
      /^services\[9\]\.slug: derives the environment variable in kubeconfig\/agent\.yaml "AGENT_1BOT_CLIENT_SECRET", which services\[8\]\.slug derives too/,
    ],
  ],
  [
    "the bootstrap password's key is the key Grafana's client secret derives",
    (c) => (c.authentik.secret = { ...c.authentik.secret, bootstrapPassword: 'grafana_client_secret' }),
    [
      /^services\[1\]\.slug: derives the key of Authentik's Secret "[^"]+" "grafana_client_secret", which authentik\.secret\.bootstrapPassword derives too/,
    ],
  ],
  [
    'two consumers writing their client secret to the same Secret key',
    (c) => {
      svc(c, 'argocd').oidc!.clientSecret = { namespace: 'argocd', name: 'oidc', key: 'secret' };
      svc(c, 'infisical').oidc!.clientSecret = { namespace: 'argocd', name: 'oidc', key: 'secret' };
    },
    [
      /^services\[2\]\.oidc\.clientSecret: derives the Secret key a consumer reads its client secret from "argocd\/oidc:secret", which services\[0\]\.oidc\.clientSecret derives too/,
    ],
  ],
];

test.each(CASES)('%s', (_, mutate, lines) => {
  const got = problems(mutate);
  expect(got).toHaveLength(lines.length);
  lines.forEach((re, i) => expect(got[i]).toMatch(re));
});

test('the 1bot case in the CLI: exit 1, one line, nothing written', () => {
  const c = defaultInput();
  agent(c, '1bot');
  agent(c, 'agent-1bot');
  const run = runSynth(c);
  expectRefused(run);
  expect(run.stderr).toEqual([
    expect.stringMatching(/^config error: (?:\S+:\d+:\d+: )?services\[9\]\.slug: .*"AGENT_1BOT_CLIENT_SECRET".*services\[8\]\.slug/),
  ]);
});

test.each(['config/frank.ts', 'test/fixtures/edge-traefik-crd.yaml', 'test/fixtures/external-secrets.yaml'])(
  '%s derives no collision',
  (file) => {
    const c = parseConfig(file.endsWith('.ts') ? defaultInput() : loadYamlFile(path.join(ROOT, file)));
    expect(derivedNameCollisions(c, derive(c))).toEqual([]);
  },
);

test('every rule names something in one of them (a rule that lists nothing checks nothing)', () => {
  const configs = [
    parseConfig(defaultInput()),
    ...['edge-traefik-crd', 'external-secrets'].map((f) => parseConfig(loadYamlFile(path.join(ROOT, `test/fixtures/${f}.yaml`)))),
  ];
  const empty = DERIVED_NAMES.filter((r) => configs.every((c) => r.names(derive(c), sourcesOf(c)).length === 0));
  expect(empty.map((r) => r.kind(derive(configs[0])))).toEqual([]);
});

test('a collision made in the model (a name shortened after derivation) is caught, naming both sources', () => {
  const c = parseConfig(defaultInput());
  const m = derive(c);
  const [bot] = m.agents;
  const [app] = m.oidcApps;
  const twin = {
    ...m,
    agents: [...m.agents, { ...bot, slug: 'twin' }],
    oidcApps: [...m.oidcApps, { ...app, slug: 'twin', clientId: 'twin', blueprint: { ...app.blueprint, name: 'another-blueprint' } }],
  };
  const lines = derivedNameCollisions(c, twin);
  const kinds = [
    "environment variable of Authentik's pods",
    `environment variable in kubeconfig/agent.yaml "${bot.kubeconfigEnvVar}"`,
    `context in kubeconfig/agent.yaml "${bot.kubeconfigContext}"`,
    `app-password token identifier "${bot.tokenIdentifier}"`,
    `blueprint ConfigMap name "${app.blueprint.configMapName}"`,
    `blueprint volume of Authentik's worker "blueprints-cm-${app.blueprint.configMapName}"`,
  ];
  for (const k of kinds) expect(lines).toContainEqual(expect.stringContaining(k));
  for (const l of lines)
    expect(l).toMatch(/^the model: derives the .*, which (services\[\d+\]\.\w+|the model) derives too; rename one of them$/);
});
