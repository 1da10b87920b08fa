/**
 * Step 3 of ordering (see sequence.ts): choosing the image for every position once the class of
 * each position and its role (first showing or repeat) are fixed. Rule enforced here: no two
 * adjacent images of the same source patient; repeat gaps are kept.
 *
 * Method: randomised greedy, then local repair. Each position takes a uniformly drawn unused image
 * of its class whose patient differs from the previous item's (a repeat position: a first showing
 * at least minGap + 1 positions back, not yet repeated), except that a patient with a large share
 * is placed early enough not to crowd the end (see UnusedImages). If no such image is left, the
 * clash is kept and repaired afterwards by swapping with another position of the same class where
 * the swap breaks no rule at either end. Linear time apart from the rare repairs.
 */
import { randomInt, type Rng } from './rng';
import type { ImageOrigin, IndexedImage as Img, PlacedImage } from './types';

const CLS: Record<ImageOrigin, 0 | 1> = { REAL: 0, SYNTHETIC: 1 };

/** Index of a random entry of `pool` whose patient is not `avoid`; any entry if there is none. */
function pickAvoiding(rng: Rng, pool: readonly Img[], avoid: number): number {
  const n = pool.length;
  for (let t = 0; t < 4; t++) {
    const k = randomInt(rng, n);
    if (pool[k].patient !== avoid) return k;
  }
  // Mostly one patient left: scan from a random start rather than draw forever.
  const start = randomInt(rng, n);
  for (let d = 0; d < n; d++) {
    const k = (start + d) % n;
    if (pool[k].patient !== avoid) return k;
  }
  return start; // unavoidable here; repair() looks for a swap
}

/** Removes pool[k] in O(1) by moving the last entry into its place. */
function takeAt<T>(pool: T[], k: number): T {
  const x = pool[k];
  pool[k] = pool[pool.length - 1];
  pool.pop();
  return x;
}

/** A heavy patient is placed once it needs this share of every other remaining position. */
const URGENT = 0.9;

/** A patient with more than 1/8 of the items: its unused images per class and how many are left. */
interface Heavy {
  patient: number;
  left: number;
  pools: [Img[], Img[]];
}

/**
 * The unused first showings. Heavy patients are kept apart so they can be served in O(1): such a
 * patient is placed as soon as it has to take nearly every other remaining position (URGENT),
 * because drawing it only by chance, and never twice in a row, places it more slowly than its
 * share and leaves it crowded at the end.
 */
class UnusedImages {
  private readonly light: [Img[], Img[]] = [[], []];
  private readonly heavy: Heavy[];

  constructor(originals: readonly [Img[], Img[]], length: number) {
    const counts = new Map<number, number>();
    for (const img of [...originals[0], ...originals[1]]) {
      counts.set(img.patient, (counts.get(img.patient) ?? 0) + 1);
    }
    const heavy = new Map<number, Heavy>();
    for (const [patient, count] of counts) {
      if (count >= 3 && count * 8 > length) heavy.set(patient, { patient, left: count, pools: [[], []] });
    }
    this.heavy = [...heavy.values()];
    for (const c of [0, 1] as const) {
      for (const img of originals[c]) (heavy.get(img.patient)?.pools[c] ?? this.light[c]).push(img);
    }
  }

  /** An unused image of class c, avoiding patient `prev` when possible; `rest` positions remain. */
  take(rng: Rng, c: 0 | 1, prev: number, rest: number): Img {
    let urgent: Heavy | null = null;
    for (const h of this.heavy) {
      const due = h.patient !== prev && h.pools[c].length > 0 && 2 * h.left >= URGENT * (rest - 1);
      if (due && (!urgent || h.left > urgent.left)) urgent = h;
    }
    if (urgent) return this.fromHeavy(rng, urgent, c);
    const options = this.heavy.filter((h) => h.patient !== prev && h.pools[c].length > 0);
    const heavyTotal = options.reduce((t, h) => t + h.pools[c].length, 0);
    const light = this.light[c];
    let r = randomInt(rng, light.length + heavyTotal || 1);
    if (r < light.length) {
      const k = pickAvoiding(rng, light, prev);
      if (light[k].patient !== prev || heavyTotal === 0) return takeAt(light, k);
      r = light.length + randomInt(rng, heavyTotal);
    }
    let offset = r - light.length;
    for (const h of options) {
      if (offset < h.pools[c].length) return this.fromHeavy(rng, h, c);
      offset -= h.pools[c].length;
    }
    // Only images of `prev` are left: a clash that repair() will try to remove.
    const own = this.heavy.find((h) => h.pools[c].length > 0);
    return own ? this.fromHeavy(rng, own, c) : takeAt(light, randomInt(rng, light.length));
  }

