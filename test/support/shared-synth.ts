// One synth per distinct config into a new directory, per suite: `synth` (test/support/lifecycle.ts)
// writes its config to a directory of its own each time, so what a first synth into an empty place
// writes depends on the config only. The first call runs it; later ones copy that output. A test
// owns its copy (the importer tests tamper with the mounted files); the kept output is never handed out.
import fs from 'node:fs';
import path from 'node:path';
import { synth, tmpDir } from './lifecycle';
import { inputKey } from './shared-render';

const kept = new Map<string, string>();

/**
 * `synth(input, out)` for an `out` that does not exist yet; returns its stderr lines. A synth that
 * fails is run again each time (nothing kept), and one over an existing output is always real.
 */
export function synthNew(input: unknown, out: string): string[] {
  const key = inputKey(input);
  if (key === undefined || fs.existsSync(out)) return synth(input, out);
  let dir = kept.get(key);
  if (!dir) {
    const first = path.join(tmpDir('shared-synth'), 'dist');
    const errors = synth(input, first);
    if (errors.length) return synth(input, out);
    kept.set(key, (dir = first));
  }
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.cpSync(dir, out, { recursive: true });
  return [];
}
