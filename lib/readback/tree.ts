// Walking a directory the tool reads (--out read back, --baseline, import's --from): every entry
// must be a directory or a regular file inside the tree. A FIFO, device or socket, a symbolic link
// that leaves the tree or loops, and a file over the size limit are refused with one line naming
// the path, before anything is read from them.
import fs from 'node:fs';
import path from 'node:path';
import { ReadError, notRegular, readBounded, readFailure } from './file';

/** A tree as path → text: read from a directory, or from git (lib/previous/git.ts). */
export type Tree = ReadonlyMap<string, string>;

const inside = (root: string, p: string) => p === root || p.startsWith(root + path.sep);

/** The real path of a symbolic link, or a ReadError naming it (dangling, a loop). */
function realOf(shown: string, abs: string): string {
  try {
    return fs.realpathSync(abs);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new ReadError(`${shown}: a symbolic link to a path that does not exist`);
    if (code === 'ELOOP') throw new ReadError(`${shown}: a symbolic link loop (a link that points back to itself)`);
    throw readFailure(e, shown);
  }
}

/** The real path of a symbolic link in the tree; one that leaves the tree is refused. */
function followLink(root: string, shown: string, abs: string): string {
  const real = realOf(shown, abs);
  if (!inside(root, real)) throw new ReadError(`${shown}: a symbolic link that leaves the tree (to ${real}); copy the file in instead`);
  return real;
}

function lstat(p: string): fs.Stats | undefined {
  try {
    return fs.lstatSync(p, { throwIfNoEntry: false });
  } catch (e) {
    throw readFailure(e, p);
  }
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
 * exist). A link to a directory is walked like a copy of it, unless it points to a directory that
 * contains it (a loop).
 */
export function listTree(dir: string): string[] {
  // lstat, not existsSync: a dangling link or a link loop is an error, never an empty tree.
  const lst = lstat(dir);
  if (!lst) return [];
  const root = realOf(dir, dir);
  if (!stat(root, dir).isDirectory()) throw new ReadError(`${dir}: is a file, not a directory`);
  const out: string[] = [];
  const visit = (real: string, prefix: string, ancestors: ReadonlyArray<string>): void => {
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
        if (ancestors.includes(abs)) throw new ReadError(`${shown}: a symbolic link loop (it points to a directory that contains it)`);
        visit(abs, `${rel}/`, [...ancestors, abs]);
      } else {
        const why = notRegular(st);
        if (why) throw new ReadError(`${shown}: ${why}; only directories and regular files belong here`);
        out.push(rel);
      }
    }
  };
  visit(root, '', [root]);
  return out;
}

/** Every file below `dir` as path → text, each bounded (lib/readback/file.ts). */
export function readTree(dir: string): Map<string, string> {
  return new Map(listTree(dir).map((p) => [p, readBounded(path.join(dir, p))]));
}
