import { decode } from 'fast-png';
import { describe, expect, it } from 'vitest';
import { encodeCanonicalPng } from '@/lib/images/png';
import { makeStandIn, rankMatch } from './stand-in-image';
import { uniformFromSeed } from '@/lib/studies/rng';

function disc(size: number, cx: number, cy: number, r: number, seed: number): Uint8Array {
  const rand = uniformFromSeed(seed);
  return Uint8Array.from({ length: size * size }, (_, p) => {
    const x = p % size;
    const y = Math.floor(p / size);
    return Math.min(255, Math.round(((x - cx) ** 2 + (y - cy) ** 2 < r * r ? 180 : 40) + 20 * rand()));
  });
}

describe('rankMatch', () => {
  it('hands out the sorted values in the order of the keys, ties in pixel order', () => {
    expect([...rankMatch(Float64Array.of(3, 1, 2, 1), Uint8Array.of(10, 20, 30, 40))]).toEqual([40, 10, 30, 20]);
  });
});

describe('makeStandIn', () => {
  const size = 48;
  const a = disc(size, 20, 22, 12, 1);
  const b = disc(size, 28, 26, 9, 2);
  const rand = uniformFromSeed(3);
  const gaussian = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const bytes = makeStandIn(a, b, size, size, gaussian);
  const pixels = decode(bytes).data as Uint8Array;

  it('has exactly the first image’s histogram but is neither parent', () => {
    expect([...pixels].sort((x, y) => x - y)).toEqual([...a].sort((x, y) => x - y));
    expect(Buffer.from(pixels).equals(Buffer.from(a))).toBe(false);
    expect(Buffer.from(pixels).equals(Buffer.from(b))).toBe(false);
  });

  it('encodes to about the first image’s size', () => {
    const target = encodeCanonicalPng(a, size, size, 8).length;
    expect(Math.abs(bytes.length - target) / target).toBeLessThan(0.05);
  });

  it('refuses images of the wrong size', () => {
    expect(() => makeStandIn(a, b.subarray(1), size, size, gaussian)).toThrow(RangeError);
  });
});
