// Grafana reads its client secret from the env var its grafana.ini names ($__env{X}); the env
// comes from envFromSecret, one variable per Secret key, so X must be exactly the key of the
// Secret envFromSecret names, and that Secret is the model's consumer secret (docs/field-traps.md#grafana-env-from-secret).
// Its endpoints must be Authentik's (docs/field-traps.md#grafana-endpoints-and-roles) and its client id the provider's.
import type { SynthResult } from '../output/render';
import { OUTPUT } from '../base/paths';
import { consumerApp, secretOf } from '../model/derive';
import { docAt, isObj, oauth2ByClientId, valuesOfKey } from './rendered';
import { valueAt } from '../base/records';

const first = (doc: unknown, key: string) => valuesOfKey(doc, key)[0]?.value;

export function checkGrafana(r: SynthResult): string[] {
  const m = r.model;
  const app = consumerApp(m, 'grafana');
  const doc = docAt(r, OUTPUT.grafanaValues);
  if (!app) return doc === undefined ? [] : [`${OUTPUT.grafanaValues} is rendered, but the model has no grafana OIDC app`];
  if (doc === undefined) return [`${OUTPUT.grafanaValues} is missing, but the model has the grafana OIDC app "${app.slug}"`];

  const out: string[] = [];
  // The chart reads grafana.ini and envFromSecret only at its own top level: under the subchart
  // key for a parent chart, at the root for the standalone chart. Anywhere else is ignored.
  const key = m.grafana.parentKey;
  const chartValues = key ? valueAt(doc, key) : doc;
  if (!isObj(chartValues) || !isObj(chartValues['grafana.ini']) || chartValues.envFromSecret === undefined) {
    out.push(
      `${OUTPUT.grafanaValues} has no grafana.ini and envFromSecret ${key ? `under "${key}", the key the parent chart passes to its Grafana subchart` : 'at its top level, where the grafana chart reads them'}`,
    );
  }
  const ref = secretOf(app).consumer;
  const envFrom = first(doc, 'envFromSecret');
  if (envFrom !== ref.name) {
    out.push(
      `${OUTPUT.grafanaValues} envFromSecret ${JSON.stringify(envFrom)} differs from the client-secret Secret "${ref.name}" (namespace ${ref.namespace}) the model says Grafana reads`,
    );
  }
  const secret = first(doc, 'client_secret');
  const env = typeof secret === 'string' ? /^\$__env\{([A-Za-z_][A-Za-z0-9_]*)\}$/.exec(secret)?.[1] : undefined;
  if (!env) {
    out.push(
      `${OUTPUT.grafanaValues} auth.generic_oauth client_secret ${JSON.stringify(secret)} is not a $__env{...} reference to Secret "${ref.name}" key "${ref.key}"`,
    );
  } else if (env !== ref.key) {
    out.push(
      `${OUTPUT.grafanaValues} client_secret reads $__env{${env}}, but envFromSecret "${String(envFrom)}" provides the variable "${ref.key}" (its key)`,
    );
  }

  const clientId = first(doc, 'client_id');
  if (clientId !== app.clientId)
    out.push(`${OUTPUT.grafanaValues} client_id ${JSON.stringify(clientId)} differs from the provider's client_id "${app.clientId}"`);
  else if (!oauth2ByClientId(r).has(app.clientId))
    out.push(`${OUTPUT.grafanaValues} client_id "${app.clientId}" has no OAuth2 provider in any blueprint`);

  const endpoints = {
    auth_url: m.authentik.endpoints.authorize,
    token_url: m.authentik.endpoints.token,
    api_url: m.authentik.endpoints.userinfo,
  };
  for (const [key, expected] of Object.entries(endpoints)) {
    const v = first(doc, key);
    if (v !== expected) out.push(`${OUTPUT.grafanaValues} ${key} ${JSON.stringify(v)} differs from Authentik's endpoint "${expected}"`);
  }
  return out;
}
