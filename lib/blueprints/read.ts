// Reads the blueprints back out of an output tree: every ConfigMap under authentik-extras/
// that carries the blueprint label, however many there are and whichever data keys they use (a
// blueprint's ConfigMap is a packaging detail). Used by the orphan guard, the legacy-binding
// migration and `npm run plan`; a missing directory holds no blueprints. A tree that is not an
// output of this tool (a hand-written layer being adopted) is read as one (hand-written.ts).
import { OUTPUT } from '../paths';
import { BLUEPRINT_SCHEMA } from './tags';
import { BLUEPRINT_LABEL } from './build';
import { readTree, type Tree } from '../output';
import { readHandWrittenLayer } from './hand-written';
import { loadAllYaml, loadYaml } from '../readback/yaml';

export interface StoredBlueprint {
  /** The file in the output directory, relative to it. */
  file: string;
  configMap: string;
  /** The ConfigMap data key, i.e. the file name Authentik sees. */
  key: string;
  /** The blueprint text exactly as stored (Authentik hashes these bytes). */
  text: string;
  /** metadata.name of the document ('' when missing). */
  name: string;
  labels: Record<string, string>;
  entries: Array<Record<string, unknown>>;
  /** A raw blueprint file of a hand-written layer (not ConfigMap data): `configMap` is the one a kustomization packs it into, if any. */
  raw?: true;
}

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

// An output tree (path → text) and its reader live with the other output-tree code.
export { readTree, type Tree } from '../output';

/** Every blueprint in `outDir`'s authentik-extras/, sorted by file and key; unreadable files are skipped. */
export const readBlueprints = (outDir: string): StoredBlueprint[] => blueprintsInTree(readTree(outDir));

/** An output of this tool: its manifest, or (versions before the manifest) its authentik-extras/ directory. */
export const isOutputTree = (tree: Tree): boolean =>
  tree.has(OUTPUT.manifest) || [...tree.keys()].some((p) => p.startsWith(`${OUTPUT.extrasDir}/`));

/**
 * Every blueprint in a tree's authentik-extras/, sorted by file and key; in a tree that is not an
 * output of this tool, every blueprint of the hand-written layer it holds.
 */
export function blueprintsInTree(tree: Tree): StoredBlueprint[] {
  if (tree.size > 0 && !isOutputTree(tree)) return readHandWrittenLayer(tree).blueprints;
  const out: StoredBlueprint[] = [];
  const files = [...tree.keys()].filter((p) => p.startsWith(`${OUTPUT.extrasDir}/`) && p.endsWith('.yaml')).sort();
  for (const file of files) {
    let docs: unknown[];
    try {
      docs = loadAllYaml(tree.get(file)!);
    } catch {
      continue; // a hand-edited or foreign file is not ours to judge; the drift check reports it
    }
    for (const cm of docs) {
      if (!isRecord(cm) || cm.kind !== 'ConfigMap' || !isRecord(cm.metadata)) continue;
      const labels = isRecord(cm.metadata.labels) ? cm.metadata.labels : {};
      if (!Object.entries(BLUEPRINT_LABEL).every(([k, v]) => labels[k] === v)) continue;
      const data = isRecord(cm.data) ? cm.data : {};
      for (const key of Object.keys(data).sort()) {
        const text = String(data[key]);
        let doc: unknown;
        try {
          doc = loadYaml(text, { schema: BLUEPRINT_SCHEMA });
        } catch {
          continue;
        }
        const meta = isRecord(doc) && isRecord(doc.metadata) ? doc.metadata : {};
        out.push({
          file,
          configMap: typeof cm.metadata.name === 'string' ? cm.metadata.name : '',
          key,
          text,
          name: typeof meta.name === 'string' ? meta.name : '',
          labels: isRecord(meta.labels) ? (meta.labels as Record<string, string>) : {},
          entries: isRecord(doc) && Array.isArray(doc.entries) ? doc.entries.filter(isRecord) : [],
        });
      }
    }
  }
  return out;
}
