// A blueprint's rendering is reused only while its document is exactly the one dumped
// (lib/blueprints/build.ts blueprintText, lib/readback/document-snapshot.ts), and the recorded
// document is what the text parses back to, so the secret scan may read it instead of parsing
// (renderedDocuments). Every case compares with a fresh dump: renderBlueprint always dumps.
import path from 'node:path';
import yaml from 'js-yaml';
import { findings } from '../../lib/checks';
import { readBlueprintsIn } from '../../lib/previous/blueprints';
import { blueprintText, parseBlueprint, renderBlueprint, renderedDocuments } from '../../lib/blueprints/build';
import { sameDocument, snapshotDocument } from '../../lib/readback/document-snapshot';
import { loadAllYaml, loadYamlShared } from '../../lib/readback/yaml';
import { Condition, Env, Find, KeyOf, OpaqueTag } from '../../lib/upstream/blueprint-tags';
import type { Blueprint, BlueprintEntry } from '../../lib/upstream/blueprint-types';
import { ROOT, defaultInput, loadYamlFile, renderInput } from '../support/helpers';
import { YAML_PIECES } from '../support/yaml-arbitraries';

/** Strings js-yaml must quote or write as blocks, and other values whose type a dump could change. */
const TRICKY: Record<string, unknown> = {
  t: 'true',
  f: 'False',
  e: '1e3',
  d: '2024-01-01',
  ts: '2024-01-01T10:00:00Z',
  tilde: '~',
  merge: '<<',
  hex: '0x1F',
  oct: '0o17',
  nul: 'null',
  empty: '',
  lead: '  leading',
  trail: 'trailing  ',
  multi: 'first\nsecond\n',
  keepEnd: 'a\n\n',
  indented: '  x\ny\n',
  colon: 'a: b',
  hash: 'a #b',
  dash: '- x',
  tab: 'a\tb',
  cr: 'a\r\nb',
  bom: '\uFEFFx',
  sep: 'a\u2028b',
  astral: 'a\u{1F600}b',
  lone: 'a\uD800b',
  long: 'x'.repeat(2000),
  inf: Infinity,
  nan: NaN,
  negZero: -0,
  big: 1e21,
  float: 1.5,
  int: 7,
  bool: false,
  none: null,
  list: ['1', 1, '', null, [], {}],
  nested: { '1': 'one', 'a b': 'c', '<<': 'x', '': 'empty key' },
};

const entry = (attrs: Record<string, unknown>): BlueprintEntry =>
  ({ model: 'authentik_core.group', identifiers: { name: 'g' }, attrs }) as unknown as BlueprintEntry;

function tricky(): Blueprint {
  return {
    name: 'tricky',
    configMapName: 'tricky',
    fileName: 'tricky.yaml',
    entries: [
      entry({ ...TRICKY }),
      entry({
        k: new KeyOf('id'),
        f: new Find('authentik_flows.flow', ['slug', 'x']),
        e: new Env('A'),
        ef: new Env('A', 'fallback'),
        c: new Condition('AND', new Find('authentik_core.group', ['name', 'g'])),
      }),
    ],
  };
}

const renders = () => [
  renderInput(defaultInput()),
  renderInput(loadYamlFile(path.join(ROOT, 'test/fixtures/other-cluster.yaml'))),
  renderInput(loadYamlFile(path.join(ROOT, 'test/fixtures/edge-cases.yaml'))),
];

test('the recorded document of every rendered blueprint is what its text parses back to', () => {
  const rs = renders();
  const bps = [...rs.flatMap((r) => r.blueprints), tricky()];
  for (const bp of bps) {
    const text = renderBlueprint(bp);
    expect(renderedDocuments([bp]).get(text)).toStrictEqual(parseBlueprint(text));
    expect(blueprintText(bp)).toBe(text);
  }
  // Each render's ConfigMaps hold the recorded texts: the scan reads all of them without parsing.
  for (const r of rs) expect(renderedDocuments(r.blueprints).size).toBe(r.blueprints.length);
});

test('random strings and keys read back as the recorded document (a seeded generator, 200 documents)', () => {
  const POOL = YAML_PIECES;
  let seed = 7;
  const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) >>> 0) % n;
  const str = () => Array.from({ length: rand(8) }, () => POOL[rand(POOL.length)]).join('');
  for (let i = 0; i < 200; i++) {
    const bp = tricky();
    bp.entries[0].attrs = { [str()]: str(), nested: { [str()]: [str(), rand(3) ? str() : rand(1000) - 500] } };
    const text = renderBlueprint(bp);
    expect(renderedDocuments([bp]).get(text)).toStrictEqual(parseBlueprint(text));
  }
});

