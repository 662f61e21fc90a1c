// Migration from group bindings to access policies (lib/blueprints/access.ts). Outputs before it
// bound each allowed group to the application directly. Under policy engine mode "all" such a
// leftover binding would demand membership of that group too and lock people out, so it is
// removed once, by a tombstone for the binding the previous output created: its group and its
// application, whatever its order (an operator may have re-ordered it by hand; docs/authentik-importer.md),
// and only when the group lookup resolves (a tombstone whose group
// lookup is empty would match bindings with no group at all: other people's policy and user
// bindings). The tombstones are carried forward from the previous output while the service is
// active, so a commit that Authentik never applied (a later one was synced first) cannot drop
// them. They sit in the application's own blueprint, after its access policy binding: a blueprint
// applies in one transaction, so there is no moment with neither.
import { readBlueprints } from './blueprints';
import type { StoredBlueprint } from './hand-written';
import { Find, KeyOf } from '../upstream/blueprint-tags';
import { MODEL } from '../upstream/authentik-models';
import type { LegacyBinding } from '../blueprints/build';

const groupOf = (v: unknown): string | undefined =>
  v instanceof Find && v.model === MODEL.group && v.query.length === 1 && v.query[0][0] === 'name' ? v.query[0][1] : undefined;

const slugOf = (v: unknown): string | undefined =>
  v instanceof Find && v.model === MODEL.application && v.query.length === 1 && v.query[0][0] === 'slug' ? v.query[0][1] : undefined;

/** Group bindings the output in `outDir` creates, plus the legacy tombstones it already carries. */
export const legacyBindings = (outDir: string): LegacyBinding[] => legacyBindingsIn(readBlueprints(outDir));

/** The same, from blueprints already read (synth reads the previous output once). */
export function legacyBindingsIn(blueprints: ReadonlyArray<StoredBlueprint>): LegacyBinding[] {
  const seen = new Map<string, LegacyBinding>();
  for (const bp of blueprints) {
    const slugById = new Map<string, string>();
    for (const e of bp.entries) {
      const ids = (e.identifiers ?? {}) as Record<string, unknown>;
      if (e.model === MODEL.application && typeof e.id === 'string' && typeof ids.slug === 'string') slugById.set(e.id, ids.slug);
      if (e.model !== MODEL.policyBinding) continue;
      const group = groupOf(ids.group);
      // A hand-written layer may find the application by slug instead (`npm run import` adopts those).
      const slug = ids.target instanceof KeyOf ? slugById.get(ids.target.id) : slugOf(ids.target);
      // Present: created by the old output. Absent with conditions: a legacy tombstone of ours
      // (the old output's own tombstones had no conditions and created nothing).
      const ours = e.state === 'absent' ? Array.isArray(e.conditions) : true;
      if (group === undefined || slug === undefined || !ours) continue;
      seen.set(`${slug}\u0000${group}`, { slug, group });
    }
  }
  return [...seen.values()].sort((a, b) =>
    a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : a.group < b.group ? -1 : a.group > b.group ? 1 : 0,
  );
}
