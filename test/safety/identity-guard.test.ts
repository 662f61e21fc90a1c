// Issue 24 finding 8 as a guard of the one render-and-guard step (lib/pipeline/render-and-guard.ts):
// a config that creates an object under an identity Authentik refuses next to the live layer is
// refused by synth, check and plan alike, one line naming the blueprint file and entry and what to
// set, exit 1, nothing written; a config adopting the live identity passes. The oracles, from
// authentik/core/models.py: Provider.name is unique=True on the table every provider type extends,
// and Application.provider is a OneToOneField. The importer model applies the same rules
// (test/support/authentik-importer.ts), so the refused output is shown to fail there and the
// adopting output to apply.
import fs from 'node:fs';
import path from 'node:path';
import { main } from '../../main';
import { planMain } from '../../lib/plan/cli';
import { OUTPUT } from '../../lib/base/paths';
import { readTree } from '../../lib/readback/tree';
import { blueprintsInTree } from '../../lib/previous/blueprints';
import { identityConflicts } from '../../lib/guards/authentik-changes';
import { render } from '../../lib/output/render';
import { freshAuthentik, AUTHENTIK_OWN_BLUEPRINTS } from '../support/authentik-importer';
import { errors, mounted } from '../support/lifecycle';
import { confidentialApps, derive } from '../../lib/model/derive';
import { parseConfig } from '../../lib/rules/validate';
import { defaultInput } from '../support/helpers';
import { oneLineEach, runIn, scratch, snapshot } from './support';

type Input = ReturnType<typeof defaultInput>;
const GRAFANA_FILE = 'oidc-providers-11';

let template: string;
let repo: string;

beforeAll(() => {
  const dir = scratch('identity-template');
  template = path.join(dir, 'dist');
  fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify(defaultInput()));
  expect(runIn(dir, () => main(['--config', 'config.json', '--out', 'dist'])).code).toBe(0);
});
afterEach(() => fs.rmSync(repo, { recursive: true, force: true }));

/**
 * A live layer in `repo/live`: the default output as a hand-written copy (no manifest) with
 * Grafana's provider or application edited as `edit` says; `repo/dist` holds the default output.
 */
function arrange(edit: (text: string) => string): void {
  repo = scratch('identity');
  fs.cpSync(template, path.join(repo, 'dist'), { recursive: true });
  const live = path.join(repo, 'live');
  fs.cpSync(template, live, { recursive: true });
  fs.rmSync(path.join(live, OUTPUT.manifest));
  const extras = path.join(live, OUTPUT.extrasDir);
  const file = fs.readdirSync(extras).find((f) => f.includes(GRAFANA_FILE))!;
  const text = fs.readFileSync(path.join(extras, file), 'utf8');
  expect(edit(text)).not.toBe(text);
  fs.writeFileSync(path.join(extras, file), edit(text));
}

const withGrafana = (f: (oidc: NonNullable<Input['services'][number]['oidc']>) => void): Input => {
  const input = defaultInput();
  f(input.services.find((s) => s.slug === 'grafana')!.oidc!);
  return input;
};

const COMMANDS = {
  synth: () => main(['--config', 'config.json', '--out', 'dist', '--baseline', 'live']),
  check: () => main(['--check', '--config', 'config.json', '--out', 'dist', '--baseline', 'live']),
  plan: () => planMain(['--config', 'config.json', '--baseline', 'live']),
};

function run(command: keyof typeof COMMANDS, input: Input) {
  fs.writeFileSync(path.join(repo, 'config.json'), JSON.stringify(input));
  const before = snapshot(repo);
  const r = runIn(repo, COMMANDS[command]);
  return { ...r, unchanged: JSON.stringify(snapshot(repo)) === JSON.stringify(before) };
}

