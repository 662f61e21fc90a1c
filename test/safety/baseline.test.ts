// The guard fails closed (lib/pipeline/baseline.ts): whatever tells the tool what it created before
// (--out, --baseline, HEAD:dist) is read completely or the command stops with one line naming the
// file, in synth, check and plan alike; nothing is written. Import's --from directories are the live
// layer: a file there that does not parse is named and left out, the rest adopted; adopting a draft
// that would orphan or delete anything exits 1.
import fs from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import { main } from '../../main';
import { planMain } from '../../lib/plan/cli';
import { importMain } from '../../lib/import/cli';
import { readBaseline } from '../../lib/pipeline/baseline';
import { BaselineError } from '../../lib/base/errors';
import { BLUEPRINT_SCHEMA, OPAQUE_TAGS, OpaqueTag } from '../../lib/upstream/blueprint-tags';
import { readTree } from '../../lib/readback/tree';
import { OUTPUT } from '../../lib/base/paths';
import { ROOT, defaultInput } from '../support/helpers';
import { oneLineEach, runIn, scratch, snapshot } from './support';

const PROXY = `${OUTPUT.extrasDir}/configmap-authentik-blueprint-proxy-providers.yaml`;
let template: string;
let repo: string;
const dist = () => path.join(repo, 'dist');

beforeAll(() => {
  const dir = scratch('base-template');
  template = path.join(dir, 'dist');
  fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify(defaultInput()));
  expect(runIn(dir, () => main(['--config', 'config.json', '--out', 'dist'])).code).toBe(0);
});
beforeEach(() => {
  repo = scratch('base');
  fs.cpSync(template, dist(), { recursive: true });
  fs.mkdirSync(path.join(repo, 'cluster'));
  const noSympozium = defaultInput();
  noSympozium.services = noSympozium.services.filter((s) => s.slug !== 'sympozium');
  fs.writeFileSync(path.join(repo, 'cluster/no-sympozium.json'), JSON.stringify(noSympozium));
});
afterEach(() => fs.rmSync(repo, { recursive: true, force: true }));

const edit = (rel: string, f: (text: string) => string) =>
  fs.writeFileSync(path.join(repo, rel), f(fs.readFileSync(path.join(repo, rel), 'utf8')));
/** The output as a version before the manifest left it (then nothing can be checked against hashes). */
const withoutManifest = () => fs.rmSync(path.join(dist(), OUTPUT.manifest));
/** Entries appended to the proxy providers' blueprint (the last key of its block scalar). */
const appendEntries = (lines: string[]) => edit(`dist/${PROXY}`, (t) => `${t}${lines.map((l) => `      ${l}\n`).join('')}`);

const COMMANDS = {
  synth: (base: string[]) => main(['--config', 'cluster/no-sympozium.json', '--out', 'out', ...base]),
  check: (base: string[]) => main(['--check', '--config', 'cluster/no-sympozium.json', '--out', 'dist', ...base]),
  plan: (base: string[]) => planMain(['--config', 'cluster/no-sympozium.json', ...(base.length ? base : ['--baseline', 'dist'])]),
};

interface Case {
  name: string;
  arrange: () => void;
  /** Extra arguments naming the baseline (default: none, so dist/ is it for check and plan; synth gets --baseline dist). */
  baseline?: string[];
  message: RegExp;
}

