// Adopting a layer with the traits of layers we have not seen (test/fixtures/hidden-layer/README.md):
// the draft validates, synthesizing it against the layer passes the guards and deletes nothing,
// and every object the config cannot model is kept in authentik.passThrough (docs/pass-through.md).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import yaml from 'js-yaml';
import { importLayer, importMain } from '../../lib/import/cli';
import { BLUEPRINT_SCHEMA, Find } from '../../lib/upstream/blueprint-tags';

const FIXTURE = path.join(__dirname, '../fixtures/hidden-layer');

describe('the hidden-layer fixture imports', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ua-hidden-'));
  const out = path.join(dir, 'cluster.yaml');
  const r = importLayer([FIXTURE], out, { authentikVersion: '2026.8.0' });
  const config = r.draft.config as { authentik: { passThrough: Array<{ file: string; configMapName?: string }> }; groups: unknown[] };
  const kept = new Map(r.draft.passThrough.sources.map((s) => [s.file, s.text]));
  const keptEntries = (file: string) =>
    (yaml.load(kept.get(file)!, { schema: BLUEPRINT_SCHEMA }) as { entries: Array<{ model: string }> }).entries.map((e) => e.model);

  test('the draft validates under the tool’s own rules', () => {
    expect(r.problems).toEqual([]);
    expect(r.adopted).toBeDefined();
  });

  test('the guards pass, the plan deletes nothing and leaves no live object unmanaged', () => {
    expect(r.findings).toEqual([]);
  });

  test('free-text group names are kept as Authentik has them', () => {
    expect(config.groups).toEqual(expect.arrayContaining([{ name: 'lab_admins' }, expect.objectContaining({ name: 'Wiki Editors' })]));
  });

  // 2026.x: a group's parents are a list (Group.parents, several allowed): the nested hierarchy of
  // the live layer is kept, each parent listed before its child, not flattened under groupParent.
  test('nested parents are kept, each parent listed before its child', () => {
    const groups = config.groups as Array<{ name: string; parents?: string[] }>;
    expect(groups.find((g) => g.name === 'Wiki Editors')?.parents).toEqual(['lab_admins']);
    const at = (n: string) => groups.findIndex((g) => g.name === n);
    for (const g of groups) for (const p of g.parents ?? []) if (at(p) >= 0) expect(at(p)).toBeLessThan(at(g.name));
  });

  test('flows, stages, policies, the LDAP and SAML sources, a nested !Find and the public PKCE client are kept as pass-through', () => {
    expect(keptEntries('cluster.pass-through/login.yaml')).toEqual([
      'authentik_flows.flow',
      'authentik_stages_identification.identificationstage',
      'authentik_flows.flowstagebinding',
      'authentik_policies_expression.expressionpolicy',
      'authentik_policies.policybinding',
      'authentik_sources_ldap.ldapsource',
      'authentik_sources_saml.samlsource',
      'authentik_policies.policybinding',
    ]);
    // The nested !Find survives the copy as a tag inside a tag.
    const login = yaml.load(kept.get('cluster.pass-through/login.yaml')!, { schema: BLUEPRINT_SCHEMA }) as {
      entries: Array<{ identifiers: { target?: unknown } }>;
    };
    const target = login.entries[7].identifiers.target as Find;
    expect(target).toBeInstanceOf(Find);
    expect(target.model).toBe('authentik_flows.flowstagebinding');
    expect(target.query[0][1]).toEqual(new Find('authentik_flows.flow', ['slug', 'lab-login']));
    expect(keptEntries('cluster.pass-through/cli.yaml')).toEqual([
      'authentik_providers_oauth2.oauth2provider',
      'authentik_core.application',
    ]);
    expect(kept.get('cluster.pass-through/cli.yaml')).toContain('http://127\\.0\\.0\\.1:[0-9]+/callback');
  });

  test('an application bound to a group only an LDAP source makes is kept whole; so is such a binding in the Helm-rendered ConfigMap', () => {
    expect(keptEntries('cluster.pass-through/wiki.yaml')).toEqual([
      'authentik_providers_oauth2.oauth2provider',
      'authentik_core.application',
      'authentik_policies.policybinding',
    ]);
    expect(config.authentik.passThrough).toContainEqual({
      file: 'cluster.pass-through/ldap-groups.yaml',
      configMapName: 'lab-extra-blueprints',
    });
    const ldap = yaml.load(kept.get('cluster.pass-through/ldap-groups.yaml')!, { schema: BLUEPRINT_SCHEMA }) as {
      entries: Array<{ identifiers: { group?: unknown } }>;
    };
    expect(ldap.entries[0].identifiers.group).toEqual(new Find('authentik_core.group', ['name', 'ldap users']));
  });

  test('the embedded outpost each app file re-declared is managed once, with every forward-auth provider', () => {
    const services = (r.draft.config.services as Array<{ slug: string; forwardAuth?: unknown }>).filter((s) => s.forwardAuth);
    expect(services.map((s) => s.slug).sort()).toEqual(['dash', 'docs']);
  });

  test('import writes the pass-through files beside the draft, and refuses to replace them without --force', () => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), 'ua-hidden-cli-'));
    const o = path.join(d, 'cluster.yaml');
    const quiet = [jest.spyOn(console, 'log').mockImplementation(() => {}), jest.spyOn(console, 'error').mockImplementation(() => {})];
    try {
      importMain(['--from', FIXTURE, '--out', o, '--authentik-version', '2026.8.0']);
      expect(fs.readFileSync(path.join(d, 'cluster.pass-through/login.yaml'), 'utf8')).toBe(kept.get('cluster.pass-through/login.yaml'));
      fs.rmSync(o);
      fs.rmSync(path.join(d, 'cluster.state.json'));
      expect(importMain(['--from', FIXTURE, '--out', o, '--authentik-version', '2026.8.0'])).toBe(1);
      expect(fs.existsSync(o)).toBe(false);
    } finally {
      quiet.forEach((q) => q.mockRestore());
    }
  });
});
