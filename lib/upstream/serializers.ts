// Blueprint model → the Request serializer of Authentik's API that validates its attrs: the one
// list. lib/upstream/api-schema.ts validates entries with it, and bin/import-authentik-api.cjs
// extracts exactly these serializers (and what they reference) from @goauthentik/api.
import { MODEL } from './authentik-models';

export const MODEL_SCHEMAS: Readonly<Record<string, string>> = {
  [MODEL.group]: 'GroupRequest',
  [MODEL.application]: 'ApplicationRequest',
  [MODEL.user]: 'UserRequest',
  [MODEL.token]: 'TokenRequest',
  [MODEL.oauth2Provider]: 'OAuth2ProviderRequest',
  [MODEL.proxyProvider]: 'ProxyProviderRequest',
  [MODEL.outpost]: 'OutpostRequest',
  [MODEL.policyBinding]: 'PolicyBindingRequest',
  [MODEL.expressionPolicy]: 'ExpressionPolicyRequest',
};
