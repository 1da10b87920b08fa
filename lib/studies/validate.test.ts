import { describe, expect, it } from 'vitest';
import { parseStudyConfig } from './config';
import { readerSeed } from './rng';
import { buildSequence } from './sequence';
import type { SequenceImage, SequenceItem } from './types';
import { sequenceViolations } from './validate';

// The property tests trust sequenceViolations, so check that it notices each kind of broken rule.
const config = parseStudyConfig({ imagesPerReader: 24, repeatedItems: 4, practiceItems: 2, blockSize: 14, maxRunLength: 2 });
const images: SequenceImage[] = Array.from({ length: 24 }, (_, i) => ({
  id: `img-${String(i).padStart(2, '0')}`,
  origin: i < 12 ? 'REAL' : 'SYNTHETIC',
  patientKey: `p${i % 8}`,
}));
const practicePool: SequenceImage[] = [
  { id: 'pr-a', origin: 'REAL', patientKey: 'q1' },
  { id: 'pr-b', origin: 'SYNTHETIC', patientKey: 'q2' },
];
const { items } = buildSequence({ images, practicePool, config, seed: readerSeed('secret', 'reader') });
const check = (xs: SequenceItem[]) => sequenceViolations({ items: xs, images, practicePool, config });
const edit = (f: (xs: SequenceItem[]) => void) => {
  const copy = items.map((i) => ({ ...i }));
  f(copy);
  return check(copy);
};
const origin = new Map(images.map((i) => [i.id, i.origin]));
const patient = new Map(images.map((i) => [i.id, i.patientKey]));

describe('sequenceViolations', () => {
  it('accepts a built sequence', () => {
    expect(check(items)).toEqual([]);
  });

  it('notices wrong positions, phases and unknown images', () => {
    expect(edit((xs) => (xs[3].position = 9))).toContain('item 3 has position 9');
    expect(edit((xs) => (xs[5].imageId = 'nope'))).toContainEqual(expect.stringMatching(/image nope is not in the scored set/));
    expect(edit((xs) => xs.splice(0, 1))).not.toEqual([]);
    expect(edit((xs) => (xs[0].block = 1))).toContain('practice items must be block 0 and not repeats');
  });

  it('notices a missing or unflagged repeat and a repeat too close', () => {
    const repeatAt = items.findIndex((i) => i.isRepeat);
    expect(edit((xs) => (xs[repeatAt].isRepeat = false))).toContainEqual(expect.stringMatching(/second showing not flagged/));
    expect(edit((xs) => xs.forEach((x) => (x.isRepeat = false)))).toContainEqual(expect.stringMatching(/not flagged/));
    const first = items.findIndex((i) => i.imageId === items[repeatAt].imageId);
    const tooClose = edit((xs) => {
      // Move the repeat right after its first showing (rotating the items in between).
      const [r] = xs.splice(repeatAt, 1);
      xs.splice(first + 1, 0, r);
      xs.forEach((x, k) => (x.position = k));
    });
    expect(tooClose.join()).toMatch(/repeat only 0 items after|same patient/);
  });

  it('notices a long run, a block off its ratio and adjacent patients', () => {
    const scored = items.filter((i) => i.phase === 'SCORED');
    // Sort the first block by class: a long run and, after swapping across blocks, a wrong ratio.
    const sortedBlock = edit((xs) => {
      const block = xs.filter((x) => x.block === 1);
      block.sort((a, b) => (origin.get(a.imageId)! < origin.get(b.imageId)! ? -1 : 1));
      block.forEach((b, k) => (xs[2 + k] = { ...b, position: 2 + k }));
    });
    expect(sortedBlock.join()).toMatch(/run of more than 2/);
    const realInBlock2 = scored.find((i) => i.block === 2 && origin.get(i.imageId) === 'REAL')!;
    const synthInBlock1 = scored.find((i) => i.block === 1 && origin.get(i.imageId) === 'SYNTHETIC')!;
    const swapped = edit((xs) => {
      const a = xs.findIndex((x) => x.position === realInBlock2.position);
      const b = xs.findIndex((x) => x.position === synthInBlock1.position);
      [xs[a].imageId, xs[b].imageId] = [xs[b].imageId, xs[a].imageId];
    });
    expect(swapped.join()).toMatch(/block 1: \d+ synthetic of 14/);
    const k = items.findIndex((x, i) => i > 2 && x.phase === 'SCORED' && !x.isRepeat);
    const twin = images.find((i) => i.id !== items[k].imageId && patient.get(i.id) === patient.get(items[k].imageId))!;
    const adjacent = edit((xs) => {
      const j = xs.findIndex((x) => x.imageId === twin.id && !x.isRepeat);
      [xs[k + 1].imageId, xs[j].imageId] = [xs[j].imageId, xs[k + 1].imageId];
    });
    expect(adjacent.join()).toMatch(/same patient/);
  });
});
