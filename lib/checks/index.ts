// Checks on the rendered output, run before anything is written. Each finding names both
// sides of a mismatch; any finding stops synth.
import type { SynthResult } from '../output/render';
import { checkBlueprints } from './blueprints';
import { checkAuthentikHost } from './authentik-host';
import { checkBlueprintConfigMaps } from './blueprint-configmaps';
import { checkGroupReferences } from './group-references';
import { checkIssuers } from './issuers';
import { checkCallbacks } from './callbacks';
import { checkGrafana } from './grafana';
import { checkForwardAuth } from './forward-auth';
import { checkEdge } from './edge';
import { checkMigration } from './migration';
import { checkPatterns } from './patterns';
import { checkRbac } from './rbac';
import { checkNoSecrets } from './secrets';
import { checkValueFiles } from './value-files';
import { checkFlux } from './flux';
import { checkSecretContract } from './secret-contract';
import { checkObjectSizes } from './object-size';
import { sanitizeLine } from '../base/messages';

export class CheckError extends Error {
  /** One line each, sanitised (lib/base/messages.ts): no userinfo, no line breaks, no huge values. */
  readonly findings: string[];
  constructor(findings: string[]) {
    const lines = findings.map(sanitizeLine);
    super(lines.join('\n'));
    this.findings = lines;
    this.name = 'CheckError';
  }
}

export type Check = (r: SynthResult) => string[];

export const CHECKS: ReadonlyArray<Check> = [
  checkBlueprints,
  checkBlueprintConfigMaps,
  checkValueFiles,
  checkFlux,
  checkAuthentikHost,
  checkGroupReferences,
  checkIssuers,
  checkCallbacks,
  checkGrafana,
  checkForwardAuth,
  checkEdge,
  checkMigration,
  checkPatterns,
  checkRbac,
  checkSecretContract,
  checkObjectSizes,
  checkNoSecrets,
];

/**
 * All findings of all checks (empty when the output is consistent). A check that throws on
 * output it did not expect is itself a finding: synth stops either way, with one line.
 */
export const findings = (r: SynthResult, checks: ReadonlyArray<Check> = CHECKS): string[] =>
  checks.flatMap((c) => {
    try {
      return c(r);
    } catch (e) {
      return [`${c.name || 'a check'} could not read the rendered output: ${(e as Error)?.message ?? String(e)}`];
    }
  });

export function runChecks(r: SynthResult, checks: ReadonlyArray<Check> = CHECKS): void {
  const f = findings(r, checks);
  if (f.length) throw new CheckError(f);
}
