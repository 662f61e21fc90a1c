// Reads the blueprints back out of an output tree: every ConfigMap under authentik-extras/
// that carries the blueprint label, however many there are and whichever data keys they use (a
// blueprint's ConfigMap is a packaging detail). Used by the orphan guard, the legacy-binding
// migration and `npm run plan`; a missing directory holds no blueprints. A tree that is not an
// output of this tool (a hand-written layer being adopted) is read as one (hand-written.ts).
import path from 'node:path';
import { loadYamlShared } from '../readback/yaml';
import { OUTPUT } from '../base/paths';
import { BLUEPRINT_SCHEMA } from '../upstream/blueprint-tags';
import { BLUEPRINT_LABEL, PASS_THROUGH_LABEL } from '../blueprints/build';
import { readTree, type Tree } from '../readback/tree';
import { readHandWrittenLayer, storedBlueprint, type StoredBlueprint } from './hand-written';
import { BaselineError } from '../base/errors';
import { isRecord } from '../base/records';

/**
 * Every blueprint in `outDir`'s authentik-extras/, sorted by file and key (the construct API's
 * legacyBindings, tests). A file that does not parse is an error naming it, never skipped: what it
 * created would go unseen.
 */
export function readBlueprints(outDir: string): StoredBlueprint[] {
  const { blueprints, unreadable } = readBlueprintsIn(readTree(outDir));
  if (unreadable.length) throw new BaselineError(`${path.join(outDir, unreadable[0].file)}: does not parse: ${unreadable[0].message}`);
  return blueprints;
}

/** An output of this tool: its manifest, or (versions before the manifest) its authentik-extras/ directory. */
export const isOutputTree = (tree: Tree): boolean =>
  tree.has(OUTPUT.manifest) || [...tree.keys()].some((p) => p.startsWith(`${OUTPUT.extrasDir}/`));

/** A file (or a ConfigMap key in it) that does not parse, with the parser's first line. */
export interface Unreadable {
  file: string;
  message: string;
}

const firstLine = (e: unknown): string => String((e as Error).message).split('\n')[0];

/** The blueprint ConfigMaps of one output file; what does not parse goes to `unreadable`. */
function blueprintsInFile(file: string, text: string, unreadable: Unreadable[]): StoredBlueprint[] {
  let docs: unknown[];
  try {
    docs = loadYamlShared(text, undefined, true) as unknown[];
  } catch (e) {
    unreadable.push({ file, message: firstLine(e) });
    return [];
  }
  const out: StoredBlueprint[] = [];
  for (const cm of docs) {
    if (!isRecord(cm) || cm.kind !== 'ConfigMap' || !isRecord(cm.metadata)) continue;
    const labels = isRecord(cm.metadata.labels) ? cm.metadata.labels : {};
    if (!Object.entries(BLUEPRINT_LABEL).every(([k, v]) => labels[k] === v)) continue;
    const configMap = typeof cm.metadata.name === 'string' ? cm.metadata.name : '';
    const passThrough = Object.entries(PASS_THROUGH_LABEL).every(([k, v]) => labels[k] === v);
    const data = isRecord(cm.data) ? cm.data : {};
    for (const key of Object.keys(data).sort()) {
      const text = String(data[key]);
      let doc: unknown;
      try {
        doc = loadYamlShared(text, BLUEPRINT_SCHEMA);
      } catch (e) {
        unreadable.push({ file: `${file} (ConfigMap ${configMap}, key ${key})`, message: firstLine(e) });
        continue;
      }
      const bp = storedBlueprint(file, configMap, key, text, doc);
      out.push(passThrough ? { ...bp, passThrough: true } : bp);
    }
  }
  return out;
}

/**
 * Every blueprint in a tree's authentik-extras/, sorted by file and key (in a tree that is not an
 * output of this tool, every blueprint of the hand-written layer it holds), and every file or key
 * that does not parse: a baseline reader must refuse those (lib/pipeline/baseline.ts).
 */
export function readBlueprintsIn(tree: Tree): { blueprints: StoredBlueprint[]; unreadable: Unreadable[] } {
  if (tree.size > 0 && !isOutputTree(tree)) {
    const layer = readHandWrittenLayer(tree);
    return { blueprints: layer.blueprints, unreadable: layer.unreadable };
  }
  const unreadable: Unreadable[] = [];
  const files = [...tree.keys()].filter((p) => p.startsWith(`${OUTPUT.extrasDir}/`) && p.endsWith('.yaml')).sort();
  return { blueprints: files.flatMap((file) => blueprintsInFile(file, tree.get(file)!, unreadable)), unreadable };
}

/** The blueprints alone, for trees already checked (the new output, a verified baseline); unparsable files are left out. */
export const blueprintsInTree = (tree: Tree): StoredBlueprint[] => readBlueprintsIn(tree).blueprints;
