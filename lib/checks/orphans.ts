// Deleting a config entry does not delete what its blueprint created: Authentik keeps every object
// a blueprint stops mentioning (DESIGN.md §4.8). So the previous output (the directory about to be
// replaced, or --baseline) is read back, and an application, provider, group, service account or
// token it created that the new output neither creates nor tombstones is an orphan: synth refuses,
// and says to retire the entry first.
import path from 'node:path';
import yaml from 'js-yaml';
import type { SynthResult } from '../synth';
import { OUTPUT } from '../paths';
import { BLUEPRINT_SCHEMA } from '../blueprints/tags';
import { BLUEPRINT_LABEL } from '../blueprints/build';
import { asArray, get } from './util';
import { MODEL } from '../blueprints/models';
import { readTree, type Tree } from '../output';

/** The objects a blueprint identifies by a stable field: what an orphan is looked up by. */
const TRACKED: Readonly<Record<string, { field: string; what: string }>> = {
  [MODEL.application]: { field: 'slug', what: 'application' },
  [MODEL.oauth2Provider]: { field: 'client_id', what: 'OAuth2 provider with client_id' },
  [MODEL.proxyProvider]: { field: 'name', what: 'proxy provider' },
  [MODEL.group]: { field: 'name', what: 'group' },
  [MODEL.user]: { field: 'username', what: 'service account' },
  [MODEL.token]: { field: 'identifier', what: 'app-password token' },
};

export interface CreatedObject {
  model: string;
  /** The identifying field's value (application slug, provider name). */
  key: string;
  /** Where it was created, for the message. */
  file: string;
}

type Entry = { model?: unknown; state?: unknown; identifiers?: Record<string, unknown> };

const keyOf = (e: Entry): string | undefined => {
  const t = typeof e.model === 'string' ? TRACKED[e.model] : undefined;
  const v = t && e.identifiers?.[t.field];
  return typeof v === 'string' ? v : undefined;
};

/**
 * Applications and providers the blueprints in an earlier output create (tombstones excluded):
 * a directory on disk, or a tree read from git. A missing directory holds none.
 */
export function previouslyCreated(previous: Tree | string): CreatedObject[] {
  const tree = typeof previous === 'string' ? readTree(previous) : previous;
  const prefix = `${OUTPUT.extrasDir}/`;
  const names = [...tree.keys()].filter((n) => n.startsWith(prefix) && !n.slice(prefix.length).includes('/') && n.endsWith('.yaml')).sort();
  const out: CreatedObject[] = [];
  for (const name of names) {
    const file = typeof previous === 'string' ? path.join(previous, name) : name;
    try {
      for (const cm of yaml.loadAll(tree.get(name)!)) {
        const isBlueprint = Object.entries(BLUEPRINT_LABEL).every(([k, v]) => get(cm, 'metadata', 'labels', k) === v);
        if (get(cm, 'kind') !== 'ConfigMap' || !isBlueprint) continue;
        for (const text of Object.values(get(cm, 'data') ?? {})) {
          const doc = yaml.load(String(text), { schema: BLUEPRINT_SCHEMA });
          for (const e of asArray(get(doc, 'entries')) as Entry[]) {
            const key = keyOf(e);
            if (key !== undefined && e.state !== 'absent') out.push({ model: String(e.model), key, file });
          }
        }
      }
    } catch {
      // A hand-edited or foreign file is not ours to judge; the drift check reports it.
    }
  }
  return out;
}

/** Objects created before that the new blueprints neither create nor delete. */
export function checkOrphans(previous: ReadonlyArray<CreatedObject>, r: SynthResult): string[] {
  const mentioned = new Set(r.blueprints.flatMap((bp) => bp.entries.map((e) => `${e.model}\u0000${keyOf(e)}`)));
  return previous
    .filter((o) => !mentioned.has(`${o.model}\u0000${o.key}`))
    .map(
      (o) =>
        `${TRACKED[o.model].what} "${o.key}" (created by ${o.file}) is no longer generated and nothing deletes it, so it would stay in Authentik (with its access). If you removed its service or group, or changed the slug, client id or service account it is named after: put the old entry back with retired: true, sync, then remove or change it`,
    );
}
