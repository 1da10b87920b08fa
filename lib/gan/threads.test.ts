import { afterAll, describe, expect, it } from 'vitest';
import { generateGrey } from './generate';
import { loadCheckpoint } from './load';
import { startGeneratorPool, threadCount, type GeneratorPool } from './threads';
import { graphCheckpointZip, TINY_SPEC, tinyCheckpointZip } from '@/tests/support/gan';
import os from 'node:os';

/**
 * Generation on several threads (one tfjs wasm backend each) gives the same bytes as one thread, whatever the
 * number of threads and the batch size: images are dealt to threads in whole batches and put back in order.
 */
describe('generator threads', () => {
  const pools: GeneratorPool[] = [];
  afterAll(async () => Promise.all(pools.map((p) => p.close())));

  const formats = {
    'layers model': { zip: () => tinyCheckpointZip({ seed: 77, spec: { ...TINY_SPEC, labels: ['a', 'b'] } }), labels: ['a', 'b'] },
    'graph model': { zip: () => graphCheckpointZip(), labels: ['Effusion', 'Nodule'] },
  };
  for (const [format, { zip, labels: [a, b] }] of Object.entries(formats)) {
    it(`pixels identical to single-thread generation (${format}, wasm, 2 and 3 threads)`, async () => {
      const checkpoint = await loadCheckpoint(await zip(), { backend: 'wasm' });
      const items = Array.from({ length: 45 }, (_, index) => ({ index, labels: index % 3 ? [a] : [a, b] }));
      const reference = await generateGrey(checkpoint, items, { seed: 4321, batchSize: 16 });
      for (const threads of [2, 3]) {
        const pool = await startGeneratorPool(checkpoint, threads);
        pools.push(pool);
        for (const batchSize of [16, 7, 1]) {
          const got = await pool.generate(items, { seed: 4321, batchSize });
          expect(got).toHaveLength(items.length);
          got.forEach((pixels, i) => expect(Buffer.from(pixels).equals(Buffer.from(reference[i])), `${threads} threads, batch ${batchSize}, image ${i}`).toBe(true));
        }
        const truncated = await pool.generate(items.slice(0, 20), { seed: 4321, batchSize: 4, truncation: 0.5 });
        const truncatedHere = await generateGrey(checkpoint, items.slice(0, 20), { seed: 4321, batchSize: 4, truncation: 0.5 });
        expect(truncated.map((p) => Buffer.from(p).toString('base64'))).toEqual(truncatedHere.map((p) => Buffer.from(p).toString('base64')));
      }
      checkpoint.dispose();
    }, 180_000);
  }

  it('GAN_THREADS 0 means one thread per core', () => {
    expect(threadCount(0)).toBe(os.availableParallelism());
    expect(threadCount(3)).toBe(3);
  });
});
