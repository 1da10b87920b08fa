import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dot, gramMatrix } from './dot';

describe('gramMatrix', () => {
  it('holds every pairwise inner product, bit for bit as dot sums it, for any number of vectors', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 11 }).chain((K) =>
          fc.integer({ min: 0, max: 9 }).chain((n) =>
            fc.array(fc.array(fc.double({ min: -1e3, max: 1e3, noNaN: true }), { minLength: n, maxLength: n }), { minLength: K, maxLength: K }),
          ),
        ),
        (rows) => {
          const v = rows.map((r) => Float64Array.from(r));
          const K = v.length;
          const gram = gramMatrix(v);
          expect(gram.length).toBe(K * K);
          for (let k = 0; k < K; k++) for (let l = 0; l < K; l++) expect(Object.is(gram[k * K + l], dot(v[k], v[l]))).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('is the matrix of inner products written out by hand', () => {
    const v = [Float64Array.of(1, 2), Float64Array.of(3, -1), Float64Array.of(0.5, 4)];
    expect(Array.from(gramMatrix(v))).toEqual([5, 1, 8.5, 1, 10, -2.5, 8.5, -2.5, 16.25]);
  });
});
