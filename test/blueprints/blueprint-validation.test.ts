// Blueprint validation against Authentik's contract: the API serializers (lib/upstream/api-schema.ts) and
// reference resolution (lib/upstream/references.ts). Each negative test names the exact field it expects.
import fs from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import { BLUEPRINT_ONLY_FIELDS, MODEL_SCHEMAS, validateBlueprint as validateFor } from '../../lib/upstream/api-schema';
import { SUPPORTED_MINORS } from '../../lib/upstream/authentik-versions';
import { AUTHENTIK_DEFAULTS, checkReferences } from '../../lib/upstream/references';
import { BLUEPRINT_SCHEMA, Condition, Env, Find, KeyOf } from '../../lib/upstream/blueprint-tags';
import type { Blueprint, BlueprintEntry } from '../../lib/upstream/blueprint-types';
import { SCOPE_MAPPINGS } from '../../lib/model/derive';

const flow = (slug: string) => new Find('authentik_flows.flow', ['slug', slug]);

const bp = (name: string, ...entries: BlueprintEntry[]): Blueprint => ({
  name,
  configMapName: `blueprint-${name}`,
  fileName: `${name}.yaml`,
  entries,
});

const oauth2Provider = (attrs: BlueprintEntry['attrs'] = {}): BlueprintEntry => ({
  model: 'authentik_providers_oauth2.oauth2provider',
  id: 'provider-argocd',
  identifiers: { name: 'argocd' },
  attrs: {
    authorization_flow: flow('default-provider-authorization-implicit-consent'),
    invalidation_flow: flow('default-provider-invalidation-flow'),
    client_type: 'confidential',
    client_id: 'argocd',
    client_secret: new Env('ARGOCD_CLIENT_SECRET'),
    redirect_uris: [
      { matching_mode: 'strict', url: 'https://argocd.example.net/auth/callback' },
      { matching_mode: 'strict', url: 'http://localhost:8085/auth/callback' },
    ],
    signing_key: new Find('authentik_crypto.certificatekeypair', ['name', 'authentik Self-signed Certificate']),
    property_mappings: (['openid', 'email', 'profile'] as const).map(
      (s) => new Find('authentik_providers_oauth2.scopemapping', ['managed', SCOPE_MAPPINGS[s]]),
    ),
    access_token_validity: 'hours=8',
    ...attrs,
  },
});

const application: BlueprintEntry = {
  model: 'authentik_core.application',
  id: 'app-argocd',
  identifiers: { slug: 'argocd' },
  attrs: { name: 'ArgoCD', provider: new KeyOf('provider-argocd'), meta_launch_url: 'https://argocd.example.net/' },
};

const groups = bp(
  'unified-auth-groups',
  { model: 'authentik_core.group', id: 'root', identifiers: { name: 'root' }, attrs: {} },
  { model: 'authentik_core.group', identifiers: { name: 'root-admins' }, attrs: { is_superuser: true, parents: [new KeyOf('root')] } },
);

const binding: BlueprintEntry = {
  model: 'authentik_policies.policybinding',
  identifiers: { target: new KeyOf('app-argocd'), group: new Find('authentik_core.group', ['name', 'root-admins']) },
  attrs: { order: 0 },
};

const applyGroupsFirst: BlueprintEntry = {
  model: 'authentik_blueprints.metaapplyblueprint',
  identifiers: {},
  attrs: { identifiers: { name: 'unified-auth-groups' }, required: true },
};

/** The single message for a one-problem blueprint, checked against the exact prefix. */
function only(messages: string[], prefix: string): string {
  expect(messages).toHaveLength(1);
  expect(messages[0].startsWith(prefix)).toBe(true);
  return messages[0];
}

