// What an output created, as the guards need it: the Authentik objects (orphan guard), the legacy
// group bindings still to tombstone (lib/blueprints/legacy.ts) and the domain move it served
// (lib/migration/guard.ts). Read from an output tree (a previous dist/, --baseline, HEAD:dist) or
// from the state file (file.ts); the state synth writes is this, taken from the output it wrote, so
// reading either gives the same render (docs/state.md).
import type { Tree } from '../output';
import { previouslyCreatedIn, type CreatedObject } from '../checks/orphans';
import { legacyBindingsIn, type LegacyBinding } from '../blueprints/legacy';
import { recordedMigrationIn, type RecordedMigration } from '../migration/guard';
import type { StoredBlueprint } from '../blueprints/read';
import { recordedEngineIn, type RecordedEngine } from '../migration/engine';

export interface Recorded extends RecordedMigration {
  /** Objects created, `file` as the messages name it (the output's path joined). */
  created: CreatedObject[];
  legacyBindings: LegacyBinding[];
  /** Which GitOps engine synced it, and whether its objects were released for a switch (migration/engine.ts). */
  gitops?: RecordedEngine;
}

export const NOTHING_RECORDED: Recorded = { created: [], legacyBindings: [] };

/** What an output tree created; `label` prefixes the files named in messages ('' for output-relative). */
export function recordedIn(label: string, tree: Tree, blueprints: ReadonlyArray<StoredBlueprint>): Recorded {
  const gitops = recordedEngineIn(tree);
  return {
    created: previouslyCreatedIn(label, blueprints),
    legacyBindings: legacyBindingsIn(blueprints),
    ...recordedMigrationIn(tree),
    ...(gitops ? { gitops } : {}),
  };
}
