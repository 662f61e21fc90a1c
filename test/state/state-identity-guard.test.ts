// The identity guard (lib/pipeline/render-and-guard.ts) runs with the recorded state as the only
// baseline, the normal case after the first synth: the state records the live providers' and
// applications' identities (docs/state.md), so a config change that re-keys a live object under a
// name Authentik refuses is refused by synth, check and plan as it is against the output itself.
// The oracle: authentik/core/models.py, Provider.name is unique=True on the table every provider
// type extends, so a second provider with a live provider's name fails the blueprint
// (test/safety/identity-guard.test.ts shows it in the importer model).
import fs from 'node:fs';
import path from 'node:path';
import { main } from '../../main';
import { planMain } from '../../lib/plan/cli';
import { defaultInput } from '../support/helpers';
import { oneLineEach, runIn, scratch, snapshot } from '../safety/support';

type Input = ReturnType<typeof defaultInput>;
const STATE = 'config.state.json';
const OAUTH2 = 'authentik_providers_oauth2.oauth2provider';

/** The first synth of the default config, made once: each test starts from a copy of it. */
function firstSynth(into: string): void {
  fs.writeFileSync(path.join(into, 'config.json'), JSON.stringify(defaultInput()));
  expect(runIn(into, () => main(['--config', 'config.json', '--out', 'dist'])).code).toBe(0);
  // The output synth wrote, kept aside; dist/ emptied (as `cdk8s synth` leaves it): the state is all that says what was created.
  fs.renameSync(path.join(into, 'dist'), path.join(into, 'written'));
  fs.mkdirSync(path.join(into, 'dist'));
}