// Every rule holds on every supported minor: each runs against that minor's extract.
describe.each(SUPPORTED_MINORS)('validateBlueprint (API serializers of Authentik %s)', (minor) => {
  const validateBlueprint = (b: Blueprint) => validateFor(b, minor);
  test('a valid OAuth2 provider and application pass', () => {
    expect(validateBlueprint(bp('argocd', oauth2Provider(), application))).toEqual([]);
  });

  test('a groups blueprint with parents, and a metaapplyblueprint entry, pass', () => {
    expect(validateBlueprint(groups)).toEqual([]);
    expect(validateBlueprint(bp('argocd', applyGroupsFirst, oauth2Provider(), application, binding))).toEqual([]);
  });

  test('a blueprint that went through YAML with tags validates the same', () => {
    const text = yaml.dump({ entries: [oauth2Provider(), application] }, { schema: BLUEPRINT_SCHEMA });
    const loaded = yaml.load(text, { schema: BLUEPRINT_SCHEMA }) as { entries: BlueprintEntry[] };
    expect(validateBlueprint(bp('argocd', ...loaded.entries))).toEqual([]);
  });

  test('redirect_uris as a newline string (pre-2026 form) fails: it must be a list', () => {
    const m = only(
      validateBlueprint(bp('argocd', oauth2Provider({ redirect_uris: 'https://argocd.example.net/auth/callback' }))),
      'blueprint argocd entry 0 (provider-argocd) field redirect_uris: ',
    );
    expect(m).toMatch(/expected a list \(array\) of RedirectURIRequest/);
  });

  test('a redirect URI without matching_mode names the nested field', () => {
    only(
      validateBlueprint(bp('argocd', oauth2Provider({ redirect_uris: [{ url: 'https://argocd.example.net/cb' }] }))),
      'blueprint argocd entry 0 (provider-argocd) field redirect_uris[0].matching_mode: is required',
    );
  });

  test('a missing invalidation_flow is reported on create', () => {
    const entry = oauth2Provider();
    delete entry.attrs!.invalidation_flow;
    only(validateBlueprint(bp('argocd', entry)), 'blueprint argocd entry 0 (provider-argocd) field invalidation_flow: is required');
  });

  test('parent on a group is an unknown field (2026.x has parents)', () => {
    const m = only(
      validateBlueprint(
        bp('g', { model: 'authentik_core.group', identifiers: { name: 'root-admins' }, attrs: { parent: new KeyOf('root') } }),
      ),
      'blueprint g entry 0 (authentik_core.group) field parent: unknown field',
    );
    expect(m).toContain('did you mean parents?');
  });

  test('a bad enum value is reported with the allowed values', () => {
    const m = only(
      validateBlueprint(bp('argocd', oauth2Provider({ client_type: 'secret' }))),
      'blueprint argocd entry 0 (provider-argocd) field client_type: ',
    );
    expect(m).toContain('is not one of confidential, public');
  });

  test('a tag where a boolean is expected is an error; Env only where a string is', () => {
    only(
      validateBlueprint(bp('argocd', oauth2Provider({ include_claims_in_id_token: new KeyOf('x') }))),
      'blueprint argocd entry 0 (provider-argocd) field include_claims_in_id_token: expected a boolean but got !KeyOf x',
    );
    only(
      validateBlueprint(bp('argocd', { ...application, attrs: { ...application.attrs, provider: new Env('PROVIDER') } })),
      'blueprint argocd entry 0 (app-argocd) field provider: expected an integer but got !Env PROVIDER',
    );
  });

  test('KeyOf/Find stand for primary keys in uuid and integer fields, also inside lists', () => {
    const outpost: BlueprintEntry = {
      model: 'authentik_outposts.outpost',
      identifiers: { name: 'forward-auth' },
      attrs: { type: 'proxy', providers: [new KeyOf('p'), new Find('authentik_providers_proxy.proxyprovider', ['name', 'x'])], config: {} },
    };
    expect(validateBlueprint(bp('o', outpost))).toEqual([]);
    only(
      validateBlueprint(bp('o', { ...outpost, attrs: { ...outpost.attrs, providers: ['longhorn'] } })),
      'blueprint o entry 0 (authentik_outposts.outpost) field providers[0]: expected an integer but got a string',
    );
  });

  test('format uri is checked loosely, pattern and limits strictly', () => {
    const proxy: BlueprintEntry = {
      model: 'authentik_providers_proxy.proxyprovider',
      identifiers: { name: 'longhorn' },
      attrs: {
        authorization_flow: flow('default-provider-authorization-implicit-consent'),
        invalidation_flow: flow('default-provider-invalidation-flow'),
        mode: 'forward_single',
        external_host: 'longhorn.example.net',
      },
    };
    only(
      validateBlueprint(bp('p', proxy)),
      'blueprint p entry 0 (authentik_providers_proxy.proxyprovider) field external_host: a string ("longhorn.example.net") is not an absolute URL',
    );
    expect(validateBlueprint(bp('p', { ...proxy, attrs: { ...proxy.attrs, external_host: 'https://longhorn.example.net' } }))).toEqual([]);
    only(
      validateBlueprint(bp('a', { ...application, identifiers: { slug: 'Argo CD' } })),
      'blueprint a entry 0 (app-argocd) field slug: a string ("Argo CD") does not match',
    );
    only(
      validateBlueprint(bp('b', { ...binding, attrs: { order: 2 ** 31 } })),
      'blueprint b entry 0 (authentik_policies.policybinding) field order: 2147483648 is above the maximum',
    );
  });

  test('null only where the field is nullable', () => {
    expect(validateBlueprint(bp('a', { ...application, attrs: { ...application.attrs, provider: null } }))).toEqual([]);
    only(
      validateBlueprint(bp('a', { ...application, attrs: { ...application.attrs, meta_launch_url: null } })),
      'blueprint a entry 0 (app-argocd) field meta_launch_url: is null but the field is not nullable',
    );
  });

  test('absent entries skip required checks but identifiers must be known fields', () => {
    const tombstone: BlueprintEntry = { model: 'authentik_providers_oauth2.oauth2provider', state: 'absent', identifiers: { name: 'old' } };
    expect(validateBlueprint(bp('t', tombstone))).toEqual([]);
    only(
      validateBlueprint(bp('t', { ...tombstone, identifiers: { nmae: 'old' } })),
      'blueprint t entry 0 (authentik_providers_oauth2.oauth2provider) field nmae: unknown field used as an identifier',
    );
  });

  test('the managed embedded outpost updates partially: no name or type needed', () => {
    const embedded: BlueprintEntry = {
      model: 'authentik_outposts.outpost',
      identifiers: { managed: 'goauthentik.io/outposts/embedded' },
      attrs: { providers: [new KeyOf('longhorn')], config: { authentik_host: 'https://auth.example.net' } },
    };
    expect(validateBlueprint(bp('e', embedded))).toEqual([]);
    // Without `managed` the same attrs would create an outpost, which needs name and type.
    const created = validateBlueprint(bp('e', { ...embedded, identifiers: { name: 'x' } }));
    expect(created).toEqual([
      'blueprint e entry 0 (authentik_outposts.outpost) field type: is required when the object is created, but missing',
    ]);
  });

  test('blueprint-only fields: token key and user password are accepted', () => {
    const token: BlueprintEntry = {
      model: 'authentik_core.token',
      identifiers: { identifier: 'k8s-agent-token' },
      attrs: { intent: 'api', user: new KeyOf('agent'), key: new Env('AGENT_TOKEN'), expiring: false },
    };
    expect(validateBlueprint(bp('t', token))).toEqual([]);
    const user: BlueprintEntry = {
      model: 'authentik_core.user',
      identifiers: { username: 'agent' },
      attrs: { name: 'Agent', password: null, type: 'service_account' },
    };
    expect(validateBlueprint(bp('u', user))).toEqual([]);
    only(
      validateBlueprint(bp('u', { ...user, attrs: { ...user.attrs, key: 'x' } })),
      'blueprint u entry 0 (authentik_core.user) field key: unknown field',
    );
  });

  test('metaapplyblueprint takes only identifiers and required; unknown models are errors', () => {
    only(
      validateBlueprint(bp('m', { ...applyGroupsFirst, attrs: { identifiers: { name: 'x' }, required: 'yes' } })),
      'blueprint m entry 0 (authentik_blueprints.metaapplyblueprint) field required: expected a boolean',
    );
    expect(validateBlueprint(bp('m', { ...applyGroupsFirst, attrs: { name: 'x' } }))).toEqual([
      'blueprint m entry 0 (authentik_blueprints.metaapplyblueprint) field name: unknown field; metaapplyblueprint takes only identifiers and required',
      'blueprint m entry 0 (authentik_blueprints.metaapplyblueprint) field identifiers: is required: which blueprint instance to apply first',
    ]);
    only(
      validateBlueprint(bp('m', { model: 'authentik_flows.flow', identifiers: { slug: 'x' } })),
      'blueprint m entry 0 (authentik_flows.flow) field -: model authentik_flows.flow is not one unified-auth knows how to validate',
    );
  });
});

