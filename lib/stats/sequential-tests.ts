import { groupSequentialDesign, type GroupSequentialDesign } from './group-sequential';
import type { SpendingFamily } from './alpha-spending';
import { checkTostSettings } from './tost';
import { assertCount, assertKN, assertOpenUnit } from './validate';

/**
 * The two tests a visual Turing test may stop early on, each a Lan–DeMets group-sequential test
 * on the normal approximation of the pooled proportion correct p̂ = x/n (x correct of n answers):
 *
 *  - discrimination: H0 p = p0 (chance), two-sided, Z = (x − n p0) / √(n p0 (1 − p0));
 *    readers tell the classes apart when |Z_k| ≥ c_k at some look k;
 *  - equivalence: two one-sided tests of H0 p ≤ p0 − m and H0 p ≥ p0 + m, each a one-sided
 *    group-sequential test at level α, with Z_L = (p̂ − (p0 − m)) / se and Z_U = ((p0 + m) − p̂) / se,
 *    se = √(q(1 − q)/n) under each null q = p0 ∓ m; equivalence is
 *    shown when both Z_L and Z_U reach c_k at the same look (intersection–union, level ≤ α).
 *
 * The look's information rate is n_k / N (answers analysed ÷ planned answers), so the boundaries
 * are those of the realised looks. Reference: Jennison & Turnbull (2000), Group Sequential Methods,
 * §3.2 (binomial data through the normal approximation) and ch. 6 (equivalence by two one-sided
 * tests); Lan & DeMets (1983).
 */
export interface SequentialPlan {
  /** Answers at each look, increasing; the last one is the planned total N. */
  lookSizes: number[];
  family: SpendingFamily;
  alpha: number;
  /** Centre of the equivalence region and null of the discrimination test; default 0.5. */
  p0?: number;
  /** Equivalence margin m; omit to plan the discrimination test only. */
  margin?: number;
}

export interface SequentialLook {
  /** 1-based look number. */
  look: number;
  n: number;
  correct: number;
  informationRate: number;
  discrimination: { z: number; boundary: number; crossed: boolean };
  /** Present when the plan has a margin. */
  equivalence?: { zLower: number; zUpper: number; boundary: number; crossed: boolean };
}

export interface SequentialDesigns {
  informationRates: number[];
  discrimination: GroupSequentialDesign;
  equivalence?: GroupSequentialDesign;
}

/** The boundaries of both tests for a plan (two-sided at α; each one-sided TOST half at α). */
export function sequentialDesigns(plan: SequentialPlan): SequentialDesigns {
  const fn = 'sequentialDesigns';
  const { lookSizes } = plan;
  if (!Array.isArray(lookSizes) || lookSizes.length === 0) throw new TypeError(`${fn}: lookSizes must be a non-empty array`);
  lookSizes.forEach((n, i) => assertCount(fn, `lookSizes[${i}]`, n, 1));
  const total = lookSizes[lookSizes.length - 1];
  const informationRates = lookSizes.map((n) => n / total);
  const discrimination = groupSequentialDesign({ informationRates, alpha: plan.alpha, sided: 2, family: plan.family });
  const equivalence =
    plan.margin === undefined
      ? undefined
      : groupSequentialDesign({ informationRates, alpha: plan.alpha, sided: 1, family: plan.family });
  return { informationRates, discrimination, equivalence };
}

/**
 * Look k (1-based) of a plan with x correct of the first n = lookSizes[k−1] answers. Pass the
 * designs from `sequentialDesigns(plan)` to avoid recomputing them for each look.
 */
export function sequentialLook(
  plan: SequentialPlan,
  look: number,
  correct: number,
  designs: SequentialDesigns = sequentialDesigns(plan),
): SequentialLook {
  const fn = 'sequentialLook';
  assertCount(fn, 'look', look, 1);
  if (look > plan.lookSizes.length) throw new RangeError(`${fn}: the plan has ${plan.lookSizes.length} looks (got look ${look})`);
  const n = plan.lookSizes[look - 1];
  assertKN(fn, correct, n);
  const p0 = plan.p0 ?? 0.5;
  assertOpenUnit(fn, 'p0', p0);
  const k = look - 1;
  const z = (correct - n * p0) / Math.sqrt(n * p0 * (1 - p0));
  const boundary = designs.discrimination.criticalValues[k];
  const result: SequentialLook = {
    look,
    n,
    correct,
    informationRate: designs.informationRates[k],
    discrimination: { z, boundary, crossed: Math.abs(z) >= boundary },
  };
  if (plan.margin !== undefined && designs.equivalence) {
    checkTostSettings(fn, p0, plan.margin, plan.alpha);
    const estimate = correct / n;
    const low = p0 - plan.margin;
    const high = p0 + plan.margin;
    const zLower = (estimate - low) / Math.sqrt((low * (1 - low)) / n);
    const zUpper = (high - estimate) / Math.sqrt((high * (1 - high)) / n);
    const eqBoundary = designs.equivalence.criticalValues[k];
    result.equivalence = { zLower, zUpper, boundary: eqBoundary, crossed: zLower >= eqBoundary && zUpper >= eqBoundary };
  }
  return result;
}

/** Answers analysed at each look: ⌈f·N⌉ for each planned fraction f < 1, then N. */
export function lookSizes(fractions: number[], total: number): number[] {
  const fn = 'lookSizes';
  assertCount(fn, 'total', total, 1);
  const sizes = fractions.map((f) => Math.ceil(f * total - 1e-9));
  sizes.push(total);
  sizes.forEach((n, i) => {
    if (n < 1 || (i > 0 && n <= sizes[i - 1])) {
      throw new RangeError(`${fn}: looks at ${fractions.join(', ')} of ${total} answers do not give increasing sizes`);
    }
  });
  return sizes;
}
