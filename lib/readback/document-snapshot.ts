// A copy of a document as js-yaml's dumper reads it, and an exact comparison with one, so a
// rendering can be reused while its document is unchanged (lib/blueprints/build.ts blueprintText)
// and a reader of the text can be given the copy instead of a parse (lib/readback/yaml.ts
// rememberParsed): walking a document costs a fraction of dumping or parsing it. Exact means every
// difference that could change the dumped bytes is a difference here: key order, -0, a tag's
// class, a value's type.
import { MAX_YAML_NODES } from './yaml';

/** A document that cannot be copied as the dumper reads it (an object of another class, too many nodes). */
class NotCopied extends Error {}

const PLAIN = new Set<unknown>([Object.prototype, null]);

/**
 * The prototypes of the classes a schema dumps as tags (its types with `instanceOf`) and reads back
 * as the same class; every field of theirs is kept. None for js-yaml's default schema.
 */
export type TagClasses = ReadonlySet<object>;
const NO_TAGS: TagClasses = new Set();

interface Walk {
  nodes: number;
  readonly max: number;
  readonly tags: TagClasses;
}

/** Own enumerable keys as the dumper writes them: a plain object's undefined values are left out. */
const keysOf = (o: object, tag: boolean): string[] =>
  tag ? Object.keys(o) : Object.keys(o).filter((k) => (o as Record<string, unknown>)[k] !== undefined);

/**
 * The document as the dumper writes it and js-yaml reads it back: plain objects without their
 * undefined values, arrays with undefined (or a hole) as null, tags (KeyOf, Find, ...) of their own
 * class with every field. Undefined when it has an object of another class (a Date dumps as a
 * timestamp) or more nodes than a reader accepts (lib/readback/yaml.ts): never reused then.
 */
export function snapshotDocument(doc: unknown, tags: TagClasses = NO_TAGS, maxNodes = MAX_YAML_NODES): unknown {
  const count: Walk = { nodes: 0, max: maxNodes, tags };
  try {
    return copy(doc, count);
  } catch (e) {
    if (e instanceof NotCopied) return undefined;
    throw e;
  }
}

function copy(v: unknown, count: Walk): unknown {
  if (++count.nodes > count.max) throw new NotCopied();
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) {
    const out: unknown[] = new Array(v.length);
    for (let i = 0; i < v.length; i++) out[i] = copy(v[i] === undefined ? null : v[i], count);
    return out;
  }
  const proto: unknown = Object.getPrototypeOf(v);
  const tag = count.tags.has(proto as object);
  if (!tag && !PLAIN.has(proto)) throw new NotCopied();
  const out = (proto === Object.prototype ? {} : Object.create(proto as object | null)) as Record<string, unknown>;
  for (const k of Object.keys(v)) {
    const x = (v as Record<string, unknown>)[k];
    if (x !== undefined || tag) out[k] = copy(x, count);
  }
  return out;
}

/** Whether `doc` dumps as `snapshot` did: the same keys in the same order, classes and values (Object.is). */
export function sameDocument(doc: unknown, snapshot: unknown, tags: TagClasses = NO_TAGS): boolean {
  if (doc === null || typeof doc !== 'object') return Object.is(doc, snapshot);
  if (snapshot === null || typeof snapshot !== 'object') return false;
  if (Array.isArray(doc)) {
    if (!Array.isArray(snapshot) || doc.length !== snapshot.length) return false;
    for (let i = 0; i < doc.length; i++) if (!sameDocument(doc[i] === undefined ? null : doc[i], snapshot[i], tags)) return false;
    return true;
  }
  if (Array.isArray(snapshot) || Object.getPrototypeOf(doc) !== Object.getPrototypeOf(snapshot)) return false;
  const tag = tags.has(Object.getPrototypeOf(doc) as object);
  if (!tag && !PLAIN.has(Object.getPrototypeOf(doc))) return false;
  const a = keysOf(doc, tag);
  const b = Object.keys(snapshot);
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++)
    if (a[i] !== b[i] || !sameDocument((doc as Record<string, unknown>)[a[i]], (snapshot as Record<string, unknown>)[b[i]], tags))
      return false;
  return true;
}
