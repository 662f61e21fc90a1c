// Authentik blueprint model names (`<app label>.<model>`), in one place for every file that
// writes or reads blueprint entries.
export const MODEL = {
  group: 'authentik_core.group',
  application: 'authentik_core.application',
  user: 'authentik_core.user',
  token: 'authentik_core.token',
  oauth2Provider: 'authentik_providers_oauth2.oauth2provider',
  proxyProvider: 'authentik_providers_proxy.proxyprovider',
  scopeMapping: 'authentik_providers_oauth2.scopemapping',
  outpost: 'authentik_outposts.outpost',
  policyBinding: 'authentik_policies.policybinding',
  expressionPolicy: 'authentik_policies_expression.expressionpolicy',
  flow: 'authentik_flows.flow',
  certificate: 'authentik_crypto.certificatekeypair',
  metaApplyBlueprint: 'authentik_blueprints.metaapplyblueprint',
} as const;
