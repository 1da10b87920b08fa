import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { CheckpointError } from './errors';

/**
 * TensorFlow.js in Node, on the backend configuration names (GAN_BACKEND): `wasm` (XNNPACK, SIMD), `cpu`
 * (plain JavaScript, ~20× slower, always available), `auto` = wasm, or `webgpu` for a worker on a GPU machine:
 * tfjs-backend-webgpu on Dawn's Node binding, the `webgpu` npm package, which is not a dependency (132 MB of
 * prebuilt Dawn): `npm install --no-save webgpu` on that machine. Dawn needs a Vulkan driver there (checked
 * here only on SwiftShader's software Vulkan, VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json;
 * README "Generation on a GPU without a browser"). tfjs-node is not used: it cannot be installed here.
 *
 * Outputs are deterministic per backend (same checkpoint, seed and parameters → the same bytes), not across
 * backends: each image's provenance records the backend that made it.
 */
export type GanBackend = 'wasm' | 'cpu' | 'webgpu';
export type GanBackendSetting = GanBackend | 'auto';

let active: Promise<GanBackend> | null = null;
let activeName: GanBackend | null = null;

export function resolveBackend(setting: GanBackendSetting): GanBackend {
  return setting === 'auto' ? 'wasm' : setting;
}

let gpuAllowed = false;

/** Called by a worker (lib/jobs/worker.ts): only workers generate on the GPU (GAN_BACKEND=webgpu). */
export function allowGpuBackend(): void {
  gpuAllowed = true;
}

/** The backend this process uses for a setting: the web process registers checkpoints and checks chunks on wasm whatever GAN_BACKEND says. */
export function processBackend(setting: GanBackendSetting): GanBackendSetting {
  return setting === 'webgpu' && !gpuAllowed ? 'wasm' : setting;
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
      if (name === 'webgpu') await provideWebGpu();
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

/**
 * navigator.gpu for tfjs-backend-webgpu in Node, from Dawn (the `webgpu` package), and the backend itself.
 * Every failure says what to install or set: no package, no Vulkan driver, no adapter.
 */
async function provideWebGpu(): Promise<void> {
  let dawn: { create(flags: string[]): { requestAdapter(options?: object): Promise<{ info?: { description?: string } } | null> }; globals: object };
  try {
    dawn = await import(/* webpackIgnore: true */ /* turbopackIgnore: true */ 'webgpu' as string);
  } catch (error) {
    throw new CheckpointError('BACKEND', `GAN_BACKEND=webgpu needs the \`webgpu\` package (Dawn for Node) on this machine: npm install --no-save webgpu (${(error as Error).message.split('\n')[0]})`);
  }
  Object.assign(globalThis, dawn.globals);
  const gpu = dawn.create([]);
  const adapter = await gpu.requestAdapter().catch(() => null);
  if (!adapter) {
    throw new CheckpointError(
      'BACKEND',
      'GAN_BACKEND=webgpu: Dawn found no GPU adapter on this machine (it needs a Vulkan driver: the GPU vendor\'s, or for a software check VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json with Debian\'s chromium); use GAN_BACKEND=wasm here',
    );
  }
  const nav = (globalThis as { navigator?: object }).navigator;
  if (nav) Object.defineProperty(nav, 'gpu', { value: gpu, configurable: true });
  else Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true, writable: true });
  await import('@tensorflow/tfjs-backend-webgpu');
}

export { tf };
