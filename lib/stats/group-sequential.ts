import normalCdf from '@stdlib/stats-base-dists-normal-cdf';
import normalQuantile from '@stdlib/stats-base-dists-normal-quantile';
import { alphaSpent, type SpendingFamily } from './alpha-spending';
import { assertNumber } from './validate';

export interface GroupSequentialDesignOptions {
  /** Cumulative information fractions of the looks, increasing, the last one 1 (2–5 looks). */
  informationRates: number[];
  /** Total level of the design; default 0.05. */
  alpha?: number;
  /** 1: reject for large Z only; 2: reject for |Z| large, symmetric boundaries. Default 2. */
  sided?: 1 | 2;
  /** Default 'obrien-fleming'. */
  family?: SpendingFamily;
}

export interface GroupSequentialDesign {
  informationRates: number[];
  alpha: number;
  sided: 1 | 2;
  family: SpendingFamily;
  /** Critical value c_k on the Z scale per look (reject when Z ≥ c_k, or |Z| ≥ c_k two-sided). */
  criticalValues: number[];
  /** Cumulative α spent up to each look (two-sided: both sides together, α/2 per side). */
  alphaSpent: number[];
  /** One-sided nominal level per look, 1 − Φ(c_k) (rpact's stageLevels). */
  stageLevels: number[];
}

/** Lower end of the continuation region of a one-sided design: P(Z < −12) is below 1e-32. */
const FAR = 8.5;
/** Simpson step on the Z scale; the boundaries move by < 1e-8 when it is halved. */
const STEP = 0.0125;
/** Normal kernel terms beyond 9 SD are below 1e-17 of the peak and are skipped. */
const KERNEL_SDS = 9;

interface Grid {
  z: Float64Array;
  /** Simpson weight × sub-density of the statistic at z, given no earlier crossing. */
  mass: Float64Array;
}

function simpsonGrid(a: number, b: number, density: (z: number) => number): Grid {
  const intervals = Math.max(2, 2 * Math.ceil((b - a) / STEP / 2));
  const h = (b - a) / intervals;
  const z = new Float64Array(intervals + 1);
  const mass = new Float64Array(intervals + 1);
  for (let i = 0; i <= intervals; i++) {
    z[i] = a + i * h;
    const w = i === 0 || i === intervals ? 1 : i % 2 === 1 ? 4 : 2;
    mass[i] = (w * h * density(z[i])) / 3;
  }
  return { z, mass };
}

const PHI_NORM = 1 / Math.sqrt(2 * Math.PI);

/**
 * Group-sequential efficacy boundaries from a Lan–DeMets spending function, with no futility
 * stop: c_k solves P(no crossing before k, crossing at k | H0) = α*(t_k) − α*(t_{k−1}).
 * The crossing probabilities are computed by the Armitage–McPherson–Rowe recursion: the score
 * Z_k √t_k has independent Gaussian increments, so the sub-density of Z_k on the continuation
 * region is the previous one convolved with a normal kernel, integrated here by Simpson's rule
 * on a 0.01 grid (hand-written because no JavaScript library does group-sequential designs).
 *
 * Reference: Armitage P., McPherson C.K., Rowe B.C. (1969), JRSS A 132:235–244; Jennison &
 * Turnbull (2000), Group Sequential Methods, ch. 19; checked against R rpact
 * getDesignGroupSequential(typeOfDesign = "asOF" | "asP") to 1e-6 (fixtures/group_sequential.R).
 */
