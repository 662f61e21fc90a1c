// Blueprints are proven against Authentik's contract at synth time: a broken blueprint sits at
// status: error on the cluster while ArgoCD shows Synced (docs/field-traps.md#failed-blueprints-look-synced).
import type { SynthResult } from '../output/render';
import { validateBlueprint } from '../upstream/api-schema';
import { AUTHENTIK_DEFAULTS, checkReferences } from '../upstream/references';

export function checkBlueprints(r: SynthResult): string[] {
  // Against the API schema of the configured Authentik minor: fields differ between minors.
  const minor = r.model.authentik.minor;
  return [...r.blueprints.flatMap((bp) => validateBlueprint(bp, minor)), ...checkReferences(r.blueprints, AUTHENTIK_DEFAULTS)];
}
