// The YAML writer behind every file in dist/: js-yaml's dump with YAML_DUMP_OPTIONS, byte for byte,
// but with each string's style decided by regular expressions instead of a loop over its characters.
// A synth is a short process: its code runs cold, where a regex is many times faster than
// js-yaml's per-character JavaScript (docs/design.md#start-up). It covers the plain data this tool
// renders (mappings, sequences, strings, integers, booleans, null) and the schema's tag types; for
// any other value, or a schema it does not know, js-yaml writes the whole document, so the text is
// always js-yaml's. test/yaml/emit.test.ts compares the two on every rendered document and on
// random ones. The rules below follow js-yaml 4.1's lib/dumper.js (writeNode, writeBlockMapping,
// writeBlockSequence, writeScalar, chooseScalarStyle, escapeString), with the options fixed at
// indent 2, lineWidth -1, noRefs, quotingType '"', flowLevel -1, no compat mode off, no sortKeys.
import yaml from 'js-yaml';

/** js-yaml's options for every YAML text this project writes: no anchors, no folding, double quotes. */
export const YAML_DUMP_OPTIONS = { lineWidth: -1, noRefs: true, quotingType: '"' } as const satisfies yaml.DumpOptions;

/** The part of a js-yaml type the emitter uses (js-yaml's Type, as its dumper reads it). */
interface TypeLike {
  readonly tag: string;
  readonly instanceOf: unknown;
  readonly predicate: ((v: object) => boolean) | null;
  readonly represent: unknown;
  readonly multi: boolean;
  readonly resolve: (s: string) => boolean;
}

/** What the emitter needs from a schema, checked once per schema. */
interface Plan {
  /** The schema's implicit resolvers: a plain string one of them accepts must be quoted. */
  readonly implicit: ReadonlyArray<TypeLike>;
  /** The schema's explicit types that tag an object: constructor, optional predicate, representation, tag text. */
  readonly tags: ReadonlyArray<{ readonly type: TypeLike; readonly represent: (v: object) => unknown; readonly text: string }>;
}

// js-yaml's dumper reads a schema's compiled type lists (State in lib/dumper.js); not in its typings.
const typesOf = (schema: yaml.Schema) => schema as unknown as { compiledImplicit?: unknown; compiledExplicit?: unknown };
// The types of js-yaml's default schema: the emitter writes each as js-yaml does, so a schema made of
// them plus tag types (classes with one representation) is covered.
const KNOWN_IMPLICIT = (typesOf(yaml.DEFAULT_SCHEMA).compiledImplicit as ReadonlyArray<unknown> | undefined) ?? [];
const KNOWN_EXPLICIT = (typesOf(yaml.DEFAULT_SCHEMA).compiledExplicit as ReadonlyArray<unknown> | undefined) ?? [];

/** A schema's plan, made once per schema object (the schemas are module constants of their owners). */
const PLANS = new WeakMap<yaml.Schema, Plan | null>();

function planOf(schema: yaml.Schema): Plan | null {
  let plan = PLANS.get(schema);
  if (plan === undefined) PLANS.set(schema, (plan = makePlan(schema)));
  return plan;
}

/** The plan for a schema the emitter can write exactly as js-yaml does, else null (js-yaml writes). */
function makePlan(schema: yaml.Schema): Plan | null {
  const { compiledImplicit, compiledExplicit } = typesOf(schema);
  if (!Array.isArray(compiledImplicit) || !Array.isArray(compiledExplicit)) return null;
  if (!compiledImplicit.every((t) => KNOWN_IMPLICIT.includes(t))) return null;
  const tags: Array<Plan['tags'][number]> = [];
  for (const type of compiledExplicit as TypeLike[]) {
    if (KNOWN_EXPLICIT.includes(type)) continue;
    if (!type.instanceOf && !type.predicate) continue; // never chosen by js-yaml's detectType
    const ctor = type.instanceOf;
    // A tag type must be a class of its own (so no plain object or array is one) with one representation.
    if (typeof ctor !== 'function' || ctor === Object || ctor === Array || type.multi || typeof type.represent !== 'function') return null;
    if (type.tag[0] !== '!') return null;
    const text = '!' + encodeURI(type.tag.slice(1)).replace(/!/g, '%21');
    tags.push({ type, represent: type.represent as (v: object) => unknown, text });
  }
  return { implicit: compiledImplicit as TypeLike[], tags };
}

/** Thrown inside the emitter for a value it does not cover: js-yaml then writes the document. */
class NotCovered extends Error {}

