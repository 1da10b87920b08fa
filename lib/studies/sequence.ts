/**
 * A reader's sequence: practice items (with feedback) followed by the scored block, derived
 * deterministically from the reader's seed (see rng.ts). Rules of the scored block:
 *  - every block keeps the class ratio (floor or ceil of its exact share; see block-plan.ts);
 *  - no run of one class longer than maxRunLength;
 *  - no two adjacent images of the same source patient (across the practice boundary too);
 *  - repeatedItems images are shown again, at least repeatMinGap items after their first showing.
 * Practice items follow the run and patient rules too. The seed and the realised order are
 * returned for the caller to store; sequenceViolations (validate.ts) re-checks every rule.
 *
 * Method, per attempt (each attempt draws from its own seed derived from the reader's):
 *  0. (once) the class counts of every block: block-plan.ts, exact;
 *  1. the class of every position: class-pattern.ts, exact look-ahead, cannot fail when feasible;
 *  2. which positions of each class are repeats: repeats.ts, exact look-ahead as well;
 *  3. the image for every position: fill.ts, randomised greedy avoiding patient clashes, with
 *     repairs by same-class swaps.
 * Step 3 can only get stuck when a few patients hold a large share of the images. After
 * MAX_ATTEMPTS such failures a bounded exhaustive search (exact-search.ts) takes over; it either
 * finds an order, proves there is none, or runs out of budget, and the last two end in a
 * StudyInfeasibleError that says which rule is to blame. Infeasible class ratios are reported
 * before any attempt. Nothing loops unboundedly; 20,000 items take well under a second.
 */
import { apportion } from './apportion';
import { planBlocks } from './block-plan';
import { buildClassPattern, type BlockCounts, type Feasibility } from './class-pattern';
import type { StudyConfig } from './config';
import { InsufficientImagesError, StudyInfeasibleError } from './errors';
import { searchOrder } from './exact-search';
import { fillImages } from './fill';
import { labelRepeatSlots } from './repeats';
import { deriveSeed, rngFromSeed, shuffled, type Rng } from './rng';
import type { ImageOrigin, IndexedImage as Img, PlacedImage, ReaderSequence, SequenceImage, SequenceItem } from './types';
import { sequenceViolations } from './validate';

/** Greedy attempts before the exhaustive search. */
export const MAX_ATTEMPTS = 5;
/** Work budget of the exhaustive search (candidate evaluations; well under a second). */
export const SEARCH_BUDGET = 1_000_000;

export interface BuildSequenceInput {
  /** The reader's scored images: exactly config.imagesPerReader distinct images. */
  images: readonly SequenceImage[];
  /** Images for the practice items; must not overlap `images`. Required when practiceItems > 0. */
  practicePool?: readonly SequenceImage[];
  config: StudyConfig;
  /** Hex seed, normally readerSeed(studySecret, readerId). */
  seed: string;
}

const CLS: Record<ImageOrigin, 0 | 1> = { REAL: 0, SYNTHETIC: 1 };

/** Builds the reader's sequence; see the file comment for the rules and the method. */
export function buildSequence({ images, practicePool = [], config, seed }: BuildSequenceInput): ReaderSequence {
  if (!/^[0-9a-fA-F]{32,}$/.test(seed)) throw new Error('buildSequence: the seed must be a hex string (readerSeed)');
  checkInputs(images, practicePool, config);
  const patients = new PatientIds();
  // Sorting by id makes the result independent of the order the caller fetched the images in.
  const scoredImgs = sortById(images).map((i) => patients.img(i));
  const practiceImgs = sortById(practicePool).map((i) => patients.img(i));

  const practice = config.practiceItems > 0 ? buildPractice(practiceImgs, config, seed) : [];
  const leading = practice.length > 0 ? practice[practice.length - 1].img.patient : -1;
  const originals = byClass(scoredImgs);
  const repeats = repeatsPerClass(config.repeatedItems, originals[0].length, originals[1].length);
  const plan = planBlocks(
    originals[0].length + repeats[0],
    originals[1].length + repeats[1],
    config.blockSize,
    config.maxRunLength,
  );
  if (!plan.ok) throw new StudyInfeasibleError(plan.reason);
  const blocks = plan.blocks;
  const scored = orderPart({ part: 'scored block', seed, blocks, originals, repeats, config, leading });
  const blockOf = blocks.flatMap((b, k) => Array<number>(b.real + b.synthetic).fill(k + 1));

  const items: SequenceItem[] = [
    ...practice.map((s, k) => ({ position: k, imageId: s.img.id, phase: 'PRACTICE' as const, block: 0, isRepeat: false })),
    ...scored.map((s, k) => ({
      position: practice.length + k,
      imageId: s.img.id,
      phase: 'SCORED' as const,
      block: blockOf[k],
      isRepeat: s.isRepeat,
    })),
  ];
  const problems = sequenceViolations({ items, images, practicePool, config });
  if (problems.length > 0) throw new Error(`buildSequence produced an invalid sequence: ${problems.join('; ')}`);
  return { seed, items };
}

