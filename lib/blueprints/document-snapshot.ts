// A copy of a document as js-yaml's dumper reads it, and an exact comparison with one, so a
// rendering can be reused while its document is unchanged (lib/blueprints/build.ts blueprintText):
// walking a document costs a fraction of dumping it. Exact means every difference that could change
// the dumped bytes is a difference here: key order, -0, a tag's class, a value's type.
import { Condition, Env, Find, KeyOf } from '../upstream/blueprint-tags';
import { MAX_YAML_NODES } from '../readback/yaml';

/** A document that cannot be copied as the dumper reads it (an object of another class, too many nodes). */
class NotCopied extends Error {}

const PLAIN = new Set<unknown>([Object.prototype, null]);
/**
 * The classes BLUEPRINT_SCHEMA dumps as tags (its types with `instanceOf`), read back as the same
 * class. Not OpaqueTag: it is only read, and dumps as a plain mapping that reads back as one.
 */
const TAGS = new Set<unknown>([KeyOf.prototype, Find.prototype, Env.prototype, Condition.prototype]);
const isTag = (v: object) => TAGS.has(Object.getPrototypeOf(v));

/** Own enumerable keys as the dumper writes them: a plain object's undefined values are left out. */
const keysOf = (o: object, tag: boolean): string[] =>
  tag ? Object.keys(o) : Object.keys(o).filter((k) => (o as Record<string, unknown>)[k] !== undefined);

/**
 * The document as the dumper writes it and js-yaml reads it back: plain objects without their
 * undefined values, arrays with undefined (or a hole) as null, tags (KeyOf, Find, ...) of their own
 * class with every field. Undefined when it has an object of another class (a Date dumps as a
 * timestamp) or more nodes than a reader accepts (lib/readback/yaml.ts): never reused then.
 */
export function snapshotDocument(doc: unknown, maxNodes = MAX_YAML_NODES): unknown {
  const count = { nodes: 0, max: maxNodes };
  try {
    return copy(doc, count);
  } catch (e) {
    if (e instanceof NotCopied) return undefined;
    throw e;
  }
}

function copy(v: unknown, count: { nodes: number; max: number }): unknown {
  if (++count.nodes > count.max) throw new NotCopied();
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return Array.from({ length: v.length }, (_, i) => copy(v[i] === undefined ? null : v[i], count));
  const proto: unknown = Object.getPrototypeOf(v);
  const tag = isTag(v);
  if (!tag && !PLAIN.has(proto)) throw new NotCopied();
  const out = Object.create(proto as object | null) as Record<string, unknown>;
  for (const k of keysOf(v, tag)) out[k] = copy((v as Record<string, unknown>)[k], count);
  return out;
}

/** Whether `doc` dumps as `snapshot` did: the same keys in the same order, classes and values (Object.is). */
export function sameDocument(doc: unknown, snapshot: unknown): boolean {
  if (doc === null || typeof doc !== 'object') return Object.is(doc, snapshot);
  if (snapshot === null || typeof snapshot !== 'object') return false;
  if (Array.isArray(doc)) {
    if (!Array.isArray(snapshot) || doc.length !== snapshot.length) return false;
    for (let i = 0; i < doc.length; i++) if (!sameDocument(doc[i] === undefined ? null : doc[i], snapshot[i])) return false;
    return true;
  }
  if (Array.isArray(snapshot) || Object.getPrototypeOf(doc) !== Object.getPrototypeOf(snapshot)) return false;
  const tag = isTag(doc);
  if (!tag && !PLAIN.has(Object.getPrototypeOf(doc))) return false;
  const a = keysOf(doc, tag);
  const b = Object.keys(snapshot);
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++)
    if (a[i] !== b[i] || !sameDocument((doc as Record<string, unknown>)[a[i]], (snapshot as Record<string, unknown>)[b[i]])) return false;
  return true;
}
