// The one render-and-guard step of synth, check, plan and import: render the config against the
// baseline (group bindings it created are migrated), run every check, then the guards that compare
// with the baseline (orphans, migration phases, identities Authentik refuses). A guard one command
// runs, every command runs.
import type { ClusterConfig } from '../config/schema';
import { render, type SynthResult } from '../output/render';
import { CheckError, runChecks } from '../checks';
import { checkOrphans } from '../guards/orphans';
import { checkMigrationPhase, migrationNow } from '../guards/migration';
import { identityConflictsWith } from '../guards/authentik-changes';
import { checkEngineSwitch } from '../guards/engine-switch';
import type { Baseline } from './baseline';
import { checkSecretsMode } from '../state/secrets';
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
  /** Domain-move phases skipped relative to the baseline, and an engine switch over unreleased objects (migration/engine.ts). */
  phases: string[];
  /** A generation going back, or a secrets.mode switch that would drop a Secret (lib/state/secrets.ts). */
  secrets: string[];
  /**
   * Objects the config creates under an identity Authentik refuses next to the baseline's live
   * ones (a provider name another provider holds, a provider another application keeps): the
   * blueprint would fail as a whole (docs/authentik-importer.md, identity mismatches).
   */
  identities: string[];
}

/**
 * Identity conflicts with the live providers and applications the baseline records: a live layer
 * being adopted (import's --from, a --baseline directory, HEAD's output) or the recorded state
 * (docs/state.md). A state an older version wrote records none: it is compared with nothing this
 * once, which synth and check say (main.ts), and synth records them.
 */
function identityGuard(baseline: Baseline, result: SynthResult): string[] {
  const live = baseline.recorded.identities ?? [];
  if (!live.length) return [];
  // The rendered entries, as the orphan guard reads them: the same tag objects the YAML parses to.
  const after = [...result.blueprints, ...result.passThrough].map((b) => ({
    key: b.fileName,
    entries: b.entries as unknown as Array<Record<string, unknown>>,
  }));
  return identityConflictsWith(live, after);
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
    phases: [
      ...checkMigrationPhase(baseline.recorded, migrationNow(config), baseline.label),
      ...checkEngineSwitch(baseline.recorded.gitops, config, baseline.label),
    ],
    secrets: checkSecretsMode(baseline.recorded.secrets, result.model, baseline.recorded.created.length > 0),
    identities: identityGuard(baseline, result),
  };
}

/** Render and guard; throws CheckError (the checks' findings first, then the guards') when anything fails. */
export function renderAndGuard(input: GuardInput): SynthResult {
  const g = renderAndCheck(input);
  if (g.checks.length) throw new CheckError(g.checks);
  const guards = [...g.orphans, ...g.phases, ...g.secrets, ...g.identities];
  if (guards.length) throw new CheckError(guards);
  return g.result;
}
