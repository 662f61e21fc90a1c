// How Authentik's worker names and fingerprints a blueprint file the chart mounts: what verify
// (lib/verify/) and the in-cluster PostSync check (lib/constructs/verify-hook.ts) expect of each instance.
import { createHash } from 'node:crypto';
import type { Blueprint } from '../upstream/blueprint-types';
import { renderBlueprint } from './build';

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

/** One expected BlueprintInstance: the file the Python check reads (lib/verify/python/blueprint_status.py --expected). */
export interface ExpectedInstance {
  /** The BlueprintInstance's `path`: relative to the worker's blueprints directory. */
  path: string;
  /** The blueprint's metadata.name (what the UI lists). */
  name: string;
  /** sha512 hex of the file as the worker reads it (see blueprintHash). */
  hash: string;
}

/** The instances the rendered blueprints become, in their order. */
export const expectedInstances = (blueprints: ReadonlyArray<Blueprint>): ExpectedInstance[] =>
  blueprints.map((bp) => ({
    path: instancePath(bp.configMapName, bp.fileName),
    name: bp.name,
    hash: blueprintHash(renderBlueprint(bp)),
  }));
