// The Authentik Secret holds several values under keys the config names (secret key, bootstrap
// password) or the model derives (each client secret, each agent app password).
// Two values under one key would silently hand one of them to the wrong reader, e.g. the signing
// key to an OIDC client, so every key must be unique.
import type { SynthResult } from '../output/render';
import { AUTHENTIK_ENV } from '../upstream/conventions';
import { confidentialApps, managedSecretApps } from '../model/derive';
import { OUTPUT } from '../base/paths';
import { asArray, docAt } from './rendered';
import { valueAt } from '../base/records';

/**
 * Least privilege on the rendered Authentik values: global.env (server and worker) carries only
 * the secret key and the PostgreSQL password; PostgreSQL's existingSecret, which it mounts whole,
 * is a Secret of its own.
 */
function leastPrivilege(r: SynthResult): string[] {
  const m = r.model;
  const values = docAt(r, OUTPUT.authentikValues);
  const out: string[] = [];
  const allowed = new Set([
    `${m.authentik.secret.name}/${m.authentik.secret.secretKey}`,
    `${m.authentik.postgresqlSecret.name}/${m.authentik.postgresqlSecret.key}`,
  ]);
  for (const e of asArray(valueAt(values, 'global', 'env'))) {
    const ref = valueAt(e, 'valueFrom', 'secretKeyRef');
    if (ref === undefined) continue;
    const id = `${String(valueAt(ref, 'name'))}/${String(valueAt(ref, 'key'))}`;
    if (!allowed.has(id))
      out.push(
        `${OUTPUT.authentikValues} global.env ${String(valueAt(e, 'name'))} hands Secret key ${id} to the server pods too; only the worker needs it (worker.env)`,
      );
  }
  const pgSecret = valueAt(values, 'postgresql', 'auth', 'existingSecret');
  // Checked whether or not this file enables the bundled PostgreSQL: a running release's own values may.
  if (pgSecret !== m.authentik.postgresqlSecret.name) {
    out.push(
      `${OUTPUT.authentikValues} postgresql.auth.existingSecret ${JSON.stringify(pgSecret)} is not PostgreSQL's own Secret "${m.authentik.postgresqlSecret.name}"; PostgreSQL mounts that Secret whole`,
    );
  }
  return out;
}

export function checkSecretContract(r: SynthResult): string[] {
  const m = r.model;
  const s = m.authentik.secret;
  const readers: Array<[key: string, reader: string]> = [
    [s.secretKey, AUTHENTIK_ENV.secretKey],
    [s.bootstrapPassword, AUTHENTIK_ENV.bootstrapPassword],
    ...managedSecretApps(m).map((a): [string, string] => [a.clientSecret.authentikKey, `the ${a.slug} client secret`]),
    ...m.agents.map((a): [string, string] => [a.tokenSecret.authentikKey, `the ${a.serviceAccount} app password`]),
  ];
  const first = new Map<string, string>();
  const out: string[] = leastPrivilege(r);
  // Each consumer reads its own copy of its client secret: not Authentik's Secret, not another's key.
  const refs = new Map<string, string>();
  // A public (PKCE) client has no secret, so nothing to check.
  for (const a of confidentialApps(m)) {
    const c = a.clientSecret.consumer;
    if (c.namespace === m.authentik.namespace && (c.name === s.name || c.name === m.authentik.postgresqlSecret.name)) {
      out.push(
        `the ${a.slug} client secret is read from Authentik's own Secret ${c.namespace}/${c.name}; give the consumer a Secret of its own`,
      );
    }
    const ref = `${c.namespace}/${c.name} key ${c.key}`;
    const other = refs.get(ref);
    if (other) out.push(`the ${a.slug} and ${other} client secrets are both read from Secret ${ref}; each client needs its own secret`);
    else refs.set(ref, a.slug);
  }
  for (const [key, reader] of readers) {
    const other = first.get(key);
    if (other)
      out.push(
        `Secret ${m.authentik.namespace}/${s.name} key "${key}" would hold both ${other} and ${reader}; rename authentik.secret's key`,
      );
    else first.set(key, reader);
  }
  return out;
}
