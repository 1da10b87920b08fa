import { describe, expect, it } from 'vitest';
import { computeDashboard } from './compute';
import { mrmcBeside, mrmcThreadIsRunning } from './parallel-mrmc';
import type { StudyData } from './types';

/**
 * 5 readers × 60 images (half synthetic, two modalities, two checkpoints), each reader rating every image once
 * on a 1–5 scale from a fixed pseudo-random sequence, plus a practice answer and a repeat per reader.
 */
function study(): StudyData {
  const R = 5;
  const N = 60;
  let seed = 12345;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const rows: Array<[reader: number, image: number, call: number, confidence: number, practice: number, repeat: number]> = [];
  for (let r = 0; r < R; r++) {
    rows.push([r, N, 1, 3, 1, 0]);
    for (let g = 0; g < N; g++) rows.push([r, g, next() < 0.5 + 0.1 * (g % 2) ? 1 : 0, 1 + Math.floor(next() * 5), 0, 0]);
    rows.push([r, r, 0, 2, 0, 1]);
  }
  const n = rows.length;
  const col = <T extends Int32Array | Uint8Array | Float64Array>(make: new (n: number) => T, k: number) => {
    const out = new make(n);
    rows.forEach((row, j) => (out[j] = row[k]));
    return out;
  };
  const images = N + 1;
  return {
    study: {
      id: 's',
      name: 'Threaded',
      description: '',
      status: 'OPEN',
      config: { imagesPerReader: N, syntheticFraction: 0.5, practiceItems: 1, repeatedItems: 1, repeatMinGap: 2, maxRunLength: 3, confidenceScale: { min: 1, max: 5 }, allowBack: false, margin: 0.1, alpha: 0.05, sameImagesForAllReaders: true },
      configHash: 'h'.repeat(64),
      openedAt: null,
      closedAt: null,
    },
    readers: Array.from({ length: R }, (_, k) => ({ id: `u${k}`, name: `Reader ${k}`, email: `r${k}@x`, pseudonym: `R0${k + 1}`, assignmentId: `a${k}`, assigned: N + 2, completedAt: null, lastActivity: null })),
    images: {
      count: images,
      ids: Array.from({ length: images }, (_, g) => `i${g}`),
      truthSynthetic: Uint8Array.from({ length: images }, (_, g) => g % 2),
      isPractice: Uint8Array.from({ length: images }, (_, g) => (g === N ? 1 : 0)),
      modality: Int32Array.from({ length: images }, (_, g) => (g % 4 < 2 ? 0 : 1)),
      modalities: ['CXR', 'CT_HEAD'],
      labelSet: new Int32Array(images).fill(-1),
      labelSets: [],
      resolution: new Float64Array(images).fill(256),
      checkpoint: Int32Array.from({ length: images }, (_, g) => (g % 2 ? (g % 8 < 4 ? 0 : 1) : -1)),
      checkpoints: ['gan-a', 'gan-b'],
    },
    answers: {
      count: n,
      reader: col(Int32Array, 0),
      image: col(Int32Array, 1),
      callSynthetic: col(Uint8Array, 2),
      confidence: col(Float64Array, 3),
      isPractice: col(Uint8Array, 4),
      isRepeat: col(Uint8Array, 5),
      hasCall: new Uint8Array(n).fill(1),
      serial: Float64Array.from({ length: n }, (_, j) => j + 1),
      clientMs: new Float64Array(n).fill(1000),
      serverMs: new Float64Array(n).fill(1100),
    },
  };
}

describe('MRMC analyses in a second thread', () => {
  it('give what computeDashboard gives in this thread, before the thread runs and once it does', async () => {
    const data = study();
    const inline = computeDashboard(data, (g) => `C${g}`).mrmc;
    expect(inline.analyses.map((a) => [a.test, a.result === null])).toEqual([
      ['all', false],
      ['CXR', false],
      ['CT_HEAD', false],
      ['gan-a', false],
      ['gan-b', false],
    ]);
    // The first call starts the thread and is computed here meanwhile.
    expect(await mrmcBeside(data)).toEqual(inline);
    const deadline = Date.now() + 60_000;
    while (!mrmcThreadIsRunning() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(mrmcThreadIsRunning()).toBe(true);
    const threaded = await mrmcBeside(data);
    expect(JSON.stringify(threaded)).toBe(JSON.stringify(inline));
  }, 90_000);
});
