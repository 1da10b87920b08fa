/**
 * An independent check of a realised sequence against every ordering rule. The builder runs it on
 * its own output before returning, the tests run it on thousands of generated sequences, and a
 * caller can run it on a stored or imported sequence. It shares no code with the builder on
 * purpose, so a bug there is not mirrored here.
 */
import type { StudyConfig } from './config';
import type { SequenceImage, SequenceItem } from './types';

export interface ValidateSequenceInput {
  items: readonly SequenceItem[];
  /** The reader's scored images (the selected set). */
  images: readonly SequenceImage[];
  practicePool?: readonly SequenceImage[];
  config: Pick<
    StudyConfig,
    'imagesPerReader' | 'practiceItems' | 'repeatedItems' | 'repeatMinGap' | 'maxRunLength' | 'blockSize'
  >;
}

/** Every broken rule, one readable line each; empty when the sequence is valid. */
export function sequenceViolations({ items, images, practicePool = [], config }: ValidateSequenceInput): string[] {
  const out: string[] = [];
  const scoredImages = new Map(images.map((i) => [i.id, i]));
  const practiceImages = new Map(practicePool.map((i) => [i.id, i]));
  const lookup = (item: SequenceItem) =>
    item.phase === 'PRACTICE' ? practiceImages.get(item.imageId) : scoredImages.get(item.imageId);

  items.forEach((item, i) => {
    if (item.position !== i) out.push(`item ${i} has position ${item.position}`);
    if (!lookup(item)) out.push(`position ${i}: image ${item.imageId} is not in the ${item.phase.toLowerCase()} set`);
  });
  const practice = items.filter((i) => i.phase === 'PRACTICE');
  const scored = items.filter((i) => i.phase === 'SCORED');
  if (items.slice(0, practice.length).some((i) => i.phase !== 'PRACTICE')) out.push('practice items must come first');
  if (practice.length !== config.practiceItems) {
    out.push(`${practice.length} practice items, expected ${config.practiceItems}`);
  }
  if (practice.some((i) => i.block !== 0 || i.isRepeat)) out.push('practice items must be block 0 and not repeats');
  if (new Set(practice.map((i) => i.imageId)).size !== practice.length) out.push('a practice image is shown twice');

  // Scored: each image once, plus exactly repeatedItems second showings, flagged as repeats.
  const seenAt = new Map<string, number>();
  let repeats = 0;
  for (const item of scored) {
    const first = seenAt.get(item.imageId);
    if (first === undefined) {
      seenAt.set(item.imageId, item.position);
      if (item.isRepeat) out.push(`position ${item.position}: first showing flagged as a repeat`);
    } else {
      repeats++;
      if (!item.isRepeat) out.push(`position ${item.position}: second showing not flagged as a repeat`);
      if (item.position - first - 1 < config.repeatMinGap) {
        out.push(`position ${item.position}: repeat only ${item.position - first - 1} items after its first showing`);
      }
      seenAt.set(item.imageId, Number.POSITIVE_INFINITY); // a third showing would fail the gap check
    }
  }
  if (seenAt.size !== config.imagesPerReader) {
    out.push(`${seenAt.size} distinct scored images, expected ${config.imagesPerReader}`);
  }
  if (repeats !== config.repeatedItems) out.push(`${repeats} repeats, expected ${config.repeatedItems}`);

  // Runs of one class, within each phase.
  for (const part of [practice, scored]) {
    let run = 0;
    part.forEach((item, k) => {
      const same = k > 0 && lookup(item)?.origin === lookup(part[k - 1])?.origin;
      run = same ? run + 1 : 1;
      if (run === config.maxRunLength + 1) {
        out.push(`position ${item.position}: run of more than ${config.maxRunLength} ${lookup(item)?.origin} images`);
      }
    });
  }

  // Blocks: consecutive, of blockSize (last may be shorter), each within one image of the ratio.
  const size = config.blockSize ?? scored.length;
  const totalSynthetic = scored.filter((i) => lookup(i)?.origin === 'SYNTHETIC').length;
  scored.forEach((item, k) => {
    if (item.block !== Math.floor(k / size) + 1) out.push(`position ${item.position}: block ${item.block}`);
  });
  for (let start = 0; start < scored.length; start += size) {
    const block = scored.slice(start, start + size);
    const synthetic = block.filter((i) => lookup(i)?.origin === 'SYNTHETIC').length;
    const expected = (totalSynthetic * block.length) / scored.length;
    if (Math.abs(synthetic - expected) >= 1) {
      out.push(`block ${block[0].block}: ${synthetic} synthetic of ${block.length}, expected about ${expected.toFixed(2)}`);
    }
  }

  // Patients: never two adjacent items of the same source patient, across the phase boundary too.
  const patientOf = (item: SequenceItem) => lookup(item)?.patientKey ?? `\u0000image:${item.imageId}`;
  for (let k = 1; k < items.length; k++) {
    if (patientOf(items[k]) === patientOf(items[k - 1])) {
      out.push(`positions ${k - 1} and ${k}: same patient ${patientOf(items[k])}`);
    }
  }
  return out;
}
