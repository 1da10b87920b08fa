import { describe, expect, it } from 'vitest';
import { rocAuc } from './roc-auc';
import { rocCurve } from './roc-curve';

describe('rocCurve', () => {
  it('gives one point per distinct score, ties moving both rates (worked by hand)', () => {
    // positives score 3, 2, 2; negatives 2, 1. Thresholds 3 → (0, 1/3); 2 → (1/2, 1); 1 → (1, 1).
    expect(rocCurve([3, 2, 2, 2, 1], [1, 1, 1, 0, 0])).toEqual([
      { threshold: Infinity, fpr: 0, tpr: 0 },
      { threshold: 3, fpr: 0, tpr: 1 / 3 },
      { threshold: 2, fpr: 0.5, tpr: 1 },
      { threshold: 1, fpr: 1, tpr: 1 },
    ]);
  });

  it('has the trapezoidal area of the Mann–Whitney AUC', () => {
    const scores = [5, -3, 4, 4, 1, -5, 2, -1, 3, 3, -2, 0];
    const truth: Array<0 | 1> = [1, 0, 1, 0, 1, 0, 1, 0, 0, 1, 1, 0];
    const points = rocCurve(scores, truth);
    let area = 0;
    for (let k = 1; k < points.length; k++) area += ((points[k].fpr - points[k - 1].fpr) * (points[k].tpr + points[k - 1].tpr)) / 2;
    expect(area).toBeCloseTo(rocAuc(scores, truth).auc, 12);
  });

  it('needs both classes and finite scores', () => {
    expect(() => rocCurve([1, 2], [1, 1])).toThrow(RangeError);
    expect(() => rocCurve([NaN, 2], [1, 0])).toThrow(TypeError);
  });
});
