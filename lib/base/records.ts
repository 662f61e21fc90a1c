// The one record guard: a JSON/YAML mapping (not null, not an array). Every layer imports it from here.

/** A mapping of string keys, as parsed JSON or YAML gives it (null and arrays are not). */
export const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
