// Every reference form import follows (lib/import/context.ts resolveRef), on fixtures of our own:
// `!KeyOf`, `!Find` by any fields, nested `!Find`, and applications identified by name.
// Authentik's `!Find` filters the model by every pair (blueprints/v1/common.py Find.resolve).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { importLayer } from '../../lib/import/cli';
import { readImportDirs } from '../../lib/import/read';
import { DraftContext } from '../../lib/import/context';
import { Find } from '../../lib/upstream/blueprint-tags';
import { endpointChanges } from '../../lib/plan/endpoints';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ua-refs-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function layer(name: string, text: string): string {
  const dir = path.join(tmp, name);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'bp.yaml'), text);
  return dir;
}

const PROVIDER = `  - model: authentik_providers_oauth2.oauth2provider
    identifiers: {name: Wiki}
    attrs:
      client_id: wiki
      authorization_flow: !Find [authentik_flows.flow, [slug, default-provider-authorization-implicit-consent]]
      invalidation_flow: !Find [authentik_flows.flow, [slug, default-provider-invalidation-flow]]
      redirect_uris: [{matching_mode: strict, url: "https://wiki.lab.example.org/cb"}]
`;
const bp = (entries: string) => `version: 1\nmetadata: {name: lab-wiki}\nentries:\n${PROVIDER}${entries}`;

test('an application identified by name whose provider is a !Find by name is a service', () => {
  const dir = layer(
    'by-name',
    bp(
      '  - model: authentik_core.application\n    identifiers: {name: Wiki}\n    attrs: {slug: wiki, provider: !Find [authentik_providers_oauth2.oauth2provider, [name, Wiki]]}\n',
    ),
  );
  const services = importLayer([dir], path.join(tmp, 'a.yaml'), { authentikVersion: '2026.2.3' }).draft.config.services as any[];
  expect(services.map((s) => [s.slug, s.name, s.oidc?.providerName])).toEqual([['wiki', 'Wiki', 'Wiki']]);
});

describe('resolveRef', () => {
  const dir = layer(
    'refs',
    bp(`  - model: authentik_core.application
    id: app
    identifiers: {slug: wiki}
    attrs: {name: Wiki, provider: !Find [authentik_providers_oauth2.oauth2provider, [name, Wiki], [client_id, wiki]]}
  - model: authentik_policies.policybinding
    identifiers:
      target: !Find [authentik_core.application, [provider, !Find [authentik_providers_oauth2.oauth2provider, [client_id, wiki]]]]
      order: 0
  - model: authentik_policies.policybinding
    identifiers: {target: !Find [authentik_core.application, [slug, nope]], order: 1}
  - model: authentik_policies.policybinding
    identifiers: {target: 7e0e7d0c-1f3b-4b8e-9a55-2d3c2f7b9b11, order: 2}
`),
  );
  const ctx = new DraftContext(readImportDirs([dir]));
  const [provider, app, nested, unknown, pk] = ctx.all;
  const ref = (l: typeof app, v: unknown) => ctx.resolveRef(v, l.bp)?.e;

  test('a !Find by two fields', () => expect(ref(app, (app.e.attrs as any).provider)).toBe(provider.e));
  test('a nested !Find (the application whose provider is the one found)', () =>
    expect(ref(nested, (nested.e.identifiers as any).target)).toBe(app.e));
  test('a !Find that matches nothing, and a primary key, are unresolved (the caller carries them through)', () => {
    expect(ref(unknown, (unknown.e.identifiers as any).target)).toBeUndefined();
    expect(ref(pk, (pk.e.identifiers as any).target)).toBeUndefined();
  });
  test('a !Find that matches two entries is ambiguous: unresolved', () => {
    const two = new DraftContext(readImportDirs([layer('two', bp(PROVIDER.replace('client_id: wiki', 'client_id: wiki2')))]));
    expect(two.resolveRef(new Find('authentik_providers_oauth2.oauth2provider', ['name', 'Wiki']), two.all[0].bp)).toBeUndefined();
  });
});

test('the plan names a provider found by name by the client_id it sets (never "provider undefined")', () => {
  const bps = readImportDirs([layer('endpoint', bp(''))]).blueprints;
  const lines = endpointChanges(new Map(), new Map(), [], bps).added;
  expect(lines).toContain('provider wiki accepts redirect URI https://wiki.lab.example.org/cb');
  expect(lines.join('\n')).not.toMatch(/undefined/);
});
