// Pre-2026.x blueprint fields converted on import (lib/import/convert.ts), on fixtures of our own.
// How Authentik treats each old form is cited in convert.ts: core/api/groups.py GroupSerializer
// (no `parent`), providers/oauth2/api/providers.py (redirect_uris a list), oauth2 migration 0024
// migrate_redirect_uris (`*`/`.*` regex, other lines strict), core/api/providers.py
// ProviderSerializer (invalidation_flow required on create).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import yaml from 'js-yaml';
import { readImportDirs } from '../../lib/import/read';
import { convertEntry, DEFAULT_INVALIDATION_FLOW } from '../../lib/import/convert';
import { importMain } from '../../lib/import/cli';
import { Find, KeyOf, BLUEPRINT_SCHEMA } from '../../lib/upstream/blueprint-tags';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ua-convert-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const parse = (text: string) => yaml.load(text, { schema: BLUEPRINT_SCHEMA }) as Record<string, unknown>;

function layer(name: string, blueprint: string): string {
  const dir = path.join(tmp, name);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'bp.yaml'), blueprint);
  return dir;
}

const GROUPS = `version: 1
metadata: {name: lab-groups}
entries:
  - model: authentik_core.group
    id: root
    identifiers: {name: lab}
  - model: authentik_core.group
    identifiers: {name: lab-users}
    attrs:
      parent: !KeyOf root
`;

const PROVIDER = (attrs: string) => `version: 1
metadata: {name: lab-wiki}
entries:
  - model: authentik_providers_oauth2.oauth2provider
    id: p
    identifiers: {client_id: wiki}
    attrs:
      name: Wiki
      authorization_flow: !Find [authentik_flows.flow, [slug, default-provider-authorization-implicit-consent]]
${attrs}
  - model: authentik_core.application
    identifiers: {slug: wiki}
    attrs: {name: Wiki, provider: !KeyOf p}
`;

describe('old formats are converted, each with a line saying what Authentik does today', () => {
  test('parent -> parents: the group has no parent in Authentik now', () => {
    const l = readImportDirs([layer('parent', GROUPS)]);
    const attrs = l.blueprints[0].entries[1].attrs as Record<string, unknown>;
    expect(attrs.parent).toBeUndefined();
    expect(attrs.parents).toEqual([new KeyOf('root')]);
    expect(l.converted).toEqual([
      expect.stringMatching(
        /bp\.yaml entry 2 \(authentik_core\.group name=lab-users\): converted "parent: !KeyOf root" to "parents: \[!KeyOf root\]".*group "lab-users" has no parent in Authentik now/,
      ),
    ]);
  });

  test('a newline-separated redirect_uris string becomes the list, strict but for * and .*', () => {
    const l = readImportDirs([
      layer(
        'uris',
        PROVIDER(
          '      invalidation_flow: !Find [authentik_flows.flow, [slug, default-provider-invalidation-flow]]\n      redirect_uris: "https://a.example.org/cb\\n\\n.*\\nhttps://b.example.org/cb\\n"',
        ),
      ),
    ]);
    expect((l.blueprints[0].entries[0].attrs as Record<string, unknown>).redirect_uris).toEqual([
      { matching_mode: 'strict', url: 'https://a.example.org/cb' },
      { matching_mode: 'regex', url: '.*' },
      { matching_mode: 'strict', url: 'https://b.example.org/cb' },
    ]);
    expect(l.converted).toEqual([expect.stringMatching(/redirect_uris string \(3 URIs\).*does not apply today/)]);
  });

  test('a missing invalidation_flow becomes the default flow', () => {
    const l = readImportDirs([layer('inval', PROVIDER('      redirect_uris: [{matching_mode: strict, url: "https://a.example.org/cb"}]'))]);
    const flow = (l.blueprints[0].entries[0].attrs as Record<string, unknown>).invalidation_flow;
    expect(flow).toBeInstanceOf(Find);
    expect(flow).toEqual(DEFAULT_INVALIDATION_FLOW);
    expect(l.converted).toEqual([expect.stringMatching(/invalidation_flow.*creates oauth2provider "wiki"/)]);
  });

  test('an absent provider is not given an invalidation_flow', () => {
    const e = parse('model: authentik_providers_oauth2.oauth2provider\nstate: absent\nidentifiers: {client_id: x}\nattrs: {name: X}\n');
    expect(convertEntry(e)).toEqual({ lines: [] });
  });

  test('parent: null means no parent', () => {
    const e = parse('model: authentik_core.group\nidentifiers: {name: x}\nattrs: {parent: null}\n');
    expect(convertEntry(e).lines).toHaveLength(1);
    expect(e.attrs).toEqual({ parents: [] });
  });
});

describe('a field with no unambiguous 2026.x meaning is refused: one line, exit 1, nothing written', () => {
  test.each([
    ['both parent and parents', 'attrs:\n      parent: !KeyOf root\n      parents: [!KeyOf root]', /sets both "parent".*and "parents"/],
    ['a parent that is no reference', 'attrs:\n      parent: {name: lab}', /"parent" \(before 2026\.x\) is not a reference/],
  ])('%s', (what, attrs, message) => {
    const dir = layer(`bad-${what.replace(/\W+/g, '-')}`, GROUPS.replace('attrs:\n      parent: !KeyOf root', attrs));
    const out = path.join(tmp, 'bad-draft.yaml');
    const errors: string[] = [];
    const spy = jest.spyOn(console, 'error').mockImplementation((m: string) => void errors.push(m));
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      expect(importMain(['--from', dir, '--out', out])).toBe(1);
    } finally {
      spy.mockRestore();
      log.mockRestore();
    }
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(
      new RegExp(`^import error: .*bp\\.yaml entry 2 \\(authentik_core\\.group name=lab-users\\): ${message.source}`),
    );
    expect(fs.existsSync(out)).toBe(false);
  });
});
