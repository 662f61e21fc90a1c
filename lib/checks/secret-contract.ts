// The Authentik Secret holds several values under keys the config names (secret key, bootstrap
// and PostgreSQL passwords) or the model derives (each client secret, each agent app password).
// Two values under one key would silently hand one of them to the wrong reader, e.g. the signing
// key to an OIDC client, so every key must be unique.
import type { SynthResult } from '../synth';
import { AUTHENTIK_ENV } from '../model/upstream';

export function checkSecretContract(r: SynthResult): string[] {
  const m = r.model;
  const s = m.authentik.secret;
  const readers: Array<[key: string, reader: string]> = [
    [s.secretKey, AUTHENTIK_ENV.secretKey],
    [s.bootstrapPassword, AUTHENTIK_ENV.bootstrapPassword],
    [s.postgresqlPassword, AUTHENTIK_ENV.postgresqlPassword],
    ...m.oidcApps.map((a): [string, string] => [a.clientSecret.authentikKey, `the ${a.slug} client secret`]),
    ...m.agents.map((a): [string, string] => [a.tokenSecret.authentikKey, `the ${a.serviceAccount} app password`]),
  ];
  const first = new Map<string, string>();
  const out: string[] = [];
  // Each consumer reads its own copy of its client secret: not Authentik's Secret, not another's key.
  const refs = new Map<string, string>();
  for (const a of m.oidcApps) {
    const c = a.clientSecret.consumer;
    if (c.namespace === m.authentik.namespace && c.name === s.name) {
      out.push(`the ${a.slug} client secret is read from Authentik's own Secret ${c.namespace}/${c.name}; give the consumer a Secret of its own`);
    }
    const ref = `${c.namespace}/${c.name} key ${c.key}`;
    const other = refs.get(ref);
    if (other) out.push(`the ${a.slug} and ${other} client secrets are both read from Secret ${ref}; each client needs its own secret`);
    else refs.set(ref, a.slug);
  }
  for (const [key, reader] of readers) {
    const other = first.get(key);
    if (other) out.push(`Secret ${m.authentik.namespace}/${s.name} key "${key}" would hold both ${other} and ${reader}; rename authentik.secret's key`);
    else first.set(key, reader);
  }
  return out;
}
