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
import { recordedSecretsIn, type RecordedSecrets } from './secrets';

export interface Recorded extends RecordedMigration {
  /** Objects created, `file` as the messages name it (the output's path joined). */
  created: CreatedObject[];
  legacyBindings: LegacyBinding[];
  /** secrets.mode external-secrets: the generations (./secrets.ts); absent in sops mode. */
  secrets?: RecordedSecrets;
}

export const NOTHING_RECORDED: Recorded = { created: [], legacyBindings: [] };

/** What an output tree created; `label` prefixes the files named in messages ('' for output-relative). */
export const recordedIn = (label: string, tree: Tree, blueprints: ReadonlyArray<StoredBlueprint>): Recorded => ({
  created: previouslyCreatedIn(label, blueprints),
  legacyBindings: legacyBindingsIn(blueprints),
  ...recordedMigrationIn(tree),
  ...withSecrets(recordedSecretsIn(tree)),
});

const withSecrets = (secrets: RecordedSecrets | undefined) => (secrets ? { secrets } : {});
