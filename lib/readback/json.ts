// JSON as the tool reads it: JSON.parse keeps the last of two equal keys without a word, so a
// duplicate key is refused, as js-yaml refuses one in YAML, with the key and its line:column.

/** Line and column (1-based) of offset `at` in `text`. */
export function lineColumn(text: string, at: number): string {
  const before = text.slice(0, at);
  const line = before.split('\n').length;
  return `${line}:${at - before.lastIndexOf('\n')}`;
}

/** The end (index after the closing quote) of the JSON string starting at `i`. */
function stringEnd(text: string, i: number): number {
  let j = i + 1;
  while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
  return j + 1;
}

/** The first duplicate key of valid JSON text: its name and offset. */
export function firstDuplicateKey(text: string): { key: string; at: number } | undefined {
  // One frame per open object (its keys so far, and whether a key comes next) or array (null).
  const stack: Array<{ keys: Set<string>; keyNext: boolean } | null> = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    const top = stack[stack.length - 1];
    if (c === '"') {
      const end = stringEnd(text, i);
      if (top?.keyNext) {
        const key = JSON.parse(text.slice(i, end)) as string;
        if (top.keys.has(key)) return { key, at: i };
        top.keys.add(key);
        top.keyNext = false;
      }
      i = end - 1;
    } else if (c === '{') stack.push({ keys: new Set(), keyNext: true });
    else if (c === '[') stack.push(null);
    else if (c === '}' || c === ']') stack.pop();
    else if (c === ',' && top) top.keyNext = true;
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
