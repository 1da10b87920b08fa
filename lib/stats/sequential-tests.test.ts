import binomial from '@stdlib/random-base-binomial';
import normal from '@stdlib/random-base-normal';
import { describe, expect, it } from 'vitest';
import { groupSequentialDesign } from './group-sequential';
import { lookSizes, sequentialDesigns, sequentialLook, type SequentialPlan } from './sequential-tests';

/** Share of simulated studies that cross, and the Monte-Carlo standard error under the true level α. */
function within(rejections: number, reps: number, alpha: number, sds: number): void {
  const rate = rejections / reps;
  const se = Math.sqrt((alpha * (1 - alpha)) / reps);
  expect(Math.abs(rate - alpha), `rate ${rate} vs α ${alpha} (MC SE ${se.toExponential(2)})`).toBeLessThan(sds * se);
}

describe('group-sequential type I error by simulation (seeded)', () => {
  it('the Gaussian score process crosses the boundaries with probability α (two-sided OBF, one-sided Pocock)', () => {
    const rnorm = normal.factory(0, 1, { seed: 20261207 });
    const reps = 200_000;
    for (const [sided, family, alpha, rates] of [
      [2, 'obrien-fleming', 0.05, [0.5, 0.75, 1]],
      [1, 'pocock', 0.025, [0.25, 0.5, 0.75, 1]],
    ] as const) {
      const d = groupSequentialDesign({ informationRates: [...rates], alpha, sided, family });
      let rejections = 0;
      for (let r = 0; r < reps; r++) {
        let score = 0;
        let prev = 0;
        for (let k = 0; k < rates.length; k++) {
          score += rnorm() * Math.sqrt(rates[k] - prev);
          prev = rates[k];
          const z = score / Math.sqrt(rates[k]);
          if ((sided === 2 ? Math.abs(z) : z) >= d.criticalValues[k]) {
            rejections++;
            break;
          }
        }
      }
      within(rejections, reps, alpha, 4);
    }
  });

  it('the pooled binomial test against chance, looking at 50 % and 75 % of 2000 answers, keeps α = 0.05', () => {
    const plan: SequentialPlan = { lookSizes: lookSizes([0.5, 0.75], 2000), family: 'obrien-fleming', alpha: 0.05 };
    const designs = sequentialDesigns(plan);
    const draw = binomial.factory({ seed: 7 });
    const reps = 40_000;
    let rejections = 0;
    let naive = 0;
    for (let r = 0; r < reps; r++) {
      let correct = 0;
      let prev = 0;
      let naiveCrossed = false;
      for (let k = 0; k < plan.lookSizes.length; k++) {
        correct += draw(plan.lookSizes[k] - prev, 0.5);
        prev = plan.lookSizes[k];
        const look = sequentialLook(plan, k + 1, correct, designs);
        if (Math.abs(look.discrimination.z) >= 1.959963984540054) naiveCrossed = true;
        if (look.discrimination.crossed) {
          rejections++;
          break;
        }
      }
      if (naiveCrossed) naive++;
    }
    within(rejections, reps, 0.05, 4);
    // Peeking three times at the fixed-sample boundary 1.96 inflates the level well past α.
    expect(naive / reps).toBeGreaterThan(0.075);
  });

  it('the sequential TOST at the margin (p = 0.6) shows equivalence with probability ≤ α', () => {
    const plan: SequentialPlan = { lookSizes: lookSizes([0.5], 1000), family: 'pocock', alpha: 0.05, margin: 0.1 };
    const designs = sequentialDesigns(plan);
    const draw = binomial.factory({ seed: 11 });
    const reps = 40_000;
    let shown = 0;
    for (let r = 0; r < reps; r++) {
      let correct = 0;
      let prev = 0;
      for (let k = 0; k < plan.lookSizes.length; k++) {
        correct += draw(plan.lookSizes[k] - prev, 0.6);
        prev = plan.lookSizes[k];
        if (sequentialLook(plan, k + 1, correct, designs).equivalence?.crossed) {
          shown++;
          break;
        }
      }
    }
    within(shown, reps, 0.05, 4);
  });
});

describe('sequentialLook', () => {
  const plan: SequentialPlan = { lookSizes: [100, 150, 200], family: 'obrien-fleming', alpha: 0.05, margin: 0.1 };

  it('computes the Z statistics of both tests and compares them with the boundaries of that look', () => {
    const look = sequentialLook(plan, 1, 70);
    expect(look.n).toBe(100);
    expect(look.informationRate).toBe(0.5);
    expect(look.discrimination.z).toBeCloseTo(4, 12);
    expect(look.discrimination.boundary).toBeCloseTo(2.96258804272755, 6) // rpact, two-sided α 0.05 at 0.5/0.75/1;
    expect(look.discrimination.crossed).toBe(true);
    expect(look.equivalence!.zLower).toBeCloseTo((0.7 - 0.4) / Math.sqrt(0.24 / 100), 12);
    expect(look.equivalence!.crossed).toBe(false);
    const even = sequentialLook(plan, 3, 100);
    expect(even.discrimination.crossed).toBe(false);
    expect(even.equivalence!.crossed).toBe(true);
  });

  it('puts look k at ⌈f_k·N⌉ answers and refuses looks that do not increase', () => {
    expect(lookSizes([0.5, 0.75], 101)).toEqual([51, 76, 101]);
    expect(lookSizes([0.5], 200)).toEqual([100, 200]);
    expect(() => lookSizes([0.5, 0.5], 100)).toThrow(/increasing/);
    expect(() => sequentialLook(plan, 4, 10)).toThrow(/3 looks/);
    expect(() => sequentialLook(plan, 1, 101)).toThrow(/k must be ≤ n/);
  });
});
