// Writing dist/: render into a temporary sibling directory, then swap it in. A failed run never
// leaves the target half-written, and files of removed services disappear with the old tree.
// Synth only ever replaces a directory it can prove is its own output (see ownership below and
// docs/output.md#what-synth-may-replace).
import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { createHash, randomBytes } from 'node:crypto';
import { GENERATED_HEADER, textFile, type OutputFile } from '../base/file-text';
import { OUTPUT } from '../base/paths';
import { readTree, type Tree } from '../readback/tree';
import { makeDirs } from '../os/mkdirs';
import { readBounded } from '../readback/file';

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

/** A manifest line: the sha256 of a file, two spaces, its path relative to the output. */
const MANIFEST_LINE = /^([0-9a-f]{64}) {2}(.+)$/;

/**
 * A manifest text as path -> sha256, or the 1-based number of its first line that is neither a
 * comment, blank, nor a manifest line (then it is not a manifest synth wrote, or a conflicted one).
 */
export function parseManifest(text: string): Map<string, string> | { badLine: number } {
  const out = new Map<string, string>();
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line === '' || line.startsWith('#')) continue;
    const m = MANIFEST_LINE.exec(line);
    if (!m) return { badLine: i + 1 };
    out.set(m[2], m[1]);
  }
  return out;
}

/** The sha256 of a file's bytes, as the manifest records it. */
export const fileSha256 = (text: string): string => sha256(text);

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

/** The manifest at the top of `dir` (path -> sha256); undefined when there is none; refused when it does not parse. */
function ownManifest(dir: string, shown: string): Map<string, string> | undefined {
  const file = path.join(dir, OUTPUT.manifest);
  const st = fs.lstatSync(file, { throwIfNoEntry: false });
  if (!st) return undefined;
  const parsed = st.isFile() ? parseManifest(readBounded(file)) : { badLine: 0 };
  if (parsed instanceof Map) return parsed;
  throw new OutputError(
    `refusing to replace ${shown}: ${path.join(shown, OUTPUT.manifest)}${parsed.badLine ? ` line ${parsed.badLine}` : ''} is not a manifest synth wrote (a hand edit or a merge conflict?); restore it (git checkout) or choose another --out`,
  );
}

/**
 * The first entry under `dir` that synth did not write (a relative path), or undefined. A file is
 * synth's only when the manifest lists it: a name, a place or a header proves nothing (a reviewer's
 * annotated copy of docs/ACCESS.md carries the header too). A manifest below the top level is
 * another output directory nested inside: never ours to replace.
 */
function firstForeign(dir: string, listed: ReadonlyMap<string, string>): string | undefined {
  const visit = (d: string, prefix: string): string | undefined => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const rel = `${prefix}${e.name}`;
      if (e.name === '.git') return rel;
      if (e.isDirectory()) {
        const found = visit(path.join(d, e.name), `${rel}/`);
        if (found) return found;
      } else if (!e.isFile())
        return rel; // symlinks, sockets: never ours
      else if (!(rel === OUTPUT.manifest || listed.has(rel))) return rel;
    }
    return undefined;
  };
  return visit(dir, '');
}

/** Listed files whose bytes no longer match the manifest (a hand edit, a merge conflict): named when synth replaces them. */
export function changedSinceWritten(dir: string): string[] {
  const listed = fs.existsSync(path.join(dir, OUTPUT.manifest)) ? ownManifest(dir, dir) : undefined;
  if (!listed) return [];
  const out: string[] = [];
  for (const [rel, sum] of listed) {
    const file = path.join(dir, rel);
    if (fs.existsSync(file) && sha256(fs.readFileSync(file, 'utf8')) !== sum) out.push(rel);
  }
  return out.sort();
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
    const listed = ownManifest(abs, shown);
    const foreign = firstForeign(abs, listed ?? new Map());
    if (foreign) {
      const reason = listed ? `not in ${OUTPUT.manifest}` : `${shown} has no ${OUTPUT.manifest}`;
      const upgrade = listed ? '' : ' (the output of a version before the manifest: move it aside and give it as --baseline)';
      throw new OutputError(
        `refusing to replace ${shown}: ${path.join(shown, foreign)} was not written by synth (${reason}); move it out or choose another --out${upgrade}`,
      );
    }
  }
  return abs;
}

