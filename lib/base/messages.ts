// What every user-facing problem line passes through (ConfigError and CheckError apply it to each
// line they are given): a message may quote a config value, and a value may hold a password in a
// URL, a line break, a function's source or 100 KB of text. A line stays one line, short enough
// to read, and never carries a URL's userinfo.

/** A quoted value (or an unbroken run of characters) longer than this is cut to its start. */
export const LONG_TOKEN = 200;
/** What is kept of a cut value. */
export const KEEP = 80;
/** A whole line longer than this is cut (many short values, e.g. a huge key with spaces). */
export const LONG_LINE = 2000;

/** `scheme://user:pass@host` -> `scheme://***@host`: the authority ends at the first / ? # or space. */
export const maskUserinfo = (s: string): string => s.replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#]*@/gi, '$1***@');

// C0, DEL, C1, the Unicode line and paragraph separators, and the bidi controls that reorder text.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;
const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** Every control, line or paragraph separator made visible as an escape. */
export const visibleControls = (s: string): string =>
  s.replace(INVISIBLE, (c) => NAMED[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

/** A long value cut to its start, saying how long it was. */
export const truncate = (s: string, keep = KEEP): string => `${s.slice(0, keep)}… (${s.length} characters)`;

/** One problem line as it may be printed. */
export function sanitizeLine(line: string): string {
  // A cut run keeps its trailing ':' so "<path>: <problem>" still reads as a path and a problem.
  const cut = (t: string) => (t.endsWith(':') ? `${truncate(t.slice(0, -1))}:` : truncate(t));
  const s = visibleControls(maskUserinfo(line)).replace(new RegExp(`\\S{${LONG_TOKEN + 1},}`, 'g'), cut);
  return s.length > LONG_LINE ? truncate(s, LONG_LINE - 40) : s; // stays under LONG_LINE: sanitising twice changes nothing
}

/**
 * A config value quoted in a message: JSON for data, a word for what JSON cannot show (a function
 * would print its source, a BigInt throws), cut when long.
 */
export function describeValue(v: unknown, max = 60): string {
  if (typeof v === 'function') return 'a function';
  if (typeof v === 'symbol') return 'a symbol';
  if (typeof v === 'bigint') return `${v.toString()}n`;
  let s: string | undefined;
  try {
    s = JSON.stringify(v);
  } catch {
    return Array.isArray(v) ? 'a list' : 'a mapping'; // circular
  }
  if (s === undefined) return String(v);
  return s.length > max ? `${s.slice(0, max - 3)}...` : s;
}
