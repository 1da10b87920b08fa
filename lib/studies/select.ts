/**
 * Choosing the study's image set from the candidate images (or, when sameImagesForAllReaders is
 * false, one reader's own sample; see rng.ts#selectionSeed).
 *
 * Rules: quarantined images are never eligible; round(imagesPerReader × syntheticFraction) images
 * are synthetic; and within every stratum (a combination of the configured attributes: modality,
 * label set, resolution) the real:synthetic ratio is kept as far as the counts allow, so none of
 * those attributes tells a reader which class an image belongs to.
 *
 * Method: proportionate stratified sampling with a balance cap. A stratum's balanced capacity is
 * the largest sample it could give at the target ratio f, floor(min(synthetic/f, real/(1 − f))).
 * Strata get sample sizes in proportion to their eligible images, none above its capacity (the
 * excess goes to the others), and the synthetic total is then split in proportion to those sizes
 * (apportion.ts: largest remainder with bounds), so every stratum holds f of its images ± rounding.
 * Only when the capacities add up to less than imagesPerReader does a stratum get more than its
 * balanced share of one class: each stratum then gives its capacity and the missing images are
 * added one by one where they shift a stratum's ratio least; strata left off by more than one
 * image are reported in `warnings`. Images are drawn uniformly
 * within each stratum and class. Deterministic: candidates and strata are sorted before any draw.
 */
import { apportion } from './apportion';
import type { StratumAttribute, StudyConfig } from './config';
import { InsufficientImagesError } from './errors';
import { rngFromSeed, sample } from './rng';
import type { ImageOrigin } from './types';

export interface CandidateImage {
  id: string;
  origin: ImageOrigin;
  modality: string;
  labels: readonly string[];
  /** Compared exactly: bucket it before selection if near-equal resolutions should share a stratum. */
  resolution: number;
  patientKey?: string | null;
  isQuarantined?: boolean;
}

export interface ClassCounts {
  real: number;
  synthetic: number;
}

export interface StratumReport {
  /** Stable key, e.g. '{"modality":"CT","label":["nodule"]}'. */
  key: string;
  attributes: { modality?: string; label?: string[]; resolution?: number };
  available: ClassCounts;
  selected: ClassCounts;
}

export interface Selection<T extends CandidateImage> {
  seed: string;
  /** The chosen images, sorted by id. */
  images: T[];
  /** Every stratum with eligible images, sorted by key (one stratum "{}" when not stratifying). */
  strata: StratumReport[];
  /**
   * One line per stratum whose selected ratio is off the target by more than one image, or that
   * was left out because it cannot give both classes at the target ratio.
   */
  warnings: string[];
}

export interface SelectInput<T extends CandidateImage> {
  candidates: readonly T[];
  config: Pick<StudyConfig, 'imagesPerReader' | 'syntheticFraction' | 'strata'>;
  /** Normally selectionSeed(studySecret) or, for per-reader samples, selectionSeed(secret, readerId). */
  seed: string;
}

/** Chooses the image set; throws InsufficientImagesError when a class has too few images. */
export function selectImages<T extends CandidateImage>({ candidates, config, seed }: SelectInput<T>): Selection<T> {
  const f = config.syntheticFraction;
  const total = config.imagesPerReader;
  const need: ClassCounts = { synthetic: Math.round(total * f), real: 0 };
  need.real = total - need.synthetic;

  if (new Set(candidates.map((c) => c.id)).size !== candidates.length) {
    throw new InsufficientImagesError('The candidate images contain duplicate ids.');
  }
  const eligible = candidates
    .filter((c) => !c.isQuarantined)
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  checkEnough(eligible, candidates.length - eligible.length, need, config);

  const by = config.strata?.by ?? [];
  const groups = new Map<string, { attributes: StratumReport['attributes']; real: T[]; synthetic: T[] }>();
  for (const image of eligible) {
    const attributes = stratumOf(image, by);
    const key = JSON.stringify(attributes);
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { attributes, real: [], synthetic: [] }));
    (image.origin === 'SYNTHETIC' ? group.synthetic : group.real).push(image);
  }
  const keys = [...groups.keys()].sort();
  const strata = keys.map((k) => groups.get(k)!);

  const { real, synthetic } = allocate(
    strata.map((s) => ({ real: s.real.length, synthetic: s.synthetic.length })),
    need,
    f,
  );

  const rng = rngFromSeed(seed);
  const images: T[] = [];
  const reports: StratumReport[] = [];
  const warnings: string[] = [];
  strata.forEach((s, h) => {
    images.push(...sample(rng, s.synthetic, synthetic[h]), ...sample(rng, s.real, real[h]));
    const report: StratumReport = {
      key: keys[h],
      attributes: s.attributes,
      available: { real: s.real.length, synthetic: s.synthetic.length },
      selected: { real: real[h], synthetic: synthetic[h] },
    };
    reports.push(report);
    const n = real[h] + synthetic[h];
    if (n === 0) {
      warnings.push(
        `Stratum ${keys[h]}: none selected; with ${s.synthetic.length} synthetic and ${s.real.length} real ` +
          `eligible images it cannot contribute at the target ratio (${pct(f)} synthetic).`,
      );
    } else if (Math.abs(synthetic[h] - f * n) > 1) {
      warnings.push(
        `Stratum ${keys[h]}: ${synthetic[h]} synthetic of ${n} selected ` +
          `(${pct(synthetic[h] / n)}, target ${pct(f)}); it has ${s.synthetic.length} synthetic and ` +
          `${s.real.length} real eligible images, and the other strata could not make up the difference.`,
      );
    }
  });
  images.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { seed, images, strata: reports, warnings };
}

