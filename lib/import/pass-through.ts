// What the config cannot model goes into authentik.passThrough (docs/pass-through.md), never left
// to be deleted: adopting a layer never requires deleting or re-modelling an object.
//
// A live raw blueprint file whose entries are all carried, inside the draft's repository and not
// converted on import, is pointed at in place (it stays byte for byte the operator's). Every other
// live blueprint (one that mixes modelled and unmodelled entries, one inside a ConfigMap, one outside
// the repository, one whose old-format fields were converted) has its carried entries written to a
// new file next to the draft, `<draft>.pass-through/<live file>.yaml`, with the live metadata labels
// and context. A `!KeyOf` to an entry that the config now generates cannot resolve in that new file,
// so it becomes a `!Find` by that entry's identifiers (the same object, found by its identity).
import path from 'node:path';
import { BLUEPRINT_SCHEMA, Find, KeyOf } from '../upstream/blueprint-tags';
import { dumpYaml } from '../yaml/emit';
import { loadYaml } from '../readback/yaml';
import { isRecord } from '../base/records';
import { passThroughEntryProblems, type PassThroughSource } from '../blueprints/pass-through';
import type { BlueprintEntry } from '../upstream/blueprint-types';
import { blueprintLabel, type Doc, type ImportedBlueprint } from './read';
import { idsOf, type DraftContext, type Located } from './context';

/** Where the draft's pass-through paths start (the repository root) and where new files go in it. */
export interface PassThroughPlace {
  /** Absolute directory the config's `file` paths are relative to (lib/pipeline/pass-through.ts). */
  readonly base: string;
  /** The directory for new files, relative to `base` (`/`-separated). */
  readonly dir: string;
  /** The Authentik minor the draft runs (undefined: unsupported, entries are carried as they are). */
  readonly minor?: string;
}

export interface CarriedFiles {
  /** authentik.passThrough of the draft. */
  entries: Doc[];
  /** Every listed file's text (what synth will read), new or in place. */
  sources: PassThroughSource[];
  /** The new files to write beside the draft: repository path → text. */
  written: Map<string, string>;
}

/** The live document of a blueprint, for its metadata labels and context (its entries were read already). */
function liveDoc(bp: ImportedBlueprint): Doc {
  try {
    const doc = loadYaml(bp.text, { schema: BLUEPRINT_SCHEMA });
    return isRecord(doc) ? doc : {};
  } catch {
    return {};
  }
}

/** A `!Find` for an entry's identity: its identifiers, references among them followed the same way. */
function findFor(bp: ImportedBlueprint, target: Doc, keep: ReadonlySet<string>, depth: number): Find | undefined {
  const query: Array<readonly [string, string]> = [];
  for (const [field, v] of Object.entries(idsOf(target))) {
    const value = typeof v === 'string' || typeof v === 'number' ? v : rewrite(bp, v, keep, depth + 1);
    if (value === undefined || (typeof value === 'object' && !(value instanceof Find || value instanceof KeyOf))) return undefined;
    // Find's query values are strings in our own blueprints; a nested reference is kept as the tag (Authentik resolves it).
    query.push([field, value as unknown as string]);
  }
  return query.length && typeof target.model === 'string' ? new Find(target.model, ...query) : undefined;
}

/** `v` with each `!KeyOf` to an entry not carried along replaced by a `!Find` (undefined: cannot be). */
function rewrite(bp: ImportedBlueprint, v: unknown, keep: ReadonlySet<string>, depth = 0): unknown {
  if (depth > 8) return undefined;
  if (v instanceof KeyOf) {
    if (keep.has(v.id)) return v;
    const target = bp.entries.find((e) => e.id === v.id);
    return target ? findFor(bp, target, keep, depth) : undefined;
  }
  if (Array.isArray(v)) {
    const out = v.map((x) => rewrite(bp, x, keep, depth));
    return out.includes(undefined) ? undefined : out;
  }
  if (isRecord(v) && v.constructor === Object) {
    const out: Doc = {};
    for (const [k, x] of Object.entries(v)) {
      const r = rewrite(bp, x, keep, depth);
      if (r === undefined) return undefined;
      out[k] = r;
    }
    return out;
  }
  return v;
}

/** The file name of a live blueprint's carried entries: its own file or key, made unique. */
function newFileName(bp: ImportedBlueprint, taken: Set<string>): string {
  const stem =
    path.posix
      .basename(bp.key || bp.file)
      .replace(/\.ya?ml$/, '')
      .replace(/[^-._a-zA-Z0-9]+/g, '-') || 'blueprint';
  let name = `${stem}.yaml`;
  for (let n = 2; taken.has(name); n++) name = `${stem}-${n}.yaml`;
  taken.add(name);
  return name;
}

/**
 * What the live entry gets wrong against the minor, left out of the copy with a line each: a field
 * the serializer does not know (Authentik drops it today: nothing changes) and a null where the
 * field takes none (Authentik refuses the whole file today: the copy applies, as its author meant).
 */
