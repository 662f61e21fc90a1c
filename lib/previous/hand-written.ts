// Reads a hand-written auth layer (one not written by unified-auth) out of a tree: blueprints in
// ConfigMaps, whatever their names, labels and keys; raw blueprint files, with the ConfigMap a
// kustomize `configMapGenerator` packs them into; and every other YAML document, for the importer
// (values files, ClusterRoleBindings, Applications) and the plan's Kubernetes comparison. Used by
// `npm run import` (lib/import/) and as a `--baseline` of synth and plan (blueprints.ts).
import path from 'node:path';
import { BLUEPRINT_SCHEMA } from '../upstream/blueprint-tags';
import type { Tree } from '../readback/tree';
import { loadAllYaml, loadYaml } from '../readback/yaml';
import { isRecord } from '../base/records';

/** One blueprint as read back: from a ConfigMap of our output (blueprints.ts) or a hand-written file. */
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
  /** A pass-through blueprint of an output of this tool (its ConfigMap has PASS_THROUGH_LABEL): every entry is owned. */
  passThrough?: true;
  /** A raw blueprint file of a hand-written layer (not ConfigMap data): `configMap` is the one a kustomization packs it into, if any. */
  raw?: true;
}

/** A YAML document of the tree that is not a blueprint. */
export interface LayerDocument {
  /** The file, relative to the tree's root. */
  file: string;
  /** Its position among the file's documents (0-based). */
  index: number;
  doc: unknown;
}

export interface HandWrittenLayer {
  blueprints: StoredBlueprint[];
  /** Kubernetes objects and other YAML documents (values files), in file order. */
  documents: LayerDocument[];
  /** ConfigMaps a kustomization generates from raw files: not written out anywhere else in the tree. */
  generatedConfigMaps: Array<{ file: string; name: string; namespace?: string; keys: string[] }>;
  /** YAML that does not parse, by file. */
  unreadable: Array<{ file: string; message: string }>;
}

const isYaml = (p: string) => p.endsWith('.yaml') || p.endsWith('.yml');
const KUSTOMIZATION = /(^|\/)kustomization\.ya?ml$/;

/** A blueprint document: `version` and a list of `entries` (Authentik's own two required keys). */
export const isBlueprintDocument = (d: unknown): d is { version: unknown; entries: unknown[]; metadata?: unknown } =>
  isRecord(d) && d.version !== undefined && Array.isArray(d.entries) && d.apiVersion === undefined && d.kind === undefined;

/** A blueprint as read back (any document: one without entries has none), under its file, ConfigMap and key. */
export function storedBlueprint(file: string, configMap: string, key: string, text: string, doc: unknown): StoredBlueprint {
  const meta = isRecord(doc) && isRecord(doc.metadata) ? doc.metadata : {};
  return {
    file,
    configMap,
    key,
    text,
    name: typeof meta.name === 'string' ? meta.name : '',
    labels: isRecord(meta.labels) ? (meta.labels as Record<string, string>) : {},
    entries: isRecord(doc) && Array.isArray(doc.entries) ? doc.entries.filter(isRecord) : [],
  };
}

/** File (relative to the tree) → the ConfigMap and key a kustomization's configMapGenerator packs it into. */
function generatorTargets(tree: Tree, layer: HandWrittenLayer): Map<string, { configMap: string; key: string }> {
  const out = new Map<string, { configMap: string; key: string }>();
  for (const [file, text] of tree) {
    if (!KUSTOMIZATION.test(file)) continue;
    let k: unknown;
    try {
      k = loadYaml(text);
    } catch {
      continue; // reported with the other unreadable files
    }
    if (!isRecord(k) || !Array.isArray(k.configMapGenerator)) continue;
    const dir = path.posix.dirname(file);
    for (const g of k.configMapGenerator) {
      if (!isRecord(g) || typeof g.name !== 'string' || !Array.isArray(g.files)) continue;
      const keys: string[] = [];
      for (const f of g.files) {
        if (typeof f !== 'string') continue;
        // `key=path` names the data key; a bare path uses the file's name.
        const [key, rel] = f.includes('=') ? (f.split('=', 2) as [string, string]) : [path.posix.basename(f), f];
        out.set(path.posix.normalize(dir === '.' ? rel : `${dir}/${rel}`), { configMap: g.name, key });
        keys.push(key);
      }
      layer.generatedConfigMaps.push({ file, name: g.name, namespace: typeof k.namespace === 'string' ? k.namespace : undefined, keys });
    }
  }
  return out;
}

/** Everything a hand-written layer holds, read from a tree (path → text); never throws on bad YAML. */
export function readHandWrittenLayer(tree: Tree): HandWrittenLayer {
  const layer: HandWrittenLayer = { blueprints: [], documents: [], generatedConfigMaps: [], unreadable: [] };
  const generated = generatorTargets(tree, layer);
  for (const file of [...tree.keys()].filter(isYaml).sort()) {
    const text = tree.get(file)!;
    let docs: unknown[];
    try {
      docs = loadAllYaml(text, { schema: BLUEPRINT_SCHEMA });
    } catch (e) {
      layer.unreadable.push({ file, message: String((e as Error).message).split('\n')[0] });
      continue;
    }
    docs.forEach((doc, index) => {
      if (doc === null || doc === undefined) return;
      if (isBlueprintDocument(doc)) {
        const target = generated.get(file) ?? { configMap: '', key: path.posix.basename(file) };
        layer.blueprints.push({ ...storedBlueprint(file, target.configMap, target.key, text, doc), raw: true });
        return;
      }
      layer.documents.push({ file, index, doc });
      if (!isRecord(doc) || doc.kind !== 'ConfigMap' || !isRecord(doc.metadata) || !isRecord(doc.data)) return;
      const name = typeof doc.metadata.name === 'string' ? doc.metadata.name : '';
      for (const key of Object.keys(doc.data).sort()) {
        const data = String(doc.data[key]);
        let bp: unknown;
        try {
          bp = loadYaml(data, { schema: BLUEPRINT_SCHEMA });
        } catch (e) {
          layer.unreadable.push({ file: `${file} (ConfigMap ${name}, key ${key})`, message: String((e as Error).message).split('\n')[0] });
          continue;
        }
        if (isBlueprintDocument(bp)) layer.blueprints.push(storedBlueprint(file, name, key, data, bp));
      }
    });
  }
  return layer;
}
