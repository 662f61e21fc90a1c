// What every part of the draft (draft.ts) shares: the imported entries, the entries already
// represented, the printed lines and review comments, and the blueprint names taken over.
import { Find, KeyOf } from '../upstream/blueprint-tags';
import { MODEL } from '../upstream/authentik-models';
import { blueprintLabel, entryLabel, type Doc, type ImportedBlueprint, type ImportedLayer } from './read';
import { isRecord } from '../base/records';

export interface Located {
  bp: ImportedBlueprint;
  index: number;
  e: Doc;
}

export const attrsOf = (e: Doc): Doc => (isRecord(e.attrs) ? e.attrs : {});
export const idsOf = (e: Doc): Doc => (isRecord(e.identifiers) ? e.identifiers : {});
export const present = (e: Doc) => e.state !== 'absent';
export const groupOfFind = (v: unknown): string | undefined =>
  v instanceof Find && v.model === MODEL.group && v.query.length === 1 && v.query[0][0] === 'name' ? v.query[0][1] : undefined;
export const httpHostname = (url: string): string | undefined => /^https?:\/\/([^/:\s]+)/.exec(url)?.[1];

export class DraftContext {
  /** Every entry of every imported blueprint. */
  readonly all: Located[];
  /** Entries the draft represents; every other one is a printed line. */
  readonly used = new Set<Doc>();
  /** One line per thing the config cannot represent or the draft had to guess. */
  readonly notes: string[] = [];
  /** Config path (as in config errors: `services[3].oidc.providerName`) → review comment. */
  readonly comments = new Map<string, string>();
  /** The shared blueprints' names found while walking the entries (authentik.blueprints). */
  readonly sharedBlueprints: Doc = {};
  // The config gives each blueprint a ConfigMap of its own: the first blueprint of a ConfigMap
  // keeps it (so the ConfigMap is updated, not pruned), the others move to a generated one.
  private readonly claimed = new Map<string, ImportedBlueprint>();

  constructor(readonly layer: ImportedLayer) {
    this.all = layer.blueprints.flatMap((bp) => bp.entries.map((e, index) => ({ bp, index, e })));
  }

  byModel = (model: string): Located[] => this.all.filter((l) => l.e.model === model);
  at = (l: Located): string => entryLabel(l.bp, l.index, l.e);

  /**
   * The entry a reference names: a `!KeyOf` in its own blueprint, or a `!Find` by any fields, whose
   * values may be references themselves (nested `!Find`), anywhere in the layer. Authentik's
   * `!Find` (blueprints/v1/common.py Find.resolve) filters the model by every pair and takes the
   * first match: here only a single match counts, so an ambiguous or unknown one (or a primary key,
   * which only the database knows) is undefined and the caller carries the entry through.
   */
  resolveRef(v: unknown, bp: ImportedBlueprint, depth = 0): Located | undefined {
    if (v instanceof KeyOf) {
      const index = bp.entries.findIndex((e) => e.id === v.id);
      return index >= 0 ? { bp, index, e: bp.entries[index] } : undefined;
    }
    if (!(v instanceof Find) || v.query.length === 0 || depth > 8) return undefined;
    const matches = this.all.filter(
      (l) => l.e.model === v.model && present(l.e) && v.query.every(([field, want]) => this.sameValue(l, field, want, bp, depth)),
    );
    return matches.length === 1 ? matches[0] : undefined;
  }

  /** Whether entry l's field is `want`: a plain value, or the entry a nested reference names. */
  private sameValue(l: Located, field: string, want: unknown, bp: ImportedBlueprint, depth: number): boolean {
    const have = idsOf(l.e)[field] ?? attrsOf(l.e)[field];
    if (!(want instanceof Find || want instanceof KeyOf)) return have === want;
    const target = this.resolveRef(want, bp, depth + 1);
    return target !== undefined && this.resolveRef(have, l.bp, depth + 1)?.e === target.e;
  }

  /**
   * Take a live ConfigMap for a pass-through file if no generated blueprint has it (true: taken).
   * `whole`: every entry of `bp` is carried, so a claim `bp` made itself is not in use.
   */
  claimConfigMap(name: string, bp: ImportedBlueprint, whole: boolean): boolean {
    const owner = this.claimed.get(name);
    if (owner !== undefined && !(owner === bp && whole)) return false;
    this.claimed.set(name, bp);
    return true;
  }

  /** The blueprint's identity as the config's `blueprint:` override (undefined: its ConfigMap is taken). */
  blueprintRef(bp: ImportedBlueprint, what: string): Doc | undefined {
    const configMapName = bp.configMap || bp.key.replace(/\.ya?ml$/, '');
    const owner = this.claimed.get(configMapName);
    if (owner && owner !== bp) {
      this.notes.push(
        `${blueprintLabel(bp)}: shares ConfigMap ${configMapName} with ${blueprintLabel(owner)}; the config gives each blueprint a ConfigMap of its own, so ${what} moves to a generated blueprint (the ConfigMap keeps ${owner.key} only)`,
      );
      return undefined;
    }
    this.claimed.set(configMapName, bp);
    // A blueprint without metadata.name: Authentik finds its instance by path, not name
    // (blueprints/v1/tasks.py check_blueprint_v1_file), so a name from the file keeps it.
    const ref: Doc = { name: bp.name || bp.key.replace(/\.ya?ml$/, ''), configMapName };
    if (bp.key !== `${configMapName}.yaml`) ref.fileName = bp.key;
    if (!bp.configMap)
      this.notes.push(
        `${blueprintLabel(bp)}: no ConfigMap found for this raw blueprint file (no kustomization configMapGenerator lists it); the draft names its ConfigMap after the file, set the name your cluster uses`,
      );
    if (!bp.name)
      this.notes.push(
        `${blueprintLabel(bp)}: the blueprint has no metadata.name; the draft names it ${String(ref.name)} (Authentik finds the blueprint instance by its file path, which stays)`,
      );
    return ref;
  }
}
