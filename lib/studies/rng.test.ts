import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deriveSeed, randomInt, readerSeed, rngFromSeed, sample, selectionSeed, shuffled, Xoshiro128ss } from './rng';

describe('Xoshiro128ss', () => {
  // Expected values printed by the reference C implementation (prng.di.unimi.it/xoshiro128starstar.c).
  it('matches the reference implementation', () => {
    const a = new Xoshiro128ss([1, 2, 3, 4]);
    expect(Array.from({ length: 8 }, () => a.nextUint32())).toEqual([
      11520, 0, 5927040, 70819200, 2031721883, 1637235492, 1287239034, 3734860849,
    ]);
    const b = new Xoshiro128ss([0x01234567, 0x89abcdef, 0xdeadbeef, 0xcafebabe]);
    expect(Array.from({ length: 6 }, () => b.nextUint32())).toEqual([
      2576975000, 1162350735, 704221878, 2590170849, 2098867611, 1850056074,
    ]);
  });

  it('reads the seed as four big-endian words', () => {
    const r = rngFromSeed('00000001000000020000000300000004ffff');
    expect(r.nextUint32()).toBe(11520);
  });

  it('rejects seeds that are not long hex strings', () => {
    expect(() => rngFromSeed('abc')).toThrow(/hex/);
    expect(() => rngFromSeed('z'.repeat(64))).toThrow(/hex/);
  });

  it('never gets stuck in the all-zero state', () => {
    const r = rngFromSeed('0'.repeat(64));
    expect(new Set(Array.from({ length: 10 }, () => r.nextUint32())).size).toBeGreaterThan(5);
  });
});

describe('seeds', () => {
  it('readerSeed is hex HMAC-SHA256(secret, reader id)', () => {
    // openssl: printf reader-1 | openssl dgst -sha256 -hmac study-secret
    expect(readerSeed('study-secret', 'reader-1')).toBe(
      '5b0913fda723761efd3a5828510f8352ba746155e69ad9e2d89e4d1132e61694',
    );
    expect(readerSeed('study-secret', 'reader-2')).not.toBe(readerSeed('study-secret', 'reader-1'));
    expect(readerSeed('other-secret', 'reader-1')).not.toBe(readerSeed('study-secret', 'reader-1'));
    expect(() => readerSeed('', 'reader-1')).toThrow(/secret/);
  });

  it('selectionSeed is separate from reader seeds', () => {
    expect(selectionSeed('study-secret')).toBe('8c4deb980c5b638552d012e89733909f1d11540e0514ccdc52d794633d83e4e8');
    expect(selectionSeed('study-secret', 'reader-1')).toBe(deriveSeed(readerSeed('study-secret', 'reader-1'), 'selection'));
    expect(selectionSeed('study-secret', 'reader-1')).not.toBe(readerSeed('study-secret', 'reader-1'));
  });

  it('deriveSeed is hex SHA-256 of "seed:label"', () => {
    // printf abc:practice | sha256sum
    expect(deriveSeed('abc', 'practice')).toBe('ed79f329996f81878205d2d375be4d3e72cdc85b7d7cbb9cd5af8ca75d1d1cd3');
  });
});

describe('draws', () => {
  it('randomInt stays in range', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9a-f]{32}$/), fc.integer({ min: 1, max: 2 ** 32 }), (seed, n) => {
        const r = rngFromSeed(seed);
        for (let i = 0; i < 20; i++) {
          const x = randomInt(r, n);
          expect(Number.isInteger(x) && x >= 0 && x < n).toBe(true);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('randomInt is roughly uniform', () => {
    const r = rngFromSeed(deriveSeed('uniform', 'test'));
    const counts = [0, 0, 0, 0, 0, 0];
    for (let i = 0; i < 60_000; i++) counts[randomInt(r, 6)]++;
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(500); // > 5 standard deviations
  });

  it('shuffled and sample return permutations / subsets, deterministically', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9a-f]{32}$/), fc.array(fc.integer(), { maxLength: 50 }), (seed, xs) => {
        const s = shuffled(rngFromSeed(seed), xs);
        expect([...s].sort()).toEqual([...xs].sort());
        expect(shuffled(rngFromSeed(seed), xs)).toEqual(s);
        const k = Math.floor(xs.length / 2);
        const picked = sample(rngFromSeed(seed), xs.map((_, i) => i), k);
        expect(new Set(picked).size).toBe(k);
      }),
      { numRuns: 200 },
    );
  });
});
