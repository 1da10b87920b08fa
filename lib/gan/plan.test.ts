import { describe, expect, it } from 'vitest';
import { generationParamsSchema, planGeneration } from './plan';

describe('planGeneration', () => {
  it('numbers images across label combinations in the order given', () => {
    const items = planGeneration({ checkpointId: 'c', count: 5, seed: 1, labels: [{ labels: ['b', 'a'], count: 2 }, { labels: [], count: 3 }] }, ['a', 'b'], 100);
    expect(items).toEqual([
      { index: 0, labels: ['a', 'b'] },
      { index: 1, labels: ['a', 'b'] },
      { index: 2, labels: [] },
      { index: 3, labels: [] },
      { index: 4, labels: [] },
    ]);
  });

  it('without labels makes count unconditioned images', () => {
    expect(planGeneration({ checkpointId: 'c', count: 3, seed: 0 }, [], 10)).toHaveLength(3);
  });

  it('refuses counts that do not add up, unknown labels and oversized jobs', () => {
    expect(() => planGeneration({ checkpointId: 'c', count: 5, seed: 1, labels: [{ labels: [], count: 4 }] }, [], 10)).toThrow(/add up to 4, not to count \(5\)/);
    expect(() => planGeneration({ checkpointId: 'c', count: 1, seed: 1, labels: [{ labels: ['x'], count: 1 }] }, ['a'], 10)).toThrow(/x are not in the checkpoint's vocabulary/);
    expect(() => planGeneration({ checkpointId: 'c', count: 11, seed: 1 }, [], 10)).toThrow(/at most 10 images/);
  });

  it('the request schema rejects unknown fields and bad numbers', () => {
    expect(generationParamsSchema.safeParse({ checkpointId: 'c', count: 2, seed: 1, extra: 1 }).success).toBe(false);
    expect(generationParamsSchema.safeParse({ checkpointId: 'c', count: 0, seed: 1 }).success).toBe(false);
    expect(generationParamsSchema.safeParse({ checkpointId: 'c', count: 2, seed: -1 }).success).toBe(false);
    expect(generationParamsSchema.safeParse({ checkpointId: 'c', count: 2, seed: 1, truncation: 0 }).success).toBe(false);
    expect(generationParamsSchema.safeParse({ checkpointId: 'c', count: 2, seed: 1, truncation: 0.7 }).success).toBe(true);
  });
});
