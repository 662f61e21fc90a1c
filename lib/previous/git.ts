// What is staged for the next commit, for `npm run check -- --staged` (the pre-commit hook): the
// config and the output as git will commit them, not as the working tree has them.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import type { Tree } from '../readback/tree';
import { MAX_FILE_BYTES } from '../readback/file';

export class GitError extends Error {}

function git(args: string[], input?: string): Buffer {
  try {
    return execFileSync('git', args, { input, stdio: ['pipe', 'pipe', 'pipe'], maxBuffer: 1 << 30 });
  } catch (e) {
    const err = e as { code?: string; stderr?: Buffer };
    if (err.code === 'ENOENT') throw new GitError('git is not installed (--staged reads the git index)');
    const first = String(err.stderr ?? '')
      .trim()
      .split('\n')[0];
    throw new GitError(`git ${args[0]} failed: ${first || 'unknown error'}`);
  }
}

/** `dir` as git prints paths (relative to the working directory, '/'-separated). */
const gitPath = (p: string) => path.relative(process.cwd(), path.resolve(p)).split(path.sep).join('/');

/** Whether `file` is in the git index. */
export const isStaged = (file: string): boolean => git(['ls-files', '--stage', '-z', '--', gitPath(file)]).length > 0;

/** The staged content of one file. */
export function stagedFile(file: string): string {
  const rel = gitPath(file);
  if (!isStaged(file)) throw new GitError(`${file} is not in the git index (git add it first)`);
  assertSize(
    file,
    Number(
      git(['cat-file', '-s', `:./${rel}`])
        .toString('utf8')
        .trim(),
    ),
  );
  return git(['show', `:./${rel}`]).toString('utf8');
}

/** The same bound as a file on disk (lib/readback/file.ts): refused before it is read. */
function assertSize(file: string, size: number): void {
  if (size > MAX_FILE_BYTES)
    throw new GitError(`${file} (staged) is ${size} bytes, over the ${MAX_FILE_BYTES}-byte limit for an input file`);
}

/** Blob contents by object id, in one `git cat-file --batch` call. */
function blobs(ids: string[]): string[] {
  if (!ids.length) return [];
  const out = git(['cat-file', '--batch'], `${ids.join('\n')}\n`);
  const texts: string[] = [];
  let at = 0;
  for (let i = 0; i < ids.length; i++) {
    const nl = out.indexOf(10, at);
    const size = Number(out.subarray(at, nl).toString('utf8').split(' ')[2]);
    texts.push(out.subarray(nl + 1, nl + 1 + size).toString('utf8'));
    at = nl + 1 + size + 1;
  }
  return texts;
}

/** Parse `<meta>\t<path>\0` records into (id, path relative to dir). */
function entries(listing: string, dir: string, idField: number): Array<{ id: string; rel: string }> {
  const prefix = `${gitPath(dir)}/`;
  return listing
    .split('\0')
    .filter(Boolean)
    .map((rec) => {
      const [meta, p] = rec.split('\t');
      return { id: meta.split(' ')[idField], rel: p.startsWith(prefix) ? p.slice(prefix.length) : p };
    });
}

const toTree = (list: Array<{ id: string; rel: string }>): Tree => {
  if (list.length) {
    const sizes = git(['cat-file', '--batch-check=%(objectsize)'], `${list.map((e) => e.id).join('\n')}\n`)
      .toString('utf8')
      .split('\n');
    list.forEach((e, i) => assertSize(e.rel, Number(sizes[i])));
  }
  const texts = blobs(list.map((e) => e.id));
  return new Map(list.map((e, i) => [e.rel, texts[i]]));
};

/** The output directory as staged. */
export const stagedTree = (dir: string): Tree =>
  toTree(entries(git(['ls-files', '--stage', '-z', '--', gitPath(dir)]).toString('utf8'), dir, 1));

/** The output directory as committed in HEAD (empty before the first commit). */
export function headTree(dir: string): Tree {
  try {
    git(['rev-parse', '--verify', '--quiet', 'HEAD']);
  } catch {
    return new Map();
  }
  return toTree(entries(git(['ls-tree', '-r', '-z', 'HEAD', '--', gitPath(dir)]).toString('utf8'), dir, 2));
}