// ---------------------------------------------------------------------------------------------
// Synth's run directories. Each write happens in `<out>.synth-<run id>/`, next to the output: the
// new tree is written to `new/`, the previous tree is moved to `old/`, then `new/` becomes the
// output. Its first file, RUN_MARKER, says which run made it and for which output: only a
// directory with that proof is ever touched again (a user's `dist.old-2024` is not). A run killed
// mid-swap leaves no `<out>` and a complete `old/`: the next run compares with it and removes it
// once its own output is in place. A run still alive (same pid and start time) is left alone.

export const RUN_MARKER = 'unified-auth-run.json';
const RUN_TOOL = 'unified-auth synth';

export interface RunMarker {
  tool: string;
  run: string;
  /** The output directory (absolute, resolved) the run writes. */
  target: string;
  pid: number;
  /** The process start time from /proc (clock ticks since boot), null where there is no /proc. */
  start: string | null;
  boot: string | null;
  host: string;
}

const readText = (file: string): string | undefined => {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
};

/** A process's start time, undefined when no process has that pid, null when it cannot be told. */
function processStart(pid: number): string | null | undefined {
  const stat = readText(`/proc/${pid}/stat`);
  if (stat !== undefined) return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  if (readText('/proc/self/stat') !== undefined) return undefined; // /proc works: the process is gone
  try {
    process.kill(pid, 0);
    return null;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH' ? undefined : null;
  }
}

const bootId = (): string | null => readText('/proc/sys/kernel/random/boot_id')?.trim() ?? null;

/** The marker of a new run writing `target` (exported for the tests, which forge dead runs' directories with it). */
export function thisRun(target: string): RunMarker {
  return {
    tool: RUN_TOOL,
    run: randomBytes(8).toString('hex'),
    target,
    pid: process.pid,
    start: processStart(process.pid) ?? null,
    boot: bootId(),
    host: os.hostname(),
  };
}

/** Whether the run may still be working; "cannot tell" counts as alive, so its directory is left alone. */
function mayBeAlive(m: RunMarker): boolean {
  if (m.host !== os.hostname()) return true; // another machine or container sharing the disk
  const boot = bootId();
  if (m.boot && boot && m.boot !== boot) return false;
  const start = processStart(m.pid);
  if (start === undefined) return false;
  return start === null || m.start === null || start === m.start;
}

export const runDirName = (abs: string, run: string): string => `${path.basename(abs)}.synth-${run}`;

/** The marker of a run directory, when it proves a synth run made it for `abs`. */
function markerOf(dir: string, abs: string): RunMarker | undefined {
  const text = readText(path.join(dir, RUN_MARKER));
  let m: Partial<RunMarker>;
  try {
    m = JSON.parse(text ?? '') as Partial<RunMarker>;
  } catch {
    return undefined;
  }
  const valid =
    m !== null &&
    typeof m === 'object' &&
    m.tool === RUN_TOOL &&
    typeof m.run === 'string' &&
    path.basename(dir) === runDirName(abs, m.run) &&
    m.target === abs &&
    typeof m.pid === 'number' &&
    typeof m.host === 'string';
  return valid ? (m as RunMarker) : undefined;
}

export interface Leftovers {
  /** Run directories of runs that ended without finishing, proven by their marker. */
  dead: string[];
  /** A dead run's previous output (`<dir>/old`) when `abs` is missing: the tree of a killed swap. */
  previous?: string;
}

