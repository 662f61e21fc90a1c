// Reads the directories `npm run import` is given: every blueprint (ConfigMaps and raw files,
// lib/previous/hand-written.ts), the Authentik and ArgoCD values files, the ClusterRoleBindings,
// the LoadBalancer Service and the ArgoCD Applications. Anything else that is YAML but neither a
// Kubernetes object nor a blueprint nor a values file is refused: one ImportError line, and nothing
// is written. Pre-2026.x fields with one plain meaning are converted (convert.ts), others refused. A file that
// does not parse is left out (Authentik cannot apply it either) and named in `skipped`.
import fs from 'node:fs';
import path from 'node:path';
import { readTree, type Tree } from '../readback/tree';
import { readHandWrittenLayer, type StoredBlueprint } from '../previous/hand-written';
import { UserError } from '../base/errors';
import { isRecord } from '../base/records';
import { convertEntry } from './convert';
import { KUSTOMIZATION_FILE, readKustomization } from './kustomization';

/** Bad input: one line, exit 1, nothing written. */
export class ImportError extends UserError {
  override readonly kind = 'import error';
}

export type Doc = Record<string, unknown>;

/** A blueprint of the imported layer, with where it was found (for the printed lines). */
export interface ImportedBlueprint extends StoredBlueprint {
  /** `<dir>/<file>`, as the operator typed the directory. */
  where: string;
}

export interface ImportedLayer {
  dirs: string[];
  blueprints: ImportedBlueprint[];
  /** Kubernetes objects, with `<dir>/<file>`. */
  objects: Array<{ where: string; doc: Doc }>;
  /** Helm values files, with `<dir>/<file>` and the path inside the git repository that holds them (when found). */
  values: Array<{ chart: 'authentik' | 'argocd'; where: string; repoPath: string; repoPathGuessed?: true; doc: Doc }>;
  /** Files (or ConfigMap keys) that do not parse, as `<dir>/<file>`, with the parser's reason: left out of the draft and the guards. */
  skipped: Array<{ where: string; message: string }>;
  /** One line per pre-2026.x field converted (convert.ts): what was rewritten and what Authentik does today. */
  converted: string[];
}

const get = (o: unknown, ...keys: string[]): unknown => keys.reduce<unknown>((v, k) => (isRecord(v) ? v[k] : undefined), o);

/** Which chart a values file configures, by keys only that chart has (undefined: neither). */
export function valuesChart(doc: Doc): 'authentik' | 'argocd' | undefined {
  const env = get(doc, 'global', 'env');
  const authentikEnv = Array.isArray(env) && env.some((e) => isRecord(e) && typeof e.name === 'string' && e.name.startsWith('AUTHENTIK_'));
  if (authentikEnv || isRecord(doc.authentik) || isRecord(get(doc, 'blueprints')) || isRecord(get(doc, 'worker'))) return 'authentik';
  if (isRecord(get(doc, 'configs')) || isRecord(doc.dex) || isRecord(doc.repoServer) || isRecord(doc.applicationSet)) return 'argocd';
  return undefined;
}

