// The comparisons: each a small function from what was expected and what Authentik answered to
// findings, one line each naming the object, what was expected, what was found and what to do.
import type { Instance } from './api';
import type { ExpectedBlueprint, ExpectedIssuer } from './expected';
import { isRecord } from '../base/records';
import type { Source } from './source';
import type { Finding } from './format';

const short = (hash: string) => (hash ? `${hash.slice(0, 12)}…` : 'none');

/** `status error`, with the apply task's messages when the API gave them. */
export const errorFound = (messages: ReadonlyArray<string> = []): string =>
  messages.length ? `status error (apply task: ${messages.join(' | ')})` : 'status error';

/**
 * Every blueprint the output carries: applied, successfully, at the hash of the file as the worker
 * reads it. `messages`: the apply task's messages of an instance in error, by instance path.
 */
export function blueprintFindings(
  expected: ReadonlyArray<ExpectedBlueprint>,
  live: ReadonlyArray<Instance>,
  messages: ReadonlyMap<string, ReadonlyArray<string>> = new Map(),
): Finding[] {
  const byPath = new Map(live.map((i) => [i.path, i]));
  const out: Finding[] = [];
  for (const bp of expected) {
    const object = `blueprint ${bp.path} (${bp.name})`;
    const i = byPath.get(bp.path);
    const expectedText = `status successful, last_applied_hash ${short(bp.hash)}`;
    if (!i) {
      out.push({
        object,
        expected: 'a BlueprintInstance',
        found: 'none: not applied yet',
        fix: 'wait for the worker to discover it (ArgoCD synced the ConfigMap? the Authentik values list it?)',
      });
    } else if (i.status === 'error') {
      out.push({
        object,
        expected: expectedText,
        found: errorFound(messages.get(bp.path)),
        fix: "read the apply task's messages (Admin > System Tasks > apply_blueprint) and fix the config, then re-sync",
      });
    } else if (!i.enabled) {
      out.push({ object, expected: 'enabled', found: 'disabled', fix: 'enable the blueprint instance in the admin UI' });
    } else if (i.lastAppliedHash !== bp.hash) {
      const found = i.lastAppliedHash ? `last_applied_hash ${short(i.lastAppliedHash)}: applied an older version` : 'never applied';
      out.push({
        object,
        expected: expectedText,
        found: `status ${i.status}, ${found}`,
        fix: 'wait for the worker (it re-applies changed files), or check ArgoCD synced the ConfigMap',
      });
    } else if (i.status !== 'successful') {
      out.push({ object, expected: expectedText, found: `status ${i.status}`, fix: "read the apply task's messages in the admin UI" });
    }
  }
  return out;
}

/** Discovery URL of an issuer (Authentik's issuers end with a slash: docs/field-traps.md#issuer-trailing-slash). */
export const discoveryUrl = (issuer: string): string => `${issuer.replace(/\/?$/, '/')}.well-known/openid-configuration`;

const hasRs256 = (jwks: unknown): boolean =>
  isRecord(jwks) &&
  Array.isArray(jwks.keys) &&
  jwks.keys.some((k) => isRecord(k) && k.kty === 'RSA' && (k.alg === undefined || k.alg === 'RS256'));

/** One issuer: its discovery document names it exactly, and its JWKS serves an RS256 key. */
export async function issuerFindings(get: Source, iss: ExpectedIssuer): Promise<Finding[]> {
  const object = `issuer ${iss.issuer} (${iss.who})`;
  const doc = await get(discoveryUrl(iss.issuer));
  if (!isRecord(doc) || typeof doc.issuer !== 'string' || typeof doc.jwks_uri !== 'string')
    return [
      {
        object,
        expected: 'an OpenID discovery document',
        found: 'no issuer or jwks_uri in it',
        fix: 'check the provider and application exist (blueprint findings above)',
      },
    ];
  if (doc.issuer !== iss.issuer)
    return [
      {
        object,
        expected: `issuer ${iss.issuer}`,
        found: `issuer ${doc.issuer}`,
        fix: "set the provider's issuer mode to per-provider and check AUTHENTIK_HOST / the consumers' issuer",
      },
    ];
  if (!hasRs256(await get(doc.jwks_uri)))
    return [
      {
        object,
        expected: 'a JWKS with an RS256 key',
        found: 'no RS256 key',
        fix: "give the provider a signing key (the apiserver and consumers verify RS256); check the blueprint's signing_key",
      },
    ];
  return [];
}
