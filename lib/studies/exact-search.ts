/**
 * Last resort of ordering (see sequence.ts): a depth-first search over all the rules at once, for
 * the inputs where the fast greedy keeps failing, which in practice means a few patients hold a
 * large share of the images and the class pattern has to be fitted around them.
 *
 * Method: backtracking, position by position. Images of one class and one patient are
 * interchangeable here (likewise the repeatable first showings of one class and patient), and so
 * are patients with the same remaining counts, so the search branches over (class, kind of
 * patient, first/repeat) rather than over images, which keeps it fast on large inputs. A branch
 * is cut when no block plan can complete the class pattern (block-plan.ts#planFrom, exact; the search
 * is not tied to one plan, so it also finds orders that need another floor/ceil split), when
 * some patient holds more of the remaining images than can be kept apart (more than half), or
 * when too few first showings remain to repeat. Patients with the most remaining images are tried
 * first (the rule that solves the one-class version of the problem), each in the class it has
 * more of, ties in seeded random order.
 * The search is exact when it ends within its work budget: then 'infeasible' is a proof.
 */
import { planFrom } from './block-plan';
import { randomInt, shuffled, type Rng } from './rng';
import type { IndexedImage as Img, PlacedImage } from './types';

export type SearchResult = { kind: 'found'; items: PlacedImage[] } | { kind: 'infeasible' } | { kind: 'budget' };

export interface SearchInput {
  rng: Rng;
  /** Block sizes, and the synthetic total the blocks share (see block-plan.ts for the rule). */
  sizes: readonly number[];
  synthetic: number;
  maxRunLength: number;
  minGap: number;
  originals: readonly [Img[], Img[]];
  repeats: readonly [number, number];
  /** The patient just before position 0, -1 for none. */
  leading: number;
  /** Work units (candidate evaluations) before giving up. */
  budget: number;
}

interface Choice {
  c: 0 | 1;
  p: number; // dense patient index
  repeat: boolean;
}

