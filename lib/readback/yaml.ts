// YAML as the tool reads it: js-yaml 4 resolves an alias to the same object, so parsing an alias
// bomb is cheap, but anything that walks the result (the checks, the plan, a JSON copy) walks
// every expansion: 573 bytes can stand for billions of nodes. A document whose aliases expand to
// more than MAX_YAML_NODES nodes is refused as not valid YAML.
import yaml from 'js-yaml';

/** The most nodes a YAML document may stand for with its aliases expanded (docs/bounded-reading.md). */
export const MAX_YAML_NODES = 1_000_000;

/** A document over the limit (a YAMLException-like error: callers report it as a parse failure). */
export class YamlLimitError extends Error {}

/** Nodes `v` stands for, aliases expanded, counted once per object by memo; throws past the limit. */
function expandedSize(v: unknown, memo: Map<object, number>, open: Set<object>): number {
  if (v === null || typeof v !== 'object') return 1;
  const known = memo.get(v);
  if (known !== undefined) return known;
  if (open.has(v)) throw new YamlLimitError('an alias refers to the node that contains it');
  open.add(v);
  let n = 1;
  for (const child of Object.values(v)) {
    n += expandedSize(child, memo, open);
    if (n > MAX_YAML_NODES)
      throw new YamlLimitError(`its aliases expand to more than ${MAX_YAML_NODES} nodes (an alias bomb?); refusing to read it`);
  }
  open.delete(v);
  memo.set(v, n);
  return n;
}

/** Throw when a parsed document stands for too many nodes. */
export function assertYamlBounded(doc: unknown): void {
  expandedSize(doc, new Map(), new Set());
}

/** yaml.load with the expansion limit. */
export function loadYaml(text: string, opts?: yaml.LoadOptions): unknown {
  const doc = yaml.load(text, opts);
  assertYamlBounded(doc);
  return doc;
}

/** yaml.loadAll with the expansion limit (over all documents together). */
export function loadAllYaml(text: string, opts?: yaml.LoadOptions): unknown[] {
  const docs = yaml.loadAll(text, undefined, opts);
  assertYamlBounded(docs);
  return docs;
}
