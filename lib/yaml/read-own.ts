// Reading back YAML this tool wrote, without js-yaml's parser: the output of an earlier synth (a
// baseline, the state's ConfigMaps, a blueprint inside one) is most of what a run reads, and
// js-yaml's character-by-character reader is slow in a short, cold process (docs/design.md#start-up).
// The reader below knows only the layout lib/yaml/emit.ts writes. It is never trusted on its
// own: a text is taken from it only when writing what it read gives that text back byte for byte,
// and js-yaml reads back what it writes as the same values (test/yaml/emit.test.ts), so the
// values are exactly what js-yaml's load would give. Anything else goes to js-yaml.
import yaml from 'js-yaml';
import { dumpYaml } from './emit';

/** A text outside the layout this reader knows (js-yaml reads it instead). */
class NotOurs extends Error {}

interface TypeLike {
  readonly tag: string;
  readonly kind: string;
  readonly resolve: (data: unknown) => boolean;
  readonly construct: (data: unknown) => unknown;
}

const typesOf = (schema: yaml.Schema) => schema as unknown as { compiledImplicit?: TypeLike[]; compiledExplicit?: TypeLike[] };

/**
 * The documents of `text` as js-yaml's loadAll reads them with `schema`, when `text` is a run of
 * comment lines then documents exactly as dumpYaml writes them, joined by `---` lines; else undefined.
 */
export function readOwnYaml(text: string, schema: yaml.Schema = yaml.DEFAULT_SCHEMA): unknown[] | undefined {
  const { compiledImplicit, compiledExplicit } = typesOf(schema);
  if (!Array.isArray(compiledImplicit) || !Array.isArray(compiledExplicit)) return undefined;
  let start = 0;
  while (text.startsWith('#', start)) {
    const end = text.indexOf('\n', start);
    if (end < 0) return undefined;
    start = end + 1;
  }
  const body = text.slice(start);
  let docs: unknown[];
  let again: string;
  try {
    docs = new Reader(body.split('\n'), compiledImplicit, compiledExplicit).documents();
    // The proof: what was read, written again, is the text (so js-yaml reads the text as these values).
    again = docs.map((d) => dumpYaml(d, schema)).join('---\n');
  } catch {
    // Not our layout, or any failure on the way (a nesting too deep for the stack): js-yaml reads
    // it, and gives its own result or error, as without this reader.
    return undefined;
  }
  // Blueprint writers drop the space js-yaml leaves after a tag that opens a block (the line's
  // end): a text so tidied is one too, since that space is never part of a value read from it.
  return body === again || body === again.replace(TAG_SPACE, '$1') ? docs : undefined;
}

const KEY_END = /: |:$/;
const TAG_SPACE = /(![A-Za-z]+) $/gm;
// `---` or `...` then a space or nothing: a document marker in YAML (the bare `---` excepted: our separator).
const DOCUMENT_MARK = /^(?:--- |\.\.\.(?: |$))/;
const ESCAPED: Readonly<Record<string, string>> = {
  '0': '\0',
  a: '\x07',
  b: '\b',
  t: '\t',
  n: '\n',
  v: '\v',
  f: '\f',
  r: '\r',
  e: '\x1b',
  '"': '"',
  '\\': '\\',
  N: '\x85',
  _: '\xa0',
  L: '\u2028',
  P: '\u2029',
};
const HEX_LENGTH: Readonly<Record<string, number>> = { x: 2, u: 4, U: 8 };

/** A line reader for the block layout ./emit.ts writes: two spaces per level, `- ` items, `key: value`. */
class Reader {
  private i = 0;
  /** When a sequence item starts on its dash's line: the column its content starts at; else -1. */
  private first = -1;
  constructor(
    private readonly lines: string[],
    private readonly implicit: ReadonlyArray<TypeLike>,
    private readonly explicit: ReadonlyArray<TypeLike>,
  ) {}

  documents(): unknown[] {
    // js-yaml writes a root key such as `... a` plain, where a reader sees the end of the document.
    if (this.lines.some((l) => DOCUMENT_MARK.test(l))) throw new NotOurs();
    const docs: unknown[] = [];
    for (;;) {
      // A document is a mapping or a sequence: js-yaml does not read every top-level block scalar
      // back as it wrote it (a leading space, only line breaks), and the tool writes none.
      const doc = this.node(0, 2);
      if (doc === null || typeof doc !== 'object') throw new NotOurs();
      docs.push(doc);
      // A document ends at a `---` line (another follows) or at the text's final newline.
      if (this.i === this.lines.length - 1 && this.lines[this.i] === '') return docs;
      if (this.lines[this.i] !== '---') throw new NotOurs();
      this.i++;
    }
  }

  /** The current line: its indentation (a sequence item's content: the column after its dash) and the rest. */
  private at(): { indent: number; rest: string } | undefined {
    const line = this.lines[this.i];
    if (line === undefined) return undefined;
    const indent = this.first >= 0 ? this.first : indentOf(line);
    return { indent, rest: line.slice(indent) };
  }

  /** Past the current line. */
  private next(): void {
    this.i++;
    this.first = -1;
  }

  /** The node whose first line is the current one, at `indent`; a literal block's lines are at `blockIndent`. */
  private node(indent: number, blockIndent: number): unknown {
    const cur = this.at();
    if (cur === undefined || cur.indent !== indent) throw new NotOurs();
    if (cur.rest === '-' || cur.rest.startsWith('- ')) return this.sequence(indent);
    if (this.keyAt(cur.rest) !== undefined) return this.mapping(indent);
    this.next();
    return this.inline(cur.rest, indent, blockIndent);
  }

