import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ascendingOrder } from './ascending-order';

describe('ascendingOrder (radix sort of doubles)', () => {
  it('orders any finite doubles like a stable comparison sort (−0 before +0)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.double({ noNaN: true, noDefaultInfinity: true }),
            fc.integer({ min: -5, max: 5 }),
            fc.constantFrom(0, -0, Number.MIN_VALUE, -Number.MIN_VALUE, Number.MAX_VALUE, -Number.MAX_VALUE),
          ),
          { maxLength: 300 },
        ),
        (values) => {
          const negZero = (x: number) => (Object.is(x, -0) ? 0 : 1);
          const expected = values
            .map((_, i) => i)
            .sort((a, b) => values[a] - values[b] || negZero(values[a]) - negZero(values[b]) || a - b);
          expect(Array.from(ascendingOrder(values))).toEqual(expected);
        },
      ),
    );
  });

  it('handles empty and single-element input', () => {
    expect(Array.from(ascendingOrder([]))).toEqual([]);
    expect(Array.from(ascendingOrder([3.5]))).toEqual([0]);
  });
});
