// One render per distinct input in a suite: `render` is a pure function of its config and options,
// and most tests render the same few configs (the default one dozens of times per file). The memo
// keeps one result per input and hands every caller its own deep copy, so a test that tampers with
// its result (the checks' tests do) never sees another test's edits, across files of a group too.
import { parseConfig } from '../../lib/rules/validate';
import { render, type RenderOptions, type SynthResult } from '../../lib/output/render';

/** Results kept per suite: the distinct inputs of a group suite stay well under this. */
const LIMIT = 64;
/** A larger input (a cluster of hundreds of services, built for one test) is rendered, not kept. */
const MAX_KEY_CHARS = 64 * 1024;
const memo = new Map<string, SynthResult>();

const tag = (o: object): string => Object.prototype.toString.call(o);

/**
 * A deep copy that keeps what a fresh render has and structuredClone drops: class instances (the
 * blueprint tags Find, KeyOf...) keep their prototype, shared objects stay shared, frozen stays frozen.
 */
export function deepCopy<T>(value: T, seen = new Map<object, unknown>()): T {
  if (value === null || typeof value !== 'object') return value;
  const known = seen.get(value);
  if (known !== undefined) return known as T;
  let out: any;
  if (Array.isArray(value)) {
    out = new Array(value.length);
    seen.set(value, out);
    for (let i = 0; i < value.length; i++) out[i] = deepCopy(value[i], seen);
  } else if (tag(value) === '[object Map]') {
    out = new Map();
    seen.set(value, out);
    for (const [k, v] of value as unknown as Map<unknown, unknown>) out.set(deepCopy(k, seen), deepCopy(v, seen));
  } else if (tag(value) === '[object Set]') {
    out = new Set();
    seen.set(value, out);
    for (const v of value as unknown as Set<unknown>) out.add(deepCopy(v, seen));
  } else if (tag(value) === '[object Date]' || tag(value) === '[object RegExp]') {
    return value; // never mutated in place by a test; shared like a string
  } else {
    out = Object.create(Object.getPrototypeOf(value));
    seen.set(value, out);
    const props = Object.getOwnPropertyDescriptors(value);
    for (const key of Reflect.ownKeys(props)) {
      const d = props[key as string];
      if ('value' in d) d.value = deepCopy(d.value, seen);
      Object.defineProperty(out, key, d);
    }
  }
  if (Object.isFrozen(value)) Object.freeze(out);
  else if (Object.isSealed(value)) Object.seal(out);
  return out as T;
}

/**
 * The memo key of an input: exact for what a config file can hold (numbers as written, undefined
 * kept apart from absent); undefined (no memo) for anything else, such as a class instance.
 */
/** An object literal, of any realm (structuredClone's copies come from Node's, not the test's). */
const isPlain = (o: object): boolean => {
  const proto = Object.getPrototypeOf(o);
  return proto === null || Object.getPrototypeOf(proto) === null;
};

export function inputKey(input: unknown): string | undefined {
  let plain = true;
  const key = JSON.stringify(input, function (this: Record<string, unknown>, k: string, v: unknown) {
    const raw = this[k]; // before toJSON: a Date is not its string
    if (raw !== null && typeof raw === 'object' && !Array.isArray(raw) && !isPlain(raw)) plain = false;
    if (v === undefined) return '\u0000undefined';
    if (typeof v === 'number') return `\u0000n:${Object.is(v, -0) ? '-0' : v}`;
    if (typeof v === 'string') return v.startsWith('\u0000') ? `\u0000s:${v}` : v;
    if (typeof v === 'function' || typeof v === 'bigint' || typeof v === 'symbol') plain = false;
    return v;
  });
  return plain ? key : undefined;
}

/**
 * `render(parseConfig(input), options)`, computed once per distinct input and copied per call. A
 * config error is thrown again each time (nothing is kept). The memo renders a copy of the input, so
 * a caller that edits its input afterwards cannot reach the kept result.
 */
export function sharedRender(input: unknown, options: RenderOptions = {}): SynthResult {
  const key = inputKey([input, options]);
  if (key === undefined || key.length > MAX_KEY_CHARS) return render(parseConfig(input), options);
  let kept = memo.get(key);
  if (!kept) {
    kept = render(parseConfig(deepCopy(input)), deepCopy(options));
    if (memo.size >= LIMIT) memo.delete(memo.keys().next().value!);
    memo.set(key, kept);
  }
  return deepCopy(kept);
}