/** The worker's env: one value per secret the blueprints read. */
function envOf(input: Input): Record<string, string> {
  const m = derive(parseConfig(input));
  return Object.fromEntries([
    ...confidentialApps(m).map((a) => [a.clientSecret.envVar, `${a.slug}-secret`]),
    ...m.agents.map((a) => [a.tokenSecret.envVar, `${a.slug}-password`]),
  ]);
}

/** The worker applying `out` after the live layer in `live` (importer model): its error lines. */
function applyOver(live: string, out: string): string[] {
  const ak = freshAuthentik();
  ak.env = envOf(defaultInput());
  ak.discover(new Map(AUTHENTIK_OWN_BLUEPRINTS));
  ak.discover(mounted(live));
  const before = errors(ak);
  ak.discover(new Map([...mounted(out)].map(([p, t]) => [p, t.replace(/^# .*\n/, '# re-read\n')])));
  return errors(ak).filter((e) => !before.includes(e));
}

const CASES = [
  {
    name: 'a provider taking the name of a live provider of another client id (core/models.py Provider.name unique)',
    live: (t: string) => t.replace('client_id: grafana\n', 'client_id: grafana-live\n'),
    line: /^check failed: oidc-providers-11\.yaml entry \d+ \(authentik_providers_oauth2\.oauth2provider client_id=grafana\): name "Grafana OIDC" is the live .* client_id=grafana-live's .*services\[\]\.oidc\.clientId/,
    adopt: withGrafana((o) => (o.clientId = 'grafana-live')),
  },
  {
    name: 'an application taking a provider a live application of another slug keeps (core/models.py Application.provider OneToOneField)',
    live: (t: string) => t.replace('slug: grafana\n', 'slug: grafana-old\n').replace(/access grafana\b/g, 'access grafana-old'),
    line: /^check failed: oidc-providers-11\.yaml entry \d+ \(authentik_core\.application slug=grafana\): its provider .* is held by the live application slug=grafana-old .*services\[\]\.oidc\.application/,
    adopt: withGrafana((o) => (o.application = { slug: 'grafana-old' })),
  },
];

describe.each(CASES)('$name', ({ live, line, adopt }) => {
  test.each(Object.keys(COMMANDS) as Array<keyof typeof COMMANDS>)('%s refuses it with one line, exit 1, nothing written', (command) => {
    arrange(live);
    const r = run(command, defaultInput());
    expect(r.code).toBe(1);
    // The live object the config no longer names is an orphan too (its own line, lib/guards/orphans.ts).
    expect(r.stderr).toContainEqual(expect.stringMatching(line));
    expect(oneLineEach(r.stderr)).toBe(true);
    expect(r.unchanged).toBe(true);
  });

  test('adopting the live identity resolves it: synth passes, and the importer model applies the output', () => {
    arrange(live);
    const r = run('synth', adopt);
    expect(r.stderr).toEqual([]);
    expect(r.code).toBe(0);
    expect(applyOver(path.join(repo, 'live'), path.join(repo, 'dist'))).toEqual([]);
  });

  test('the guard reads the rendered entries as the plan reads the written files: the same lines', () => {
    arrange(live);
    const before = blueprintsInTree(readTree(path.join(repo, 'live')));
    const r = render(parseConfig(defaultInput()));
    const rendered = r.blueprints.map((b) => ({ key: b.fileName, entries: b.entries as unknown as Array<Record<string, unknown>> }));
    const written = blueprintsInTree(new Map(r.files.map((f) => [f.path, f.text])));
    expect(identityConflicts(before, rendered)).toEqual(identityConflicts(before, written));
    expect(identityConflicts(before, written)).toEqual([expect.stringMatching(line.source.replace('^check failed: ', '^'))]);
  });

  test('the refused output does fail in the importer model (the guard is not stricter than Authentik)', () => {
    arrange(live);
    expect(applyOver(path.join(repo, 'live'), path.join(repo, 'dist'))).toEqual([expect.stringMatching(/oidc-providers-11\.yaml: /)]);
  });
});
