// JSON as the tool reads it: JSON.parse keeps the last of two equal keys without a word, so a
// duplicate key is refused, as js-yaml refuses one in YAML, with the key and its line:column.

/** Line and column (1-based) of offset `at` in `text`. */
export function lineColumn(text: string, at: number): string {
  const before = text.slice(0, at);
  const line = before.split('\n').length;
  return `${line}:${at - before.lastIndexOf('\n')}`;
}

/** The first duplicate key of valid JSON text: its name and offset. */
export function firstDuplicateKey(text: string): { key: string; at: number } | undefined {
  // One frame per open object (its keys so far, and whether a key comes next) or array (null).
  const stack: Array<{ keys: Set<string>; keyNext: boolean } | null> = [];
  // Each string whole, or a bracket or comma: the regex engine steps over the text between them,
  // where a loop over characters runs in the interpreter at start-up (a state file is read on every run).
  const token = /"[^"\\]*(?:\\.[^"\\]*)*"|[{}[\],]/g;
  for (let m = token.exec(text); m; m = token.exec(text)) {
    const t = m[0];
    const top = stack[stack.length - 1];
    if (t[0] === '"') {
      if (top?.keyNext) {
        const key = JSON.parse(t) as string;
        if (top.keys.has(key)) return { key, at: m.index };
        top.keys.add(key);
        top.keyNext = false;
      }
    } else if (t === '{') stack.push({ keys: new Set(), keyNext: true });
    else if (t === '[') stack.push(null);
    else if (t === '}' || t === ']') stack.pop();
    else if (t === ',' && top) top.keyNext = true;
  }
  return undefined;
}

/** JSON.parse, but a duplicate key is an error (a SyntaxError naming the key and line:column). */
export function parseJson(text: string): unknown {
  const value: unknown = JSON.parse(text);
  const dup = firstDuplicateKey(text);
  if (dup)
    throw new SyntaxError(
      `duplicate key ${JSON.stringify(dup.key).slice(0, 80)} at line ${lineColumn(text, dup.at).replace(':', ', column ')}`,
    );
  return value;
}
