// One order for names a reader scans in a list: Intl.Collator('en', { numeric: true }), so
// "providers-5" comes before "providers-11". Creating a collator loads ICU's collation data, about
// 10 ms of every synth's start-up, although the names synth sorts (blueprint names) are almost
// always DNS-like: for those the collator's order is the plain one below, which
// test/blueprints/name-order.test.ts checks against the collator itself.

/** Lowercase letters, space, '-' and '.', and numbers without leading zeros: ordered here as the collator orders them. */
const PLAIN = /^(?:[a-z .-]|[1-9][0-9]*|0(?![0-9]))*$/;
const DIGIT_RUN = /[0-9]+/y;

/** The collator's order for two PLAIN names: character by character (space < '-' < '.' < digits < letters), a number as a number. */
function plainOrder(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(j);
    if (x >= 48 && x <= 57 && y >= 48 && y <= 57) {
      DIGIT_RUN.lastIndex = i;
      const m = DIGIT_RUN.exec(a)![0];
      DIGIT_RUN.lastIndex = j;
      const n = DIGIT_RUN.exec(b)![0];
      // No leading zeros (PLAIN): the longer number is the larger one.
      if (m.length !== n.length) return m.length - n.length;
      if (m !== n) return m < n ? -1 : 1;
      i += m.length;
      j += n.length;
    } else if (x !== y) return x - y;
    else {
      i++;
      j++;
    }
  }
  return a.length - i - (b.length - j);
}

/** A comparator for sorting these names in the collator's order (the plain one when every name allows it). */
export function nameOrder(names: Iterable<string>): (a: string, b: string) => number {
  for (const n of names) if (!PLAIN.test(n)) return new Intl.Collator('en', { numeric: true }).compare;
  return plainOrder;
}
