// Pass-through blueprints (authentik.passThrough, docs/pass-through.md): the user's own blueprint
// files for what the config does not model (flows, stages, policies, other provider kinds, users,
// brands, sources). Their text is kept byte for byte; it is parsed only to check each entry against
// the configured minor's serializers and to count what it creates (orphan guard, plan).
import { PassThroughError } from '../base/errors';
import { loadYaml } from '../readback/yaml';
import { isRecord } from '../base/records';
import type { PassThroughRef } from '../model/types';
import { checkEntry, type ApiSchemas, type EntryRules } from '../upstream/api-schema';
import { BLUEPRINT_SCHEMA } from '../upstream/blueprint-tags';
import type { Blueprint, BlueprintEntry } from '../upstream/blueprint-types';

/** A pass-through file as read from the repository (lib/pipeline/pass-through.ts reads it, bounded). */
export interface PassThroughSource {
  /** Its repository path, as the config lists it. */
  readonly file: string;
  readonly text: string;
}

/** A pass-through blueprint: typed entries for the checks, the text as written for the ConfigMap. */
export interface PassThroughBlueprint extends Blueprint {
  /** The file's text, written into the ConfigMap unchanged. */
  text: string;
  /** Its repository path (authentik.passThrough[].file). */
  file: string;
}

/**
 * Every blueprint model of a minor → its API serializer, with those serializers (bin/import-authentik-api.cjs
 * extracts them from @goauthentik/api: its ModelEnum lists the models Authentik's blueprint importer accepts).
 */
interface ModelsExtract {
  models: Readonly<Record<string, string>>;
  schemas: Readonly<Record<string, unknown>>;
}
/* eslint-disable @typescript-eslint/no-require-imports -- loaded on first use: ~140 kB each, and most runs keep no pass-through file */
const LOADERS: Readonly<Record<string, () => ModelsExtract>> = {
  '2026.2': () => require('../../imports/authentik-models-2026.2.json') as ModelsExtract,
  '2026.5': () => require('../../imports/authentik-models-2026.5.json') as ModelsExtract,
  '2026.8': () => require('../../imports/authentik-models-2026.8.json') as ModelsExtract,
};
/* eslint-enable @typescript-eslint/no-require-imports */
const modelsOf = (minor: string): ModelsExtract | undefined => LOADERS[minor]?.();

/** `authentik.passThrough[i].file: <file>: <what>`: one line naming the config path and the file. */
const fail = (i: number, file: string, what: string) => new PassThroughError(`authentik.passThrough[${i}].file: ${file}: ${what}`);

/** Parse one file into a blueprint under its ref; throws PassThroughError for anything not a blueprint. */
function parse(ref: PassThroughRef, text: string, i: number): PassThroughBlueprint {
  let doc: unknown;
  try {
    doc = loadYaml(text, { schema: BLUEPRINT_SCHEMA });
  } catch (e) {
    throw fail(i, ref.file, `is not valid YAML (${String((e as Error).message).split('\n')[0]})`);
  }
  if (!isRecord(doc) || doc.version === undefined || !Array.isArray(doc.entries))
    throw fail(i, ref.file, 'is not an Authentik blueprint (a mapping with version and a list of entries)');
  doc.entries.forEach((e, n) => {
    if (!isRecord(e) || typeof e.model !== 'string') throw fail(i, ref.file, `entry ${n} has no model`);
  });
  const meta = isRecord(doc.metadata) ? doc.metadata : {};
  return {
    name: typeof meta.name === 'string' ? meta.name : '',
    configMapName: ref.configMapName,
    fileName: ref.fileName,
    entries: (doc.entries as BlueprintEntry[]).map((e) => ({ ...e, identifiers: isRecord(e.identifiers) ? e.identifiers : {} })),
    text,
    file: ref.file,
  };
}

/** The configured pass-through blueprints, from their files' texts (a missing text is a bug of the caller). */
export function passThroughBlueprints(
  refs: ReadonlyArray<PassThroughRef>,
  sources: ReadonlyArray<PassThroughSource>,
): PassThroughBlueprint[] {
  return refs.map((ref, i) => {
    const src = sources.find((s) => s.file === ref.file);
    if (src === undefined) throw new Error(`pass-through file ${ref.file} was not read before rendering`);
    return parse(ref, src.text, i);
  });
}

/**
 * Each entry against the configured minor's serializer of its model: an unknown model or field is
 * a problem (Authentik refuses the model, or silently drops the field). Required fields are not
 * enforced: an entry may update an object that exists, which Authentik's importer does as a
 * partial update (authentik/blueprints/v1/importer.py, Importer._validate_single).
 */
/** One entry's problems against the minor's serializer of its model, as [field path, what]. */
export function passThroughEntryProblems(entry: BlueprintEntry, minor: string): Array<[string, string]> {
  const extract = modelsOf(minor);
  if (extract === undefined) return [['-', `Authentik ${minor} has no model list to check it against`]];
  const rules: EntryRules = {
    serializerOf: (model) => extract.models[model],
    unknownModel: (model) => `model ${model} is not one Authentik ${minor} accepts in a blueprint`,
    requireAll: false,
  };
  return checkEntry(entry, extract.schemas as ApiSchemas, rules);
}

export function validatePassThrough(
  bp: { readonly file: string; readonly entries: ReadonlyArray<BlueprintEntry> },
  minor: string,
  only: (e: BlueprintEntry) => boolean = () => true,
): string[] {
  return bp.entries.flatMap((entry, i) =>
    !only(entry)
      ? []
      : passThroughEntryProblems(entry, minor).map(
          ([field, what]) =>
            `${bp.file} entry ${i} (${entry.id ?? entry.model}) field ${field}: ${what} (pass-through, Authentik ${minor})`,
        ),
  );
}