  private fromHeavy(rng: Rng, h: Heavy, c: 0 | 1): Img {
    h.left--;
    return takeAt(h.pools[c], randomInt(rng, h.pools[c].length));
  }
}

/**
 * An image for every position, or null when a patient clash cannot be repaired.
 * @param leading the patient just before position 0 (the last practice item), -1 for none
 */
export function fillImages(
  rng: Rng,
  pattern: readonly ImageOrigin[],
  isRepeatSlot: readonly boolean[],
  originals: readonly [Img[], Img[]],
  minGap: number,
  leading: number,
): PlacedImage[] | null {
  const unused = new UnusedImages(originals, pattern.length);
  const shown: [Array<{ img: Img; at: number }>, Array<{ img: Img; at: number }>] = [[], []];
  const eligible: [Img[], Img[]] = [[], []]; // first showings far enough back, not yet repeated
  const nextEligible = [0, 0];
  const seq: Img[] = [];
  for (let q = 0; q < pattern.length; q++) {
    const c = CLS[pattern[q]];
    const prev = q > 0 ? seq[q - 1].patient : leading;
    if (isRepeatSlot[q]) {
      while (nextEligible[c] < shown[c].length && shown[c][nextEligible[c]].at <= q - minGap - 1) {
        eligible[c].push(shown[c][nextEligible[c]++].img);
      }
      // Never empty: repeats.ts placed repeat slots only where enough first showings precede.
      seq.push(takeAt(eligible[c], pickAvoiding(rng, eligible[c], prev)));
    } else {
      const img = unused.take(rng, c, prev, pattern.length - q);
      shown[c].push({ img, at: q });
      seq.push(img);
    }
  }
  if (!repair(rng, seq, leading, minGap)) return null;
  const seen = new Set<Img>();
  return seq.map((img) => {
    const isRepeat = seen.has(img); // the later showing is the repeat, wherever repairs moved them
    seen.add(img);
    return { img, isRepeat };
  });
}

/**
 * Removes patient clashes by swapping an item with another item of the same class (so the class
 * pattern is kept) where the swap breaks no rule at either end, repeat gaps included. A swap never
 * creates a clash, so one forward pass suffices; the number of swaps tried is bounded.
 */
function repair(rng: Rng, seq: Img[], leading: number, minGap: number): boolean {
  const n = seq.length;
  const patientAt = (q: number) => (q < 0 ? leading : seq[q].patient);
  const clashAt = (q: number) => patientAt(q) === patientAt(q - 1) || (q + 1 < n && patientAt(q) === patientAt(q + 1));
  const shownAt = new Map<Img, number[]>();
  seq.forEach((img, q) => {
    const at = shownAt.get(img);
    if (at) at.push(q);
    else shownAt.set(img, [q]);
  });
  const gapOk = (img: Img) => {
    const at = shownAt.get(img)!;
    return at.length < 2 || Math.abs(at[1] - at[0]) > minGap;
  };
  const move = (img: Img, from: number, to: number) => {
    const at = shownAt.get(img)!;
    at[at.indexOf(from)] = to;
  };
  const swap = (a: number, b: number) => {
    const [x, y] = [seq[a], seq[b]];
    move(x, a, b);
    move(y, b, a);
    seq[a] = y;
    seq[b] = x;
  };
  // Bounded so a hopeless attempt (one patient with nearly half the items) ends quickly.
  let trials = 8 * n + 1000;
  const trySwap = (q: number): boolean => {
    const start = randomInt(rng, n);
    for (let d = 0; d < n && trials-- > 0; d++) {
      const j = (start + d) % n;
      if (j === q || seq[j].cls !== seq[q].cls || seq[j] === seq[q]) continue;
      swap(q, j);
      if (!clashAt(q) && !clashAt(j) && gapOk(seq[q]) && gapOk(seq[j])) return true;
      swap(q, j);
    }
    return false;
  };
  for (let q = 0; q < n; q++) {
    if (patientAt(q) === patientAt(q - 1) && !trySwap(q) && !(q > 0 && trySwap(q - 1))) return false;
  }
  return true;
}
