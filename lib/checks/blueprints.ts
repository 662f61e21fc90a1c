// Blueprints are proven against Authentik's contract at synth time: a broken blueprint sits at
// status: error on the cluster while ArgoCD shows Synced (docs/field-traps.md#failed-blueprints-look-synced).
import type { SynthResult } from '../output/render';
import { validateBlueprint } from '../upstream/api-schema';
import { AUTHENTIK_DEFAULTS, checkReferences } from '../upstream/references';
import { validatePassThrough } from '../blueprints/pass-through';

export function checkBlueprints(r: SynthResult): string[] {
  // Against the API schema of the configured Authentik minor: fields differ between minors.
  const minor = r.model.authentik.minor;
  // Pass-through files are the user's own: every model and field against the same minor, their
  // references left to Authentik (they may find objects made by hand or by Authentik itself).
  return [
    ...r.blueprints.flatMap((bp) => validateBlueprint(bp, minor)),
    ...checkReferences(r.blueprints, AUTHENTIK_DEFAULTS),
    ...r.passThrough.flatMap((bp) => validatePassThrough(bp, minor)),
  ];
}
