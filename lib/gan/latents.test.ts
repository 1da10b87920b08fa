import { describe, expect, it } from 'vitest';
import { generatorInput, latentFor, philox4x32, toGrey8 } from './latents';

const hex = (words: number[]) => words.map((w) => w.toString(16).padStart(8, '0')).join(' ');

describe('philox4x32 (Random123 known-answer vectors, kat_vectors philox4x32 10)', () => {
  it('matches the three published vectors', () => {
    expect(hex(philox4x32([0, 0, 0, 0], [0, 0]))).toBe('6627e8d5 e169c58d bc57ac4c 9b00dbd8');
    expect(hex(philox4x32([0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff], [0xffffffff, 0xffffffff]))).toBe('408f276d 41c83b0e a20bc7c6 6d5451fd');
    expect(hex(philox4x32([0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344], [0xa4093822, 0x299f31d0]))).toBe('d16cfe09 94fdcceb 5001e420 24126ea1');
  });
});

describe('latentFor', () => {
  it('is a function of (seed, index, component) only', () => {
    expect(latentFor(42, 7, 16)).toEqual(latentFor(42, 7, 16));
    expect(latentFor(42, 7, 32).slice(0, 16)).toEqual(latentFor(42, 7, 16));
    expect(latentFor(42, 7, 16)).not.toEqual(latentFor(42, 8, 16));
    expect(latentFor(42, 7, 16)).not.toEqual(latentFor(43, 7, 16));
    expect(latentFor(2 ** 40 + 5, 2 ** 33, 4)).not.toEqual(latentFor(5, 2 ** 33, 4));
  });

  it('gives standard normals (moments and tail mass over 256k draws)', () => {
    let n = 0;
    let sum = 0;
    let sq = 0;
    let beyond2 = 0;
    for (let i = 0; i < 4096; i++) {
      for (const z of latentFor(9, i, 64)) {
        n++;
        sum += z;
        sq += z * z;
        if (Math.abs(z) > 2) beyond2++;
      }
    }
    expect(Math.abs(sum / n)).toBeLessThan(0.01);
    expect(Math.abs(sq / n - 1)).toBeLessThan(0.01);
    expect(Math.abs(beyond2 / n - 0.0455)).toBeLessThan(0.002); // P(|Z| > 2) = 0.0455
  });

  it('truncation redraws only the components outside the threshold', () => {
    const full = latentFor(3, 11, 256);
    const cut = latentFor(3, 11, 256, 1);
    for (let j = 0; j < 256; j++) {
      expect(Math.abs(cut[j])).toBeLessThanOrEqual(1);
      if (Math.abs(full[j]) <= 1) expect(cut[j]).toBe(full[j]);
    }
    expect(cut).not.toEqual(full);
  });

  it('refuses bad seeds, indices and truncation', () => {
    expect(() => latentFor(-1, 0, 4)).toThrow(/seed/);
    expect(() => latentFor(1.5, 0, 4)).toThrow(/seed/);
    expect(() => latentFor(1, -1, 4)).toThrow(/index/);
    expect(() => latentFor(1, 0, 4, 0)).toThrow(/truncation/);
  });
});

describe('generatorInput and toGrey8', () => {
  it('appends the multi-hot labels in vocabulary order', () => {
    const input = generatorInput(Float32Array.of(0.5, -0.5), ['a', 'b', 'c'], ['c', 'a']);
    expect(Array.from(input)).toEqual([0.5, -0.5, 1, 0, 1]);
    expect(() => generatorInput(Float32Array.of(0), ['a'], ['z'])).toThrow(/not in the checkpoint's vocabulary/);
  });

  it('maps the output range to 0..255, clamps, and reports NaN', () => {
    expect(Array.from(toGrey8([-1, 0, 1, -2, 2], 0, 5, [-1, 1])!)).toEqual([0, 128, 255, 0, 255]);
    expect(Array.from(toGrey8([0, 0.5, 1], 0, 3, [0, 1])!)).toEqual([0, 128, 255]);
    expect(toGrey8([0, Number.NaN], 0, 2, [-1, 1])).toBeNull();
    expect(toGrey8([0, Number.POSITIVE_INFINITY], 0, 2, [-1, 1])).toBeNull();
  });
});
