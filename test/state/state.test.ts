// The recorded state (docs/state.md): the output is a pure function of the config and the state
// file beside it, never of what --out holds, so `npx cdk8s synth` (which empties --out first) and
// `npm run synth` write the same bytes. The state is read completely or the command stops.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import { main } from '../../main';
import { planMain } from '../../lib/plan/cli';
import { importMain } from '../../lib/import/cli';
import { initMain } from '../../lib/init/cli';
import { ROOT, defaultInput } from '../support/helpers';
import { oneLineEach, runIn, scratch, snapshot } from '../safety/support';

const STATE = 'config/frank.state.json';
const committedDist = snapshot(path.join(ROOT, 'dist'));
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

/** A scratch repository with the default cluster's config and state (no dist/ unless `withDist`). */
function repoCopy(withDist = false): string {
  const dir = scratch('state');
  dirs.push(dir);
  fs.mkdirSync(path.join(dir, 'config'));
  for (const f of ['config/frank.ts', STATE]) fs.copyFileSync(path.join(ROOT, f), path.join(dir, f));
  if (withDist) fs.cpSync(path.join(ROOT, 'dist'), path.join(dir, 'dist'), { recursive: true });
  return dir;
}

test('the real `cdk8s synth` (which empties dist/ first) writes the committed dist/ byte for byte, from the state', () => {
  // The app as cdk8s.yaml runs it: bin/synth.cjs with the bundle built from this source.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const bundle: string = require('../../bin/build.cjs').ensureBuilt();
  const dir = repoCopy();
  for (const f of ['cdk8s.yaml', 'bin']) fs.cpSync(path.join(ROOT, f), path.join(dir, f), { recursive: true });
  fs.mkdirSync(path.join(dir, 'build'));
  fs.copyFileSync(bundle, path.join(dir, 'build/main.cjs'));
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
  // dist/ holds an output rendered with no baseline (no carried-forward tombstones): it must not matter.
  expect(runIn(dir, () => main(['--out', 'dist', '--baseline', 'none'])).code).toBe(0);
  fs.copyFileSync(path.join(ROOT, STATE), path.join(dir, STATE));
  expect(snapshot(path.join(dir, 'dist'))).not.toEqual(committedDist);
  execFileSync(path.join(ROOT, 'node_modules/.bin/cdk8s'), ['synth', '--no-check-upgrade'], { cwd: dir, stdio: 'pipe' });
  expect(snapshot(path.join(dir, 'dist'))).toEqual(committedDist);
  expect(fs.readFileSync(path.join(dir, STATE), 'utf8')).toBe(fs.readFileSync(path.join(ROOT, STATE), 'utf8'));
}, 60_000);

test('npm run synth writes the same bytes whatever dist/ holds: missing, or an output without the carried tombstones', () => {
  const dir = repoCopy();
  expect(runIn(dir, () => main(['--out', 'dist'])).code).toBe(0);
  expect(snapshot(path.join(dir, 'dist'))).toEqual(committedDist);
  fs.rmSync(path.join(dir, 'dist'), { recursive: true });
  const state = fs.readFileSync(path.join(dir, STATE), 'utf8');
  expect(runIn(dir, () => main(['--out', 'dist', '--baseline', 'none'])).code).toBe(0);
  fs.writeFileSync(path.join(dir, STATE), state);
  expect(runIn(dir, () => main(['--out', 'dist'])).code).toBe(0);
  expect(snapshot(path.join(dir, 'dist'))).toEqual(committedDist);
});

test('migration from an output without a state file: dist/ is read once as the baseline, the run says so, the bytes stay', () => {
  const dir = repoCopy(true);
  fs.rmSync(path.join(dir, STATE));
  const r = runIn(dir, () => main(['--out', 'dist']));
  expect(r.code).toBe(0);
  expect(r.stdout).toContain(`synth: no ${STATE} yet: read dist once as what was created, and recorded it there`);
  expect(snapshot(path.join(dir, 'dist'))).toEqual(committedDist);
  expect(fs.readFileSync(path.join(dir, STATE), 'utf8')).toBe(fs.readFileSync(path.join(ROOT, STATE), 'utf8'));
});

const BAD_STATES: Array<{ name: string; edit: (text: string) => string; message: RegExp }> = [
  {
    name: 'a merge conflict marker',
    edit: (t) => t.replace('  "created": [', '<<<<<<< HEAD\n  "created": ['),
    message: /^baseline error: config\/frank\.state\.json line \d+: a merge conflict marker; take one side whole/,
  },
  {
    name: 'JSON that does not parse',
    edit: (t) => t.slice(0, 200),
    message: /^baseline error: config\/frank\.state\.json: not valid JSON/,
  },
  {
    name: 'a duplicate key',
    edit: (t) => t.replace('"version": 1,', '"version": 1,\n  "version": 1,'),
    message: /^baseline error: config\/frank\.state\.json \d+:\d+: duplicate key "version"/,
  },
  {
    name: 'a field of the wrong shape',
    edit: (t) => t.replace('"legacyBindings": [', '"legacyBindings": [1,'),
    message: /^baseline error: config\/frank\.state\.json: legacyBindings\.0: /,
  },
  {
    name: "another cluster's state",
    edit: (t) => t.replace('"domain": "frank.derio.net"', '"domain": "lab.example.org"'),
    message:
      /^baseline error: config\/frank\.state\.json: records cluster frank \(lab\.example\.org\) but the config is frank \(frank\.derio\.net\): another cluster's state/,
  },
];

