/**
 * The class pattern of the scored block: which positions show a real and which a synthetic image,
 * before any concrete image is chosen. Rules: every block holds its given class counts, and no
 * run of one class is longer than maxRunLength, across block boundaries too.
 *
 * Method: randomised greedy with an exact look-ahead. At each position a class is drawn with
 * probability proportional to its remaining count in the block (as when drawing cards without
 * replacement), but only among classes after which the rest can still be completed. The
 * completion test `canComplete` is exact and O(1) (see there), and each block's allowed end states
 * are computed backwards from the last block, so the greedy never paints itself into a corner:
 * it succeeds whenever any valid pattern exists, and otherwise we say why before starting.
 */
import { StudyInfeasibleError } from './errors';
import { randomInt, type Rng } from './rng';
import type { ImageOrigin } from './types';

export interface BlockCounts {
  real: number;
  synthetic: number;
}

/**
 * Class counts per block: blocks of `blockSize` (the last takes the remainder); synthetic counts
 * by cumulative rounding, round(S·end/N) − round(S·start/N), so each block is within one image of
 * its exact share and the blocks add up to the totals.
 */
export function blockCounts(real: number, synthetic: number, blockSize?: number): BlockCounts[] {
  const n = real + synthetic;
  const size = blockSize === undefined || blockSize >= n ? n : blockSize;
  const blocks: BlockCounts[] = [];
  // Integer rounding (half up) of synthetic·k/n, exact for all realistic sizes.
  const cumulative = (k: number) => Math.floor((2 * synthetic * k + n) / (2 * n));
  for (let start = 0; start < n; start += size) {
    const end = Math.min(n, start + size);
    const s = cumulative(end) - cumulative(start);
    blocks.push({ real: end - start - s, synthetic: s });
  }
  return blocks;
}

// Classes as indices: 0 = REAL, 1 = SYNTHETIC.
type Cls = 0 | 1;
const ORIGIN: readonly ImageOrigin[] = ['REAL', 'SYNTHETIC'];

/**
 * Whether `n0` items of class 0 and `n1` of class 1 can follow a run of `run` items of class
 * `last` (-1: nothing before) with no run longer than L, ending with a run of at most end[c] if the
 * last item is of class c (0: may not end with c).
 *
 * Why it is exact: any arrangement is m alternating groups (maximal runs). Given the class s of the
 * first group and e of the last, the group counts follow from m, and each group may hold 1..cap
 * items, where cap is L, except L − run for a first group that extends the incoming run and end[e]
 * for the last group. A count fits a set of groups iff it lies between the number of groups and
 * the sum of their caps, so feasibility is a pair of linear inequalities in t (m = 2t or 2t + 1),
 * solved in closed form for each of the four (s, e) cases.
 */
export function canComplete(
  n0: number,
  n1: number,
  last: Cls | -1,
  run: number,
  L: number,
  end: readonly [number, number],
): boolean {
  if (n0 === 0 && n1 === 0) return last === -1 || run <= end[last];
  const n = [n0, n1];
  for (const s of [0, 1] as const) {
    const first = s === last ? L - run : L;
    if (first < 1) continue;
    for (const e of [0, 1] as const) {
      const o = (1 - s) as Cls;
      if (s === e) {
        // m = 1: a single group of s, possibly extending the incoming run.
        const single = Math.min(first, end[s] - (s === last ? run : 0));
        if (n[o] === 0 && n[s] >= 1 && n[s] <= single) return true;
        // m = 2t + 1, t ≥ 1: t + 1 groups of s (first, last distinct), t groups of o.
        if (end[e] < 1) continue;
        const tHi = Math.min(n[s] - 1, n[o]);
        const tLo = Math.max(1, Math.ceil((n[s] - first - end[e]) / L) + 1, Math.ceil(n[o] / L));
        if (tLo <= tHi) return true;
      } else {
        // m = 2t, t ≥ 1: t groups of s (the first), t groups of e (the last).
        if (end[e] < 1) continue;
        const tHi = Math.min(n[s], n[e]);
        const tLo = Math.max(1, Math.ceil((n[s] - first) / L) + 1, Math.ceil((n[e] - end[e]) / L) + 1);
        if (tLo <= tHi) return true;
      }
    }
  }
  return false;
}