export function groupSequentialDesign(opts: GroupSequentialDesignOptions): GroupSequentialDesign {
  const fn = 'groupSequentialDesign';
  const { informationRates, alpha = 0.05, sided = 2, family = 'obrien-fleming' } = opts;
  checkInformationRates(fn, informationRates);
  assertNumber(fn, 'alpha', alpha);
  if (!(alpha > 0 && alpha < 0.5)) throw new RangeError(`${fn}: alpha must be in (0, 0.5) (got ${alpha})`);
  if (sided !== 1 && sided !== 2) throw new RangeError(`${fn}: sided must be 1 or 2 (got ${String(sided)})`);
  // Two-sided: α/2 spent on each side with the one-sided function (rpact's and gsDesign's convention).
  const spent = informationRates.map((t) => sided * alphaSpent(family, alpha / sided, t));
  const criticalValues: number[] = [];
  let grid: Grid | null = null;
  for (let k = 0; k < informationRates.length; k++) {
    const target = spent[k] - (k === 0 ? 0 : spent[k - 1]);
    const t = informationRates[k];
    let c: number;
    if (grid === null) {
      c = target <= 0 ? Infinity : normalQuantile(1 - target / sided, 0, 1);
    } else {
      const g = grid;
      const tPrev = informationRates[k - 1];
      const sd = Math.sqrt(t - tPrev);
      const crossing = (cv: number): number => {
        let p = 0;
        for (let i = 0; i < g.z.length; i++) {
          const shift = g.z[i] * Math.sqrt(tPrev);
          let tail = normalCdf((shift - cv * Math.sqrt(t)) / sd, 0, 1);
          if (sided === 2) tail += normalCdf((-cv * Math.sqrt(t) - shift) / sd, 0, 1);
          p += g.mass[i] * tail;
        }
        return p;
      };
      c = target <= 0 ? Infinity : solveDecreasing(crossing, target);
    }
    criticalValues.push(c);
    if (k + 1 < informationRates.length) grid = nextGrid(grid, k === 0 ? 0 : informationRates[k - 1], t, c, sided);
  }
  return {
    informationRates: [...informationRates],
    alpha,
    sided,
    family,
    criticalValues,
    alphaSpent: spent,
    stageLevels: criticalValues.map((c) => 1 - normalCdf(c, 0, 1)),
  };
}

/** Sub-density of Z at fraction t on its continuation region, from the one at tPrev (null: first look). */
function nextGrid(prev: Grid | null, tPrev: number, t: number, c: number, sided: 1 | 2): Grid {
  const upper = Math.min(c, FAR);
  const lower = sided === 2 ? -upper : -FAR;
  if (prev === null) return simpsonGrid(lower, upper, (z) => PHI_NORM * Math.exp(-0.5 * z * z));
  const sd = Math.sqrt(t - tPrev);
  const scale = Math.sqrt(t) / sd;
  const rootPrev = Math.sqrt(tPrev);
  const rootT = Math.sqrt(t);
  const first = prev.z[0];
  const h = prev.z[1] - prev.z[0];
  const last = prev.z.length - 1;
  return simpsonGrid(lower, upper, (z) => {
    // Only z' with |z√t − z'√tPrev| < 9 SD contribute.
    const from = Math.max(0, Math.floor(((z * rootT - KERNEL_SDS * sd) / rootPrev - first) / h));
    const to = Math.min(last, Math.ceil(((z * rootT + KERNEL_SDS * sd) / rootPrev - first) / h));
    let f = 0;
    for (let i = from; i <= to; i++) {
      const u = (z * rootT - prev.z[i] * rootPrev) / sd;
      f += prev.mass[i] * Math.exp(-0.5 * u * u);
    }
    return f * PHI_NORM * scale;
  });
}

/** The c with f(c) = target for f decreasing in c on (0, 40), by bisection to 1e-12. */
function solveDecreasing(f: (c: number) => number, target: number): number {
  let lo = 0;
  let hi = 40;
  if (f(lo) <= target) return lo;
  while (hi - lo > 1e-12) {
    const mid = (lo + hi) / 2;
    if (f(mid) > target) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** Information fractions: 2–5 of them, strictly increasing in (0, 1], the last exactly 1. */
export function checkInformationRates(fn: string, rates: unknown): asserts rates is number[] {
  if (!Array.isArray(rates)) throw new TypeError(`${fn}: informationRates must be an array`);
  if (rates.length < 2 || rates.length > 5) {
    throw new RangeError(`${fn}: a design has 2 to 5 looks (got ${rates.length})`);
  }
  rates.forEach((t, i) => {
    assertNumber(fn, `informationRates[${i}]`, t);
    if (!(t > 0 && t <= 1)) throw new RangeError(`${fn}: information rates must be in (0, 1] (got ${t})`);
    if (i > 0 && !(t > (rates[i - 1] as number))) {
      throw new RangeError(`${fn}: information rates must increase (got ${rates[i - 1]} then ${t})`);
    }
  });
  if (rates[rates.length - 1] !== 1) throw new RangeError(`${fn}: the last look must be at information rate 1`);
}