function repaired(ctx: DraftContext, l: Located, e: Doc, minor: string | undefined): Doc {
  if (minor === undefined || !isRecord(e.attrs)) return e;
  const entry = { ...e, identifiers: isRecord(e.identifiers) ? e.identifiers : {} } as unknown as BlueprintEntry;
  const attrs: Doc = { ...e.attrs };
  for (const [field, what] of passThroughEntryProblems(entry, minor)) {
    if (!(field in attrs)) continue;
    if (what.startsWith('unknown field')) {
      delete attrs[field];
      ctx.notes.push(
        `${ctx.at(l)}: attrs.${field} is not a field of ${String(e.model)} in Authentik ${minor}, which drops it today; the pass-through copy leaves it out`,
      );
    } else if (what.startsWith('is null but the field is not nullable')) {
      delete attrs[field];
      ctx.notes.push(
        `${ctx.at(l)}: attrs.${field} is null, which Authentik ${minor} refuses (the whole live file fails today); the pass-through copy leaves it out, so the file applies after adoption: review it`,
      );
    }
  }
  return { ...e, attrs };
}

/** The text of a new file: the carried entries under the live metadata and context. */
function carriedText(ctx: DraftContext, bp: ImportedBlueprint, carried: Located[], place: PassThroughPlace): string {
  const live = liveDoc(bp);
  const keep = new Set(carried.map((l) => l.e.id).filter((id): id is string => typeof id === 'string'));
  const entries = carried.flatMap((l) => {
    const e = rewrite(bp, l.e, keep);
    if (isRecord(e)) return [repaired(ctx, l, e, place.minor)];
    ctx.notes.push(
      `${ctx.at(l)}: refers by !KeyOf to an entry the config now generates, by no identity a !Find could use; carried unchanged, review it`,
    );
    return [l.e];
  });
  const meta = isRecord(live.metadata) ? live.metadata : {};
  const doc: Doc = {
    version: 1,
    metadata: {
      name: `${bp.name || path.posix.basename(bp.key).replace(/\.ya?ml$/, '')} (kept)`,
      ...(isRecord(meta.labels) ? { labels: meta.labels } : {}),
    },
    ...(live.context !== undefined ? { context: live.context } : {}),
    entries,
  };
  const body = dumpYaml(doc, BLUEPRINT_SCHEMA).replace(/(!Find|!Env|!Condition) $/gm, '$1');
  return `# Kept as it is by unified-auth (authentik.passThrough): entries of the live blueprint ${JSON.stringify(bp.name || bp.key)} the config does not model.\n${body}`;
}

/** A live raw file kept in place: all its entries carried, unchanged on import (no old format converted), inside the repository. */
function inPlace(bp: ImportedBlueprint, carried: Located[], place: PassThroughPlace): string | undefined {
  if (!bp.raw || carried.length !== bp.entries.length) return undefined;
  const live = liveDoc(bp).entries;
  if (JSON.stringify(live) !== JSON.stringify(bp.entries)) return undefined;
  // A file the minor refuses in part is copied with those parts left out (repaired), never kept in place.
  const sound = (e: Doc) =>
    place.minor === undefined ||
    passThroughEntryProblems({ ...e, identifiers: isRecord(e.identifiers) ? e.identifiers : {} } as unknown as BlueprintEntry, place.minor)
      .length === 0;
  if (!bp.entries.every(sound)) return undefined;
  const rel = path.relative(place.base, path.resolve(bp.where)).split(path.sep).join('/');
  return rel.startsWith('..') || path.isAbsolute(rel) ? undefined : rel;
}

/** The draft's authentik.passThrough for the entries the config does not represent, and their files. */
export function carryThrough(ctx: DraftContext, carried: ReadonlyArray<Located>, place: PassThroughPlace): CarriedFiles {
  const byBlueprint = new Map<ImportedBlueprint, Located[]>();
  for (const l of carried) byBlueprint.set(l.bp, [...(byBlueprint.get(l.bp) ?? []), l]);
  // In file order, whichever step carried them.
  for (const ls of byBlueprint.values()) ls.sort((a, b) => a.index - b.index);
  const out: CarriedFiles = { entries: [], sources: [], written: new Map() };
  const taken = new Set<string>();
  for (const [bp, ls] of byBlueprint) {
    const kept = inPlace(bp, ls, place);
    if (kept !== undefined) {
      const own = bp.configMap && path.posix.basename(kept) === bp.key && ctx.claimConfigMap(bp.configMap, bp, true);
      out.entries.push(own ? { file: kept, configMapName: bp.configMap } : { file: kept });
      out.sources.push({ file: kept, text: bp.text });
      ctx.notes.push(`${blueprintLabel(bp)}: kept in place as a pass-through blueprint (authentik.passThrough: ${kept})`);
      continue;
    }
    const file = path.posix.join(place.dir, newFileName(bp, taken));
    const text = carriedText(ctx, bp, ls, place);
    // The live ConfigMap, if no generated blueprint keeps it: not pruned, and with the same data key
    // the worker mounts the file at the same path, so Authentik's blueprint instance stays.
    const keep =
      bp.configMap && path.posix.basename(file) === bp.key && ctx.claimConfigMap(bp.configMap, bp, ls.length === bp.entries.length);
    out.entries.push(keep ? { file, configMapName: bp.configMap } : { file });
    out.sources.push({ file, text });
    out.written.set(file, text);
    ctx.notes.push(
      `${blueprintLabel(bp)}: ${ls.length} entries the config does not model are kept, unchanged, in the pass-through blueprint ${file}`,
    );
  }
  return out;
}
