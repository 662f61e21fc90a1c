// Reading the pass-through blueprint files a config lists (authentik.passThrough, docs/pass-through.md):
// each path is taken relative to the repository that holds the config (its directory outside a
// repository), must stay inside it after symlinks are followed, and is read bounded. Every
// refusal is one line naming the config path and the file; nothing is rendered before all are read.
import fs from 'node:fs';
import path from 'node:path';
import type { ClusterConfig } from '../config/schema';
import { repositoryRoot } from './git-path';
import { PassThroughError } from '../base/errors';
import { ReadError, readBounded } from '../readback/file';
import { stagedFile } from '../previous/git';
import type { PassThroughSource } from '../blueprints/pass-through';

/** The directory the config's pass-through paths are relative to. */
export function passThroughBase(configFile: string): string {
  const dir = path.dirname(path.resolve(configFile));
  return repositoryRoot(dir) ?? dir;
}

const inside = (root: string, p: string) => p === root || p.startsWith(`${root}${path.sep}`);

/** The real path of `file` under `base`, refused when it leaves `base` (a symlink out of the repository). */
function resolveInside(base: string, file: string, at: string): string {
  const abs = path.join(base, ...file.split('/'));
  let real: string;
  try {
    real = fs.realpathSync(abs);
  } catch {
    throw new PassThroughError(`${at}: ${file}: no such file in ${base}`);
  }
  if (!inside(fs.realpathSync(base), real))
    throw new PassThroughError(`${at}: ${file}: leads outside ${base} (a symlink); keep the blueprint inside the repository`);
  return real;
}

/** Each listed file's text, in config order (`staged`: as the git index holds it, for the pre-commit check). */
export function readPassThrough(config: ClusterConfig, configFile: string, opts: { staged?: boolean } = {}): PassThroughSource[] {
  const base = passThroughBase(configFile);
  const seen = new Map<string, number>();
  return config.authentik.passThrough.map(({ file }, i) => {
    const at = `authentik.passThrough[${i}].file`;
    if (seen.has(file))
      throw new PassThroughError(`${at}: ${file} is listed already (authentik.passThrough[${seen.get(file)}]); list each file once`);
    seen.set(file, i);
    const real = resolveInside(base, file, at);
    try {
      return { file, text: opts.staged ? stagedFile(path.relative(process.cwd(), real)) : readBounded(real) };
    } catch (e) {
      if (e instanceof ReadError) throw new PassThroughError(`${at}: ${e.message}`);
      throw e;
    }
  });
}
