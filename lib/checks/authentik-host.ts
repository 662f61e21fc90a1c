// AUTHENTIK_HOST (the pods' external URL) and the embedded outpost's stored authentik_host are
// separate settings that must both be the external https URL: otherwise forward-auth redirects
// go to http://0.0.0.0:9000 (docs/field-traps.md#embedded-outpost, #authentik-host).
import type { SynthResult } from '../output/render';
import { MODEL } from '../upstream/authentik-models';
import { OUTPUT } from '../base/paths';
import { AUTHENTIK_ENV, EMBEDDED_OUTPOST } from '../upstream/conventions';
import { asArray, docAt, isObj, presentEntries, where } from './rendered';
import { valueAt } from '../base/records';

export function checkAuthentikHost(r: SynthResult): string[] {
  const out: string[] = [];
  const url = r.model.authentik.url;
  const values = docAt(r, OUTPUT.authentikValues);
  if (values === undefined)
    return [`${OUTPUT.authentikValues} is not rendered; the Authentik chart would run without ${AUTHENTIK_ENV.host}`];

  const hostVar = AUTHENTIK_ENV.host;
  const envs = asArray(valueAt(values, 'global', 'env'))
    .filter(isObj)
    .filter((e) => e.name === hostVar);
  const host = envs[0]?.value;
  if (envs.length === 0) {
    out.push(
      `${OUTPUT.authentikValues} global.env has no ${hostVar}; forward-auth redirects would go to http://0.0.0.0:9000 instead of ${url}`,
    );
  } else if (envs.length > 1) {
    out.push(`${OUTPUT.authentikValues} global.env sets ${hostVar} ${envs.length} times`);
  } else if (typeof host !== 'string' || !host.startsWith('https://')) {
    out.push(`${OUTPUT.authentikValues} global.env ${hostVar} is ${JSON.stringify(host)}, not an https:// URL (model: ${url})`);
  } else if (host !== url) {
    out.push(`${OUTPUT.authentikValues} global.env ${hostVar} "${host}" differs from the model's Authentik URL "${url}"`);
  }

  const outposts = presentEntries(r, MODEL.outpost).filter(({ e }) => e.identifiers.managed === EMBEDDED_OUTPOST);
  if (r.model.proxyApps.length && outposts.length === 0) {
    out.push(`no blueprint configures the embedded outpost (${EMBEDDED_OUTPOST}), so its authentik_host is never set to ${url}`);
  }
  for (const { bp, e } of outposts) {
    for (const field of ['authentik_host', 'authentik_host_browser']) {
      const v = valueAt(e.attrs, 'config', field);
      const expected = typeof host === 'string' ? host : url;
      if (v !== expected) {
        out.push(
          `${where(bp)}: embedded outpost config.${field} ${JSON.stringify(v)} differs from ${hostVar} "${expected}" in ${OUTPUT.authentikValues}`,
        );
      }
    }
  }
  return out;
}
