// dist/docs/migration.yaml: the phase and the moves this output serves, written only while a
// domain move is configured. Reviewers read what the phase means; synth and plan read it back from
// the previous output to keep the phases in order (lib/guards/migration.ts), as the orphan guard reads blueprints.
import { yamlFile, type OutputFile } from '../base/file-text';
import { OUTPUT } from '../base/paths';
import type { Tree } from '../readback/tree';
import { PHASES, type HostMove, type MigrationModel } from '../model/migration';
import type { MigrationPhase } from '../config/schema';
import { MIGRATION_PHASES } from '../config/schema';
import { loadYaml } from '../readback/yaml';
import type { EngineWords } from '../reviewer-docs/engine-words';

/** `words`: the GitOps engine's (reviewer-docs/engine-words.ts), for the consumers it configures. */
export function migrationRecordFile(m: MigrationModel | undefined, words: Pick<EngineWords, 'syncedConsumers'>): OutputFile[] {
  if (!m) return [];
  return [
    yamlFile(OUTPUT.migrationRecord, {
      phase: m.phase,
      means: PHASES[m.phase].summary(words.syncedConsumers),
      ...(m.authentik ? { authentik: { ...m.authentik } } : {}),
      hosts: m.hosts.map((h) => ({ ...h })),
      next:
        m.phase === 'done'
          ? 'once Authentik has applied this output (manual-operations.yaml, migration-done-*), remove the migration block'
          : `after every migration-${m.phase}-* step in manual-operations.yaml is verified, set migration.phase: ${MIGRATION_PHASES[PHASES[m.phase].order]}`,
    }),
  ];
}

const isMove = (v: unknown): v is HostMove =>
  !!v && typeof v === 'object' && typeof (v as HostMove).from === 'string' && typeof (v as HostMove).to === 'string';

/** The migration an output tree served, or undefined (none, or a record this version cannot read). */
export function readMigrationRecord(tree: Tree): MigrationModel | undefined {
  const text = tree.get(OUTPUT.migrationRecord);
  if (text === undefined) return undefined;
  let doc: unknown;
  try {
    doc = loadYaml(text);
  } catch {
    return undefined;
  }
  const d = doc as { phase?: unknown; authentik?: unknown; hosts?: unknown };
  if (!d || !(MIGRATION_PHASES as readonly unknown[]).includes(d.phase)) return undefined;
  return {
    phase: d.phase as MigrationPhase,
    ...(isMove(d.authentik) ? { authentik: { from: d.authentik.from, to: d.authentik.to } } : {}),
    hosts: Array.isArray(d.hosts) ? d.hosts.filter(isMove).map((h) => ({ from: h.from, to: h.to })) : [],
  };
}
