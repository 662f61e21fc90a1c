// Writing dist/: render into a temporary sibling directory, then swap it in. A failed run never
// leaves the target half-written, and files of removed services disappear with the old tree.
import fs from 'node:fs';
import path from 'node:path';
import type { OutputFile } from './render';

function writeTree(dir: string, files: ReadonlyArray<OutputFile>): void {
  fs.mkdirSync(dir, { recursive: true });
  for (const f of files) {
    const target = path.join(dir, f.path);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, f.text);
  }
}

/** Replace `outDir` with exactly `files`. The swap is two renames on one filesystem. */
export function writeAtomically(outDir: string, files: ReadonlyArray<OutputFile>): void {
  const abs = path.resolve(outDir);
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

/** Every file below `dir`, as '/'-separated paths relative to it (none if it does not exist). */
export function listTree(dir: string, prefix = ''): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? listTree(path.join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`],
  );
}

export interface Drift {
  changed: string[];
  missing: string[];
  extra: string[];
}

/** What differs between `files` and the tree on disk, without writing anything. */
export function compareTree(outDir: string, files: ReadonlyArray<OutputFile>): Drift {
  const onDisk = new Set(listTree(outDir));
  const drift: Drift = { changed: [], missing: [], extra: [] };
  for (const f of files) {
    if (!onDisk.has(f.path)) drift.missing.push(f.path);
    else if (fs.readFileSync(path.join(outDir, f.path), 'utf8') !== f.text) drift.changed.push(f.path);
    onDisk.delete(f.path);
  }
  drift.extra = [...onDisk].sort();
  return drift;
}
