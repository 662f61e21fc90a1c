// Walking a directory the tool reads (--out read back, --baseline, import's --from): every entry
// must be a directory or a regular file inside the tree. A FIFO, device or socket, a symbolic link
// that leaves the tree or loops, and a file over the size limit are refused with one line naming
// the path, before anything is read from them.
import fs from 'node:fs';
import path from 'node:path';
import { ReadError, notRegular, readBounded, readFailure } from './file';

/** A tree as path → text: read from a directory, or from git (lib/git.ts). */
export type Tree = ReadonlyMap<string, string>;

const inside = (root: string, p: string) => p === root || p.startsWith(root + path.sep);

/** The real path of a symbolic link in the tree, or a ReadError (dangling, loop, leaves the tree). */
function followLink(root: string, shown: string, abs: string): string {
  let real: string;
  try {
    real = fs.realpathSync(abs);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new ReadError(`${shown}: a symbolic link to a path that does not exist`);
    if (code === 'ELOOP') throw new ReadError(`${shown}: a symbolic link loop (a link that points back to itself)`);
    throw readFailure(e, shown);
  }
  if (!inside(root, real))
    throw new ReadError(
      `${shown}: a symbolic link that leaves ${path.dirname(shown) === '.' ? 'the directory' : 'the tree'} (to ${real}); copy the file in instead`,
    );
  return real;
}

function stat(p: string, shown: string): fs.Stats {
  try {
    return fs.statSync(p);
  } catch (e) {
    throw readFailure(e, shown);
  }
}

/**
 * Every file below `dir`, as '/'-separated paths relative to it, sorted (none if `dir` does not
 * exist). Directories reached twice through links are walked once.
 */
export function listTree(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  let root: string;
  try {
    root = fs.realpathSync(dir);
  } catch (e) {
    throw readFailure(e, dir);
  }
  if (!stat(root, dir).isDirectory()) throw new ReadError(`${dir}: is a file, not a directory`);
  const out: string[] = [];
  const seen = new Set<string>([root]);
  const visit = (real: string, prefix: string): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(real, { withFileTypes: true });
    } catch (e) {
      throw readFailure(e, path.join(dir, prefix));
    }
    for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const rel = `${prefix}${e.name}`;
      const shown = path.join(dir, rel);
      const abs = e.isSymbolicLink() ? followLink(root, shown, path.join(real, e.name)) : path.join(real, e.name);
      const st = e.isSymbolicLink() ? stat(abs, shown) : e;
      if (st.isDirectory()) {
        if (seen.has(abs)) continue;
        seen.add(abs);
        visit(abs, `${rel}/`);
      } else {
        const why = notRegular(st);
        if (why) throw new ReadError(`${shown}: ${why}; only directories and regular files belong here`);
        out.push(rel);
      }
    }
  };
  visit(root, '');
  return out;
}

/** Every file below `dir` as path → text, each bounded (lib/readback/file.ts). */
export function readTree(dir: string): Map<string, string> {
  return new Map(listTree(dir).map((p) => [p, readBounded(path.join(dir, p))]));
}
