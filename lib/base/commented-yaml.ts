// Writes the draft config as YAML with a comment above each value that needs review. js-yaml has
// no comments, so the block structure is written here and every scalar (and short list of scalars)
// by js-yaml, which quotes whatever needs quoting.
import yaml from 'js-yaml';

type Value = unknown;
const isMap = (v: Value): v is Record<string, Value> => v !== null && typeof v === 'object' && !Array.isArray(v);
const isScalar = (v: Value) => v === null || ['string', 'number', 'boolean'].includes(typeof v);

/** A scalar, or a list of scalars / a small mapping, on one line (flow style). */
const inline = (v: Value): string => yaml.dump(v, { flowLevel: 0, lineWidth: -1, sortKeys: false }).trimEnd();
const fitsOnOneLine = (v: Value): boolean =>
  isScalar(v) ||
  (Array.isArray(v) && v.every(isScalar)) ||
  (isMap(v) && Object.keys(v).length === 0) ||
  (isMap(v) && Object.values(v).every(isScalar) && inline(v).length <= 90);

function block(v: Value, path: string, indent: string, comments: ReadonlyMap<string, string>, out: string[]): void {
  const comment = (p: string, pad: string) => {
    const c = comments.get(p);
    if (c) out.push(`${pad}# ${c}`);
  };
  if (isMap(v)) {
    for (const [k, x] of Object.entries(v)) {
      if (x === undefined) continue;
      const p = path ? `${path}.${k}` : k;
      comment(p, indent);
      const key = inline(k);
      if (fitsOnOneLine(x)) out.push(`${indent}${key}: ${inline(x)}`);
      else {
        out.push(`${indent}${key}:`);
        block(x, p, `${indent}  `, comments, out);
      }
    }
    return;
  }
  if (Array.isArray(v)) {
    v.forEach((x, i) => {
      const p = `${path}[${i}]`;
      comment(p, indent);
      if (fitsOnOneLine(x)) {
        out.push(`${indent}- ${inline(x)}`);
        return;
      }
      const lines: string[] = [];
      block(x, p, `${indent}  `, comments, lines);
      // The first key goes on the dash line (after any comment lines above it).
      const first = lines.findIndex((l) => !l.trimStart().startsWith('#'));
      lines[first] = `${indent}- ${lines[first].slice(indent.length + 2)}`;
      out.push(...lines);
    });
  }
}

/** The config as commented YAML, keys in the order given. */
export function toCommentedYaml(config: Record<string, unknown>, comments: ReadonlyMap<string, string>, header: string[]): string {
  const out = header.map((h) => (h ? `# ${h}` : '#'));
  block(config, '', '', comments, out);
  return `${out.join('\n')}\n`;
}
