/**
 * How many synthetic images each block gets. The rule (what "each block keeps the class ratio"
 * means here): with S synthetic among N scored items, a block of n items holds floor or ceil of
 * its exact share S·n/N, and so does every run of blocks from the start, S·end/N; the blocks add
 * up to S. Cumulative rounding, round(S·end/N) − round(S·start/N), satisfies this and is used
 * whenever it admits a class pattern within maxRunLength.
 *
 * Near the feasibility limit the rounding can put one image too many into the wrong block (e.g.
 * 12 real and 2 synthetic with maxRunLength 4 in blocks of 10: 9 + 1 in the first block cannot be
 * ordered, 8 + 2 can). Then a dynamic programme over the blocks tries the other floor/ceil
 * choices. Its state after a block is the prefix count (at most two values) and, for each class,
 * the shortest final run that class can end the block with (a shorter incoming run never hurts),
 * so it is exact for the rule above and linear in the number of blocks. It can start mid-way
 * through a block, which is how the exhaustive search (exact-search.ts) prunes.
 */
import { blockCounts, canComplete, classPatternFeasibility, type BlockCounts } from './class-pattern';

export type BlockPlan = { ok: true; blocks: BlockCounts[] } | { ok: false; reason: string };

/** The class counts of every block, or why no plan admits a pattern (`part` names the sequence). */
export function planBlocks(
  real: number,
  synthetic: number,
  blockSize: number | undefined,
  L: number,
  part?: string,
): BlockPlan {
  const rounded = blockCounts(real, synthetic, blockSize);
  const plain = classPatternFeasibility(rounded, L, part);
  if (plain.ok) return { ok: true, blocks: rounded };
  const sizes = rounded.map((b) => b.real + b.synthetic);
  const counts = planFrom(sizes, synthetic, L, START);
  return counts ? { ok: true, blocks: counts.map((s, b) => ({ real: sizes[b] - s, synthetic: s })) } : plain;
}

/** Where a partial sequence stands: inside `block`, after `done` of its items. */
export interface PlanState {
  block: number;
  /** Items of the current block already placed, and how many of them are synthetic. */
  done: number;
  doneSynthetic: number;
  /** Synthetic items in the blocks before the current one. */
  syntheticBefore: number;
  /** Class of the last placed item (0 real, 1 synthetic, -1 none) and the length of its run. */
  last: -1 | 0 | 1;
  run: number;
}

export const START: PlanState = { block: 0, done: 0, doneSynthetic: 0, syntheticBefore: 0, last: -1, run: 0 };

interface Node {
  /** Shortest final run ending with class 0 / 1 (Infinity: cannot end with it). */
  run: [number, number];
  /** For backtracking, per end class: the previous prefix count and the class the block followed. */
  from: [Step | null, Step | null];
}
interface Step {
  prefix: number;
  cls: number;
}

/**
 * Synthetic counts of blocks start.block.. (the current block's total included) that obey the rule
 * and admit a class pattern continuing from `start`, or null when there are none.
 */
export function planFrom(sizes: readonly number[], S: number, L: number, start: PlanState): number[] | null {
  const N = sizes.reduce((a, b) => a + b, 0);
  const lo = (x: number) => Math.floor(x / N);
  const hi = (x: number) => Math.ceil(x / N);
  let end = 0;
  for (let b = 0; b < start.block; b++) end += sizes[b];
  // layers[k] maps the synthetic count up to the end of block start.block + k to its node.
  const layers: Array<Map<number, Node>> = [];
  let previous = new Map<number, Node>([[start.syntheticBefore, { run: [Infinity, Infinity], from: [null, null] }]]);
  for (let b = start.block; b < sizes.length; b++) {
    const first = b === start.block;
    const n = sizes[b];
    const done = first ? start.done : 0;
    const doneSynthetic = first ? start.doneSynthetic : 0;
    end += n;
    const layer = new Map<number, Node>();
    for (let prefix = lo(S * end); prefix <= hi(S * end); prefix++) {
      const node: Node = { run: [Infinity, Infinity], from: [null, null] };
      for (const [before, prev] of previous) {
        const s = prefix - before;
        const y = s - doneSynthetic; // synthetic still to place in this block
        const x = n - done - y;
        if (s < lo(S * n) || s > hi(S * n) || y < 0 || x < 0) continue;
        const incoming: Array<[number, number]> = first
          ? [[start.last, start.run]]
          : ([0, 1] as const).filter((c) => prev.run[c] <= L).map((c) => [c, prev.run[c]]);
        for (const [inCls, inRun] of incoming) {
          for (const c of [0, 1] as const) {
            for (let k = 1; k <= Math.min(L, node.run[c] - 1); k++) {
              if (canComplete(x, y, inCls as -1 | 0 | 1, inRun, L, c === 0 ? [k, 0] : [0, k])) {
                node.run[c] = k;
                node.from[c] = { prefix: before, cls: inCls };
                break;
              }
            }
          }
        }
      }
      if (node.run[0] <= L || node.run[1] <= L) layer.set(prefix, node);
    }
    if (layer.size === 0) return null;
    layers.push(layer);
    previous = layer;
  }
  const last = previous.get(S);
  if (!last) return null;
  // Walk back from the last block's best end state.
  const out: number[] = [];
  let prefix = S;
  let cls = last.run[0] <= L ? 0 : 1;
  for (let k = layers.length - 1; k >= 0; k--) {
    const from = layers[k].get(prefix)!.from[cls as 0 | 1]!;
    out.unshift(prefix - from.prefix);
    prefix = from.prefix;
    cls = from.cls;
  }
  return out;
}
