import { describe, expect, it } from 'vitest';
import { syntheticScore } from './synthetic-score';

describe('syntheticScore', () => {
  it('maps a SYNTHETIC call to +confidence and a REAL call to −confidence', () => {
    expect(syntheticScore('SYNTHETIC', 4)).toBe(4);
    expect(syntheticScore('REAL', 4)).toBe(-4);
    expect(syntheticScore('REAL', 5)).toBeLessThan(syntheticScore('REAL', 1));
    expect(syntheticScore('REAL', 1)).toBeLessThan(syntheticScore('SYNTHETIC', 1));
  });

  it('takes the call as a boolean "called synthetic" too', () => {
    expect(syntheticScore(true, 3)).toBe(3);
    expect(syntheticScore(false, 3)).toBe(-3);
    expect(Object.is(syntheticScore(false, 0), 0)).toBe(true);
    expect(() => syntheticScore(true, -2)).toThrow(RangeError);
  });

  it('gives both zero-confidence calls the same +0 score', () => {
    expect(Object.is(syntheticScore('REAL', 0), 0)).toBe(true);
    expect(Object.is(syntheticScore('SYNTHETIC', -0), 0)).toBe(true);
  });

  it('rejects unknown calls and negative or non-finite confidence', () => {
    expect(() => syntheticScore('FAKE' as 'REAL', 1)).toThrow(TypeError);
    expect(() => syntheticScore('REAL', -1)).toThrow(RangeError);
    expect(() => syntheticScore('REAL', NaN)).toThrow(RangeError);
    expect(() => syntheticScore('REAL', Infinity)).toThrow(RangeError);
  });
});
