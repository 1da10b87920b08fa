import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { CheckpointError } from './errors';

/**
 * TensorFlow.js in Node, on the backend configuration names (GAN_BACKEND): `wasm` (XNNPACK, SIMD), `cpu`
 * (plain JavaScript, ~20× slower, always available), or `auto` = wasm. tfjs-node is not used: it cannot be
 * installed on these machines. A GPU backend belongs here when a machine has one (see README).
 *
 * Outputs are deterministic per backend (same checkpoint, seed and parameters → the same bytes), not across
 * backends: each image's provenance records the backend that made it.
 */
export type GanBackend = 'wasm' | 'cpu';
export type GanBackendSetting = GanBackend | 'auto';

let active: Promise<GanBackend> | null = null;
let activeName: GanBackend | null = null;

export function resolveBackend(setting: GanBackendSetting): GanBackend {
  return setting === 'auto' ? 'wasm' : setting;
}

/** The folder holding tfjs-backend-wasm's .wasm binaries (GAN_WASM_DIR overrides; Next's server runs from the project root). */
export function wasmDirectory(): string {
  const configured = process.env.GAN_WASM_DIR;
  const dir = configured ?? path.join(/*turbopackIgnore: true*/ process.cwd(), 'node_modules', '@tensorflow', 'tfjs-backend-wasm', 'dist');
  return dir.endsWith(path.sep) ? dir : `${dir}${path.sep}`;
}

/** Switches this process's tfjs to the backend (once per backend; later calls are free). */
export async function useBackend(setting: GanBackendSetting): Promise<typeof tf> {
  const name = resolveBackend(setting);
  if (activeName !== name || !active) {
    activeName = name;
    active = (async () => {
      // Prod mode: no per-op NaN checks (the generator's output is checked once), and no console banner.
      tf.enableProdMode();
      if (name === 'wasm') setWasmPaths(wasmDirectory());
      const ok = await tf.setBackend(name);
      if (!ok) throw new CheckpointError('BACKEND', `the TensorFlow.js ${name} backend could not start${name === 'wasm' ? ` (wasm files expected in ${wasmDirectory()})` : ''}`);
      await tf.ready();
      return name;
    })();
    active.catch(() => {
      active = null;
      activeName = null;
    });
  }
  await active;
  return tf;
}

export { tf };
