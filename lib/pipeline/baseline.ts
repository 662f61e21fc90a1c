// The baseline: the previous output (or a hand-written layer) the guards compare the new output
// with, to know what was created before. It is read completely or not at all: a file the guards
// depend on that is missing, conflicted, edited since synth wrote it, or does not parse (an
// Authentik tag the reader does not know included) is one BaselineError naming the file. An empty
// baseline would let a removed service's objects stay in Authentik with nothing to delete them.
import fs from 'node:fs';
import { loadYamlShared } from '../readback/yaml';
import { OUTPUT } from '../base/paths';
import { fileSha256, parseManifest } from '../output/write';
import { readTree, type Tree } from '../readback/tree';
import { isOutputTree, readBlueprintsIn } from '../previous/blueprints';
import type { StoredBlueprint } from '../previous/hand-written';
import { BaselineError, UsageError } from '../base/errors';
import { NOTHING_RECORDED, recordedIn, type Recorded } from '../state/recorded';

export type BaselineSource =
  | { kind: 'none' }
  /** A directory on disk: `--out`, `--baseline <dir>` or a killed run's previous tree. */
  | { kind: 'dir'; dir: string; label: string }
  /** A tree read elsewhere (HEAD:dist from git, import's --from directories). */
  | { kind: 'tree'; tree: Tree; label: string }
  /** The recorded state (lib/state/file.ts), already read fail-closed; `label` is the state file. */
  | { kind: 'state'; recorded: Recorded; label: string };

export interface Baseline {
  /** How findings name it (dist, HEAD:dist, the --baseline path). */
  label: string;
  tree: Tree;
  blueprints: StoredBlueprint[];
  /** What the guards compare with: what was created, the bindings to tombstone, the domain move. */
  recorded: Recorded;
}

export interface BaselineOptions {
  /** Unreadable files already reported and left out by the caller (import's --from): not an error. */
  skipUnreadable?: ReadonlySet<string>;
}

export const NO_BASELINE: Baseline = { label: '', tree: new Map(), blueprints: [], recorded: NOTHING_RECORDED };

const isYaml = (p: string) => p.endsWith('.yaml') || p.endsWith('.yml');
const CONFLICT = /^(<{7}|={7}|>{7})(?: |$)/m;

/**
 * The files of an output tree that say what was created: the blueprints and the migration record.
 * They must hold the bytes synth wrote. Any other listed file edited by hand is only named when
 * synth replaces it (main.ts), and shows as drift in check and as a change in plan.
 */
const CREATED_RECORD = (p: string): boolean => p.startsWith(`${OUTPUT.extrasDir}/`) || p === OUTPUT.migrationRecord;

/** The files that must be free of conflicts and parse: those, Authentik's values (the migration guard reads its URL), every YAML file of a hand-written layer. */
const checkedFiles = (tree: Tree): string[] =>
  [...tree.keys()].filter((p) => (isOutputTree(tree) ? CREATED_RECORD(p) || p === OUTPUT.authentikValues : isYaml(p))).sort();

function conflictLine(text: string): number | undefined {
  const m = CONFLICT.exec(text);
  return m ? text.slice(0, m.index).split('\n').length : undefined;
}

/** Every listed record of what was created is present with the bytes synth wrote (a tree of a version without a manifest has nothing to check). */
function verifyManifest(tree: Tree, at: (p: string) => string): void {
  const text = tree.get(OUTPUT.manifest);
  if (text === undefined) return;
  const listed = parseManifest(text);
  if (!(listed instanceof Map))
    throw new BaselineError(
      `${at(OUTPUT.manifest)} line ${listed.badLine}: not a manifest line (a merge conflict?); restore it (git checkout)`,
    );
  for (const [p, sum] of listed) {
    if (!CREATED_RECORD(p)) continue;
    const file = tree.get(p);
    if (file === undefined)
      throw new BaselineError(
        `${at(p)}: listed in ${OUTPUT.manifest} but missing; restore it (git checkout) so the orphan guard sees what was created`,
      );
    if (fileSha256(file) !== sum)
      throw new BaselineError(
        `${at(p)}: changed since synth wrote it (its sha256 differs from ${OUTPUT.manifest}); restore the file synth wrote (git checkout) so the orphan guard sees what was created`,
      );
  }
}

/** Refuse a tree that cannot be read completely. */
function verifyTree(tree: Tree, label: string, opts: BaselineOptions): StoredBlueprint[] {
  const at = (p: string) => (label ? `${label}/${p}` : p);
  for (const p of checkedFiles(tree)) {
    const line = conflictLine(tree.get(p)!);
    if (line)
      throw new BaselineError(`${at(p)} line ${line}: a merge conflict marker; resolve the conflict (or git checkout the file) first`);
  }
  verifyManifest(tree, at);
  if (isOutputTree(tree))
    for (const p of checkedFiles(tree).filter((f) => !f.startsWith(`${OUTPUT.extrasDir}/`))) {
      try {
        // Parsed once: the guards that read the same files (engine switch, secrets) share the parse.
        loadYamlShared(tree.get(p)!, undefined, true);
      } catch (e) {
        throw new BaselineError(`${at(p)}: does not parse: ${String((e as Error).message).split('\n')[0]}`);
      }
    }
  const { blueprints, unreadable } = readBlueprintsIn(tree);
  const bad = unreadable.find((u) => !opts.skipUnreadable?.has(u.file));
  if (bad) throw new BaselineError(`${at(bad.file)}: does not parse: ${bad.message}`);
  return blueprints;
}

/** A --baseline must be a directory: a missing one never means "nothing was created before". */
export function assertBaselineDir(dir: string): void {
  const st = fs.statSync(dir, { throwIfNoEntry: false });
  if (!st) throw new UsageError(`--baseline ${dir}: no such directory (use --baseline none when there is no previous output)`);
  if (!st.isDirectory()) throw new UsageError(`--baseline ${dir}: is a file, not a directory`);
}

function readDir(dir: string): Tree {
  assertBaselineDir(dir);
  return readTree(dir);
}

/** Read a baseline completely, or throw one line naming what cannot be read. */
export function readBaseline(src: BaselineSource, opts: BaselineOptions = {}): Baseline {
  if (src.kind === 'none') return NO_BASELINE;
  if (src.kind === 'state') return { label: src.label, tree: new Map(), blueprints: [], recorded: src.recorded };
  const tree = src.kind === 'dir' ? readDir(src.dir) : src.tree;
  const blueprints = verifyTree(tree, src.label, opts);
  return { label: src.label, tree, blueprints, recorded: recordedIn(src.label, tree, blueprints) };
}