const CASES: Case[] = [
  {
    name: 'a git merge conflict in a blueprint file',
    arrange: () => edit(`dist/${PROXY}`, (t) => t.replace('\ndata:\n', '\ndata:\n<<<<<<< HEAD\n=======\n>>>>>>> theirs\n')),
    message:
      /^baseline error: dist\/authentik-extras\/configmap-authentik-blueprint-proxy-providers\.yaml line 10: a merge conflict marker; resolve the conflict/,
  },
  {
    name: 'a file the manifest lists is missing',
    arrange: () => fs.rmSync(path.join(dist(), PROXY)),
    message:
      /^baseline error: dist\/authentik-extras\/configmap-authentik-blueprint-proxy-providers\.yaml: listed in \.unified-auth\.sha256 but missing; restore it/,
  },
  {
    name: 'a hand edit of a blueprint (sha256 differs from the manifest)',
    arrange: () => edit(`dist/${PROXY}`, (t) => `${t}# tuned by hand\n`),
    message:
      /^baseline error: dist\/authentik-extras\/configmap-authentik-blueprint-proxy-providers\.yaml: changed since synth wrote it \(its sha256 differs from \.unified-auth\.sha256\)/,
  },
  {
    name: 'a conflict in the values the migration guard reads',
    arrange: () => edit(`dist/${OUTPUT.authentikValues}`, (t) => `${t}<<<<<<< HEAD\n`),
    message: /^baseline error: dist\/values\/authentik\.yaml line \d+: a merge conflict marker/,
  },
  {
    name: 'a blueprint file that does not parse (an output of a version without a manifest)',
    arrange: () => (withoutManifest(), edit(`dist/${PROXY}`, (t) => t.replace('kind: ConfigMap', 'kind: [ConfigMap'))),
    baseline: ['--baseline', 'dist'],
    message: /^baseline error: dist\/authentik-extras\/configmap-authentik-blueprint-proxy-providers\.yaml: does not parse: /,
  },
  {
    name: 'a blueprint with a tag Authentik does not define',
    arrange: () => (withoutManifest(), appendEntries(['- model: authentik_core.group', '  identifiers: {name: !Lookup admins}'])),
    baseline: ['--baseline', 'dist'],
    message:
      /^baseline error: dist\/authentik-extras\/configmap-authentik-blueprint-proxy-providers\.yaml \(ConfigMap authentik-blueprint-proxy-providers, key proxy-providers\.yaml\): does not parse: unknown tag !<!Lookup>/,
  },
  {
    name: 'an Authentik tag in a node kind its constructor does not take (!Format with a mapping)',
    arrange: () => (withoutManifest(), appendEntries(['- model: authentik_core.group', '  identifiers: {name: !Format {a: b}}'])),
    baseline: ['--baseline', 'dist'],
    message: /^baseline error: .*proxy-providers\.yaml\): does not parse: unknown tag !<!Format>/,
  },
  {
    name: 'a --baseline that does not exist',
    arrange: () => undefined,
    baseline: ['--baseline', 'nowhere'],
    message: /^usage error: --baseline nowhere: no such directory \(use --baseline none when there is no previous output\)$/,
  },
  {
    name: 'a --baseline that is a file',
    arrange: () => fs.writeFileSync(path.join(repo, 'notes.txt'), 'x\n'),
    baseline: ['--baseline', 'notes.txt'],
    message: /^usage error: --baseline notes\.txt: is a file, not a directory$/,
  },
];

describe.each(Object.keys(COMMANDS) as Array<keyof typeof COMMANDS>)('%s: a baseline that cannot be read completely', (command) => {
  test.each(CASES.map((c) => [c.name, c] as const))('%s: exit 1, one line naming the file, nothing changed', (_n, c) => {
    c.arrange();
    const before = snapshot(repo);
    const base = c.baseline ?? (command === 'synth' ? ['--baseline', 'dist'] : []);
    const r = runIn(repo, () => COMMANDS[command](base));
    expect(r.code).toBe(1);
    expect(r.stderr).toHaveLength(1);
    expect(r.stderr[0]).toMatch(c.message);
    expect(oneLineEach(r.stderr)).toBe(true);
    expect(snapshot(repo)).toEqual(before);
  });
});

