// lib/base/name-order.ts sorts DNS-like names without ICU: its order must be the collator's
// (Intl.Collator('en', { numeric: true })), which is the oracle here.
import fc from 'fast-check';
import { nameOrder } from '../../lib/base/name-order';

const collator = new Intl.Collator('en', { numeric: true });
const sign = (n: number) => Math.sign(n);

describe('nameOrder', () => {
  const alphabet = ['a', 'b', 'z', ' ', '-', '.', '0', '1', '2', '9'];
  // Every name of up to two characters, then a number-heavy three; leading zeros are not plain.
  const short = ['', ...alphabet, ...alphabet.flatMap((x) => alphabet.map((y) => x + y))];
  const plain = short.filter((s) => !/(^|[^0-9])0[0-9]/.test(s));

  it('orders every pair of short plain names as the collator does', () => {
    const order = nameOrder(plain);
    expect(order).not.toBe(collator.compare);
    let pairs = 0;
    const differ: string[][] = [];
    for (const a of plain)
      for (const b of plain) {
        if (sign(order(a, b)) !== sign(collator.compare(a, b))) differ.push([a, b]);
        pairs++;
      }
    expect(differ).toEqual([]);
    expect(pairs).toBeGreaterThan(5000);
  });

  it('orders random blueprint-like names as the collator does', () => {
    const piece = fc.constantFrom(
      'unified-auth',
      'oidc',
      'providers',
      '-',
      '.',
      ' ',
      'a',
      'z',
      '0',
      '1',
      '5',
      '9',
      '10',
      '11',
      '15',
      '100',
      '99',
    );
    const name = fc
      .array(piece, { maxLength: 6 })
      .map((p) => p.join(''))
      .filter((s) => !/(^|[^0-9])0[0-9]/.test(s));
    fc.assert(
      fc.property(fc.array(name, { minLength: 2, maxLength: 12 }), (names) => {
        const order = nameOrder(names);
        expect([...names].sort(order)).toEqual([...names].sort(collator.compare));
      }),
      { numRuns: 300, seed: 0x0de5 },
    );
  });

  it.each([['Upper'], ['ümlaut'], ['under_score'], ['leading-007'], ['tab\t']])('leaves a list with %j to the collator', (odd) => {
    const names = ['providers-11', odd, 'providers-5'];
    const order = nameOrder(names);
    expect([...names].sort(order)).toEqual([...names].sort(collator.compare));
    expect(order('B', 'a')).toBe(collator.compare('B', 'a'));
  });
});
