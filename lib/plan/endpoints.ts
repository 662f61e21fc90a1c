// Where clients are sent and what is trusted, compared between two output trees: the phase of a
// domain move, the issuers the apiserver trusts, each provider's redirect URIs and launch URL,
// AUTHENTIK_HOST and the embedded outpost's host, the hosts the edge routes, and the issuer each
// kubeconfig asks. Read from the files only, like the rest of the plan, so a reviewer of a phase
// change (docs/changing-domains.md) sees exactly what it adds and removes.
import type { Tree } from '../readback/tree';
import { OUTPUT } from '../base/paths';
import { MODEL } from '../upstream/authentik-models';
import type { StoredBlueprint } from '../previous/hand-written';
import { AUTHENTIK_ENV, EMBEDDED_OUTPOST } from '../upstream/conventions';
import { apiserverOidc, asArray, isObj } from '../checks/rendered';
import { readMigrationRecord } from '../migration/record';
import { loadAllYaml } from '../readback/yaml';
import { valueAt, asString } from '../base/records';

export interface EndpointChanges {
  /** `overlap -> cutover`, when the phase of a domain move changes. */
  phase?: string;
  added: string[];
  removed: string[];
}

function loadAll(text: string | undefined): unknown[] {
  if (text === undefined) return [];
  try {
    return loadAllYaml(text);
  } catch {
    return [];
  }
}

/** Every fact as one line; two trees differ by the lines only one of them has. */
function facts(tree: Tree, blueprints: ReadonlyArray<StoredBlueprint>): Set<string> {
  const out = new Set<string>();
  for (const [file, text] of tree) {
    if (file.startsWith(`${OUTPUT.talosDir}/`)) {
      for (const d of loadAll(text))
        for (const a of apiserverOidc(d)) out.add(`apiserver (${file}) trusts issuer ${a.issuer} (audience ${a.clientId ?? '?'})`);
    }
    if (file.startsWith('traefik/') || file.startsWith(`${OUTPUT.edgeDir}/`)) {
      for (const m of text.matchAll(/Host\(`([^`]+)`\)/g)) out.add(`the edge routes ${m[1]}`);
      for (const d of loadAll(text)) for (const h of asArray(valueAt(d, 'spec', 'hostnames'))) out.add(`the edge routes ${String(h)}`);
    }
    if (file.startsWith('kubeconfig/')) {
      for (const m of text.matchAll(/--oidc-issuer-url=([^\s'"]+)/g)) out.add(`${file} asks issuer ${m[1]}`);
    }
  }
  for (const d of loadAll(tree.get(OUTPUT.authentikValues))) {
    for (const e of asArray(valueAt(d, 'global', 'env')))
      if (valueAt(e, 'name') === AUTHENTIK_ENV.host) out.add(`${AUTHENTIK_ENV.host} ${String(valueAt(e, 'value'))}`);
  }
  for (const bp of blueprints) {
    for (const e of bp.entries) {
      if (e.state === 'absent') continue;
      const attrs = isObj(e.attrs) ? e.attrs : {};
      // A live layer may find an object by another field (a provider by name): the field is then an attr.
      const field = (k: string): string => String(valueAt(e.identifiers, k) ?? attrs[k]);
      if (e.model === MODEL.oauth2Provider) {
        // Found by name with its live client_id kept (oidc.providerFoundBy): named by its name then.
        const clientId = valueAt(e.identifiers, 'client_id') ?? attrs.client_id;
        const id = typeof clientId === 'string' ? clientId : JSON.stringify(field('name'));
        for (const u of asArray(attrs.redirect_uris)) out.add(`provider ${id} accepts redirect URI ${String(valueAt(u, 'url'))}`);
      }
      if (e.model === MODEL.proxyProvider && asString(attrs.external_host)) {
        out.add(`proxy provider ${JSON.stringify(field('name'))} serves ${String(attrs.external_host)}`);
      }
      if (e.model === MODEL.application && asString(attrs.meta_launch_url)) {
        out.add(`application ${field('slug')} launches ${String(attrs.meta_launch_url)}`);
      }
      if (e.model === MODEL.outpost && valueAt(e.identifiers, 'managed') === EMBEDDED_OUTPOST) {
        out.add(`embedded outpost authentik_host ${String(valueAt(attrs, 'config', 'authentik_host'))}`);
        out.add(`embedded outpost authentik_host_browser ${String(valueAt(attrs, 'config', 'authentik_host_browser'))}`);
      }
    }
  }
  return out;
}

export function endpointChanges(
  before: Tree,
  after: Tree,
  bpsBefore: ReadonlyArray<StoredBlueprint>,
  bpsAfter: ReadonlyArray<StoredBlueprint>,
): EndpointChanges {
  const was = facts(before, bpsBefore);
  const now = facts(after, bpsAfter);
  const p0 = readMigrationRecord(before)?.phase ?? 'no migration';
  const p1 = readMigrationRecord(after)?.phase ?? 'no migration';
  return {
    ...(p0 !== p1 ? { phase: `${p0} -> ${p1}` } : {}),
    added: [...now].filter((x) => !was.has(x)).sort(),
    removed: [...was].filter((x) => !now.has(x)).sort(),
  };
}
