// What an output created, as the guards need it: the Authentik objects (orphan guard), the legacy
// group bindings still to tombstone (lib/previous/legacy-bindings.ts) and the domain move it served
// (lib/guards/migration.ts). Read from an output tree (a previous dist/, --baseline, HEAD:dist) or
// from the state file (file.ts); the state synth writes is this, taken from the output it wrote, so
// reading either gives the same render (docs/state.md).
import type { Tree } from '../readback/tree';
import { previouslyCreatedIn, type CreatedObject } from '../guards/orphans';
import { legacyBindingsIn } from '../previous/legacy-bindings';
import type { LegacyBinding } from '../blueprints/build';
import { recordedMigrationIn, type RecordedMigration } from '../guards/migration';
import type { StoredBlueprint } from '../previous/hand-written';

export interface Recorded extends RecordedMigration {
  /** Objects created, `file` as the messages name it (the output's path joined). */
  created: CreatedObject[];
  legacyBindings: LegacyBinding[];
}

export const NOTHING_RECORDED: Recorded = { created: [], legacyBindings: [] };

/** What an output tree created; `label` prefixes the files named in messages ('' for output-relative). */
export const recordedIn = (label: string, tree: Tree, blueprints: ReadonlyArray<StoredBlueprint>): Recorded => ({
  created: previouslyCreatedIn(label, blueprints),
  legacyBindings: legacyBindingsIn(blueprints),
  ...recordedMigrationIn(tree),
});
