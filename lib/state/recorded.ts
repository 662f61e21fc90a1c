// What an output created, as the guards need it: the Authentik objects (orphan guard), the
// providers' and applications' identities (identity guard, lib/guards/authentik-changes.ts), the legacy
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
import { liveIdentities, type LiveIdentity } from '../guards/authentik-changes';
import { recordedEngineIn, type RecordedEngine } from '../guards/engine-switch';
import { recordedSecretsIn, type RecordedSecrets } from './secrets';

export interface Recorded extends RecordedMigration {
  /** Objects created, `file` as the messages name it (the output's path joined). */
  created: CreatedObject[];
  /** The live providers and applications; undefined when not recorded (a state an older version wrote). */
  identities?: LiveIdentity[];
  legacyBindings: LegacyBinding[];
  /** Which GitOps engine synced it, and whether its objects were released for a switch (migration/engine.ts). */
  gitops?: RecordedEngine;
  /** secrets.mode external-secrets: the generations (./secrets.ts); absent in sops mode. */
  secrets?: RecordedSecrets;
}

export const NOTHING_RECORDED: Recorded = { created: [], identities: [], legacyBindings: [] };

/** What an output tree created; `label` prefixes the files named in messages ('' for output-relative). */
export function recordedIn(label: string, tree: Tree, blueprints: ReadonlyArray<StoredBlueprint>): Recorded {
  const gitops = recordedEngineIn(tree);
  const secrets = recordedSecretsIn(tree);
  return {
    created: previouslyCreatedIn(label, blueprints),
    identities: liveIdentities(blueprints),
    legacyBindings: legacyBindingsIn(blueprints),
    ...recordedMigrationIn(tree),
    ...(gitops ? { gitops } : {}),
    ...(secrets ? { secrets } : {}),
  };
}
