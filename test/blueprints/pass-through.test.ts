// authentik.passThrough (docs/pass-through.md): the user's own blueprint files for what the config
// does not model are written into dist/ byte for byte, validated against the configured minor's
// serializers (every model Authentik's blueprint importer accepts, from @goauthentik/api's
// ModelEnum), counted by the orphan guard and shown by the plan. Bad input is one line naming the
// config path and file, exit 1, nothing written.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import yaml from 'js-yaml';
import { main } from '../../main';
import { snapshotTree } from '../support/helpers';
import { plan } from '../../lib/plan/index';
import { readTree } from '../../lib/readback/tree';

const FIXTURE = yaml.load(fs.readFileSync(path.join(__dirname, '../fixtures/other-cluster.yaml'), 'utf8')) as Record<string, unknown>;

/** A login flow of the user's own, with tags of every kind and a comment: all kept verbatim. */
const FLOW = `# our own login flow, kept as written
version: 1
metadata:
  name: Lab login flow
entries:
  - model: authentik_flows.flow
    id: flow
    identifiers:
      slug: lab-login
    attrs:
      name: Lab login
      title: Welcome!
      designation: authentication
  - model: authentik_stages_password.passwordstage
    id: password
    identifiers:
      name: lab-password
    attrs:
      backends: [authentik.core.auth.InbuiltBackend]
  - model: authentik_flows.flowstagebinding
    identifiers:
      target: !KeyOf flow
      stage: !KeyOf password
      order: 10
  - model: authentik_policies_expression.expressionpolicy
    identifiers:
      name: lab-bypass
    attrs:
      expression: return ak_is_group_member(request.user, name=!Env [LAB_GROUP, "lab admins"]) or True
  - model: authentik_brands.brand
    identifiers:
      domain: lab.example.org
    attrs:
      flow_authentication: !Find [authentik_flows.flow, [slug, !Context flow_slug]]
`;

interface Run {
  code: number;
  stderr: string[];
  stdout: string[];
  base: string;
  out: string;
}

function tmp(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'ua-passthru-'));
}

/** Synth the fixture with `passThrough` into `<base>/out`, the files written under `base` first. */
function synth(
  base: string,
  passThrough: unknown[],
  files: Record<string, string>,
  args: string[] = ['--baseline', 'none'],
  extra: Record<string, unknown> = {},
): Run {
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(base, rel)), { recursive: true });
    fs.writeFileSync(path.join(base, rel), text);
  }
  const cfg = path.join(base, 'cluster.json');
  const authentik = { ...(FIXTURE.authentik as object), passThrough };
  fs.writeFileSync(cfg, JSON.stringify({ ...FIXTURE, authentik, ...extra }));
  const out = path.join(base, 'out');
  const stderr: string[] = [];
  const stdout: string[] = [];
  const err = jest.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void stderr.push(a.map(String).join(' ')));
  const log = jest.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void stdout.push(a.map(String).join(' ')));
  try {
    return { code: main(['--config', cfg, '--out', out, ...args]), stderr, stdout, base, out };
  } finally {
    err.mockRestore();
    log.mockRestore();
  }
}

/** A refused run: one line naming `what`, exit 1, the directory exactly as it was. */
function expectRefused(passThrough: unknown[], files: Record<string, string>, what: RegExp): void {
  const base = tmp();
  const first = synth(base, [], files);
  expect(first.code).toBe(0);
  const before = snapshotTree(base);
  const r = synth(base, passThrough, {}, []);
  expect(r.code).toBe(1);
  // One line (a derived-name collision names the ConfigMap and its volume: both of the same paths).
  expect(r.stderr.length).toBeGreaterThanOrEqual(1);
  expect(r.stderr[0]).toMatch(what);
  for (const l of r.stderr) expect(l).not.toMatch(/\n|at .*\.ts:\d+/);
  const after = snapshotTree(base);
  delete after['cluster.json'];
  delete before['cluster.json'];
  expect(after).toEqual(before);
}