describe('a baseline that uses the tags the tool does not evaluate still guards what it created', () => {
  // !Format and !Context (and !If, !Enumerate, ...) are read as opaque values: the entries around them
  // are seen, so removing sympozium is refused as it is from a plain output.
  test.each(Object.keys(COMMANDS) as Array<keyof typeof COMMANDS>)('%s', (command) => {
    withoutManifest();
    appendEntries([
      '- model: authentik_core.group',
      '  identifiers: {name: !Format ["%s-readers", !Context [cluster, frank]]}',
      '  attrs: {attributes: !If [!Condition [OR, !Env X], !Enumerate [[a], SEQ, !Value 0], !AtIndex [[b], 0]]}',
    ]);
    const before = snapshot(repo);
    const r = runIn(repo, () => COMMANDS[command](['--baseline', 'dist']));
    expect(r.code).toBe(1);
    expect(r.stderr).toEqual(
      expect.arrayContaining([expect.stringMatching(/^check failed: application "sympozium" \(created by dist\/authentik-extras\//)]),
    );
    expect(snapshot(repo)).toEqual(before);
  });
});

test('plan --baseline none plans a first install (everything new), as synth --baseline none does', () => {
  const r = runIn(repo, () => planMain(['--config', 'cluster/no-sympozium.json', '--baseline', 'none']));
  expect(r.stderr).toEqual([]);
  expect(r.code).toBe(0);
  expect(r.stdout.join('')).toMatch(/^unified-auth plan: none -> cluster\/no-sympozium\.json/);
});

test('--staged reads HEAD:dist with the same rules: a conflicted tree names HEAD:dist/<file>', () => {
  const tree = readTree(template);
  tree.set(PROXY, `<<<<<<< HEAD\n${tree.get(PROXY)}`);
  expect(() => readBaseline({ kind: 'tree', tree, label: 'HEAD:dist' })).toThrow(
    new BaselineError(`HEAD:dist/${PROXY} line 1: a merge conflict marker; resolve the conflict (or git checkout the file) first`),
  );
});

// goauthentik/authentik authentik/blueprints/v1/common.py, BlueprintLoader.__init__ registers these
// 14 constructors (add_constructor), the same set at the 2026.2 branch point (2f2488b3), at the
// 2026.5.6 sources (f4e4bfcb) and at 2026.8.0-rc1 (661fe469); each tag class's __init__ signature
// gives the node kinds it takes (ScalarNode, SequenceNode). docs/ownership-and-baseline.md lists them.
// .ci/run also reads every blueprint Authentik ships with this schema (.ci/blueprint-tags.cjs).
describe("every tag of Authentik's BlueprintLoader parses, in the node kinds its constructor takes", () => {
  const SAMPLES: Record<string, { scalar?: string; sequence?: string }> = {
    '!KeyOf': { scalar: 'provider' },
    '!Find': { sequence: '[authentik_core.group, [name, admins]]' },
    '!FindObject': { sequence: '[authentik_core.group, [name, admins]]' },
    '!Context': { scalar: 'goauthentik.io/x', sequence: '[name, fallback]' },
    '!Format': { sequence: '["%s-%s", a, b]' },
    '!Condition': { sequence: '[XOR, true, false]' },
    '!If': { sequence: '[true, a, b]' },
    '!Env': { scalar: 'NAME', sequence: '[NAME, fallback]' },
    '!File': { scalar: '/etc/x', sequence: '[/etc/x, fallback]' },
    '!Enumerate': { sequence: '[[a, b], SEQ, !Value 0]' },
    '!Value': { scalar: '0' },
    '!Index': { scalar: '1' },
    '!AtIndex': { sequence: '[[a, b], 0, fallback]' },
    '!ParseJSON': { scalar: '\'{"a": 1}\'' },
  };
  const cases = Object.entries(SAMPLES).flatMap(([tag, kinds]) => Object.entries(kinds).map(([kind, v]) => [tag, kind, v] as const));
  test.each(cases)('%s (%s)', (tag, _kind, v) => {
    const doc = yaml.load(`value: ${tag} ${v}`, { schema: BLUEPRINT_SCHEMA }) as { value: unknown };
    expect(doc.value).not.toBeUndefined();
    expect(typeof doc.value).toBe('object');
  });
  test('the opaque ones are kept as read, never evaluated', () => {
    expect(yaml.load('!Format ["%s", a]', { schema: BLUEPRINT_SCHEMA })).toEqual(new OpaqueTag('!Format', ['%s', 'a']));
    expect(new Set([...OPAQUE_TAGS.map(([t]) => t), '!KeyOf', '!Find', '!Env', '!Condition'])).toEqual(new Set(Object.keys(SAMPLES)));
  });
  test('a tag Authentik does not define does not parse', () => {
    expect(() => yaml.load('value: !Lookup x', { schema: BLUEPRINT_SCHEMA })).toThrow(/unknown tag/);
  });
});

describe('import: the --from directories are the live layer', () => {
  const FIXTURE = path.join(ROOT, 'test/fixtures/hand-written-layer');

  test('a file that does not parse is named with its reason and left out; the rest is adopted (exit 0)', () => {
    const from = path.join(repo, 'layer');
    fs.cpSync(FIXTURE, from, { recursive: true });
    fs.writeFileSync(path.join(from, 'apps/authentik-extras/broken.yaml'), 'version: 1\nentries: [\n');
    const before = snapshot(from);
    const r = runIn(repo, () => importMain(['--from', 'layer', '--out', 'draft.yaml']));
    expect(r.stderr).toEqual([
      expect.stringMatching(
        /^skipped: layer\/apps\/authentik-extras\/broken\.yaml: does not parse \(.+\); left out of the draft and of the orphan check$/,
      ),
    ]);
    expect(r.code).toBe(0);
    expect(fs.existsSync(path.join(repo, 'draft.yaml'))).toBe(true);
    expect(snapshot(from)).toEqual(before);
  });

  test('a draft whose adoption would orphan, delete or move something exits 1, after naming each', () => {
    const from = path.join(repo, 'layer');
    fs.cpSync(FIXTURE, from, { recursive: true });
    // An application with no provider: the config cannot model it, so it is kept in place as a
    // pass-through file (docs/pass-through.md); a raw file no ConfigMap carries still moves.
    fs.writeFileSync(
      path.join(from, 'apps/authentik-extras/flows.yaml'),
      'version: 1\nmetadata: {name: my-flows}\nentries:\n  - model: authentik_core.application\n    identifiers: {slug: wiki-legacy}\n    attrs: {name: Wiki legacy}\n',
    );
    const r = runIn(repo, () => importMain(['--from', 'layer', '--out', 'draft.yaml']));
    expect(r.code).toBe(1);
    expect(r.stdout.filter((l) => l.startsWith('adopting the draft: '))).toEqual([
      'adopting the draft: plan moves blueprint my-flows from /flows.yaml to authentik-passthrough-flows/flows.yaml',
    ]);
    expect(r.stderr.at(-1)).toMatch(
      /^import error: adopting the draft draft\.yaml would orphan, delete or move what the layer created \(\d+ lines above\)/,
    );
  });
});
