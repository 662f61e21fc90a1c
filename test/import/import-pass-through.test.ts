// What `npm run import` puts into authentik.passThrough (lib/import/pass-through.ts, docs/pass-through.md):
// a live raw file carried whole and sound stays in place, byte for byte; a file mixing modelled and
// unmodelled entries is copied with only the unmodelled ones, a !KeyOf to a generated entry turned
// into a !Find by its identifiers; live defects are left out of the copy with a line each.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import yaml from 'js-yaml';
import { importLayer } from '../../lib/import/cli';
import { BLUEPRINT_SCHEMA, Find } from '../../lib/upstream/blueprint-tags';

const FLOWS = `version: 1
metadata:
  name: own flows
entries:
  - model: authentik_flows.flow
    identifiers:
      slug: own-login
    attrs:
      name: Own login
      title: Own login
      designation: authentication
`;

const MIXED = `version: 1
metadata:
  name: wiki
  labels:
    blueprints.goauthentik.io/instantiate: "true"
entries:
  - model: authentik_providers_oauth2.oauth2provider
    id: provider
    identifiers:
      client_id: wiki
    attrs:
      name: wiki
      client_type: confidential
      authorization_flow: !Find [authentik_flows.flow, [slug, default-provider-authorization-implicit-consent]]
      invalidation_flow: !Find [authentik_flows.flow, [slug, default-provider-invalidation-flow]]
      redirect_uris:
        - url: https://wiki.example.org/cb
          matching_mode: strict
  - model: authentik_core.application
    id: app
    identifiers:
      slug: wiki
    attrs:
      name: Wiki
      provider: !KeyOf provider
  - model: authentik_events.notificationrule
    identifiers:
      name: wiki alerts
    attrs:
      group: !Find [authentik_core.group, [name, admins]]
  - model: authentik_stages_authenticator_webauthn.authenticatorwebauthnstage
    identifiers:
      name: wiki-webauthn
    attrs:
      friendly_name: null
  - model: authentik_policies_expression.expressionpolicy
    id: policy
    identifiers:
      name: wiki-extra
    attrs:
      expression: return True
  - model: authentik_outposts.outpost
    identifiers:
      name: wiki-outpost
    attrs:
      type: ldap
      providers:
        - !KeyOf provider
`;

const GROUPS = `version: 1
metadata:
  name: groups
entries:
  - model: authentik_core.group
    identifiers:
      name: admins
`;

function layer(): { repo: string; dir: string } {
  const repo = fs.mkdtempSync(path.join(os.tmpdir(), 'ua-import-pt-'));
  fs.mkdirSync(path.join(repo, '.git'));
  const dir = path.join(repo, 'live');
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, 'flows.yaml'), FLOWS);
  fs.writeFileSync(path.join(dir, 'wiki.yaml'), MIXED);
  fs.writeFileSync(path.join(dir, 'groups.yaml'), GROUPS);
  // One ConfigMap per file, as kustomize generates them: each keeps its ConfigMap on adoption.
  const generators = ['flows', 'wiki', 'groups'].map((n) => `  - name: bp-${n}\n    files: [${n}.yaml]\n`).join('');
  fs.writeFileSync(path.join(dir, 'kustomization.yaml'), `kind: Kustomization\nnamespace: authentik\nconfigMapGenerator:\n${generators}`);
  return { repo, dir };
}

describe('import fills authentik.passThrough', () => {
  const { repo, dir } = layer();
  const r = importLayer([dir], path.join(repo, 'clusters/lab.yaml'), { authentikVersion: '2026.8.0' });
  const entries = (r.draft.config.authentik as { passThrough: Array<{ file: string }> }).passThrough;
  const text = new Map(r.draft.passThrough.sources.map((s) => [s.file, s.text]));

  test('the draft validates and adopts with no finding', () => {
    expect(r.problems).toEqual([]);
    expect(r.findings).toEqual([]);
  });

  test('a sound raw file carried whole, inside the repository, is pointed at in place', () => {
    expect(entries).toContainEqual({ file: 'live/flows.yaml', configMapName: 'bp-flows' });
    expect(text.get('live/flows.yaml')).toBe(FLOWS);
    expect(r.draft.passThrough.written.has('live/flows.yaml')).toBe(false);
  });

  test('a mixed file is copied beside the draft with the unmodelled entries only, a !KeyOf to a generated entry as a !Find', () => {
    expect(entries).toContainEqual({ file: 'clusters/lab.pass-through/wiki.yaml' });
    const doc = yaml.load(r.draft.passThrough.written.get('clusters/lab.pass-through/wiki.yaml')!, { schema: BLUEPRINT_SCHEMA }) as {
      metadata: { labels: object };
      entries: Array<{ model: string; identifiers: Record<string, unknown>; attrs?: Record<string, unknown> }>;
    };
    expect(doc.metadata.labels).toEqual({ 'blueprints.goauthentik.io/instantiate': 'true' });
    expect(doc.entries.map((e) => e.model)).toEqual([
      'authentik_events.notificationrule',
      'authentik_stages_authenticator_webauthn.authenticatorwebauthnstage',
      'authentik_policies_expression.expressionpolicy',
      'authentik_outposts.outpost',
    ]);
    expect(doc.entries[3].attrs?.providers).toEqual([new Find('authentik_providers_oauth2.oauth2provider', ['client_id', 'wiki'])]);
  });

  test('live defects are left out of the copy, each with a line', () => {
    const doc = yaml.load(r.draft.passThrough.written.get('clusters/lab.pass-through/wiki.yaml')!, { schema: BLUEPRINT_SCHEMA }) as {
      entries: Array<{ attrs?: Record<string, unknown> }>;
    };
    expect(doc.entries[0].attrs).toEqual({});
    expect(doc.entries[1].attrs).toEqual({});
    expect(r.draft.notes).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /attrs\.group is not a field of authentik_events\.notificationrule in Authentik 2026\.8, which drops it today/,
        ),
        expect.stringMatching(/attrs\.friendly_name is null, which Authentik 2026\.8 refuses/),
      ]),
    );
  });
});