describe('checkReferences', () => {
  test('scope mappings are known by their managed identifier; scope_name alone is not unique and is reported', () => {
    const byName = oauth2Provider();
    byName.attrs!.property_mappings = [new Find('authentik_providers_oauth2.scopemapping', ['scope_name', 'openid'])];
    const m = only(
      checkReferences([groups, bp('argocd', applyGroupsFirst, byName)], AUTHENTIK_DEFAULTS),
      'blueprint argocd entry 1 (provider-argocd) field property_mappings[0]',
    );
    expect(m).toContain('[scope_name, openid]] matches no object created here and no Authentik default');
    for (const managed of Object.values(SCOPE_MAPPINGS)) {
      const p = oauth2Provider();
      p.attrs!.property_mappings = [new Find('authentik_providers_oauth2.scopemapping', ['managed', managed])];
      expect(checkReferences([groups, bp('argocd', applyGroupsFirst, p)], AUTHENTIK_DEFAULTS)).toEqual([]);
    }
  });

  test('KeyOf to earlier entries, Find to defaults and to an ordered other file pass', () => {
    expect(checkReferences([groups, bp('argocd', applyGroupsFirst, oauth2Provider(), application, binding)], AUTHENTIK_DEFAULTS)).toEqual(
      [],
    );
  });

  test('a tombstone whose group !Find is not also its condition is refused; with the condition it needs no ordering', () => {
    const admins = new Find('authentik_core.group', ['name', 'root-admins']);
    const tomb: BlueprintEntry = {
      model: 'authentik_policies.policybinding',
      state: 'absent',
      identifiers: { target: new KeyOf('app-argocd'), group: admins },
    };
    only(
      checkReferences([groups, bp('argocd', oauth2Provider(), application, tomb)], AUTHENTIK_DEFAULTS).filter((m) =>
        m.includes('conditions'),
      ),
      "blueprint argocd entry 2 (authentik_policies.policybinding) field group: !Find [authentik_core.group, [name, root-admins]] in a tombstone's identifiers must also be in its conditions",
    );
    expect(
      checkReferences(
        [groups, bp('argocd', oauth2Provider(), application, { ...tomb, conditions: [new Condition('AND', admins)] })],
        AUTHENTIK_DEFAULTS,
      ),
    ).toEqual([]);
  });

  test('a dangling KeyOf is reported at its field', () => {
    const app = { ...application, attrs: { ...application.attrs, provider: new KeyOf('provider-nope') } };
    only(
      checkReferences([bp('argocd', oauth2Provider(), app)], AUTHENTIK_DEFAULTS),
      'blueprint argocd entry 1 (app-argocd) field provider: !KeyOf provider-nope does not target an id defined earlier in this file',
    );
  });

  test('a KeyOf to a LATER entry is reported', () => {
    const m = only(
      checkReferences([bp('argocd', application, oauth2Provider())], AUTHENTIK_DEFAULTS),
      'blueprint argocd entry 0 (app-argocd) field provider: !KeyOf provider-argocd does not target an id defined earlier in this file',
    );
    expect(m).toContain('entry 1 defines it later');
  });

  test('ids must be unique within a file', () => {
    only(
      checkReferences(
        [bp('argocd', oauth2Provider(), { ...application, id: 'provider-argocd', attrs: { name: 'x' } })],
        AUTHENTIK_DEFAULTS,
      ),
      'blueprint argocd entry 1 (provider-argocd) field id: id provider-argocd is already used by entry 0',
    );
  });

  test('a Find on a flow slug nobody creates is reported', () => {
    expect(checkReferences([bp('argocd', oauth2Provider({ authorization_flow: flow('nope') }))], AUTHENTIK_DEFAULTS)).toEqual([
      'blueprint argocd entry 0 (provider-argocd) field authorization_flow: !Find [authentik_flows.flow, [slug, nope]] matches no object created here and no Authentik default',
    ]);
  });

  test('a Find into another file needs a metaapplyblueprint entry for it first', () => {
    const unordered = bp('argocd', oauth2Provider(), application, binding);
    expect(checkReferences([groups, unordered], AUTHENTIK_DEFAULTS)).toEqual([
      'blueprint argocd entry 2 (authentik_policies.policybinding) field group: !Find [authentik_core.group, [name, root-admins]] resolves to an object created in blueprint unified-auth-groups; blueprints apply concurrently, add a metaapplyblueprint entry for unified-auth-groups first',
    ]);
    // The metaapplyblueprint entry must come before the referencing entry.
    const lateMeta = bp('argocd', oauth2Provider(), application, binding, applyGroupsFirst);
    expect(checkReferences([groups, lateMeta], AUTHENTIK_DEFAULTS)).toHaveLength(1);
    const ordered = bp('argocd', applyGroupsFirst, oauth2Provider(), application, binding);
    expect(checkReferences([groups, ordered], AUTHENTIK_DEFAULTS)).toEqual([]);
  });

  test('a Find to an absent (tombstoned) object or to a later entry of the same file is reported', () => {
    const gone = bp('unified-auth-groups', { model: 'authentik_core.group', state: 'absent', identifiers: { name: 'root-admins' } });
    only(
      checkReferences([gone, bp('argocd', applyGroupsFirst, oauth2Provider(), application, binding)], AUTHENTIK_DEFAULTS),
      'blueprint argocd entry 3 (authentik_policies.policybinding) field group: !Find [authentik_core.group, [name, root-admins]] matches no object',
    );
    const sameFileLate = bp('x', binding, ...groups.entries);
    const messages = checkReferences([sameFileLate], AUTHENTIK_DEFAULTS);
    expect(messages).toContain(
      'blueprint x entry 0 (authentik_policies.policybinding) field group: !Find [authentik_core.group, [name, root-admins]] resolves to an object created later in this file (entry 2); move that entry first or use !KeyOf',
    );
  });

  test('the embedded outpost is a known default', () => {
    const e: BlueprintEntry = {
      model: 'authentik_policies.policybinding',
      identifiers: { target: new Find('authentik_outposts.outpost', ['managed', 'goauthentik.io/outposts/embedded']) },
      attrs: { order: 0 },
    };
    expect(checkReferences([bp('x', e)])).toEqual([]);
  });
});

