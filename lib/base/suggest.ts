// "Did you mean …?" for unknown names, shared by config and blueprint validation.

/** Levenshtein distance (parent → parents is 1). */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length];
}

/** The known names within `maxDistance(name)` edits of `key`, closest first. */
export function nearest(key: string, known: ReadonlyArray<string>, maxDistance: (name: string) => number): string[] {
  return known
    .map((k) => [k, editDistance(k, key)] as const)
    .filter(([k, n]) => n <= maxDistance(k))
    .sort((x, y) => x[1] - y[1])
    .map(([k]) => k);
}