export function searchOrder(input: SearchInput): SearchResult {
  const { rng, sizes, synthetic: S, maxRunLength: L, minGap, originals, repeats, leading } = input;
  const blockOf = sizes.flatMap((size, k) => Array<number>(size).fill(k));
  const blockStart: number[] = [];
  sizes.reduce((start, size) => (blockStart.push(start), start + size), 0);
  const n = blockOf.length;
  const syntheticSoFar = [0]; // synthetic items among the first q placed

  // Dense patient indices; the leading patient keeps its own slot so it can be compared.
  const dense = new Map<number, number>();
  const idOf = (patient: number) => dense.get(patient) ?? dense.set(patient, dense.size).get(patient)!;
  const images: [Img[][], Img[][]] = [[], []];
  for (const c of [0, 1] as const) {
    for (const img of shuffled(rng, originals[c])) {
      const p = idOf(img.patient);
      (images[c][p] ??= []).push(img);
    }
  }
  const lead = leading >= 0 ? idOf(leading) : -1;
  const P = dense.size;
  const count = [0, 1].map((c) => Array.from({ length: P }, (_, p) => images[c][p]?.length ?? 0));
  const remaining = Array.from({ length: P }, (_, p) => count[0][p] + count[1][p]);
  const eligible = [0, 1].map(() => new Array<number>(P).fill(0));
  const pending = new Array<number>(P).fill(0); // shown, not yet far enough back to repeat
  const shownNotRepeated = [0, 0];
  const firstsLeft = [originals[0].length, originals[1].length];
  const repeatsLeft = [repeats[0], repeats[1]];
  // Histogram of remaining counts per patient, so the largest is known in O(1).
  const histogram = new Array<number>(n + 2).fill(0);
  for (const r of remaining) histogram[r]++;
  let maxRemaining = remaining.reduce((a, b) => Math.max(a, b), 0);
  const tie = Array.from({ length: P }, () => randomInt(rng, 2 ** 30));

  // Patients no rule can tell apart are interchangeable, so only one of each kind is branched on:
  // same remaining images per class and, with repeats, the same repeatable images and none pending.
  const withRepeats = repeats[0] + repeats[1] > 0;
  const kindOf: string[] = [];
  const byKind = new Map<string, Set<number>>();
  const file = (p: number) => {
    const kind =
      pending[p] > 0
        ? `#${p}`
        : withRepeats
          ? `${count[0][p]},${count[1][p]},${eligible[0][p]},${eligible[1][p]}`
          : `${count[0][p]},${count[1][p]}`;
    kindOf[p] = kind;
    const set = byKind.get(kind);
    if (set) set.add(p);
    else byKind.set(kind, new Set([p]));
  };
  const unfile = (p: number) => {
    const set = byKind.get(kindOf[p])!;
    set.delete(p);
    if (set.size === 0) byKind.delete(kindOf[p]);
  };
  for (let p = 0; p < P; p++) file(p);

  const seq: Choice[] = [];
  const runs: Array<{ last: number; run: number }> = [{ last: -1, run: 0 }];
  let work = 0;

  const candidates = (q: number): Choice[] => {
    const { last, run } = runs[q];
    const b = blockOf[q];
    const prev = q > 0 ? seq[q - 1].p : lead;
    const before = syntheticSoFar[blockStart[b]];
    const out: Choice[] = [];
    for (const c of [0, 1] as const) {
      if (c === last && run >= L) continue;
      const state = {
        block: b,
        done: q - blockStart[b] + 1,
        doneSynthetic: syntheticSoFar[q] - before + c,
        syntheticBefore: before,
        last: c,
        run: c === last ? run + 1 : 1,
      };
      work += sizes.length - b;
      if (!planFrom(sizes, S, L, state)) continue;
      for (const set of byKind.values()) {
        let p = -1;
        for (const candidate of set) {
          if (candidate !== prev) {
            p = candidate;
            break;
          }
        }
        if (p < 0) continue;
        if (count[c][p] > 0) out.push({ c, p, repeat: false });
        if (repeatsLeft[c] > 0 && eligible[c][p] > 0) out.push({ c, p, repeat: true });
      }
    }
    work += 2 * byKind.size + out.length;
    // Most remaining first; for one patient, the class it has more of, so both classes last.
    const own = (x: Choice) => (x.repeat ? eligible[x.c][x.p] : count[x.c][x.p]);
    return out.sort((x, y) => remaining[y.p] - remaining[x.p] || own(y) - own(x) || tie[x.p] - tie[y.p] || x.c - y.c);
  };

  const setRemaining = (p: number, r: number) => {
    histogram[remaining[p]]--;
    histogram[r]++;
    if (r > maxRemaining) maxRemaining = r;
    remaining[p] = r;
    while (maxRemaining > 0 && histogram[maxRemaining] === 0) maxRemaining--;
  };

  // The first showing minGap + 1 positions before position q + 1 becomes repeatable there.
  const ripen = (q: number, sign: 1 | -1) => {
    const k = q - minGap;
    if (k < 0 || seq[k].repeat) return;
    const { c, p } = seq[k];
    unfile(p);
    eligible[c][p] += sign;
    pending[p] -= sign;
    file(p);
  };

  // Applies choice x at position q; returns false (and leaves the state unchanged) if it is cut.
  const apply = (q: number, x: Choice): boolean => {
    const { last, run } = runs[q];
    syntheticSoFar.push(syntheticSoFar[q] + x.c);
    unfile(x.p);
    if (x.repeat) {
      eligible[x.c][x.p]--;
      repeatsLeft[x.c]--;
      shownNotRepeated[x.c]--;
    } else {
      count[x.c][x.p]--;
      pending[x.p]++;
      firstsLeft[x.c]--;
      shownNotRepeated[x.c]++;
      setRemaining(x.p, remaining[x.p] - 1);
    }
    file(x.p);
    seq.push(x);
    runs.push({ last: x.c, run: x.c === last ? run + 1 : 1 });
    ripen(q, 1);
    const rest = n - q - 1;
    const ok =
      maxRemaining <= Math.ceil(rest / 2) &&
      remaining[x.p] <= Math.floor(rest / 2) &&
      repeatsLeft[0] <= shownNotRepeated[0] + firstsLeft[0] &&
      repeatsLeft[1] <= shownNotRepeated[1] + firstsLeft[1];
    if (!ok) undo(q);
    return ok;
  };

  const undo = (q: number) => {
    ripen(q, -1);
    const x = seq.pop()!;
    runs.pop();
    syntheticSoFar.pop();
    unfile(x.p);
    if (x.repeat) {
      eligible[x.c][x.p]++;
      repeatsLeft[x.c]++;
      shownNotRepeated[x.c]++;
    } else {
      count[x.c][x.p]++;
      pending[x.p]--;
      firstsLeft[x.c]++;
      shownNotRepeated[x.c]--;
      setRemaining(x.p, remaining[x.p] + 1);
    }
    file(x.p);
  };

  if (n === 0) return { kind: 'found', items: [] };
  const frames: Array<{ options: Choice[]; next: number }> = [{ options: candidates(0), next: 0 }];
  while (frames.length > 0) {
    if (work > input.budget) return { kind: 'budget' };
    const q = frames.length - 1;
    const frame = frames[q];
    if (frame.next >= frame.options.length) {
      frames.pop();
      if (q > 0) undo(q - 1);
      continue;
    }
    if (!apply(q, frame.options[frame.next++])) continue;
    if (q + 1 === n) return { kind: 'found', items: realise(seq, images, minGap) };
    frames.push({ options: candidates(q + 1), next: 0 });
  }
  return { kind: 'infeasible' };
}

/** Turns (class, patient, role) choices into images: the earliest repeatable image for repeats. */
function realise(seq: readonly Choice[], images: [Img[][], Img[][]], minGap: number): PlacedImage[] {
  const next = [new Map<number, number>(), new Map<number, number>()];
  const waiting = [new Map<number, Array<{ img: Img; at: number }>>(), new Map<number, Array<{ img: Img; at: number }>>()];
  return seq.map((x, q) => {
    const queue = waiting[x.c].get(x.p) ?? [];
    waiting[x.c].set(x.p, queue);
    if (x.repeat) {
      const first = queue.shift()!;
      if (first.at > q - minGap - 1) throw new Error('searchOrder: repeat too close'); // unreachable
      return { img: first.img, isRepeat: true };
    }
    const k = next[x.c].get(x.p) ?? 0;
    next[x.c].set(x.p, k + 1);
    const img = images[x.c][x.p][k];
    queue.push({ img, at: q });
    return { img, isRepeat: false };
  });
}