let dir: string;
let kept: string | undefined;
beforeEach(() => {
  if (!kept) firstSynth((kept = scratch('state-identity-kept')));
  dir = scratch('state-identity');
  // Every path in the state and the output is relative to dir (runIn works there): a copy is that synth.
  fs.cpSync(kept, dir, { recursive: true });
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
afterAll(() => kept && fs.rmSync(kept, { recursive: true, force: true }));

test('a copy of the first synth is byte for byte what that synth writes in a directory of its own', () => {
  const own = scratch('state-identity-own');
  try {
    firstSynth(own);
    expect(snapshot(own)).toEqual(snapshot(dir));
  } finally {
    fs.rmSync(own, { recursive: true, force: true });
  }
});

/** Grafana's provider re-keyed (a new client id, the same name); the old one retired, so the orphan guard is satisfied. */
function rekeyed(providerName?: string): Input {
  const input = defaultInput();
  const oidc = input.services.find((s) => s.slug === 'grafana')!.oidc!;
  oidc.clientId = 'grafana-new';
  if (providerName) oidc.providerName = providerName;
  (input as Record<string, unknown>).retiredObjects = [{ model: OAUTH2, identifiers: { client_id: 'grafana' } }];
  return input;
}

const COMMANDS = {
  synth: () => main(['--config', 'config.json', '--out', 'dist']),
  check: () => main(['--check', '--config', 'config.json', '--out', 'dist']),
  plan: () => planMain(['--config', 'config.json', '--baseline', 'dist']),
};

function run(command: keyof typeof COMMANDS, input?: Input) {
  if (input) fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify(input));
  const before = snapshot(dir);
  const r = runIn(dir, COMMANDS[command]);
  return { ...r, unchanged: JSON.stringify(snapshot(dir)) === JSON.stringify(before) };
}

const REFUSED = new RegExp(
  `^check failed: oidc-providers-11\\.yaml entry \\d+ \\(${OAUTH2.replace('.', '\\.')} client_id=grafana-new\\): name "Grafana OIDC" is the live ${OAUTH2.replace('.', '\\.')} client_id=grafana's \\(oidc-providers-11\\.yaml\\); provider names are unique across provider types`,
);

test.each(Object.keys(COMMANDS) as Array<keyof typeof COMMANDS>)(
  '%s refuses a re-key with the state as the only baseline: one line, exit 1, nothing written',
  (command) => {
    const r = run(command, rekeyed());
    expect(r.stderr).toEqual([expect.stringMatching(REFUSED)]);
    expect(r.code).toBe(1);
    expect(oneLineEach(r.stderr)).toBe(true);
    expect(r.unchanged).toBe(true);
  },
);

test('the state refuses exactly what the output it was taken from refuses', () => {
  const fromState = run('synth', rekeyed());
  const fromOutput = runIn(dir, () => main(['--config', 'config.json', '--out', 'dist', '--baseline', 'written']));
  expect(fromOutput.code).toBe(1);
  expect(fromOutput.stderr).toEqual(fromState.stderr);
});

test('the re-key under a new provider name is not refused (the guard is not stricter than Authentik)', () => {
  const r = run('synth', rekeyed('Grafana OIDC (new client)'));
  expect(r.stderr).toEqual([]);
  expect(r.code).toBe(0);
});

test('a state from before identities were recorded: read once as it is, with a line, and upgraded by synth', () => {
  const file = path.join(dir, STATE);
  const current = fs.readFileSync(file, 'utf8');
  const older = JSON.parse(current) as Record<string, unknown>;
  expect(older.identities).toEqual(
    expect.arrayContaining([expect.objectContaining({ model: OAUTH2, identifiers: { client_id: 'grafana' } })]),
  );
  delete older.identities;
  fs.writeFileSync(file, `${JSON.stringify(older, null, 2)}\n`);
  const line = `${STATE} was written by an older version and records no identities: the identity guard had nothing to compare with this once`;
  // check says so, and fails: the state is not what synth writes.
  const checked = run('check');
  expect(checked.code).toBe(1);
  expect(checked.stdout).toContain(`check: ${line}; npm run synth records them`);
  expect(checked.stderr).toContain(`drift: ${STATE} differs from a fresh synth; run npm run synth and commit it`);
  const synthed = run('synth');
  expect(synthed.code).toBe(0);
  expect(synthed.stdout).toContain(`synth: ${line}; recorded them now`);
  expect(fs.readFileSync(file, 'utf8')).toBe(current);
  // From then on the guard runs on it.
  expect(run('synth', rekeyed()).stderr).toEqual([expect.stringMatching(REFUSED)]);
});

test('plan with such a state compares identities with the output it plans against', () => {
  const file = path.join(dir, STATE);
  const older = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  delete older.identities;
  fs.writeFileSync(file, `${JSON.stringify(older, null, 2)}\n`);
  fs.rmSync(path.join(dir, 'dist'), { recursive: true });
  fs.renameSync(path.join(dir, 'written'), path.join(dir, 'dist'));
  const r = run('plan', rekeyed());
  expect(r.stderr).toEqual([expect.stringMatching(REFUSED)]);
  expect(r.code).toBe(1);
});

test.each([
  ['not a list', 'identities', '{}'],
  ['an entry without its model', 'identities.0.model', '[{"identifiers": {}, "attrs": {}, "blueprint": "x.yaml"}]'],
  [
    'an identifier that is not text',
    'identities.0.identifiers.client_id',
    '[{"model": "m", "identifiers": {"client_id": 1}, "attrs": {}, "blueprint": "x.yaml"}]',
  ],
  ['an unknown field', 'identities.0', '[{"model": "m", "identifiers": {}, "attrs": {}, "blueprint": "x.yaml", "extra": 1}]'],
])('a state whose identities are malformed (%s) is one line naming the file, in synth, check and plan', (_, at, value) => {
  const file = path.join(dir, STATE);
  fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/"identities": \[[\s\S]*?\n {2}\],?\n/, `"identities": ${value},\n`));
  expect(fs.readFileSync(file, 'utf8')).toContain(`"identities": ${value}`);
  for (const command of Object.keys(COMMANDS) as Array<keyof typeof COMMANDS>) {
    const r = run(command);
    expect(r.stderr).toEqual([
      expect.stringMatching(
        new RegExp(
          `^baseline error: ${STATE.replace('.', '\\.')}: ${at.replace(/\./g, '\\.')}: .*; restore it \\(git checkout ${STATE.replace('.', '\\.')}\\)$`,
        ),
      ),
    ]);
    expect(r.code).toBe(1);
    expect(r.unchanged).toBe(true);
  }
});