/**
 * Whether a scored block with these class counts can satisfy the block and run rules; lets an
 * admin screen flag a bad configuration before the study opens.
 */
export function scoredFeasibility(config: StudyConfig, counts: { real: number; synthetic: number }): Feasibility {
  const [rr, rs] = repeatsPerClass(config.repeatedItems, counts.real, counts.synthetic);
  const plan = planBlocks(counts.real + rr, counts.synthetic + rs, config.blockSize, config.maxRunLength);
  return plan.ok ? { ok: true } : { ok: false, reason: plan.reason };
}

function checkInputs(images: readonly SequenceImage[], pool: readonly SequenceImage[], config: StudyConfig): void {
  const ids = new Set(images.map((i) => i.id));
  if (ids.size !== images.length) throw new InsufficientImagesError('The scored images contain duplicate ids.');
  if (images.length !== config.imagesPerReader) {
    throw new InsufficientImagesError(
      `The reader needs ${config.imagesPerReader} scored images (imagesPerReader) but ${images.length} were given.`,
    );
  }
  const overlap = pool.filter((i) => ids.has(i.id)).length;
  if (overlap > 0) throw new InsufficientImagesError(`${overlap} practice image(s) are also scored images.`);
  if (new Set(pool.map((i) => i.id)).size !== pool.length) {
    throw new InsufficientImagesError('The practice pool contains duplicate ids.');
  }
}

