// Writing dist/: render into a temporary sibling directory, then swap it in. A failed run never
// leaves the target half-written, and files of removed services disappear with the old tree.
// Synth only ever replaces a directory it can prove is its own output (see ownership below and
// README "What synth may replace").
import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { GENERATED_HEADER, GENERATED_MARKER, textFile, type OutputFile } from './render';
import { OUTPUT } from './paths';
import { readTree, type Tree } from './readback/tree';
import { makeDirs } from './os/mkdirs';
import { readBounded } from './readback/file';

/** A refusal about the output path or an operating-system error while reading or writing it. */
export class OutputError extends Error {}

// ---------------------------------------------------------------------------------------------
// The manifest: the list of files a synth wrote, with their sha256, in `sha256sum` format (so
// `cd dist && sha256sum -c .unified-auth.sha256` verifies the tree). It is what proves a
// directory is synth's own output.

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

export function manifestFile(files: ReadonlyArray<OutputFile>): OutputFile {
  const lines = files.map((f) => `${sha256(f.text)}  ${f.path}\n`).join('');
  return textFile(
    OUTPUT.manifest,
    `${GENERATED_HEADER}# Every file synth wrote here. Synth replaces this directory only while each file in it is listed.\n${lines}`,
  );
}

/** Paths listed in a manifest text (comment lines skipped; unparsable lines ignored). */
export function manifestPaths(text: string): Set<string> {
  const out = new Set<string>();
  for (const line of text.split('\n')) {
    const m = /^[0-9a-f]{64} {2}(.+)$/.exec(line);
    if (m) out.add(m[1]);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// OS errors are one line naming the path and the fix (lib/os/errors.ts).
export { osErrorMessage } from './os/errors';

// ---------------------------------------------------------------------------------------------
// Ownership of the output path.

/** The directory holding `.git` above `from`, or undefined. */
function gitRoot(from: string): string | undefined {
  for (let d = from; ; d = path.dirname(d)) {
    if (fs.existsSync(path.join(d, '.git'))) return d;
    if (path.dirname(d) === d) return undefined;
  }
}

const ancestorsOf = (p: string): string[] => {
  const out: string[] = [];
  for (let d = p; ; d = path.dirname(d)) {
    out.push(d);
    if (path.dirname(d) === d) return out;
  }
};

/** True for a generated file of a version of the tool that wrote no manifest yet. */
function carriesHeader(file: string): boolean {
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.alloc(GENERATED_MARKER.length + 8);
    const n = fs.readSync(fd, buf, 0, buf.length, 0);
    const head = buf.subarray(0, n).toString('utf8');
    return head.startsWith(`# ${GENERATED_MARKER}`) || head.startsWith(`<!-- ${GENERATED_MARKER}`);
  } finally {
    fs.closeSync(fd);
  }
}

/** Top-level directories of the output (apps, authentik-extras, values, ...): the known layout. */
const LAYOUT_DIRS = new Set(
  Object.values(OUTPUT)
    .filter((p) => p.includes('/'))
    .map((p) => p.split('/')[0])
    .concat(OUTPUT.appsDir, OUTPUT.extrasDir),
);

/**
 * The first entry under `dir` that synth did not write (a relative path), or undefined. A file is
 * synth's when the manifest lists it, or (output of versions without a manifest) when it lies in
 * the known layout and begins with the generated header. A manifest below the top level is another
 * output directory nested inside: never ours to replace.
 */
function firstForeign(dir: string): string | undefined {
  const manifest = path.join(dir, OUTPUT.manifest);
  const listed = fs.existsSync(manifest) ? manifestPaths(readBounded(manifest)) : new Set<string>();
  const visit = (d: string, prefix: string): string | undefined => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const rel = `${prefix}${e.name}`;
      if (e.name === '.git') return rel;
      if (e.isDirectory()) {
        const found = visit(path.join(d, e.name), `${rel}/`);
        if (found) return found;
      } else if (!e.isFile())
        return rel; // symlinks, sockets: never ours
      else if (rel === OUTPUT.manifest || listed.has(rel)) continue;
      else if (e.name === path.basename(OUTPUT.manifest) || !LAYOUT_DIRS.has(rel.split('/')[0]) || !carriesHeader(path.join(d, e.name)))
        return rel;
    }
    return undefined;
  };
  return visit(dir, '');
}

export interface OwnershipContext {
  /** The working directory (the project). */
  cwd: string;
  /** The config file, if one was given. */
  configFile?: string;
}

/**
 * Resolve `out` to the directory synth will replace, or refuse with one line. Allowed: a missing
 * path (created), an empty directory, or a directory every file of which synth wrote. A symlink
 * to a directory is written through: its target is replaced, the link stays.
 */