describe('authentik.passThrough', () => {
  const base = tmp();
  const r = synth(base, [{ file: 'blueprints/lab-login.yaml' }], { 'blueprints/lab-login.yaml': FLOW });
  const cm = path.join(r.out, 'authentik-extras/configmap-authentik-passthrough-lab-login.yaml');

  test('synth writes the file byte for byte into a ConfigMap of its own, tags and comments kept', () => {
    expect(r.stderr).toEqual([]);
    expect(r.code).toBe(0);
    const doc = yaml.load(fs.readFileSync(cm, 'utf8')) as { metadata: { name: string; labels: object }; data: Record<string, string> };
    expect(doc.metadata.name).toBe('authentik-passthrough-lab-login');
    expect(doc.data).toEqual({ 'lab-login.yaml': FLOW });
  });

  test('the worker mounts it: the ConfigMap is in the values blueprints.configMaps list', () => {
    const values = yaml.load(fs.readFileSync(path.join(r.out, 'values/authentik.yaml'), 'utf8')) as {
      blueprints: { configMaps: string[] };
    };
    expect(values.blueprints.configMaps).toContain('authentik-passthrough-lab-login');
  });

  test('the output is a pure function of the committed files: a second synth changes nothing', () => {
    const before = snapshotTree(r.out);
    expect(synth(base, [{ file: 'blueprints/lab-login.yaml' }], {}, ['--check']).code).toBe(0);
    expect(snapshotTree(r.out)).toEqual(before);
  });

  test('the orphan guard counts its objects: dropping the file would orphan its access policy', () => {
    const again = synth(base, [], {}, []);
    expect(again.code).toBe(1);
    expect(again.stderr.join('\n')).toMatch(/access policy "lab-bypass" \(created by .*configmap-authentik-passthrough-lab-login\.yaml\)/);
  });

  test('the plan shows its objects as created, changed and removed', () => {
    const empty = tmp();
    expect(synth(empty, [], {}).code).toBe(0);
    const p = plan(readTree(path.join(empty, 'out')), readTree(r.out));
    const created = p.authentik.created.map((c) => `${c.model} ${c.identity}`);
    expect(created).toEqual(
      expect.arrayContaining(['authentik_flows.flow slug=lab-login', 'authentik_brands.brand domain=lab.example.org']),
    );
    const edited = FLOW.replace('title: Welcome!', 'title: Hello');
    const changed = tmp();
    expect(synth(changed, [{ file: 'blueprints/lab-login.yaml' }], { 'blueprints/lab-login.yaml': edited }).code).toBe(0);
    const q = plan(readTree(r.out), readTree(path.join(changed, 'out')));
    expect(q.authentik.updated.map((u) => `${u.model} ${u.identity}`)).toContain('authentik_flows.flow slug=lab-login');
    // Dropped from the config: blueprints never delete, so the plan says what stays unmanaged.
    const gone = plan(readTree(r.out), readTree(path.join(empty, 'out')));
    expect(gone.authentik.abandoned.map((a) => `${a.model} ${a.identity}`)).toContain('authentik_flows.flow slug=lab-login');
  });
});

// Authentik never deletes what a blueprint stops mentioning (blueprints/v1/importer.py Importer:
// it applies the entries it is given; only `state: absent` deletes, blueprints/v1/common.py
// BlueprintEntryDesiredState), so a dropped pass-through entry of any model would stay.
describe('the orphan guard owns every pass-through entry, whatever its model', () => {
  const ONLY_FLOW = FLOW.slice(0, FLOW.indexOf('  - model: authentik_policies_expression'));
  const TOMBSTONES = [
    { model: 'authentik_flows.flow', identifiers: { slug: 'lab-login' } },
    { model: 'authentik_stages_password.passwordstage', identifiers: { name: 'lab-password' } },
  ];
  const OUTPOST =
    'version: 1\nentries:\n  - model: authentik_outposts.outpost\n    identifiers: {name: lab-ldap}\n    attrs: {type: ldap}\n';
  const first = (): Run => synth(tmp(), [{ file: 'blueprints/lab-login.yaml' }], { 'blueprints/lab-login.yaml': ONLY_FLOW });

  test('the state records each entry with plain identifiers by them; one found by a reference is not tracked', () => {
    const r = first();
    expect(r.code).toBe(0);
    const state = JSON.parse(fs.readFileSync(path.join(r.base, 'cluster.state.json'), 'utf8')) as {
      created: Array<{ model: string; key: string; file: string }>;
    };
    const ours = state.created.filter((c) => c.file.includes('passthrough'));
    expect(ours.map((c) => `${c.model} ${c.key}`)).toEqual([
      'authentik_flows.flow {"slug":"lab-login"}',
      'authentik_stages_password.passwordstage {"name":"lab-password"}',
    ]);
  });

  test('dropping the file without a tombstone is refused: one line per object, exit 1, nothing written', () => {
    const r = first();
    const before = snapshotTree(r.base);
    const again = synth(r.base, [], {}, []);
    expect(again.code).toBe(1);
    expect(again.stderr.join('\n')).toMatch(
      /authentik_flows\.flow \{slug: "lab-login"\} \(created by .*configmap-authentik-passthrough-lab-login\.yaml\).*state: absent/,
    );
    for (const l of again.stderr) expect(l).not.toMatch(/\n|at .*\.ts:\d+/);
    const after = snapshotTree(r.base);
    delete after['cluster.json'];
    delete before['cluster.json'];
    expect(after).toEqual(before);
  });

  test('dropping one entry (the stage) is refused; the one still kept is not named', () => {
    const r = first();
    const flowOnly = ONLY_FLOW.slice(0, ONLY_FLOW.indexOf('  - model: authentik_stages_password'));
    const again = synth(r.base, [{ file: 'blueprints/lab-login.yaml' }], { 'blueprints/lab-login.yaml': flowOnly }, []);
    expect(again.code).toBe(1);
    const text = again.stderr.join('\n');
    expect(text).toMatch(/authentik_stages_password\.passwordstage \{name: "lab-password"\}/);
    expect(text).not.toMatch(/authentik_flows\.flow/);
  });

  test('with a retiredObjects tombstone (a model generated blueprints may delete), dropping the file is allowed', () => {
    const r = synth(tmp(), [{ file: 'blueprints/ldap.yaml' }], { 'blueprints/ldap.yaml': OUTPOST });
    expect(r.code).toBe(0);
    const refused = synth(r.base, [], {}, []);
    expect(refused.code).toBe(1);
    expect(refused.stderr.join('\n')).toMatch(/authentik_outposts\.outpost \{name: "lab-ldap"\}.*list it in retiredObjects/);
    const retired = { model: 'authentik_outposts.outpost', identifiers: { name: 'lab-ldap' } };
    const again = synth(r.base, [], {}, [], { retiredObjects: [retired] });
    expect(again.stderr).toEqual([]);
    expect(again.code).toBe(0);
  });

  test('a tombstone kept in a pass-through file (state: absent) is allowed too', () => {
    const r = first();
    const absent = `version: 1\nentries:\n${TOMBSTONES.map(
      (t) => `  - model: ${t.model}\n    state: absent\n    identifiers: ${JSON.stringify(t.identifiers)}\n`,
    ).join('')}`;
    const again = synth(r.base, [{ file: 'blueprints/retired.yaml' }], { 'blueprints/retired.yaml': absent }, []);
    expect(again.stderr).toEqual([]);
    expect(again.code).toBe(0);
  });
});

