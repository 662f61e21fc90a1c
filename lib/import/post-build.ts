// A Flux layer's own post-build variables: a Flux Kustomization among the imported directories
// whose spec.path is one of their directories substitutes its spec.postBuild.substitute map into
// the files below that directory (kustomize-controller docs/spec/v1/kustomizations.md, "Post build
// variable substitution"), so import uses that map there and `--substitute` overrides it, as the
// operator's word. spec.postBuild.substituteFrom names ConfigMaps and Secrets on the cluster, which
// import does not read: a variable only they could set (a default in the file included: Flux
// uses it only when they do not) is refused, one line naming the variables and the sources.
import path from 'node:path';
import type { Tree } from '../readback/tree';
import { loadAllYaml } from '../readback/yaml';
import { asString, isRecord, valueAt } from '../base/records';
import { ImportError } from './read';
import { FLUX_VAR_NAME, givenVars, substituteTree, type VarLookup } from './substitute';

/** One Flux Kustomization of the layer with a postBuild, and the directory it applies. */
export interface PostBuild {
  /** `<dir>/<file>` it was found in. */
  readonly where: string;
  /** `<namespace>/<name>`. */
  readonly name: string;
  /** spec.path without `./` and trailing `/`: matched against the end of a directory's path. */
  readonly path: string;
  readonly substitute: ReadonlyMap<string, string>;
  /** spec.postBuild.substituteFrom as `ConfigMap <name>` / `Secret <name>`. */
  readonly from: ReadonlyArray<string>;
}

const FLUX_KUSTOMIZATION = /^kustomize\.toolkit\.fluxcd\.io\//;

function substituteMap(where: string, name: string, m: unknown): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(isRecord(m) ? m : {})) {
    // Flux's API takes string values under valid names only: anything else never ran.
    if (!FLUX_VAR_NAME.test(k) || typeof v !== 'string')
      throw new ImportError(
        `${where}: Kustomization ${name} postBuild.substitute.${k}: Flux takes a string under a variable name (letters, digits and _) only`,
      );
    out.set(k, v);
  }
  return out;
}

function postBuildOf(where: string, doc: unknown): PostBuild | undefined {
  if (!isRecord(doc) || doc.kind !== 'Kustomization' || !FLUX_KUSTOMIZATION.test(String(doc.apiVersion))) return undefined;
  const post = valueAt(doc, 'spec', 'postBuild');
  const specPath = valueAt(doc, 'spec', 'path');
  // A path with a variable of its own, or the source's root, names no directory import can find.
  if (!isRecord(post) || typeof specPath !== 'string' || specPath.includes('${')) return undefined;
  const p = path.posix
    .normalize(specPath)
    .replace(/^(\.\/|\/)+/, '')
    .replace(/\/+$/, '');
  if (p === '' || p === '.') return undefined;
  const name = `${asString(valueAt(doc, 'metadata', 'namespace')) ?? ''}/${asString(valueAt(doc, 'metadata', 'name')) ?? ''}`;
  const from = (Array.isArray(post.substituteFrom) ? post.substituteFrom : [])
    .filter(isRecord)
    .map((s) => `${String(s.kind)} ${String(s.name)}`);
  return { where, name, path: p, substitute: substituteMap(where, name, post.substitute), from };
}

/** Every Flux Kustomization with a postBuild in the directories' trees (files that do not parse are the reader's to name). */
export function layerPostBuilds(trees: ReadonlyArray<{ dir: string; tree: Tree }>): PostBuild[] {
  const out: PostBuild[] = [];
  for (const { dir, tree } of trees)
    for (const [file, text] of tree) {
      if (!/\.ya?ml$/.test(file) || !text.includes('kustomize.toolkit.fluxcd.io')) continue;
      let docs: unknown[];
      try {
        docs = loadAllYaml(text);
      } catch {
        continue;
      }
      for (const d of docs) {
        const pb = postBuildOf(path.join(dir, file), d);
        if (pb) out.push(pb);
      }
    }
  return out;
}

/** The Kustomization that applies `absFile`: the one whose spec.path ends the deepest directory above it. */
export function applyingPostBuild(builds: ReadonlyArray<PostBuild>, absFile: string): PostBuild | undefined {
  const posix = path.resolve(absFile).split(path.sep).join('/');
  for (let dir = path.posix.dirname(posix); ; dir = path.posix.dirname(dir)) {
    const found = builds.find((b) => dir === `/${b.path}` || dir.endsWith(`/${b.path}`));
    if (found) return found;
    if (dir === path.posix.dirname(dir)) return undefined;
  }
}

/**
 * One directory's tree with its post-build variables replaced: below a Kustomization of the layer
 * its substitute map with `--substitute` (`given`) over it, elsewhere `given` alone.
 */
export function substituteLayer(tree: Tree, dir: string, builds: ReadonlyArray<PostBuild>, given: ReadonlyMap<string, string>): Tree {
  const unset = new Map<PostBuild, Set<string>>();
  const lookupFor = (file: string): VarLookup => {
    const b = applyingPostBuild(builds, path.join(dir, file));
    if (!b) return givenVars(given);
    const vars = new Map([...b.substitute, ...given]);
    return (name, fallback, where) => {
      const value = vars.get(name);
      if (value !== undefined || b.from.length === 0) return givenVars(vars)(name, fallback, where);
      unset.set(b, (unset.get(b) ?? new Set()).add(name));
      return '';
    };
  };
  const out = substituteTree(tree, lookupFor, dir);
  const [b, names] = [...unset][0] ?? [];
  if (b && names)
    throw new ImportError(
      `${b.where}: Kustomization ${b.name} takes ${[...names].map((n) => `\${${n}}`).join(', ')} from postBuild.substituteFrom (${b.from.join(', ')}), which import does not read (a default in the file counts only where they set nothing): give ${names.size > 1 ? 'each' : 'it'} with --substitute KEY=VALUE`,
    );
  return out;
}

/** One line per Kustomization whose substitute map import uses: which variables, where, and which --substitute overrides. */
export function postBuildLines(
  builds: ReadonlyArray<PostBuild>,
  trees: ReadonlyArray<{ dir: string; tree: Tree }>,
  given: ReadonlyMap<string, string>,
): string[] {
  const files = trees.flatMap(({ dir, tree }) => [...tree.keys()].filter((f) => /\.ya?ml$/.test(f)).map((f) => path.join(dir, f)));
  return builds.flatMap((b) => {
    const applied = files.filter((f) => applyingPostBuild(builds, f) === b).length;
    if (!applied || b.substitute.size === 0) return [];
    const over = [...b.substitute.keys()].filter((k) => given.has(k));
    return [
      `${b.where}: Kustomization ${b.name}'s postBuild.substitute gives ${[...b.substitute.keys()].join(', ')} to the ${applied} files under ${b.path}${over.length ? `; --substitute overrides ${over.join(', ')}` : ''}`,
    ];
  });
}
