// Operating-system errors are the user's to fix (permissions, disk, read-only or busy mounts), so
// each is one line naming the path, what happened and what to do. "internal error" is for bugs.

interface Errno {
  /** What happened, in words. */
  readonly text: string;
  /** What to do about it, given what was being written (e.g. `dist/`) or read. */
  readonly fix?: (what: string) => string;
}

const ERRNO: Readonly<Record<string, Errno>> = {
  EACCES: { text: 'permission denied', fix: () => 'give this user access to it, or choose another path' },
  EPERM: { text: 'operation not permitted', fix: () => 'give this user access to it, or choose another path' },
  ENOSPC: { text: 'no space left on device', fix: () => 'free some space on that file system and run again' },
  EDQUOT: { text: 'disk quota exceeded', fix: () => 'free some space or raise the quota and run again' },
  EROFS: { text: 'read-only file system', fix: () => 'choose a path on a writable file system (or remount it read-write)' },
  ENOENT: { text: 'no such file or directory', fix: () => 'check the path; its parent must exist or be creatable' },
  ENOTDIR: { text: 'a path component is not a directory', fix: () => 'a file stands where the path needs a directory; check the path' },
  EISDIR: { text: 'is a directory' },
  EEXIST: { text: 'already exists' },
  ENOTEMPTY: { text: 'directory not empty' },
  ENAMETOOLONG: { text: 'file name too long', fix: () => 'choose a shorter path' },
  ELOOP: {
    text: 'too many levels of symbolic links (a link loop)',
    fix: () => 'a symbolic link in the path points back to itself; fix or remove it',
  },
  EXDEV: { text: 'cross-device rename' },
  EBUSY: {
    text: 'resource busy',
    fix: (what) =>
      `it is a mount point or in use; synth swaps its output in by renaming the directory, which a mount point refuses: give a directory inside it (for example --out ${what.replace(/\/+$/, '')}/dist)`,
  },
  EMFILE: { text: 'too many open files', fix: () => 'raise the open-file limit (ulimit -n) and run again' },
  ENFILE: { text: 'too many open files in system', fix: () => 'close other programs or raise the limit and run again' },
  EIO: { text: 'input/output error', fix: () => 'the disk or file system reported an error; check it' },
};

/** The words for an OS error code (undefined: not one the table knows). */
export const errnoText = (code: string | undefined): string | undefined => (code ? ERRNO[code]?.text : undefined);

/**
 * The one-line message for an OS error, or undefined when it is not one (then it is a bug).
 * `what` names what was being written (then the line says "cannot write"), else it was read.
 */
export function osErrorMessage(e: unknown, what?: string): string | undefined {
  const err = e as NodeJS.ErrnoException | undefined;
  const known = err && typeof err.code === 'string' ? ERRNO[err.code] : undefined;
  if (!known) return undefined;
  const fix = known.fix ? `; ${known.fix(what ?? err!.path ?? '')}` : '';
  if (what) return `cannot write ${what}: ${known.text}${err!.path ? ` (${err!.path})` : ''}${fix}`;
  return `cannot access${err!.path ? ` ${err!.path}` : ''}: ${known.text}${fix}`;
}