describe('a blueprint changed after rendering is rendered again', () => {
  const attrs = (bp: Blueprint, i = 0) => bp.entries[i].attrs as Record<string, unknown>;
  const changes: Array<[string, (bp: Blueprint) => void]> = [
    ['an entry removed', (bp) => void bp.entries.pop()],
    ['a string changed', (bp) => (attrs(bp).t = 'yes')],
    ['a number for the same string', (bp) => (attrs(bp).int = '7')],
    ['0 for -0', (bp) => (attrs(bp).negZero = 0)],
    ['null for an empty string', (bp) => (attrs(bp).empty = null)],
    ['keys in another order', (bp) => (bp.entries[0].attrs = { f: attrs(bp).f, ...attrs(bp) } as BlueprintEntry['attrs'])],
    ['a key added', (bp) => (attrs(bp).added = 'x')],
    ['a list item changed', (bp) => ((attrs(bp).list as unknown[])[1] = 2)],
    ['a nested key renamed', (bp) => ((attrs(bp).nested as Record<string, unknown>)['1 '] = 'one')],
    ['a tag of another class, same value', (bp) => (attrs(bp, 1).k = new Env('id'))],
    ['a tag field changed', (bp) => (attrs(bp, 1).ef = new Env('A', 'other'))],
    ['a Find query changed in place', (bp) => ((attrs(bp, 1).f as { query: string[][] }).query[0][1] = 'y')],
    ['a metadata label added', (bp) => ((bp as { labels?: Record<string, string> }).labels = { a: 'b' })],
    ['an object of another class', (bp) => (attrs(bp).d = new Date(0))],
    ['an opaque tag (dumped as a mapping)', (bp) => (attrs(bp, 1).o = new OpaqueTag('!Format', ['%s', 'x']))],
  ];
  test.each(changes)('%s', (_name, change) => {
    const bp = tricky();
    const before = renderBlueprint(bp);
    change(bp);
    const text = blueprintText(bp);
    expect(text).toBe(renderBlueprint(bp));
    expect(text).not.toBe(before);
  });

  test('an undefined value in a mapping, which the dump leaves out, changes nothing; in a list it is null', () => {
    const bp = tricky();
    const before = renderBlueprint(bp);
    attrs(bp).gone = undefined;
    expect(blueprintText(bp)).toBe(before);
    expect(renderBlueprint(bp)).toBe(before);
    (attrs(bp).list as unknown[]).push(undefined);
    const text = blueprintText(bp);
    expect(text).toBe(renderBlueprint(bp));
    expect(text).not.toBe(before);
    expect(renderedDocuments([bp]).get(text)).toStrictEqual(parseBlueprint(text));
  });
});

const TAGS = new Set<object>([KeyOf.prototype, Find.prototype, Env.prototype, Condition.prototype]);

test('snapshots: exact comparison, and none for documents a reader would not take as they are', () => {
  const doc = { a: [1, undefined, 'x'], b: undefined, c: new KeyOf('k') };
  const snap = snapshotDocument(doc, TAGS);
  expect(snap).toStrictEqual({ a: [1, null, 'x'], c: new KeyOf('k') });
  expect(sameDocument(doc, snap, TAGS)).toBe(true);
  expect(sameDocument({ ...doc, c: new KeyOf('j') }, snap, TAGS)).toBe(false);
  expect(sameDocument({ a: [1, null, 'x', null], c: new KeyOf('k') }, snap, TAGS)).toBe(false);
  expect(sameDocument({ c: new KeyOf('k'), a: [1, null, 'x'] }, snap, TAGS)).toBe(false);
  expect(sameDocument(NaN, snapshotDocument(NaN))).toBe(true);
  expect(sameDocument(0, snapshotDocument(-0))).toBe(false);
  expect(snapshotDocument({ when: new Date(0) })).toBeUndefined();
  expect(snapshotDocument({ m: new Map() })).toBeUndefined();
  // A class the schema does not dump as a tag reads back as a plain mapping: never taken for it.
  expect(snapshotDocument({ k: new KeyOf('k') })).toBeUndefined();
  expect(snapshotDocument({ o: new OpaqueTag('!Format', ['%s']) }, TAGS)).toBeUndefined();
  // Past the readers' node limit (MAX_YAML_NODES by default): nodes counted as lib/readback/yaml.ts counts them.
  expect(snapshotDocument([0, [0]], TAGS, 4)).toStrictEqual([0, [0]]);
  expect(snapshotDocument([0, [0, 0]], TAGS, 4)).toBeUndefined();
});

test('a blueprint ConfigMap file is read back as the copy of its documents, which is what it parses to', () => {
  for (const r of renders().slice(0, 2))
    for (const f of r.files.filter((x) => x.path.startsWith('authentik-extras/configmap-'))) {
      const shared = loadYamlShared(f.text, undefined, true);
      expect(shared).toStrictEqual(loadAllYaml(f.text));
      expect(shared).toStrictEqual(f.docs);
      // A copy, frozen: the docs checks read (and tests change) are not what readers share.
      expect(shared).not.toBe(f.docs);
      expect(Object.isFrozen((shared as object[])[0])).toBe(true);
      expect(Object.isFrozen(f.docs![0])).toBe(false);
    }
});

test('in one run, the checks and a read-back of the output parse no blueprint text or blueprint ConfigMap file', () => {
  // A config no other test renders: no parse of its texts is shared from before.
  const input = defaultInput();
  input.services.push({
    slug: 'text-reuse-probe',
    name: 'Probe',
    host: `text-reuse-probe.${input.cluster.domain}`,
    forwardAuth: { upstream: 'http://10.9.9.9:80' },
    allowedGroups: 'any',
  });
  const r = renderInput(input);
  const load = jest.spyOn(yaml, 'load');
  const loadAll = jest.spyOn(yaml, 'loadAll');
  try {
    expect(findings(r)).toEqual([]);
    const { blueprints, unreadable } = readBlueprintsIn(new Map(r.files.map((f) => [f.path, f.text])));
    expect(unreadable).toEqual([]);
    expect(blueprints.length).toBe(r.blueprints.length);
    const parsed = [...load.mock.calls, ...loadAll.mock.calls].map((c) => String(c[0]));
    expect(parsed.filter((t) => t.includes('blueprints.goauthentik.io/instantiate'))).toEqual([]);
  } finally {
    jest.restoreAllMocks();
  }
});