/** ArgoCD's `$values/<path>` references anywhere in the layer's text (Helm templates included). */
const valuesRefsIn = (texts: Iterable<string>): string[] =>
  [...texts].flatMap((t) => [...t.matchAll(/\$values\/([^\s'"\]},]+)/g)].map((m) => m[1]));

/**
 * The file's path inside the git repository that holds it: below the `.git` entry, or else (a copy
 * without a checkout) the `$values/<path>` an ArgoCD Application of the layer names it by.
 */
function repoPathOf(file: string, refs: ReadonlyArray<string>): string | undefined {
  const abs = path.resolve(file).split(path.sep).join('/');
  let dir = path.dirname(path.resolve(file));
  for (;;) {
    if (fs.existsSync(path.join(dir, '.git'))) return path.relative(dir, path.resolve(file)).split(path.sep).join('/');
    const up = path.dirname(dir);
    if (up === dir) return refs.find((r) => abs.endsWith(`/${r}`));
    dir = up;
  }
}

const entryLabel = (bp: ImportedBlueprint, i: number, e: Doc): string => {
  const ids = isRecord(e.identifiers) ? Object.entries(e.identifiers).filter(([, v]) => typeof v === 'string') : [];
  const name = isRecord(e.attrs) && typeof e.attrs.name === 'string' ? e.attrs.name : undefined;
  const id = ids.length ? ids.map(([k, v]) => `${k}=${String(v)}`).join(', ') : name ? `name=${name}` : '';
  return `${blueprintLabel(bp)} entry ${i + 1} (${String(e.model)}${id ? ` ${id}` : ''})`;
};

/** `<dir>/<file>` and, for a ConfigMap, which one and which key. */
export const blueprintLabel = (bp: ImportedBlueprint): string =>
  bp.raw ? bp.where : `${bp.where} (ConfigMap ${bp.configMap}, key ${bp.key})`;

export { entryLabel };

/** Converts each entry's pre-2026.x fields (convert.ts); refuses the first without an unambiguous meaning. */
function convertOldFormats(bp: ImportedBlueprint, converted: string[]): void {
  for (const [i, e] of bp.entries.entries()) {
    const { lines, refuse } = convertEntry(e);
    if (refuse) throw new ImportError(`${entryLabel(bp, i, e)}: ${refuse}`);
    for (const l of lines) converted.push(`${entryLabel(bp, i, e)}: ${l}`);
  }
}

/** A rewrite of each directory's files before they are parsed (Flux post-build variables, substitute.ts). */
export type TreeTransform = (tree: Tree, dir: string) => Tree;

/** Reads every --from directory (but the file `exclude`, a previous draft); throws ImportError on the first bad input. */
export function readImportDirs(dirs: ReadonlyArray<string>, exclude?: string, transform?: TreeTransform): ImportedLayer {
  const out: ImportedLayer = { dirs: [...dirs], blueprints: [], objects: [], values: [], skipped: [], converted: [] };
  const trees = dirs.map((dir) => {
    const st = fs.statSync(dir, { throwIfNoEntry: false });
    if (!st) throw new ImportError(`--from ${dir}: no such directory`);
    if (!st.isDirectory()) throw new ImportError(`--from ${dir}: is a file, not a directory`);
    const tree = readTree(dir);
    if (exclude) tree.delete(path.relative(dir, exclude).split(path.sep).join('/'));
    return transform ? transform(tree, dir) : tree;
  });
  const refs = valuesRefsIn(trees.flatMap((t) => [...t.values()]));
  for (const [n, dir] of dirs.entries()) {
    const tree = trees[n];
    const layer = readHandWrittenLayer(tree);
    const at = (file: string) => path.join(dir, file);
    for (const u of layer.unreadable) out.skipped.push({ where: at(u.file), message: u.message });
    for (const bp of layer.blueprints) {
      const imported = { ...bp, where: at(bp.file) };
      const version = (bp.text.match(/^version:\s*["']?([^\s"']+)/m) ?? [])[1];
      if (version !== undefined && version !== '1')
        throw new ImportError(`${blueprintLabel(imported)}: blueprint version ${version}: Authentik 2026.x reads version 1 only`);
      convertOldFormats(imported, out.converted);
      out.blueprints.push(imported);
    }
    for (const d of layer.documents) {
      const where = at(d.file);
      if (!isRecord(d.doc))
        throw new ImportError(`${where}: document ${d.index + 1} is neither a blueprint nor a Kubernetes object nor a values file`);
      // kustomize defaults a kustomization's kind and apiVersion: valid without them (kustomization.ts).
      const kustomization = KUSTOMIZATION_FILE.test(d.file) ? readKustomization(d.doc) : undefined;
      if (kustomization && 'refuse' in kustomization)
        throw new ImportError(`${where}: document ${d.index + 1} is not a kustomization kustomize accepts: ${kustomization.refuse}`);
      if (kustomization) {
        out.objects.push({ where, doc: kustomization.doc });
        continue;
      }
      if (typeof d.doc.kind === 'string' && typeof d.doc.apiVersion === 'string') {
        out.objects.push({ where, doc: d.doc });
        continue;
      }
      const chart = valuesChart(d.doc);
      if (!chart)
        throw new ImportError(
          `${where}: document ${d.index + 1} is YAML but not a blueprint (no version and entries), not a Kubernetes object and not an Authentik or ArgoCD values file; import only the directories of the auth layer`,
        );
      const found = repoPathOf(where, refs);
      // Nothing says where the repository starts: the --from directory's own name is the best
      // guess, and the draft says so (a relative path keeps it valid; ArgoCD names a wrong one).
      const repoPath = found ?? path.posix.join(path.basename(path.resolve(dir)), d.file);
      out.values.push({ chart, where, repoPath, ...(found ? {} : { repoPathGuessed: true }), doc: d.doc });
    }
  }
  const unparsed = out.skipped.length ? ` (${out.skipped[0].where} does not parse: ${out.skipped[0].message})` : '';
  if (out.blueprints.length === 0)
    throw new ImportError(
      `no blueprint found in ${dirs.join(', ')}${unparsed}: give the directories that hold the blueprint ConfigMaps or files`,
    );
  return out;
}
