import { describe, expect, it } from 'vitest';
import { CHECK_TOLERANCE, pixelDelta } from './browser-chunks';
import { useBackend } from './backend';
import { buildCheckpointModel } from './checkpoint';
import { readCheckpointZip } from './contents';
import { CheckpointError } from './errors';
import { generateGrey } from './generate';
import { tinyCheckpointZip } from '@/tests/support/gan';

/**
 * GAN_BACKEND=webgpu (a worker on a GPU machine): where Dawn (the `webgpu` package) and an adapter are present,
 * the tiny generator's images match wasm within the tolerance the server applies to browser chunks; where they
 * are not (these machines: the package is not a dependency), the backend refuses with a message that says what
 * to install or set, and nothing else changes.
 */
describe('the webgpu backend in Node', () => {
  it('generates within the chunk tolerance of wasm, or refuses with an actionable message', async () => {
    const contents = await readCheckpointZip(await tinyCheckpointZip({ seed: 950 }));
    const items = Array.from({ length: 6 }, (_, index) => ({ index, labels: [] }));
    let onGpu: Uint8Array[] | null = null;
    try {
      await useBackend('webgpu');
      const model = await buildCheckpointModel(contents, 'webgpu');
      onGpu = await generateGrey(model, items, { seed: 8 });
      model.dispose();
    } catch (error) {
      expect(error).toBeInstanceOf(CheckpointError);
      expect((error as CheckpointError).code).toBe('BACKEND');
      expect((error as Error).message).toMatch(/GAN_BACKEND=webgpu( needs the `webgpu` package \(Dawn for Node\) on this machine: npm install --no-save webgpu|: Dawn found no GPU adapter on this machine .*use GAN_BACKEND=wasm here)/);
    }
    const wasm = await buildCheckpointModel(contents, 'wasm');
    const reference = await generateGrey(wasm, items, { seed: 8 });
    wasm.dispose();
    if (onGpu) {
      for (const [i, pixels] of onGpu.entries()) {
        const delta = pixelDelta(pixels, reference[i]);
        expect(delta.maxAbs, `image ${i}`).toBeLessThanOrEqual(CHECK_TOLERANCE.maxAbs);
        expect(delta.meanAbs, `image ${i}`).toBeLessThanOrEqual(CHECK_TOLERANCE.meanAbs);
      }
      console.log(`webgpu in Node: ${onGpu.length} images within tolerance of wasm`);
    }
  }, 120_000);
});