/**
 * How many images of each class every stratum gives; see the file comment. Balanced capacity of a
 * stratum: the largest sample it can give at ratio f, floor(min(synthetic/f, real/(1 − f))).
 */
function allocate(available: readonly ClassCounts[], need: ClassCounts, f: number): { real: number[]; synthetic: number[] } {
  const total = need.real + need.synthetic;
  const size = available.map((a) => a.real + a.synthetic);
  // 1e-9: synthetic/f is often a hair below an integer in floating point (3 / 0.1 = 29.999…).
  const capacity = available.map((a) => Math.floor(Math.min(a.synthetic / f, a.real / (1 - f)) + 1e-9));
  const ofSize = (n: readonly number[], S: number) =>
    apportion(
      S,
      n,
      n.map((k, h) => Math.max(0, k - available[h].real)),
      n.map((k, h) => Math.min(k, available[h].synthetic)),
    );
  if (capacity.reduce((a, b) => a + b, 0) >= total) {
    // Enough balanced room: strata in proportion to their size, none beyond its capacity, and
    // the synthetic total spread in proportion to the strata's sizes.
    const n = apportion(total, size, undefined, capacity);
    const synthetic = ofSize(n, need.synthetic);
    return { synthetic, real: n.map((k, h) => k - synthetic[h]) };
  }
  // Not enough: every stratum gives its balanced capacity, then the missing images are added one
  // at a time where they disturb the ratio least (greedy; ties to the lower stratum index).
  const C = capacity.reduce((a, b) => a + b, 0);
  const synthetic = ofSize(capacity, Math.round(C * f));
  const real = capacity.map((k, h) => k - synthetic[h]);
  let extraSynthetic = need.synthetic - synthetic.reduce((a, b) => a + b, 0);
  let extraReal = need.real - real.reduce((a, b) => a + b, 0);
  const deviation = (s: number, r: number) => Math.abs(s - f * (s + r));
  while (extraSynthetic + extraReal > 0) {
    let best = { cost: Infinity, h: -1, isSynthetic: false };
    available.forEach((a, h) => {
      const now = deviation(synthetic[h], real[h]);
      if (extraSynthetic > 0 && synthetic[h] < a.synthetic) {
        const cost = deviation(synthetic[h] + 1, real[h]) - now;
        if (cost < best.cost) best = { cost, h, isSynthetic: true };
      }
      if (extraReal > 0 && real[h] < a.real) {
        const cost = deviation(synthetic[h], real[h] + 1) - now;
        if (cost < best.cost) best = { cost, h, isSynthetic: false };
      }
    });
    // best.h ≥ 0 always: checkEnough guaranteed enough images of each class overall.
    if (best.isSynthetic) (synthetic[best.h]++, extraSynthetic--);
    else (real[best.h]++, extraReal--);
  }
  return { synthetic, real };
}

/**
 * Eligible (non-quarantined) images per stratum and class, keyed like StratumReport; for showing a
 * draft's pools before any selection is possible. Sorted by key.
 */
export function stratumCounts(
  candidates: readonly CandidateImage[],
  by: readonly StratumAttribute[] = [],
): Array<Pick<StratumReport, 'key' | 'attributes' | 'available'>> {
  const groups = new Map<string, Pick<StratumReport, 'key' | 'attributes' | 'available'>>();
  for (const image of candidates) {
    if (image.isQuarantined) continue;
    const attributes = stratumOf(image, by);
    const key = JSON.stringify(attributes);
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { key, attributes, available: { real: 0, synthetic: 0 } }));
    if (image.origin === 'SYNTHETIC') group.available.synthetic++;
    else group.available.real++;
  }
  return [...groups.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** A stratum's attribute values; the label set is sorted and de-duplicated so order is no cue. */
function stratumOf(image: CandidateImage, by: readonly StratumAttribute[]): StratumReport['attributes'] {
  const out: StratumReport['attributes'] = {};
  for (const attribute of [...by].sort()) {
    if (attribute === 'modality') out.modality = image.modality;
    else if (attribute === 'label') out.label = [...new Set(image.labels)].sort();
    else out.resolution = image.resolution;
  }
  return out;
}

function checkEnough(
  eligible: readonly CandidateImage[],
  quarantined: number,
  need: ClassCounts,
  config: Pick<StudyConfig, 'imagesPerReader' | 'syntheticFraction'>,
): void {
  const have = {
    real: eligible.filter((c) => c.origin === 'REAL').length,
    synthetic: eligible.filter((c) => c.origin === 'SYNTHETIC').length,
  };
  const short = (['synthetic', 'real'] as const).filter((c) => have[c] < need[c]);
  if (short.length === 0) return;
  const lines = short.map((c) => `${need[c]} ${c} images needed, ${have[c]} available`);
  throw new InsufficientImagesError(
    `Not enough images: ${lines.join('; ')} (${config.imagesPerReader} images per reader × ` +
      `synthetic share ${Math.round(config.syntheticFraction * 1000) / 10} %` +
      (quarantined > 0 ? `; ${quarantined} quarantined image(s) are not eligible` : '') +
      ').',
  );
}

function pct(x: number): string {
  return `${(100 * x).toFixed(1)}%`;
}