const COMMANDS = {
  synth: () => main(['--out', 'dist']),
  check: () => main(['--check']),
  plan: () => planMain([]),
};

describe.each(BAD_STATES)('a state file with $name', ({ edit, message }) => {
  test.each(Object.keys(COMMANDS) as Array<keyof typeof COMMANDS>)('%s: one line naming the file, exit 1, nothing written', (cmd) => {
    const dir = repoCopy(true);
    const file = path.join(dir, STATE);
    fs.writeFileSync(file, edit(fs.readFileSync(file, 'utf8')));
    const before = snapshot(dir);
    const r = runIn(dir, COMMANDS[cmd]);
    expect([r.code, r.stderr.length]).toEqual([1, 1]);
    expect(r.stderr[0]).toMatch(message);
    expect(oneLineEach(r.stderr)).toBe(true);
    expect(snapshot(dir)).toEqual(before);
  });
});

test('an unreadable state (a directory in its place) is one line, never "no state"', () => {
  const dir = repoCopy(true);
  fs.rmSync(path.join(dir, STATE));
  fs.mkdirSync(path.join(dir, STATE));
  const r = runIn(dir, () => main(['--out', 'dist']));
  expect([r.code, r.stderr]).toEqual([1, [`read error: ${STATE}: is a directory`]]);
});

test('synth, check and plan read the state, not dist/: an object only the state records is guarded', () => {
  const dir = repoCopy(true);
  const file = path.join(dir, STATE);
  const s = JSON.parse(fs.readFileSync(file, 'utf8'));
  s.created.push({ model: 'authentik_core.application', key: 'ghost', file: 'authentik-extras/configmap-authentik-blueprint-ghost.yaml' });
  fs.writeFileSync(file, `${JSON.stringify(s, null, 2)}\n`);
  for (const cmd of Object.values(COMMANDS)) {
    const r = runIn(dir, cmd);
    expect(r.code).toBe(1);
    expect(r.stderr).toEqual([
      expect.stringMatching(
        /^check failed: application "ghost" \(created by dist\/authentik-extras\/configmap-authentik-blueprint-ghost\.yaml\)/,
      ),
    ]);
  }
});

test('check names a state file that a fresh synth would write differently', () => {
  const dir = repoCopy(true);
  const file = path.join(dir, STATE);
  fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('"version": 1,', '"version":1,'));
  const r = runIn(dir, () => main(['--check']));
  expect(r.code).toBe(1);
  expect(r.stderr).toContain(`drift: ${STATE} differs from a fresh synth; run npm run synth and commit it`);
});

test('a preview into another directory leaves the state alone and compares with what that directory holds', () => {
  const dir = repoCopy();
  const state = fs.readFileSync(path.join(dir, STATE), 'utf8');
  const r = runIn(dir, () => main(['--out', 'preview']));
  expect(r.code).toBe(0);
  expect(r.stdout[0]).toMatch(/records another output \(\.\.\/dist\): preview is compared with what it holds/);
  expect(fs.readFileSync(path.join(dir, STATE), 'utf8')).toBe(state);
});

test('a new cluster: init writes empty state, and the first synth passes and records what it created', async () => {
  const dir = scratch('state-init');
  dirs.push(dir);
  execFileSync('git', ['init', '-q'], { cwd: dir });
  const log = jest.spyOn(console, 'log').mockImplementation(() => {});
  try {
    expect(await initMain(['--domain', 'example.org', '--name', 'lab', '--repo', 'https://git.example.org/lab.git'], { cwd: dir })).toBe(0);
  } finally {
    log.mockRestore();
  }
  const file = path.join(dir, 'clusters/lab.state.json');
  const empty = JSON.parse(fs.readFileSync(file, 'utf8'));
  expect(empty).toMatchObject({ cluster: { name: 'lab', domain: 'example.org' }, out: 'lab/dist', created: [], legacyBindings: [] });
  const r = runIn(dir, () => main([]));
  expect([r.code, r.stderr]).toEqual([0, []]);
  expect(JSON.parse(fs.readFileSync(file, 'utf8')).created.length).toBeGreaterThan(0);
});

test("import writes the state of the layer it adopts: the draft's first synth guards what the layer created, with no --baseline", () => {
  const dir = scratch('state-import');
  dirs.push(dir);
  const fixture = path.join(ROOT, 'test/fixtures/hand-written-layer');
  const r = runIn(dir, () => importMain(['--from', fixture, '--out', 'cluster.yaml']));
  expect(r.stderr.filter((l) => l.startsWith('import error: the draft'))).toEqual([]);
  const state = JSON.parse(fs.readFileSync(path.join(dir, 'cluster.state.json'), 'utf8'));
  expect(state.out).toBeUndefined();
  expect(state.created.length).toBeGreaterThan(0);
  // Drop one adopted service: its objects are orphans against the layer's state.
  const draft = yaml.load(fs.readFileSync(path.join(dir, 'cluster.yaml'), 'utf8')) as ReturnType<typeof defaultInput>;
  const gone = draft.services[0].slug;
  draft.services = draft.services.slice(1);
  fs.writeFileSync(path.join(dir, 'cluster.yaml'), yaml.dump(draft));
  const s = runIn(dir, () => main(['--config', 'cluster.yaml', '--out', 'dist']));
  expect(s.code).toBe(1);
  expect(s.stderr.join('\n')).toContain(`application "${gone}"`);
  expect(fs.existsSync(path.join(dir, 'dist'))).toBe(false);
});
