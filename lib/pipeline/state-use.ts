// Which part the state file plays in one run of synth, check or plan: the baseline when it belongs
// to the output being written, the file written after the output, or neither (a preview into
// another directory compares with what that directory holds and leaves the state alone).
import path from 'node:path';
import type { ClusterConfig } from '../config/schema';
import { repositoryRoot } from './git-path';
import type { Tree } from '../readback/tree';
import { readBlueprintsIn } from '../previous/blueprints';
import { recordedIn } from '../state/recorded';
import { parseState, readStateText, statePathFor, recordedOf, stateBelongsTo, stateText, type StateFile } from '../state/file';
import type { BaselineSource } from './baseline';

export interface StateUse {
  file: string;
  /** The state on disk (or staged), parsed; undefined when there is none yet. */
  state?: StateFile;
  /** Its text as read. */
  text?: string;
  /** It records this output: it is the baseline, and synth rewrites it. */
  belongs: boolean;
  /** No state yet, and the output sits in the config's repository (or both outside one): synth creates it. */
  creates: boolean;
}

/**
 * Read the state beside `configFile` (its text from `read`: the working tree, or the index for
 * --staged), completely or not at all; `outDir` is the output this run writes or checks.
 */
export function stateUse(
  configFile: string,
  config: ClusterConfig,
  outDir: string,
  read: (file: string) => string | undefined = readStateText,
  /** false with an explicit --baseline: the state is only replaced, so whose it was does not matter. */
  sameCluster = true,
): StateUse {
  const stateFile = statePathFor(configFile);
  const text = read(stateFile);
  // An output in another repository than its config (a preview in a temp directory) gets no state beside the config.
  const creates = repositoryRoot(path.dirname(path.resolve(configFile))) === repositoryRoot(outDir);
  if (text === undefined) return { file: stateFile, belongs: false, creates };
  const state = parseState(stateFile, text, sameCluster ? config : undefined);
  return { file: stateFile, state, text, belongs: stateBelongsTo(stateFile, state, outDir), creates: false };
}

/** The state as the baseline (only when it belongs to this output). */
export const stateBaseline = (u: StateUse, outLabel: string): BaselineSource | undefined =>
  u.belongs && u.state ? { kind: 'state', recorded: recordedOf(u.state, outLabel), label: u.file } : undefined;

/** The state is this output's but an older version wrote it: it records no identities, so the identity guard compares with nothing this once. */
export const recordsNoIdentities = (u: StateUse): boolean => u.belongs && u.state !== undefined && u.state.identities === undefined;

/** Synth writes the state when it belongs to this output, or creates it (then this output is its). */
export const writesState = (u: StateUse): boolean => u.belongs || u.creates;

/** The state text synth writes for an output it rendered: what that output created. */
export function stateTextFor(u: StateUse, outDir: string, config: ClusterConfig, files: Tree): string {
  return stateText(u.file, outDir, config, recordedIn('', files, readBlueprintsIn(files).blueprints));
}
