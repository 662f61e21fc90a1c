// Where a config path (`services[3].host`) is written in a YAML (or JSON) config, so a schema error
// names file:line:column as it does for a TypeScript config (locate.ts). js-yaml reports each node
// it composes to a listener ('open' where the node starts, 'close' with its value); those events
// nest like the document, so they rebuild a tree of nodes with their start offsets. Only used on
// the error path.
import yaml from 'js-yaml';
import { parsePath } from './locate';

interface YamlNode {
  start: number;
  kind: string | null;
  /** A scalar's value (how a mapping key is matched). */
  value: unknown;
  /** Mapping: key, value, key, value, ...; sequence: the items. */
  children: YamlNode[];
}

type ListenerState = { position: number; kind: string | null; result: unknown };

/** The first offset at or after `i` that is not blank, a line break or a comment. */
function skipBlank(text: string, i: number): number {
  while (i < text.length) {
    if (text[i] === '#') while (i < text.length && text[i] !== '\n') i++;
    else if (/\s/.test(text[i])) i++;
    else break;
  }
  return i;
}

/** The document's node tree, or undefined when the text does not parse. */
function nodeTree(text: string): YamlNode | undefined {
  const stack: YamlNode[] = [];
  let root: YamlNode | undefined;
  const listener = (event: 'open' | 'close', st: ListenerState) => {
    if (event === 'open') {
      stack.push({ start: skipBlank(text, st.position), kind: null, value: undefined, children: [] });
      return;
    }
    let node = stack.pop()!;
    node.kind = st.kind;
    node.value = st.result;
    // A block entry is first tried as an implicit mapping key: a flow collection then arrives
    // wrapped in a node of its own with that one child.
    if (node.kind === 'mapping' && node.children.length % 2 === 1) node = node.children[node.children.length - 1];
    if (stack.length) stack[stack.length - 1].children.push(node);
    else root = node;
  };
  try {
    yaml.load(text, { listener });
  } catch {
    return undefined;
  }
  return root;
}

function child(node: YamlNode, seg: string | number): YamlNode | undefined {
  if (typeof seg === 'number') return node.kind === 'sequence' ? node.children[seg] : undefined;
  if (node.kind !== 'mapping') return undefined;
  for (let i = 0; i + 1 < node.children.length; i += 2) if (node.children[i].value === seg) return node.children[i + 1];
  return undefined;
}

/** `line:column` (1-based) of each path in the YAML text: the deepest node of the path that is written. */
export function locateYamlPaths(text: string, paths: ReadonlyArray<string>): Map<string, string> {
  const found = new Map<string, string>();
  // parseConfigText drops a byte-order mark: positions are those of the text without it.
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const root = nodeTree(text);
  if (!root) return found;
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') lineStarts.push(i + 1);
  const at = (offset: number) => {
    let line = 0;
    while (line + 1 < lineStarts.length && lineStarts[line + 1] <= offset) line++;
    return `${line + 1}:${offset - lineStarts[line] + 1}`;
  };
  for (const p of paths) {
    const segments = parsePath(p);
    if (!segments) continue;
    let node = root;
    for (const seg of segments) {
      const next = child(node, seg);
      if (!next) break;
      node = next;
    }
    found.set(p, at(node.start));
  }
  return found;
}
