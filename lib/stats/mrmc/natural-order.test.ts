import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { compareIds, sortIds } from './natural-order';

describe('natural id order', () => {
  it('orders numeric ids numerically', () => {
    expect(sortIds(['10', '2', '1', '1.5', '-3'])).toEqual(['-3', '1', '1.5', '2', '10']);
  });

  it('orders digit runs inside text as integers', () => {
    expect(sortIds(['reader 10', 'reader 2', 'reader 1', 'a', 'reader 02'])).toEqual([
      'a',
      'reader 1',
      'reader 02',
      'reader 2',
      'reader 10',
    ]);
    expect(sortIds(['img-100', 'img-9', 'img-10'])).toEqual(['img-9', 'img-10', 'img-100']);
  });

  it('compares digit runs longer than a double exactly', () => {
    expect(compareIds('x12345678901234567890', 'x12345678901234567891')).toBeLessThan(0);
  });

  it('is a total order: antisymmetric, transitive, 0 only for equal ids', () => {
    const id = fc.oneof(fc.string({ maxLength: 6 }), fc.integer({ min: -50, max: 500 }).map(String), fc.stringMatching(/^[a-c]{0,2}\d{0,3}[a-c]?$/));
    fc.assert(
      fc.property(id, id, id, (a, b, c) => {
        expect(Math.sign(compareIds(a, b)) + Math.sign(compareIds(b, a))).toBe(0);
        expect(compareIds(a, b) === 0).toBe(a === b);
        if (compareIds(a, b) <= 0 && compareIds(b, c) <= 0) expect(compareIds(a, c)).toBeLessThanOrEqual(0);
      }),
      { numRuns: 2000 },
    );
  });
});
