// What the live Authentik must show for an output: read from the output the pipeline renders in
// memory (never from dist/ on disk), so verify compares the cluster with what git says.
import { createHash } from 'node:crypto';
import type { SynthResult } from '../output/render';
import { blueprintsInTree } from '../previous/blueprints';
import { expectedObjects, type ExpectedObject } from './objects';
import { expectedOutpostProviders } from './outpost';

export interface ExpectedBlueprint {
  /** The BlueprintInstance's `path`: relative to the worker's blueprints directory. */
  path: string;
  /** The blueprint's metadata.name (what the UI lists). */
  name: string;
  /** sha512 hex of the file as the worker reads it (see blueprintHash). */
  hash: string;
}

export interface ExpectedIssuer {
  /** Who trusts it: `oidc <slug>`, `kubectl <slug>`, `agent <slug>`. */
  who: string;
  issuer: string;
}

export interface Expected {
  minor: string;
  /** The URL Authentik is given to clients (--from-json's default --url). */
  url: string;
  blueprints: ExpectedBlueprint[];
  issuers: ExpectedIssuer[];
  /** Providers and applications to find (or, tombstones, not to find) by their identifiers. */
  objects: ExpectedObject[];
  /** The proxy provider names the embedded outpost lists; undefined when the config leaves the list alone. */
  outpostProviders?: string[];
}

/**
 * The hash Authentik records as last_applied_hash: apply_blueprint (authentik/blueprints/v1/tasks.py)
 * reads the file as UTF-8 text (BlueprintInstance.retrieve_file) and stores the sha512 hex of its
 * encoded text; blueprints_find hashes the same file's bytes to decide whether to re-apply.
 */
export const blueprintHash = (text: string): string => createHash('sha512').update(text, 'utf8').digest('hex');

/**
 * A ConfigMap's file as the worker's BlueprintInstance names it: the chart mounts each ConfigMap at
 * /blueprints/mounted/cm-<name>/ (blueprintMountPath) and blueprints_find records paths relative to /blueprints.
 */
export const instancePath = (configMap: string, key: string): string => `mounted/cm-${configMap}/${key}`;

/** Everything verify expects of the output synth renders for this config (the ConfigMaps' stored bytes). */
export function expectedOf(result: SynthResult): Expected {
  const m = result.model;
  const stored = blueprintsInTree(new Map(result.files.map((f) => [f.path, f.text])));
  const issuers: ExpectedIssuer[] = [
    ...m.oidcApps.map((a) => ({ who: `oidc ${a.slug}`, issuer: a.issuer })),
    ...m.kubectlApps.map((a) => ({ who: `kubectl ${a.slug}`, issuer: a.issuer })),
    ...m.agents.map((a) => ({ who: `agent ${a.slug}`, issuer: a.issuer })),
  ];
  return {
    minor: m.authentik.minor,
    url: m.authentik.url,
    blueprints: stored.map((bp) => ({
      path: instancePath(bp.configMap, bp.key),
      name: bp.name,
      hash: blueprintHash(bp.text),
    })),
    issuers,
    objects: expectedObjects(stored),
    outpostProviders: expectedOutpostProviders(stored),
  };
}
