// The minor gate (docs/upgrades.md#minor-gates): one entry that makes a worker of an older
// Authentik minor fail the whole file, so the file's hash is recorded only by a worker that knows
// every field in it. Its condition is false: no minor ever applies it, only the model lookup runs.
import { MINOR_GATES } from './authentik-versions';
import type { Blueprint, BlueprintEntry } from './blueprint-types';

const GATE_NAME = 'unified-auth minor gate';

export const minorGateEntry = (model: string): BlueprintEntry => ({
  model,
  state: 'absent',
  conditions: [false],
  identifiers: { name: GATE_NAME },
});

/** A gate entry as written by minorGateEntry (read back from any output). */
export function isMinorGate(e: { model?: unknown; conditions?: unknown }): boolean {
  return (
    MINOR_GATES.some((g) => g.model === e.model) && Array.isArray(e.conditions) && e.conditions.length === 1 && e.conditions[0] === false
  );
}

/** Whether anything in the file depends on the minor it was written for (today: `grant_types`). */
export const dependsOnMinor = (bp: Blueprint): boolean => bp.entries.some((e) => e.attrs !== undefined && 'grant_types' in e.attrs);

/** The file with the gate first, when it has minor-dependent content and the minor has a gate. */
export const withMinorGate = (bp: Blueprint, gateModel: string | undefined): Blueprint =>
  gateModel && dependsOnMinor(bp) ? { ...bp, entries: [minorGateEntry(gateModel), ...bp.entries] } : bp;
