// The one render-and-guard step of synth, check, plan and import: render the config against the
// baseline (group bindings it created are migrated), run every check, then the guards that compare
// with the baseline (orphans, migration phases, identities Authentik refuses). A guard one command
// runs, every command runs.
import type { ClusterConfig } from '../config/schema';
import { render, type SynthResult } from '../synth';
import { CheckError, runChecks } from '../checks';
import { checkOrphans } from '../checks/orphans';
import { checkMigrationPhase, migrationNow } from '../migration/guard';
import { identityConflicts } from '../plan/authentik';
import type { Baseline } from './baseline';
import type { PassThroughSource } from '../blueprints/pass-through';

export interface GuardInput {
  readonly config: ClusterConfig;
  /** The previous output or the recorded state, read completely (baseline.ts). */
  readonly baseline: Baseline;
  /** The texts of the config's pass-through files (loadConfigWithInput reads them). */
  readonly passThrough?: ReadonlyArray<PassThroughSource>;
}

export interface Guarded {
  result: SynthResult;
  /** Findings of the checks on the rendered files. */
  checks: string[];
  /** Objects the baseline created that nothing creates or deletes any more. */
  orphans: string[];
  /** Domain-move phases skipped relative to the baseline. */
  phases: string[];
  /**
   * Objects the config creates under an identity Authentik refuses next to the baseline's live
   * ones (a provider name another provider holds, a provider another application keeps): the
   * blueprint would fail as a whole (docs/authentik-importer.md, identity mismatches).
   */
  identities: string[];
}

/**
 * Identity conflicts with the baseline's blueprints: a live layer being adopted (import's --from, a
 * --baseline directory, HEAD's output). A recorded state (docs/state.md) keeps no blueprints, so
 * there the guard has nothing to compare: the identities it protects come from adoption, which
 * import guards before it writes the state.
 */
function identityGuard(baseline: Baseline, result: SynthResult): string[] {
  if (!baseline.blueprints.length) return [];
  // The rendered entries, as the orphan guard reads them: the same tag objects the YAML parses to.
  const after = [...result.blueprints, ...result.passThrough].map((b) => ({
    key: b.fileName,
    entries: b.entries as unknown as Array<Record<string, unknown>>,
  }));
  return identityConflicts(baseline.blueprints, after);
}

/** Render and run every check and guard, collecting the findings (import reports them all). */
export function renderAndCheck({ config, baseline, passThrough }: GuardInput): Guarded {
  const result = render(config, { legacyBindings: baseline.recorded.legacyBindings, passThrough });
  let checks: string[] = [];
  try {
    runChecks(result);
  } catch (e) {
    if (!(e instanceof CheckError)) throw e;
    checks = e.findings;
  }
  return {
    result,
    checks,
    orphans: checkOrphans(baseline.recorded.created, result),
    phases: checkMigrationPhase(baseline.recorded, migrationNow(config), baseline.label),
    identities: identityGuard(baseline, result),
  };
}

/** Render and guard; throws CheckError (the checks' findings first, then the guards') when anything fails. */
export function renderAndGuard(input: GuardInput): SynthResult {
  const g = renderAndCheck(input);
  if (g.checks.length) throw new CheckError(g.checks);
  const guards = [...g.orphans, ...g.phases, ...g.identities];
  if (guards.length) throw new CheckError(guards);
  return g.result;
}
