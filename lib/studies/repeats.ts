/**
 * Which slots of one class show an image for the first time and which show a repeat (an image
 * re-shown to measure intra-reader agreement). Rule: a repeat comes after its first showing with
 * at least `minGap` other items in between, i.e. at a position ≥ first + minGap + 1.
 *
 * Method: the slots are walked in order and each is drawn "first" or "repeat" with probability
 * proportional to how many of each are left, among the choices that can still be completed.
 * Whether an assignment of images to repeat slots exists is a counting (Hall) condition: the k-th
 * repeat slot needs at least k first showings far enough before it, and since those sets only grow
 * along the sequence, choosing any eligible image for each repeat slot in order then never fails.
 * Completion is tested against the most favourable finish (all remaining first showings, then all
 * remaining repeats); only its first minGap + 1 repeats can be short of eligible images, so the
 * test costs O(minGap · log n).
 */
import { StudyInfeasibleError } from './errors';
import { randomInt, type Rng } from './rng';

/** Number of entries of the ascending array `xs` that are ≤ x. */
function countAtMost(xs: readonly number[], x: number, from = 0, to = xs.length): number {
  let a = from;
  let b = to;
  while (a < b) {
    const mid = (a + b) >> 1;
    if (xs[mid] <= x) a = mid + 1;
    else b = mid;
  }
  return a - from;
}

/**
 * Marks each slot (given by its ascending absolute position) as a repeat (true) or a first
 * showing (false), with exactly `repeats` repeats and `firsts` first showings.
 */
export function labelRepeatSlots(
  rng: Rng,
  positions: readonly number[],
  firsts: number,
  repeats: number,
  minGap: number,
): boolean[] {
  if (firsts + repeats !== positions.length) throw new RangeError('labelRepeatSlots: counts do not match slots');
  if (repeats > firsts) throw new RangeError('labelRepeatSlots: more repeats than images to repeat');
  const firstAt: number[] = []; // positions of first showings placed so far, ascending
  let repeatsPlaced = 0;

  // Can slots i.. be finished with `f` first showings and `r` repeats, `done` repeats being placed?
  const canFinish = (i: number, f: number, r: number, done: number): boolean => {
    const lastFirst = f > 0 ? positions[i + f - 1] : firstAt.length > 0 ? firstAt[firstAt.length - 1] : -1;
    for (let j = 1; j <= r; j++) {
      const threshold = positions[i + f + j - 1] - minGap - 1;
      // Past the last first showing every first showing is eligible, and repeats ≤ firsts.
      if (threshold >= lastFirst) return true;
      const eligible = countAtMost(firstAt, threshold) + countAtMost(positions, threshold, i, i + f);
      if (eligible < done + j) return false;
    }
    return true;
  };

  if (!canFinish(0, firsts, repeats, 0)) {
    throw new StudyInfeasibleError(
      `Cannot place ${repeats} repeated image(s) among ${positions.length} items of one class so that each ` +
        `repeat comes at least ${minGap} items after its first showing. Lower the repeated items or the gap before a repeat (repeatMinGap).`,
    );
  }

  const isRepeat: boolean[] = [];
  let f = firsts;
  let r = repeats;
  for (let i = 0; i < positions.length; i++) {
    const q = positions[i];
    const repeatOk =
      r > 0 &&
      countAtMost(firstAt, q - minGap - 1) >= repeatsPlaced + 1 &&
      canFinish(i + 1, f, r - 1, repeatsPlaced + 1);
    let firstOk = false;
    if (f > 0) {
      firstAt.push(q); // probe: as if slot i were a first showing
      firstOk = canFinish(i + 1, f - 1, r, repeatsPlaced);
      firstAt.pop();
    }
    let repeat: boolean;
    if (repeatOk && firstOk) repeat = randomInt(rng, f + r) < r;
    else if (repeatOk || firstOk) repeat = repeatOk;
    else throw new Error('labelRepeatSlots: look-ahead invariant broken'); // unreachable
    if (repeat) {
      repeatsPlaced++;
      r--;
    } else {
      firstAt.push(q);
      f--;
    }
    isRepeat.push(repeat);
  }
  return isRepeat;
}
