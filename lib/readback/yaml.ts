// YAML as the tool reads it: js-yaml 4 resolves an alias to the same object, so parsing an alias
// bomb is cheap, but anything that walks the result (the checks, the plan, a JSON copy) walks
// every expansion: 573 bytes can stand for billions of nodes. A document whose aliases expand to
// more than MAX_YAML_NODES nodes is refused as not valid YAML.
import yaml from 'js-yaml';
import { readOwnYaml } from '../yaml/read-own';

/** The most nodes a YAML document may stand for with its aliases expanded (docs/bounded-reading.md). */
export const MAX_YAML_NODES = 1_000_000;

/** A document over the limit (a YAMLException-like error: callers report it as a parse failure). */
export class YamlLimitError extends Error {}

/** Nodes `v` stands for, aliases expanded, counted once per object by memo; throws past the limit. */
function expandedSize(v: unknown, memo: Map<object, number>, open: Set<object>, limit: number): number {
  if (v === null || typeof v !== 'object') return 1;
  const known = memo.get(v);
  if (known !== undefined) return known;
  if (open.has(v)) throw new YamlLimitError('an alias refers to the node that contains it');
  open.add(v);
  let n = 1;
  for (const child of Object.values(v)) {
    n += expandedSize(child, memo, open, limit);
    if (n > limit) throw overLimit();
  }
  open.delete(v);
  memo.set(v, n);
  return n;
}

/** Throw when a parsed document stands for too many nodes (`limit`: a test's smaller one). */
export function assertYamlBounded(doc: unknown, limit = MAX_YAML_NODES): void {
  expandedSize(doc, new Map(), new Set(), limit);
}

const overLimit = () => new YamlLimitError(`its aliases expand to more than ${MAX_YAML_NODES} nodes (an alias bomb?); refusing to read it`);

/**
 * assertYamlBounded for a tree read by ../yaml/read-own.ts: it has no aliases, so each node is
 * reached once and a plain count is its expanded size (the same limit, fired at the same count,
 * with the same error). `freeze`: frozen on the way as deepFreeze would, in the same one pass.
 */
export function assertOwnBounded(tree: unknown, freeze: boolean, limit = MAX_YAML_NODES): void {
  let count = 0;
  const visit = (v: unknown, freezing: boolean): void => {
    if (++count > limit) throw overLimit();
    if (v === null || typeof v !== 'object') return;
    // deepFreeze stops at an object frozen already: what is below it is left as it is.
    const below = freezing && !Object.isFrozen(v);
    if (below) Object.freeze(v);
    for (const child of Object.values(v)) visit(child, below);
  };
  visit(tree, freeze);
}

/** What this tool wrote, read without js-yaml's parser (lib/yaml/read-own.ts), when only a schema is given. */
const ownDocuments = (text: string, opts?: yaml.LoadOptions): unknown[] | undefined =>
  opts === undefined || Object.keys(opts).every((k) => k === 'schema') ? readOwnYaml(text, opts?.schema) : undefined;

/** yaml.load with the expansion limit. */
export const loadYaml = (text: string, opts?: yaml.LoadOptions): unknown => loadBounded(text, opts, false);

/** yaml.loadAll with the expansion limit (over all documents together). */
export const loadAllYaml = (text: string, opts?: yaml.LoadOptions): unknown[] => loadAllBounded(text, opts, false);

// `freeze` (loadYamlShared): a tree read-own.ts gave is frozen in the walk that counts it; one
// js-yaml gave is frozen after, by remember().
function loadBounded(text: string, opts: yaml.LoadOptions | undefined, freeze: boolean): unknown {
  const own = ownDocuments(text, opts);
  if (own?.length === 1) {
    assertOwnBounded(own[0], freeze);
    return own[0];
  }
  const doc = yaml.load(text, opts);
  assertYamlBounded(doc);
  return doc;
}

function loadAllBounded(text: string, opts: yaml.LoadOptions | undefined, freeze: boolean): unknown[] {
  const own = ownDocuments(text, opts);
  if (own) {
    assertOwnBounded(own, freeze);
    return own;
  }
  const docs = yaml.loadAll(text, undefined, opts);
  assertYamlBounded(docs);
  return docs;
}

/**
 * Parsed texts, by schema, then one document or all, then text: one run parses the same blueprint
 * text up to four times. The text itself is the key, so a long one is not copied to be hashed.
 */
const parsed = new Map<yaml.Schema | undefined, [one: Map<string, unknown>, all: Map<string, unknown>]>();
const PARSED_MAX = 512;

function deepFreeze<T>(v: T): T {
  if (v === null || typeof v !== 'object' || Object.isFrozen(v)) return v;
  Object.freeze(v);
  for (const child of Object.values(v)) deepFreeze(child);
  return v;
}

/**
 * loadYaml (`all`: loadAllYaml) for readers that only look: the same text (and schema) parsed
 * before in this process gives the same result, frozen, so no reader can change what another
 * sees. A pure function of the text; failures are not kept (each caller sees its own error).
 */
export function loadYamlShared(text: string, schema?: yaml.Schema, all = false): unknown {
  const texts = sharedOf(schema, all);
  return texts.has(text) ? texts.get(text) : parseShared(text, schema, all);
}

function sharedOf(schema: yaml.Schema | undefined, all: boolean): Map<string, unknown> {
  let bySchema = parsed.get(schema);
  if (!bySchema) parsed.set(schema, (bySchema = [new Map(), new Map()]));
  return bySchema[all ? 1 : 0];
}

function remember(schema: yaml.Schema | undefined, all: boolean, text: string, doc: unknown): void {
  const texts = sharedOf(schema, all);
  if (texts.size >= PARSED_MAX) texts.clear();
  texts.set(text, deepFreeze(doc));
}

/**
 * For a writer that has the document it dumped `text` from (`all`: the documents): readers of that
 * text (loadYamlShared, the same schema) get `doc` without parsing it. `doc` must be what
 * loadYaml(text, schema) (loadAllYaml) gives, in a copy the writer no longer changes
 * (lib/readback/document-snapshot.ts): it is frozen like a parsed one.
 */
export function rememberParsed(text: string, schema: yaml.Schema | undefined, doc: unknown, all = false): void {
  remember(schema, all, text, doc);
}

function parseShared(text: string, schema: yaml.Schema | undefined, all: boolean): unknown {
  const opts = schema ? { schema } : undefined;
  // A text read back by read-own.ts is frozen while it is counted (then deepFreeze stops at once).
  const doc = all ? loadAllBounded(text, opts, true) : loadBounded(text, opts, true);
  remember(schema, all, text, doc);
  return doc;
}