/**
 * `yaml.dump(doc, { ...YAML_DUMP_OPTIONS, schema })`, the same text, faster.
 * @param schema the js-yaml schema (tag types included) @default js-yaml's DEFAULT_SCHEMA
 */
export function dumpYaml(doc: unknown, schema: yaml.Schema = yaml.DEFAULT_SCHEMA): string {
  return emitCovered(doc, schema) ?? yaml.dump(doc, { ...YAML_DUMP_OPTIONS, schema });
}

/** The emitter's text for `doc`, or undefined when it leaves the document to js-yaml (for tests). */
export function emitCovered(doc: unknown, schema: yaml.Schema = yaml.DEFAULT_SCHEMA): string | undefined {
  const plan = planOf(schema);
  if (!plan || doc === undefined) return undefined;
  try {
    return new Emitter(plan).node(doc, 0, true, false) + '\n';
  } catch (e) {
    if (e instanceof NotCovered) return undefined;
    throw e;
  }
}

// js-yaml's isPrintable, as character classes: printable, and printable or a line feed.
const PRINTABLE = String.raw`\x20-\x7E\xA1-\u2027\u202A-\uD7FF\uE000-\uFEFE\uFF00-\uFFFD\u{10000}-\u{10FFFF}`;
const NOT_PRINTABLE = new RegExp(`[^${PRINTABLE}]`, 'u');
const NOT_PRINTABLE_OR_LF = new RegExp(`[^\\n${PRINTABLE}]`, 'u');
// What escapeString rewrites: the escape table's characters ('"' and '\' included) and every non-printable one.
const TO_ESCAPE = new RegExp(`[^${PRINTABLE}]|["\\\\]`, 'gu');
const ESCAPES: Readonly<Record<number, string>> = {
  0x00: '\\0',
  0x07: '\\a',
  0x08: '\\b',
  0x09: '\\t',
  0x0a: '\\n',
  0x0b: '\\v',
  0x0c: '\\f',
  0x0d: '\\r',
  0x1b: '\\e',
  0x22: '\\"',
  0x5c: '\\\\',
  0x85: '\\N',
  0xa0: '\\_',
  0x2028: '\\L',
  0x2029: '\\P',
};
// js-yaml quotes these for YAML 1.1 readers (DEPRECATED_BOOLEANS_SYNTAX, DEPRECATED_BASE60_SYNTAX).
const YAML11 = /^(?:[yYnN]|yes|Yes|YES|on|On|ON|no|No|NO|off|Off|OFF|[-+]?[0-9_]+(?::[0-9_]+)+(?:\.[0-9_]*)?)$/;
// isPlainSafeFirst refuses a space and these indicators; isPlainSafeLast a space or ':'. Inside, a
// plain scalar may not hold ' #' or ': ' (isPlainSafe in block context).
const NOT_PLAIN = /^[ \-?:,[\]{}#&*!|=>'"%@`]|[ :]$| #|: /;
// What js-yaml's implicit types can read as other than a string starts with a sign, digit or dot
// (int, float, timestamp), is `~`, a null or bool word, or `<<` (merge): only these ask the resolvers.
const MAY_RESOLVE = /^(?:[-+.0-9~]|[nN]ull$|NULL$|[tT]rue$|TRUE$|[fF]alse$|FALSE$|<<$)/;

const hex = (c: number): string => {
  const h = c.toString(16).toUpperCase();
  return c <= 0xff ? '\\x' + h.padStart(2, '0') : c <= 0xffff ? '\\u' + h.padStart(4, '0') : '\\U' + h.padStart(8, '0');
};
const escape = (s: string): string => s.replace(TO_ESCAPE, (ch) => ESCAPES[ch.codePointAt(0)!] ?? hex(ch.codePointAt(0)!));

/** One document's writer: js-yaml's writeNode and its helpers for the covered values. */
class Emitter {
  private readonly spaces: string[] = [''];
  /**
   * Whether the text node() just returned starts with a line break (a block that is not compact):
   * js-yaml looks at that first character, which on a text built by concatenation would make V8
   * copy the whole text into one piece, at every level.
   */
  private opens = false;
  constructor(private readonly plan: Plan) {}

  /** A value at `level`: its text, or undefined for a value js-yaml leaves out (undefined). */
  node(v: unknown, level: number, compact: boolean, isKey: boolean): string | undefined {
    this.opens = false;
    switch (typeof v) {
      case 'string':
        return this.scalar(v, level, isKey);
      case 'boolean':
        return v ? 'true' : 'false';
      case 'number':
        // js-yaml's int type; other numbers (fractions, -0, NaN, infinities) are left to js-yaml.
        if (v % 1 !== 0 || Object.is(v, -0)) throw new NotCovered();
        return v.toString(10);
      case 'undefined':
        return undefined;
      case 'object':
        if (v === null) return 'null';
        return this.collection(v, level, compact);
      default:
        throw new NotCovered();
    }
  }

  private collection(v: object, level: number, compact: boolean): string | undefined {
    const proto = Object.getPrototypeOf(v) as unknown;
    if (Symbol.toStringTag in v) throw new NotCovered();
    if (proto === Array.prototype) return (v as unknown[]).length ? this.sequence(v as unknown[], level, compact) : '[]';
    if (proto === Object.prototype || proto === null)
      return Object.keys(v).length ? this.mapping(v as Record<string, unknown>, level, compact) : '{}';
    return this.tagged(v, level);
  }

  /** A value of one of the schema's tag types: the tag, then its representation, never compact. */
  private tagged(v: object, level: number): string {
    const tag = this.plan.tags.find(
      ({ type }) => v instanceof (type.instanceOf as new () => object) && (!type.predicate || type.predicate(v)),
    );
    if (!tag) throw new NotCovered();
    const rep = tag.represent(v);
    let text: string | undefined;
    // (An undefined representation is left to js-yaml: it drops such a value even from a sequence.)
    if (typeof rep === 'string') text = this.scalar(rep, level, false);
    else if (Array.isArray(rep) && Object.getPrototypeOf(rep) === Array.prototype)
      text = rep.length ? this.sequence(rep, level, false) : '[]';
    else if (typeof rep === 'object' && rep !== null && Object.getPrototypeOf(rep) === Object.prototype && !(Symbol.toStringTag in rep))
      text = Object.keys(rep).length ? this.mapping(rep as Record<string, unknown>, level, false) : '{}';
    else throw new NotCovered();
    this.opens = false;
    return `${tag.text} ${text}`;
  }

  private line(level: number): string {
    return '\n' + (this.spaces[level] ??= ' '.repeat(2 * level));
  }

  private mapping(map: Record<string, unknown>, level: number, compact: boolean): string {
    let out = '';
    for (const key of Object.keys(map)) {
      const k = this.scalar(key, level + 1, true);
      if (k.length > 1024) throw new NotCovered(); // js-yaml writes an explicit `? key` pair
      const value = this.node(map[key], level + 1, false, false);
      if (value === undefined) continue;
      out += (!compact || out !== '' ? this.line(level) : '') + k + (this.opens ? ':' : ': ') + value;
    }
    this.opens = !compact && out !== '';
    return out || '{}';
  }

  private sequence(items: unknown[], level: number, compact: boolean): string {
    let out = '';
    for (let i = 0; i < items.length; i++) {
      let item = this.node(items[i], level + 1, true, false);
      if (item === undefined) [item, this.opens] = ['null', false];
      out += (!compact || out !== '' ? this.line(level) : '') + (this.opens ? '-' : '- ') + item;
    }
    this.opens = !compact;
    return out;
  }

  /** writeScalar: plain when it reads back as the same string, a literal block when it has line breaks, else double quotes. */
  private scalar(s: string, level: number, isKey: boolean): string {
    if (s === '') return '""';
    if (YAML11.test(s)) return `"${s}"`;
    if ((isKey ? NOT_PRINTABLE : NOT_PRINTABLE_OR_LF).test(s)) return `"${escape(s)}"`;
    if (s.includes('\n')) return this.literal(s, 2 * Math.max(1, level));
    if (NOT_PLAIN.test(s) || (MAY_RESOLVE.test(s) && this.plan.implicit.some((t) => t.resolve(s)))) return `"${escape(s)}"`;
    return s;
  }

  /** `|` with js-yaml's indentation indicator and chomping, then every non-empty line indented. */
  private literal(s: string, indent: number): string {
    const pad = ' '.repeat(indent);
    const clip = s.endsWith('\n');
    const keep = clip && (s.endsWith('\n\n') || s === '\n');
    const header = (/^\n* /.test(s) ? '2' : '') + (keep ? '+' : clip ? '' : '-');
    const body = s
      .split('\n')
      .map((l) => (l === '' ? l : pad + l))
      .join('\n');
    return `|${header}\n${clip ? body.slice(0, -1) : body}`;
  }
}