export function resolveOwnedOutput(out: string, ctx: OwnershipContext): string {
  if (out.trim() === '') throw new OutputError('--out is empty: give the output directory (for example --out dist)');
  const shown = out;
  let abs = path.resolve(ctx.cwd, out);
  const lst = fs.lstatSync(abs, { throwIfNoEntry: false });
  if (lst?.isSymbolicLink()) {
    let target: string;
    try {
      target = fs.realpathSync(abs);
    } catch {
      throw new OutputError(`refusing to write ${shown}: it is a symbolic link to a path that does not exist`);
    }
    if (!fs.statSync(target).isDirectory())
      throw new OutputError(`refusing to write ${shown}: it is a symbolic link to a file, not a directory`);
    abs = target; // write through: replace the target directory, never the link
  } else if (lst) {
    abs = path.join(fs.realpathSync(path.dirname(abs)), path.basename(abs));
  }
  const st = fs.statSync(abs, { throwIfNoEntry: false });
  if (st && !st.isDirectory()) throw new OutputError(`refusing to write ${shown}: it is a file, not a directory`);

  // Never a directory that contains the project, the config or a repository.
  const cwd = fs.realpathSync(ctx.cwd);
  const protectedDirs = new Map<string, string>();
  for (const d of ancestorsOf(cwd)) protectedDirs.set(d, d === cwd ? 'the current directory' : 'a parent of the current directory');
  const repo = gitRoot(cwd);
  if (repo && !protectedDirs.has(repo)) protectedDirs.set(repo, 'the repository root');
  else if (repo && repo !== cwd) protectedDirs.set(repo, 'the repository root');
  if (ctx.configFile) {
    const cfgDir = path.dirname(path.resolve(ctx.cwd, ctx.configFile));
    const real = fs.existsSync(cfgDir) ? fs.realpathSync(cfgDir) : cfgDir;
    for (const d of ancestorsOf(real)) if (!protectedDirs.has(d)) protectedDirs.set(d, "the config file's directory or a parent of it");
  }
  protectedDirs.set(path.parse(abs).root, 'the file system root');
  const why = protectedDirs.get(abs);
  if (why)
    throw new OutputError(
      `refusing to write ${shown}: it is ${why}; synth replaces the whole directory, so give a directory of its own (for example --out dist)`,
    );
  if (st && fs.existsSync(path.join(abs, '.git'))) throw new OutputError(`refusing to write ${shown}: it holds a .git repository`);

  if (st) {
    const foreign = firstForeign(abs);
    if (foreign) {
      throw new OutputError(
        `refusing to replace ${shown}: ${path.join(shown, foreign)} was not written by synth (not in ${OUTPUT.manifest}, no generated header); move it out or choose another --out`,
      );
    }
  }
  return abs;
}

// ---------------------------------------------------------------------------------------------
// Leftovers of earlier runs: `<out>.tmp-<pid>` (a tree being written) and `<out>.old-<pid>` (the
// previous tree, moved aside for the swap). A run killed between the two renames of the swap
// leaves no `<out>` but a complete `<out>.old-<pid>`: that is put back.

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** Clean up (and where needed restore) the leftovers of dead runs next to `abs`. */
export function recoverLeftovers(abs: string): string[] {
  const parent = path.dirname(abs);
  const base = path.basename(abs);
  const re = new RegExp(`^${base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.(tmp|old)-(\\d+)$`);
  const done: string[] = [];
  let names: string[];
  try {
    names = fs.readdirSync(parent);
  } catch {
    return done;
  }
  const dead = names.map((n) => ({ n, m: re.exec(n) })).filter((x) => x.m && Number(x.m[2]) !== process.pid && !alive(Number(x.m[2])));
  // Restore first: a missing output with an .old- sibling is the previous tree of a killed swap.
  for (const { n, m } of dead) {
    if (m![1] === 'old' && !fs.existsSync(abs)) {
      fs.renameSync(path.join(parent, n), abs);
      done.push(`restored ${abs} from ${n}`);
    }
  }
  for (const { n } of dead) {
    const p = path.join(parent, n);
    if (fs.existsSync(p)) {
      fs.rmSync(p, { recursive: true, force: true });
      done.push(`removed ${n}`);
    }
  }
  return done;
}

// ---------------------------------------------------------------------------------------------

function writeTree(dir: string, files: ReadonlyArray<OutputFile>): void {
  makeDirs(dir);
  for (const f of files) {
    const target = path.join(dir, f.path);
    makeDirs(path.dirname(target));
    fs.writeFileSync(target, f.text);
  }
}

/**
 * Replace the directory `abs` (already resolved by resolveOwnedOutput) with exactly `files`.
 * The swap is two renames on one filesystem; between them a kill leaves `<out>.old-<pid>`, which
 * the next run restores (recoverLeftovers).
 */
export function writeAtomically(abs: string, files: ReadonlyArray<OutputFile>): void {
  const tmp = `${abs}.tmp-${process.pid}`;
  const old = `${abs}.old-${process.pid}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  try {
    writeTree(tmp, files);
    if (fs.existsSync(abs)) fs.renameSync(abs, old);
    fs.renameSync(tmp, abs);
  } catch (e) {
    fs.rmSync(tmp, { recursive: true, force: true });
    if (!fs.existsSync(abs) && fs.existsSync(old)) fs.renameSync(old, abs);
    throw e;
  }
  fs.rmSync(old, { recursive: true, force: true });
}

// Reading a tree back is bounded (FIFOs, devices, links out of the tree, huge files refused).
export { listTree, readTree, type Tree } from './readback/tree';

export interface Drift {
  changed: string[];
  missing: string[];
  extra: string[];
}

/** What differs between `files` and a tree, without writing anything. */
export function compareTree(tree: Tree | string, files: ReadonlyArray<OutputFile>): Drift {
  const actual = typeof tree === 'string' ? readTree(tree) : tree;
  const onDisk = new Set(actual.keys());
  const drift: Drift = { changed: [], missing: [], extra: [] };
  for (const f of files) {
    if (!onDisk.has(f.path)) drift.missing.push(f.path);
    else if (actual.get(f.path) !== f.text) drift.changed.push(f.path);
    onDisk.delete(f.path);
  }
  drift.extra = [...onDisk].sort();
  return drift;
}
