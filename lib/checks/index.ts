// Checks on the rendered output, run before anything is written. Each finding names both
// sides of a mismatch; any finding stops synth.
import type { SynthResult } from '../synth';
import { checkBlueprints } from './blueprints';

export class CheckError extends Error {
  constructor(readonly findings: string[]) {
    super(findings.join('\n'));
    this.name = 'CheckError';
  }
}

export type Check = (r: SynthResult) => string[];

export const CHECKS: ReadonlyArray<Check> = [checkBlueprints];

/** All findings of all checks (empty when the output is consistent). */
export const findings = (r: SynthResult, checks: ReadonlyArray<Check> = CHECKS): string[] => checks.flatMap((c) => c(r));

export function runChecks(r: SynthResult, checks: ReadonlyArray<Check> = CHECKS): void {
  const f = findings(r, checks);
  if (f.length) throw new CheckError(f);
}