describe('bad pass-through input: one line naming the config path and file, exit 1, nothing written', () => {
  test('a model the configured minor does not accept', () => {
    const bad = FLOW.replace('authentik_brands.brand', 'authentik_brands.brandx');
    expectRefused(
      [{ file: 'b.yaml' }],
      { 'b.yaml': bad },
      /^check failed: b\.yaml entry 4 \(authentik_brands\.brandx\) field -: model authentik_brands\.brandx is not one Authentik 2026\.2 accepts/,
    );
  });

  test('a field the serializer does not know (Authentik would drop it silently)', () => {
    const bad = FLOW.replace('designation: authentication', 'designation: authentication\n      desgination: x');
    expectRefused([{ file: 'b.yaml' }], { 'b.yaml': bad }, /^check failed: b\.yaml entry 0 \(flow\) field desgination: unknown field/);
  });

  test('a value of the wrong type', () => {
    const bad = FLOW.replace('order: 10', 'order: ten');
    expectRefused([{ file: 'b.yaml' }], { 'b.yaml': bad }, /^check failed: b\.yaml entry 2 .* field order: expected an integer/);
  });

  test('a file that is not a blueprint', () => {
    expectRefused(
      [{ file: 'b.yaml' }],
      { 'b.yaml': 'kind: ConfigMap\n' },
      /^config error: authentik\.passThrough\[0\]\.file: b\.yaml: is not an Authentik blueprint/,
    );
  });

  test('a missing file', () => {
    expectRefused([{ file: 'nope.yaml' }], {}, /^config error: authentik\.passThrough\[0\]\.file: nope\.yaml: no such file/);
  });

  test('a path that climbs out of the repository', () => {
    expectRefused(
      [{ file: '../b.yaml' }],
      {},
      /^config error: .*authentik\.passThrough\[0\]\.file: "\.\.\/b\.yaml" must not contain empty, \. or \.\. segments/,
    );
  });

  test('a symlink that leads out of the repository', () => {
    const outside = tmp();
    fs.writeFileSync(path.join(outside, 'b.yaml'), FLOW);
    const base = tmp();
    fs.symlinkSync(path.join(outside, 'b.yaml'), path.join(base, 'b.yaml'));
    expect(synth(base, [], {}).code).toBe(0);
    const before = snapshotTree(base);
    const r = synth(base, [{ file: 'b.yaml' }], {}, []);
    expect(r.code).toBe(1);
    expect(r.stderr).toEqual([
      expect.stringMatching(/^config error: authentik\.passThrough\[0\]\.file: b\.yaml: leads outside .* \(a symlink\)/),
    ]);
    const after = snapshotTree(base);
    delete after['cluster.json'];
    delete before['cluster.json'];
    expect(after).toEqual(before);
  });

  test('two files that derive one ConfigMap name', () => {
    expectRefused(
      [{ file: 'a/lab.yaml' }, { file: 'b/lab.yaml' }],
      { 'a/lab.yaml': FLOW, 'b/lab.yaml': FLOW },
      /^config error: .*authentik\.passThrough\[1\]\.file: derives the blueprint ConfigMap name "authentik-passthrough-lab", which authentik\.passThrough\[0\]\.file derives too/,
    );
  });
});
