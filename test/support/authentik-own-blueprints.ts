// Stand-ins for the default and system blueprints that Authentik ships in its image and that the
// generated blueprints meta-apply or `!Find` into: per file, the objects it creates, written down
// as facts (model, identifiers, the attributes that matter here), not copied from the files.
// `.ci/authentik-own-blueprints.cjs` checks every fact against the real files of the pinned
// release, and that every file and object the generated blueprints reference has a stand-in.
// The rules of how they apply are in authentik-importer.ts; docs/authentik-importer.md lists them.
import { Find, KeyOf } from '../../lib/upstream/blueprint-tags';

type Value = string | number | boolean | KeyOf | Find | ReadonlyArray<string | KeyOf> | Readonly<Record<string, string>>;

export interface OwnEntry {
  readonly model: string;
  readonly id?: string;
  readonly identifiers: Readonly<Record<string, Value>>;
  /** Attributes as the real file sets them: checked against it in CI. */
  readonly attrs?: Readonly<Record<string, Value>>;
  /** Values for fields a create needs whose real content does not matter here (an expression's text): not checked. */
  readonly filler?: Readonly<Record<string, Value>>;
}

export interface OwnBlueprint {
  /** Where the worker sees it, relative to /blueprints. */
  readonly path: string;
  /** metadata.name: the instance name meta-applies look up. */
  readonly name: string;
  readonly entries: ReadonlyArray<OwnEntry>;
}

const FLOW = 'authentik_flows.flow';
const BINDING = 'authentik_flows.flowstagebinding';
const SCOPE = 'authentik_providers_oauth2.scopemapping';
const EXPRESSION = 'authentik_policies_expression.expressionpolicy';
const TEXT = { expression: 'return True' };

const metaApply = (identifiers: Record<string, string>, required: boolean): OwnEntry => ({
  model: 'authentik_blueprints.metaapplyblueprint',
  identifiers: {},
  attrs: { identifiers, required },
});
const stageBinding = (order: number, stage: string, id?: string): OwnEntry => ({
  model: BINDING,
  ...(id ? { id } : {}),
  identifiers: { order, stage: new KeyOf(stage), target: new KeyOf('flow') },
});
const flow = (slug: string, designation: string, authentication: string, id?: 'flow'): OwnEntry => ({
  model: FLOW,
  ...(id ? { id } : {}),
  identifiers: { slug },
  attrs: { designation, authentication },
  filler: { name: slug, title: slug },
});
const scope = (managed: string, name: string, scopeName: string): OwnEntry => ({
  model: SCOPE,
  identifiers: { managed },
  attrs: { name, scope_name: scopeName },
  filler: TEXT,
});
const named = (model: string, name: string, extra: Partial<OwnEntry> = {}): OwnEntry => ({
  model,
  id: name,
  identifiers: { name },
  ...extra,
});