/** For each block, the longest final run of each class that still lets the later blocks work. */
export function endCaps(blocks: readonly BlockCounts[], L: number): Array<[number, number]> {
  const caps: Array<[number, number]> = blocks.map(() => [L, L]);
  for (let b = blocks.length - 2; b >= 0; b--) {
    const next = blocks[b + 1];
    for (const c of [0, 1] as const) {
      let k = L;
      // A shorter incoming run never hurts, so the feasible runs are 1..k.
      while (k >= 1 && !canComplete(next.real, next.synthetic, c, k, L, caps[b + 1])) k--;
      caps[b][c] = k;
    }
  }
  return caps;
}

export type Feasibility = { ok: true } | { ok: false; reason: string };

/** Whether some class pattern satisfies the block counts and run limit; if not, why in words. */
export function classPatternFeasibility(blocks: readonly BlockCounts[], L: number, part?: string): Feasibility {
  const caps = endCaps(blocks, L);
  if (blocks.length === 0 || canComplete(blocks[0].real, blocks[0].synthetic, -1, 0, L, caps[0])) {
    return { ok: true };
  }
  return { ok: false, reason: explain(blocks, L, part) };
}

function explain(blocks: readonly BlockCounts[], L: number, part = 'scored block'): string {
  const total = blocks.reduce((t, b) => ({ real: t.real + b.real, synthetic: t.synthetic + b.synthetic }), {
    real: 0,
    synthetic: 0,
  });
  const overall = tooMany(total, L, `The ${part} holds`, '');
  if (overall) return overall;
  for (const [i, b] of blocks.entries()) {
    const reason = tooMany(b, L, `Block ${i + 1} of ${blocks.length} holds`, ' in one block');
    if (reason) return `${reason} Or choose a block size that gives every block a less lopsided mix.`;
  }
  return (
    `Each block can be ordered on its own, but the blocks cannot be chained: the runs at the block ` +
    `boundaries would exceed the longest run of one class (${L}). Raise the longest run of one class or change the block size.`
  );
}

/** Why `counts` cannot be ordered at all with runs of at most L, or null if they can. */
function tooMany(counts: BlockCounts, L: number, subject: string, where: string): string | null {
  const [major, minor, majorName, minorName] =
    counts.synthetic >= counts.real
      ? [counts.synthetic, counts.real, 'synthetic', 'real']
      : [counts.real, counts.synthetic, 'real', 'synthetic'];
  const fit = L * (minor + 1);
  if (major <= fit) return null;
  const lo = 1 / (L + 1);
  const fractions =
    L === 1 ? 'a synthetic share of 50 %' : `a synthetic share between ${(100 * lo).toFixed(1)} % and ${(100 * (1 - lo)).toFixed(1)} %`;
  return (
    `${subject} ${major} ${majorName} and ${minor} ${minorName} images, but with runs of one class of at most ${L} ` +
    `the ${minor} ${minorName} image(s) leave at most ${minor + 1} gaps of ${L}, so at most ${fit} ` +
    `${majorName} images fit${where}. Raise the longest run of one class to at least ${Math.ceil(major / (minor + 1))}, ` +
    `or use ${fractions}.`
  );
}

/**
 * A random class pattern for the given blocks (concatenated), or a StudyInfeasibleError saying
 * why none exists. `part` names the sequence in that message ("scored block", "practice items").
 */
export function buildClassPattern(
  rng: Rng,
  blocks: readonly BlockCounts[],
  L: number,
  part = 'scored block',
): ImageOrigin[] {
  const caps = endCaps(blocks, L);
  const out: ImageOrigin[] = [];
  if (blocks.length > 0 && !canComplete(blocks[0].real, blocks[0].synthetic, -1, 0, L, caps[0])) {
    throw new StudyInfeasibleError(explain(blocks, L, part));
  }
  let last: Cls | -1 = -1;
  let run = 0;
  for (const [b, block] of blocks.entries()) {
    const left = [block.real, block.synthetic];
    for (let k = block.real + block.synthetic; k > 0; k--) {
      const ok = ([0, 1] as const).map((c) => {
        if (left[c] === 0 || (c === last && run >= L)) return false;
        const nextRun = c === last ? run + 1 : 1;
        return canComplete(left[0] - (c === 0 ? 1 : 0), left[1] - (c === 1 ? 1 : 0), c, nextRun, L, caps[b]);
      });
      let c: Cls;
      if (ok[0] && ok[1]) c = randomInt(rng, left[0] + left[1]) < left[0] ? 0 : 1;
      else if (ok[0] || ok[1]) c = ok[0] ? 0 : 1;
      else throw new Error('buildClassPattern: look-ahead invariant broken'); // unreachable
      run = c === last ? run + 1 : 1;
      last = c;
      left[c]--;
      out.push(ORIGIN[c]);
    }
  }
  return out;
}
