// The whole pipeline in memory: config -> model -> every output file. The UnifiedAuth construct
// does the work inside a throwaway cdk8s app; checks (lib/checks) read the result, and
// lib/output/write.ts writes (or compares) it. Nothing here touches the disk.
import { App, Chart } from 'cdk8s';
import { UnifiedAuth } from '../constructs/unified-auth';
import type { ClusterConfig } from '../config/schema';
import type { AuthModel } from '../model/derive';
import type { Blueprint } from '../upstream/blueprint-types';
import type { LegacyBinding } from '../blueprints/build';
import type { OutputFile } from '../base/file-text';
import { manifestFile } from './write';
import type { PassThroughBlueprint, PassThroughSource } from '../blueprints/pass-through';

export interface SynthResult {
  model: AuthModel;
  blueprints: Blueprint[];
  /** The pass-through blueprints (authentik.passThrough), kept as written, in their own ConfigMaps. */
  passThrough: PassThroughBlueprint[];
  files: OutputFile[];
}

export interface RenderOptions {
  /** Group bindings an older output created, to delete (lib/previous/legacy-bindings.ts reads them). */
  legacyBindings?: ReadonlyArray<LegacyBinding>;
  /** Where the output sits in the repository (UnifiedAuth `gitPath`); default: the config's git.path. */
  gitPath?: string;
  /** The texts of the config's pass-through files (lib/pipeline/pass-through.ts reads them). */
  passThrough?: ReadonlyArray<PassThroughSource>;
}

export function render(config: ClusterConfig, options: RenderOptions = {}): SynthResult {
  const chart = new Chart(new App(), 'unified-auth', { disableResourceNameHashes: true });
  const auth = new UnifiedAuth(chart, 'auth', {
    config,
    legacyBindings: options.legacyBindings,
    gitPath: options.gitPath,
    passThrough: options.passThrough,
  });
  const files = auth.outputFiles();
  // Last, listing every other file: what proves the directory is synth's own (lib/output/write.ts).
  files.push(manifestFile(files));
  return { model: auth.model, blueprints: [...auth.blueprints], passThrough: [...auth.passThrough], files };
}