  private sequence(indent: number): unknown[] {
    const out: unknown[] = [];
    for (let cur = this.at(); cur?.indent === indent && (cur.rest === '-' || cur.rest.startsWith('- ')); cur = this.at()) {
      // The item starts on the dash's line, its content two columns after the dash.
      this.first = indent + 2;
      out.push(this.node(indent + 2, indent + 2));
    }
    return out;
  }

  private mapping(indent: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (let cur = this.at(); cur?.indent === indent && cur.rest !== '' && cur.rest !== '---'; cur = this.at()) {
      const key = this.keyAt(cur.rest);
      if (key === undefined || key.name === '__proto__' || Object.prototype.hasOwnProperty.call(out, key.name)) throw new NotOurs();
      const value = cur.rest.slice(key.end);
      this.next();
      out[key.name] = value === ':' ? this.node(indent + 2, indent + 2) : this.inline(value.slice(2), indent + 2, indent + 2);
    }
    return out;
  }

  /** `key` then `: ` or a line-ending `:`: the key and where the `:` is; undefined when the line holds no key. */
  private keyAt(rest: string): { name: string; end: number } | undefined {
    if (rest.startsWith('"')) {
      const close = closingQuote(rest);
      if (close < 0 || rest[close + 1] !== ':' || (rest.length > close + 2 && rest[close + 2] !== ' ')) return undefined;
      return { name: unescape(rest.slice(1, close)), end: close + 1 };
    }
    const m = KEY_END.exec(rest);
    if (!m || /^(?:[[{!|'&*]|-( |$))/.test(rest)) return undefined;
    return { name: rest.slice(0, m.index), end: m.index };
  }

  /** A value written after its key or dash: a scalar, `[]`, `{}`, a literal block or a tag. */
  private inline(text: string, indent: number, blockIndent: number): unknown {
    if (text === '[]') return [];
    if (text === '{}') return {};
    if (text.startsWith('"')) {
      if (closingQuote(text) !== text.length - 1) throw new NotOurs();
      return unescape(text.slice(1, -1));
    }
    if (text.startsWith('|')) return this.literal(text, blockIndent);
    if (text.startsWith('!')) return this.tagged(text, indent);
    if (text === '' || /^['&*%@`]/.test(text)) throw new NotOurs();
    for (const t of this.implicit) if (t.resolve(text)) return t.construct(text);
    return text;
  }

  /** `|` with js-yaml's optional indentation indicator and chomping, then the lines at `indent`. */
  private literal(header: string, indent: number): string {
    const m = /^\|2?([-+]?)$/.exec(header);
    if (!m) throw new NotOurs();
    const pad = ' '.repeat(indent);
    const body: string[] = [];
    while (this.i < this.lines.length && (this.lines[this.i] === '' || this.lines[this.i].startsWith(pad)))
      body.push(this.lines[this.i++].slice(indent));
    // The reader's final line is the text's last newline: never part of a block.
    if (this.i === this.lines.length && body.length && body[body.length - 1] === '') {
      body.pop();
      this.i--;
    }
    if (m[1] === '+') return body.join('\n') + '\n';
    while (body.length && body[body.length - 1] === '') body.pop();
    return body.join('\n') + (m[1] === '-' ? '' : '\n');
  }

  /** `!Tag scalar`, `!Tag []` or `!Tag` then a block sequence below: constructed by the schema's type. */
  private tagged(text: string, indent: number): unknown {
    const space = text.indexOf(' ');
    const tag = space < 0 ? text : text.slice(0, space);
    const rest = space < 0 ? '' : text.slice(space + 1);
    let kind: string;
    let data: unknown;
    if (rest === '') [kind, data] = ['sequence', this.sequence(indent)];
    else if (rest === '[]') [kind, data] = ['sequence', []];
    else if (/^["|]/.test(rest) || !/^[-[{!>'&*%@`#]/.test(rest)) [kind, data] = ['scalar', this.inline(rest, indent, indent)];
    else throw new NotOurs();
    if (kind === 'scalar' && typeof data !== 'string') data = rest; // a tagged scalar is its text, never resolved
    const type = this.explicit.find((t) => t.tag === tag && t.kind === kind);
    if (!type || !type.resolve(data)) throw new NotOurs();
    return type.construct(data);
  }
}

function indentOf(line: string): number {
  let n = 0;
  while (line.charCodeAt(n) === 32) n++;
  return n;
}

/** Index of the `"` closing the double-quoted scalar that opens `s`, or -1. */
function closingQuote(s: string): number {
  for (let i = 1; i < s.length; i++) {
    if (s[i] === '\\') i++;
    else if (s[i] === '"') return i;
  }
  return -1;
}

/** A double-quoted scalar's content: the escapes js-yaml's writer uses; any other is not ours. */
function unescape(s: string): string {
  if (!s.includes('\\')) return s;
  return s.replace(/\\(x[0-9A-Fa-f]{2}|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)/g, (_, e: string) => {
    const hex = HEX_LENGTH[e[0]];
    const code = hex !== undefined && e.length === hex + 1 ? parseInt(e.slice(1), 16) : -1;
    if (code >= 0 && code <= 0x10ffff) return String.fromCodePoint(code);
    const c = ESCAPED[e];
    if (c === undefined) throw new NotOurs();
    return c;
  });
}