/** The run directories of dead synth runs next to `abs`. Reads only; a user's directory is never one. */
export function findLeftovers(abs: string): Leftovers {
  const parent = path.dirname(abs);
  const prefix = `${path.basename(abs)}.synth-`;
  let names: string[];
  try {
    names = fs
      .readdirSync(parent)
      .filter((n) => n.startsWith(prefix))
      .sort();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { dead: [] }; // no parent yet: nothing left there
    throw e;
  }
  const runs = names.flatMap((n) => {
    const d = path.join(parent, n);
    const m = markerOf(d, abs);
    return m ? [{ d, m }] : [];
  });
  const dead = runs.filter((r) => !mayBeAlive(r.m)).map((r) => r.d);
  const missing = !fs.existsSync(abs);
  // A live run between its two renames: the previous output is in its old/, not at <out>.
  const swapping = runs.find((r) => missing && !dead.includes(r.d) && fs.existsSync(path.join(r.d, 'old')));
  if (swapping)
    throw new OutputError(
      `another synth run (pid ${swapping.m.pid}) is replacing ${abs} right now; run again when it has finished (its previous output is in ${swapping.d}/old)`,
    );
  const olds = missing ? dead.map((d) => path.join(d, 'old')).filter((o) => fs.existsSync(o)) : [];
  if (olds.length > 1)
    throw new OutputError(
      `${abs} is missing and ${olds.length} killed runs each left a previous output (${olds.join(', ')}): move the right one to ${abs}`,
    );
  return { dead, previous: olds[0] };
}

/** Remove the run directories of dead runs (after a successful write); returns one line per directory. */
export function removeLeftovers(left: Leftovers): string[] {
  return left.dead.flatMap((d) => {
    if (!fs.existsSync(d)) return [];
    fs.rmSync(d, { recursive: true, force: true });
    const swap = left.previous?.startsWith(`${d}${path.sep}`);
    return [
      `removed ${path.basename(d)}/ (left by a synth run ${swap ? 'killed mid-swap; its previous output was the baseline' : 'that did not finish'})`,
    ];
  });
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
 * The swap is two renames on one filesystem, inside this run's own marked directory; a failure
 * puts the previous tree back and removes that directory, so a failed run changes nothing.
 */
export function writeAtomically(abs: string, files: ReadonlyArray<OutputFile>): void {
  // Already exactly these files: the swap would change nothing, and costs a synth's largest syscalls.
  if (holdsExactly(abs, files)) return;
  const marker = thisRun(abs);
  const work = path.join(path.dirname(abs), runDirName(abs, marker.run));
  const [fresh, old] = [path.join(work, 'new'), path.join(work, 'old')];
  makeDirs(path.dirname(abs));
  fs.mkdirSync(work);
  try {
    // The proof comes first: a directory without it is never touched by a later run.
    fs.writeFileSync(path.join(work, RUN_MARKER), `${JSON.stringify(marker)}\n`);
    writeTree(fresh, files);
    if (fs.existsSync(abs)) fs.renameSync(abs, old);
    fs.renameSync(fresh, abs);
  } catch (e) {
    if (!fs.existsSync(abs) && fs.existsSync(old)) fs.renameSync(old, abs);
    fs.rmSync(work, { recursive: true, force: true });
    throw e;
  }
  fs.rmSync(work, { recursive: true, force: true });
}

/**
 * Whether `dir` is what writeTree would make of `files`: the same paths, the same bytes, only
 * directories and regular files (no links), no empty directory, nothing executable (the one mode
 * bit git keeps). Any doubt (an unreadable entry, a race) says no, and the tree is written.
 */
export function holdsExactly(dir: string, files: ReadonlyArray<OutputFile>): boolean {
  const wanted = new Map(files.map((f) => [f.path.split(path.sep).join('/'), f.text]));
  const seen = { files: 0 };
  try {
    return sameEntries(dir, '', wanted, seen) && seen.files === wanted.size;
  } catch {
    return false;
  }
}

function sameEntries(dir: string, rel: string, wanted: ReadonlyMap<string, string>, seen: { files: number }): boolean {
  const entries = fs.readdirSync(path.join(dir, rel), { withFileTypes: true });
  if (rel !== '' && entries.length === 0) return false;
  return entries.every((e) => {
    const r = rel === '' ? e.name : `${rel}/${e.name}`;
    if (e.isDirectory()) return sameEntries(dir, r, wanted, seen);
    const text = wanted.get(r);
    if (!e.isFile() || text === undefined) return false;
    const abs = path.join(dir, r);
    const bytes = Buffer.from(text);
    const st = fs.lstatSync(abs);
    // The size first: a file that cannot match is never read (it may be huge).
    if ((st.mode & 0o111) !== 0 || st.size !== bytes.length) return false;
    seen.files++;
    return fs.readFileSync(abs).equals(bytes);
  });
}

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