/** default/flow-default-authentication-flow.yaml and the password-change flow it meta-applies. */
const AUTHENTICATION: OwnBlueprint[] = [
  {
    path: 'default/flow-default-authentication-flow.yaml',
    name: 'Default - Authentication flow',
    entries: [
      metaApply({ name: 'Default - Password change flow' }, false),
      flow('default-authentication-flow', 'authentication', 'none', 'flow'),
      named('authentik_stages_password.passwordstage', 'default-authentication-password', {
        attrs: { configure_flow: new Find(FLOW, ['slug', 'default-password-change']) },
      }),
      named('authentik_stages_authenticator_validate.authenticatorvalidatestage', 'default-authentication-mfa-validation'),
      named('authentik_stages_identification.identificationstage', 'default-authentication-identification', {
        attrs: { user_fields: ['email', 'username'] },
      }),
      named('authentik_stages_user_login.userloginstage', 'default-authentication-login'),
      stageBinding(10, 'default-authentication-identification'),
      stageBinding(20, 'default-authentication-password', 'default-authentication-flow-password-binding'),
      stageBinding(30, 'default-authentication-mfa-validation', 'default-authentication-flow-authenticator-validation-binding'),
      stageBinding(100, 'default-authentication-login'),
      {
        ...named(EXPRESSION, 'default-authentication-flow-password-stage', { filler: TEXT }),
        id: 'default-authentication-flow-password-optional',
      },
      {
        ...named(EXPRESSION, 'default-authentication-flow-authenticator-validate-stage', { filler: TEXT }),
        id: 'default-authentication-flow-authenticator-validate-optional',
      },
      {
        model: 'authentik_policies.policybinding',
        identifiers: {
          order: 10,
          target: new KeyOf('default-authentication-flow-password-binding'),
          policy: new KeyOf('default-authentication-flow-password-optional'),
        },
      },
      {
        model: 'authentik_policies.policybinding',
        identifiers: {
          order: 10,
          target: new KeyOf('default-authentication-flow-authenticator-validation-binding'),
          policy: new KeyOf('default-authentication-flow-authenticator-validate-optional'),
        },
      },
    ],
  },
  {
    path: 'default/flow-password-change.yaml',
    name: 'Default - Password change flow',
    entries: [
      named('authentik_policies_password.passwordpolicy', 'default-password-change-password-policy'),
      flow('default-password-change', 'stage_configuration', 'require_authenticated', 'flow'),
      {
        ...named('authentik_stages_prompt.prompt', 'default-password-change-field-password', { filler: { field_key: 'password' } }),
        id: 'prompt-field-password',
      },
      {
        ...named('authentik_stages_prompt.prompt', 'default-password-change-field-password-repeat', {
          filler: { field_key: 'password_repeat' },
        }),
        id: 'prompt-field-password-repeat',
      },
      named('authentik_stages_prompt.promptstage', 'default-password-change-prompt', {
        attrs: {
          fields: [new KeyOf('prompt-field-password'), new KeyOf('prompt-field-password-repeat')],
          validation_policies: [new KeyOf('default-password-change-password-policy')],
        },
      }),
      named('authentik_stages_user_write.userwritestage', 'default-password-change-write'),
      stageBinding(0, 'default-password-change-prompt'),
      stageBinding(1, 'default-password-change-write'),
    ],
  },
];

/** The provider flows every generated provider uses. */
const PROVIDER_FLOWS: OwnBlueprint[] = [
  {
    path: 'default/flow-default-provider-authorization-implicit-consent.yaml',
    name: 'Default - Provider authorization flow (implicit consent)',
    entries: [flow('default-provider-authorization-implicit-consent', 'authorization', 'require_authenticated')],
  },
  {
    path: 'default/flow-default-provider-invalidation.yaml',
    name: 'Default - Provider invalidation flow',
    entries: [flow('default-provider-invalidation-flow', 'invalidation', 'none', 'flow')],
  },
];

const OAUTH2 = 'goauthentik.io/providers/oauth2/scope-';
/** The managed scope mappings (system blueprints, re-applied by Authentik whenever their file changes). */
const SCOPES: OwnBlueprint[] = [
  {
    path: 'system/providers-oauth2.yaml',
    name: 'System - OAuth2 Provider - Scopes',
    entries: [
      scope(`${OAUTH2}openid`, "authentik default OAuth Mapping: OpenID 'openid'", 'openid'),
      scope(`${OAUTH2}email`, "authentik default OAuth Mapping: OpenID 'email'", 'email'),
      scope(`${OAUTH2}profile`, "authentik default OAuth Mapping: OpenID 'profile'", 'profile'),
      scope(`${OAUTH2}entitlements`, 'authentik default OAuth Mapping: Application Entitlements', 'entitlements'),
      scope(`${OAUTH2}offline_access`, "authentik default OAuth Mapping: OpenID 'offline_access'", 'offline_access'),
      scope(`${OAUTH2}authentik_api`, 'authentik default OAuth Mapping: authentik API access', 'goauthentik.io/api'),
    ],
  },
  {
    path: 'system/providers-proxy.yaml',
    name: 'System - Proxy Provider - Scopes',
    entries: [scope('goauthentik.io/providers/proxy/scope-proxy', 'authentik default OAuth Mapping: Proxy outpost', 'ak_proxy')],
  },
];

/** Every stand-in, in the order the worker lists them (blueprints/default before blueprints/system). */
export const OWN_BLUEPRINTS: ReadonlyArray<OwnBlueprint> = [...AUTHENTICATION, ...PROVIDER_FLOWS, ...SCOPES];
