// The one record guard and the one path reader of parsed JSON/YAML. Every layer imports them from here.

/** A mapping of string keys, as parsed JSON or YAML gives it (null and arrays are not). */
export const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** `valueAt(o, 'a', 0, 'b')` = o.a[0].b, undefined on any missing step (no step throws). */
export function valueAt(v: unknown, ...keys: Array<string | number>): unknown {
  let cur = v;
  for (const k of keys) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, unknown>)[k];
  }
  return cur;
}

/** A string as it is; anything else is undefined. */
export const asString = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