describe.each(SUPPORTED_MINORS)('imports/authentik-api-%s.json', (minor) => {
  // A plain CommonJS script (bin/), so it is loaded with require rather than imported.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- an untyped .cjs script; its shape is declared by the cast below
  const importer = require('../../bin/import-authentik-api.cjs') as {
    aliasOf: (minor: string) => string;
    extractAuthentikApi: (
      minor: string,
      root?: string,
    ) => { version: string; schemas: Record<string, { properties?: Record<string, unknown> }> };
    renderExtract: (extract: unknown) => string;
  };
  const root = path.resolve(__dirname, '../..');
  const fresh = importer.extractAuthentikApi(minor, root);

  test('equals a fresh extraction from its installed @goauthentik/api alias, byte for byte', () => {
    const installed = JSON.parse(fs.readFileSync(path.join(root, 'node_modules', importer.aliasOf(minor), 'package.json'), 'utf8'));
    expect(installed.name).toBe('@goauthentik/api');
    expect(fresh.version).toBe(installed.version);
    expect(fresh.version.startsWith(`${minor}.`)).toBe(true);
    expect(fs.readFileSync(path.join(root, `imports/authentik-api-${minor}.json`), 'utf8')).toBe(importer.renderExtract(fresh));
  });

  test('holds every mapped serializer, and the blueprint-only fields are still absent from the API', () => {
    for (const [model, schema] of Object.entries(MODEL_SCHEMAS)) {
      expect(fresh.schemas[schema]).toBeDefined();
      // If Authentik adds one of these to the API serializer, the allowlist entry is obsolete.
      for (const field of Object.keys(BLUEPRINT_ONLY_FIELDS[model] ?? {}))
        expect(fresh.schemas[schema].properties).not.toHaveProperty(field);
    }
  });
});