function sortById<T extends { id: string }>(xs: readonly T[]): T[] {
  return xs.slice().sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** Numbers patients; an image without a patient key is a patient of its own. */
class PatientIds {
  private ids = new Map<string, number>();
  private next = 0;
  img(i: SequenceImage): Img {
    let patient: number;
    if (i.patientKey == null) patient = this.next++;
    else {
      patient = this.ids.get(i.patientKey) ?? this.next++;
      this.ids.set(i.patientKey, patient);
    }
    return { id: i.id, cls: CLS[i.origin], patient };
  }
}

/** Repeats split over the classes in proportion to the class counts. */
function repeatsPerClass(repeats: number, real: number, synthetic: number): [number, number] {
  const [r, s] = apportion(repeats, [real, synthetic], [0, 0], [real, synthetic]);
  return [r, s];
}

function byClass(imgs: readonly Img[]): [Img[], Img[]] {
  return [imgs.filter((i) => i.cls === 0), imgs.filter((i) => i.cls === 1)];
}

/**
 * `k` random images, as many patients as possible: a random order, then stably the first image of
 * every patient before anyone's second. A few practice items from one patient could not be kept
 * apart, while a uniform draw from a small pool easily picks them. `drawn` counts the images already
 * drawn per patient (the other class's draw: a patient may have both real and synthetic images) and
 * gets this draw's added, so those patients come after the ones not drawn yet.
 */
function spreadSample(rng: Rng, imgs: readonly Img[], k: number, drawn: Map<number, number>): Img[] {
  const seen = new Map(drawn);
  const ranked = shuffled(rng, imgs).map((img) => {
    const rank = seen.get(img.patient) ?? 0;
    seen.set(img.patient, rank + 1);
    return { img, rank };
  });
  const chosen = ranked
    .map((r, i) => ({ ...r, i }))
    .sort((a, b) => a.rank - b.rank || a.i - b.i)
    .slice(0, k)
    .map((r) => r.img);
  for (const img of chosen) drawn.set(img.patient, (drawn.get(img.patient) ?? 0) + 1);
  return chosen;
}

/** Practice: round(practiceItems × syntheticFraction) synthetic images drawn from the pool. */
function buildPractice(pool: readonly Img[], config: StudyConfig, seed: string): PlacedImage[] {
  const n = config.practiceItems;
  const synthetic = Math.round(n * config.syntheticFraction);
  const need = [n - synthetic, synthetic];
  const have = byClass(pool);
  for (const c of [0, 1] as const) {
    if (have[c].length < need[c]) {
      throw new InsufficientImagesError(
        `Not enough ${c === 0 ? 'real' : 'synthetic'} practice images: ${need[c]} needed for ` +
          `${n} practice items, ${have[c].length} available.`,
      );
    }
  }
  const rng = rngFromSeed(deriveSeed(seed, 'practice'));
  const drawn = new Map<number, number>();
  const originals: [Img[], Img[]] = [spreadSample(rng, have[0], need[0], drawn), spreadSample(rng, have[1], need[1], drawn)];
  const plan = planBlocks(need[0], need[1], undefined, config.maxRunLength, 'practice sequence');
  if (!plan.ok) throw new StudyInfeasibleError(plan.reason);
  const blocks = plan.blocks;
  return orderPart({ part: 'practice sequence', seed, blocks, originals, repeats: [0, 0], config, leading: -1 });
}

interface PartInput {
  part: 'scored block' | 'practice sequence';
  seed: string;
  blocks: readonly BlockCounts[];
  originals: readonly [Img[], Img[]];
  repeats: readonly [number, number];
  config: Pick<StudyConfig, 'maxRunLength' | 'repeatMinGap'>;
  leading: number;
}

/** Orders one part (practice or scored): greedy attempts, then the exhaustive search. */
function orderPart({ part, seed, blocks, originals, repeats, config, leading }: PartInput): PlacedImage[] {
  const L = config.maxRunLength;
  const imgs = [...originals[0], ...originals[1]];
  const length = imgs.length + repeats[0] + repeats[1];
  checkPatientShare(imgs, length, part);

  const label = part === 'scored block' ? 'scored' : 'practice';
  for (let k = 0; k < MAX_ATTEMPTS; k++) {
    const rng = rngFromSeed(deriveSeed(seed, `${label}:${k}`));
    const pattern = buildClassPattern(rng, blocks, L, part);
    const isRepeatSlot = pattern.map(() => false);
    try {
      for (const c of [0, 1] as const) {
        const positions = pattern.flatMap((o, q) => (CLS[o] === c ? [q] : []));
        const labels = labelRepeatSlots(rng, positions, originals[c].length, repeats[c], config.repeatMinGap);
        positions.forEach((q, i) => (isRepeatSlot[q] = labels[i]));
      }
    } catch (e) {
      if (e instanceof StudyInfeasibleError) continue; // this class pattern leaves no room; draw another
      throw e;
    }
    const placed = fillImages(rng, pattern, isRepeatSlot, originals, config.repeatMinGap, leading);
    if (placed) return placed;
  }

  const result = searchOrder({
    rng: rngFromSeed(deriveSeed(seed, `${label}:search`)),
    sizes: blocks.map((b) => b.real + b.synthetic),
    synthetic: blocks.reduce((t, b) => t + b.synthetic, 0),
    maxRunLength: L,
    minGap: config.repeatMinGap,
    originals,
    repeats,
    leading,
    budget: SEARCH_BUDGET,
  });
  if (result.kind === 'found') return result.items;
  const largest = largestPatientShare(imgs);
  const rules =
    `runs of at most ${L} per class, no two adjacent images of one source patient` +
    (repeats[0] + repeats[1] > 0 ? `, and repeats at least ${config.repeatMinGap} items after their first showing` : '');
  throw new StudyInfeasibleError(
    (result.kind === 'infeasible'
      ? `No order of the ${part} satisfies all rules (${rules}); an exhaustive search found none. `
      : `No order of the ${part} satisfying all rules (${rules}) was found within the search budget. `) +
      `The largest source patient has ${largest} of ${length} items. Select fewer images per patient, ` +
      `raise the longest run of one class, or lower the repeated items.`,
  );
}

function largestPatientShare(imgs: readonly Img[]): number {
  const counts = new Map<number, number>();
  for (const i of imgs) counts.set(i.patient, (counts.get(i.patient) ?? 0) + 1);
  return Math.max(0, ...counts.values());
}

/** A patient with more than half the items cannot avoid adjacency in any order: say so up front. */
function checkPatientShare(imgs: readonly Img[], length: number, part: string): void {
  const most = largestPatientShare(imgs);
  if (most > Math.ceil(length / 2)) {
    throw new StudyInfeasibleError(
      `${most} of the ${length} items of the ${part} come from one source patient; at most ` +
        `${Math.ceil(length / 2)} can be kept apart. Select fewer images per patient.`,
    );
  }
}
