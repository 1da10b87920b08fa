/**
 * Benchmark of GAN generation (lib/gan) against PyTorch CPU on the same architecture, in the same run:
 * images/s at 64² and 128² of the upsample-conv layers family (`--arch upsample-conv`; the demo generators are
 * pgan-lite graph models since issue 14, 62.8 MFLOP/image against 38.6 here), with 1 and
 * 2 worker processes of one thread each; the GFLOP/s that makes, against a matrix-multiply peak measured
 * here with tfjs matMul (same backend) and with numpy / torch. Target: tfjs ≥ 50 % of PyTorch CPU.
 * Also the browser path ("Run on this browser"): tfjs in Chromium on WebGL (software SwiftShader on these
 * machines) and WebGPU where Chromium finds an adapter (scripts/bench-gan-browser.ts).
 *
 *   npx tsx scripts/bench-gan.ts             prints the figures
 *   npm run bench -- gan                     the same, through scripts/bench.ts
 *
 * Threads (issue 17): one process with N generator threads (lib/gan/threads.ts, one single-threaded tfjs wasm
 * backend each, the path the worker uses) against one PyTorch process with torch.set_num_threads(N), for N = 1
 * and every core (BENCH_GAN_THREADS=1,4,16 to choose); images/s per machine and per core.
 *
 * Each measurement runs in fresh child processes that warm up, then start together on a signal, so
 * process start-up and wasm compilation are not timed. PYTHON_TORCH names the Python with PyTorch.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import os from 'node:os';
import { getConfig } from '@/lib/config';
import { buildGenerator, CHECKPOINT_FORMAT, checkpointZip, generatorFlops, loadCheckpoint, useBackend, type GanBackend, type GeneratorSpec } from '@/lib/gan';
import { startGeneratorPool } from '@/lib/gan/threads';
import { compileGenerator } from '@/lib/gan/compile';
import { latentFor } from '@/lib/gan/latents';
import { browserImagesPerSecond, type BrowserBackend } from './bench-gan-browser';

export interface BenchFigure {
  name: string;
  unit: string;
  runs: number[];
  target?: string;
}

const SHIPPED = { latentDim: 64, labels: [] as string[], baseChannels: 128, minChannels: 8 };
const REPEATS = Number(process.env.BENCH_GAN_REPEATS ?? 3);
const IMAGES: Record<number, number> = { 64: 192, 128: 96 };
const BROWSER_IMAGES: Record<number, number> = { 64: 64, 128: 32 };
const BATCH = 16;

type Timing = { images: number; start: number; end: number; flopsPerImage?: number };

/**
 * Child mode: build the generator, warm up, say "ready", wait for "go", generate, print the timing. `plan`
 * runs the compiled inference plan the app uses (lib/gan/compile.ts); `predict` the plain layers model.
 */
async function child(backend: GanBackend, resolution: number, images: number, mode: 'plan' | 'predict'): Promise<void> {
  const tf = await useBackend(backend);
  const spec: GeneratorSpec = { ...SHIPPED, resolution };
  const layers = buildGenerator(tf, spec);
  const plan = compileGenerator(tf, layers);
  const model = { predict: (x: import('@tensorflow/tfjs').Tensor2D) => (mode === 'plan' ? plan.forward(x) : (layers.predict(x) as import('@tensorflow/tfjs').Tensor)) };
  const width = spec.latentDim;
  const batchInput = (offset: number, n: number) => {
    const data = new Float32Array(n * width);
    for (let i = 0; i < n; i++) data.set(latentFor(1, offset + i, width), i * width);
    return tf.tensor2d(data, [n, width]) as import('@tensorflow/tfjs').Tensor2D;
  };
  const warm = tf.tidy(() => model.predict(batchInput(0, BATCH)));
  await warm.data();
  warm.dispose();
  console.log('ready');
  await new Promise((resolve) => process.stdin.once('data', resolve));
  const start = Date.now();
  for (let done = 0; done < images; done += BATCH) {
    const out = tf.tidy(() => model.predict(batchInput(done, Math.min(BATCH, images - done))));
    await out.data();
    out.dispose();
  }
  const end = Date.now();
  console.log(JSON.stringify({ images, start, end }));
  process.exit(0);
}

/** Child mode for threads: the shipped architecture as a checkpoint, on a pool of `threads` generator threads. */
async function threadsChild(backend: GanBackend, resolution: number, images: number, threads: number): Promise<void> {
  const tf = await useBackend(backend);
  const spec: GeneratorSpec = { ...SHIPPED, resolution };
  const model = buildGenerator(tf, spec, 1);
  const manifest = { format: CHECKPOINT_FORMAT, name: `bench ${resolution}`, modality: 'CT_HEAD', resolution, latentDim: spec.latentDim, labels: [], outputRange: [-1, 1], training: { data: 'none (random weights)', licence: 'CC0-1.0' }, codeVersion: 'bench' };
  const checkpoint = await loadCheckpoint(await checkpointZip(model, manifest), { backend });
  const pool = await startGeneratorPool(checkpoint, threads);
  const items = (offset: number, n: number) => Array.from({ length: n }, (_, i) => ({ index: offset + i, labels: [] }));
  // Warm every thread (its kernels and buffers) with one batch each.
  await pool.generate(items(0, BATCH * threads), { seed: 1, batchSize: BATCH });
  console.log('ready');
  await new Promise((resolve) => process.stdin.once('data', resolve));
  const start = Date.now();
  await pool.generate(items(0, images), { seed: 1, batchSize: BATCH });
  const end = Date.now();
  console.log(JSON.stringify({ images, start, end }));
  process.exit(0);
}

/** Thread counts for the threads comparison: 1 and every core, or BENCH_GAN_THREADS. */
function threadCounts(): number[] {
  const listed = process.env.BENCH_GAN_THREADS?.split(',').map(Number).filter((n) => n >= 1);
  return listed?.length ? listed : [...new Set([1, os.availableParallelism()])];
}

/** Runs `processes` children together; returns the aggregate images per second. */
async function parallel(command: string, args: string[], processes: number): Promise<{ imagesPerSecond: number; flopsPerImage?: number }> {
  const children = Array.from({ length: processes }, () => spawn(command, args, { stdio: ['pipe', 'pipe', 'inherit'] }));
  const outputs = children.map((c) => {
    let text = '';
    const ready = new Promise<void>((resolve, reject) => {
      c.stdout!.on('data', (d: Buffer) => {
        text += d.toString();
        if (text.includes('ready')) resolve();
      });
      c.once('exit', (code) => reject(new Error(`${command} ${args.join(' ')} exited with ${code} before it was ready`)));
    });
    const done = new Promise<Timing>((resolve, reject) =>
      c.once('exit', (code) => {
        const line = text.trim().split('\n').at(-1)!;
        code === 0 ? resolve(JSON.parse(line)) : reject(new Error(`${command} exited with ${code}: ${text}`));
      }),
    );
    return { ready, done };
  });
  await Promise.all(outputs.map((o) => o.ready));
  for (const c of children) c.stdin!.write('go\n');
  const timings = await Promise.all(outputs.map((o) => o.done));
  const images = timings.reduce((n, t) => n + t.images, 0);
  const seconds = (Math.max(...timings.map((t) => t.end)) - Math.min(...timings.map((t) => t.start))) / 1000;
  return { imagesPerSecond: images / seconds, flopsPerImage: timings[0].flopsPerImage };
}

function tfjsArgs(backend: GanBackend, resolution: number, mode: 'plan' | 'predict' = 'plan'): [string, string[]] {
  return [process.execPath, ['--import', 'tsx', path.join('scripts', 'bench-gan.ts'), '--child', backend, String(resolution), String(IMAGES[resolution]), mode]];
}

function torchArgs(resolution: number, threads = 1, images = IMAGES[resolution]): [string, string[]] {
  const s = SHIPPED;
  return [
    getConfig().PYTHON_TORCH,
    [path.join('scripts', 'gan', 'bench_torch.py'), 'generate', '--resolution', String(resolution), '--latent', String(s.latentDim), '--base-channels', String(s.baseChannels), '--min-channels', String(s.minChannels), '--images', String(images), '--batch', String(BATCH), '--threads', String(threads)],
  ];
}

function tfjsThreadsArgs(backend: GanBackend, resolution: number, threads: number, images: number): [string, string[]] {
  return [process.execPath, ['--import', 'tsx', path.join('scripts', 'bench-gan.ts'), '--threads-child', backend, String(resolution), String(images), String(threads)]];
}

async function tfjsMatmulPeak(backend: GanBackend, size = 1024, seconds = 2): Promise<number> {
  const tf = await useBackend(backend);
  const a = tf.randomNormal([size, size]);
  const b = tf.randomNormal([size, size]);
  const once = async () => {
    const c = tf.matMul(a, b);
    await c.data();
    c.dispose();
  };
  await once();
  const start = Date.now();
  let reps = 0;
  while (Date.now() - start < seconds * 1000) {
    await once();
    reps++;
  }
  const rate = (2 * size ** 3 * reps) / ((Date.now() - start) / 1000) / 1e9;
  a.dispose();
  b.dispose();
  return rate;
}

async function pythonMatmulPeak(): Promise<{ torch: number; numpy: number }> {
  const out = await new Promise<string>((resolve, reject) => {
    const c = spawn(getConfig().PYTHON_TORCH, [path.join('scripts', 'gan', 'bench_torch.py'), 'matmul', '--size', '1024'], { stdio: ['ignore', 'pipe', 'inherit'] });
    let text = '';
    c.stdout.on('data', (d: Buffer) => (text += d.toString()));
    c.once('exit', (code) => (code === 0 ? resolve(text) : reject(new Error(`bench_torch.py matmul exited with ${code}`))));
  });
  return JSON.parse(out.trim().split('\n').at(-1)!);
}

export async function benchGan(backend: GanBackend = getConfig().GAN_BACKEND === 'cpu' ? 'cpu' : 'wasm'): Promise<BenchFigure[]> {
  const figures: BenchFigure[] = [];
  // BENCH_GAN_SECTIONS=threads (for example) runs only some of: peaks, processes, threads, browser.
  const sections = new Set((process.env.BENCH_GAN_SECTIONS ?? 'peaks,processes,threads,browser').split(','));
  const peaks = { tfjs: [] as number[], torch: [] as number[], numpy: [] as number[] };
  for (let r = 0; r < (sections.has('peaks') ? REPEATS : 0); r++) {
    peaks.tfjs.push(await tfjsMatmulPeak(backend));
    const py = await pythonMatmulPeak();
    peaks.torch.push(py.torch);
    peaks.numpy.push(py.numpy);
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  for (const resolution of sections.has('processes') ? [64, 128] : []) {
    const flops = generatorFlops({ ...SHIPPED, resolution });
    for (const processes of [1, 2]) {
      const tfjsRuns: number[] = [];
      const torchRuns: number[] = [];
      const predictRuns: number[] = [];
      for (let r = 0; r < REPEATS; r++) {
        tfjsRuns.push((await parallel(...tfjsArgs(backend, resolution), processes)).imagesPerSecond);
        torchRuns.push((await parallel(...torchArgs(resolution), processes)).imagesPerSecond);
        if (processes === 1) predictRuns.push((await parallel(...tfjsArgs(backend, resolution, 'predict'), processes)).imagesPerSecond);
      }
      const label = `${resolution}², ${processes} process${processes > 1 ? 'es' : ''} × 1 thread`;
      figures.push({ name: `tfjs ${backend}: images/s, ${label}`, unit: 'images/s', runs: tfjsRuns, target: `≥ 50 % of PyTorch (${(median(torchRuns) / 2).toFixed(0)})` });
      figures.push({ name: `PyTorch CPU: images/s, ${label}`, unit: 'images/s', runs: torchRuns });
      if (predictRuns.length) figures.push({ name: `tfjs ${backend}, plain layers predict (no compiled plan): images/s, ${label}`, unit: 'images/s', runs: predictRuns });
      figures.push({ name: `tfjs ${backend} ÷ PyTorch, ${label}`, unit: '%', runs: tfjsRuns.map((t, i) => (100 * t) / torchRuns[i]), target: '≥ 50 %' });
      figures.push({ name: `tfjs ${backend}: achieved GFLOP/s, ${label} (${(flops / 1e6).toFixed(1)} MFLOP/image)`, unit: 'GFLOP/s', runs: tfjsRuns.map((t) => (t * flops) / 1e9) });
      figures.push({ name: `PyTorch CPU: achieved GFLOP/s, ${label}`, unit: 'GFLOP/s', runs: torchRuns.map((t) => (t * flops) / 1e9) });
      if (processes === 1) {
        figures.push({ name: `tfjs ${backend}: share of its matMul peak, ${label}`, unit: '%', runs: tfjsRuns.map((t) => (100 * t * flops) / 1e9 / median(peaks.tfjs)) });
        figures.push({ name: `PyTorch CPU: share of its matmul peak, ${label}`, unit: '%', runs: torchRuns.map((t) => (100 * t * flops) / 1e9 / median(peaks.torch)) });
      }
    }
  }
  for (const resolution of sections.has('threads') ? [64, 128] : []) {
    for (const threads of threadCounts()) {
      // Enough images that every thread runs several batches.
      const images = Math.max(IMAGES[resolution], threads * BATCH * 4);
      const tfjsRuns: number[] = [];
      const torchRuns: number[] = [];
      for (let r = 0; r < REPEATS; r++) {
        tfjsRuns.push((await parallel(...tfjsThreadsArgs(backend, resolution, threads, images), 1)).imagesPerSecond);
        torchRuns.push((await parallel(...torchArgs(resolution, threads, images), 1)).imagesPerSecond);
      }
      const label = `${resolution}², 1 process × ${threads} thread${threads > 1 ? 's' : ''}`;
      figures.push({ name: `tfjs ${backend} generator threads (lib/gan/threads.ts): images/s per machine, ${label}`, unit: 'images/s', runs: tfjsRuns });
      figures.push({ name: `PyTorch CPU, torch.set_num_threads(${threads}): images/s per machine, ${label}`, unit: 'images/s', runs: torchRuns });
      figures.push({ name: `tfjs ${backend} generator threads: images/s per core, ${label}`, unit: 'images/s', runs: tfjsRuns.map((t) => t / threads) });
      figures.push({ name: `PyTorch CPU: images/s per core, ${label}`, unit: 'images/s', runs: torchRuns.map((t) => t / threads) });
      figures.push({ name: `tfjs ${backend} threads ÷ PyTorch, ${label}`, unit: '%', runs: tfjsRuns.map((t, i) => (100 * t) / torchRuns[i]), target: '≥ 50 %, goal 100 %' });
    }
  }
  for (const resolution of sections.has('browser') && sections.has('processes') ? [64, 128] : []) {
    const serverWasm = figures.find((f) => f.name === `tfjs ${backend}: images/s, ${resolution}², 1 process × 1 thread`)!;
    const torch = figures.find((f) => f.name === `PyTorch CPU: images/s, ${resolution}², 1 process × 1 thread`)!;
    for (const browserBackend of ['webgl', 'webgpu'] as BrowserBackend[]) {
      const runs: number[] = [];
      try {
        for (let r = 0; r < REPEATS; r++) runs.push(await browserImagesPerSecond({ ...SHIPPED, resolution }, browserBackend, BROWSER_IMAGES[resolution]));
      } catch (error) {
        console.error(`browser ${browserBackend} at ${resolution}²: not measured (${(error as Error).message.split('\n')[0]})`);
        continue;
      }
      const label = `Chromium ${browserBackend} (${browserBackend === 'webgl' ? 'SwiftShader software renderer here' : 'adapter Chromium found'}), ${resolution}²`;
      figures.push({ name: `browser path, ${label}: images/s`, unit: 'images/s', runs, target: `≥ 10× server ${backend} (${(10 * median(serverWasm.runs)).toFixed(0)}) on a GPU` });
      figures.push({ name: `browser path ÷ server ${backend}, ${label}`, unit: '×', runs: runs.map((b, i) => b / serverWasm.runs[i]) });
      figures.push({ name: `browser path ÷ PyTorch CPU, ${label}`, unit: '%', runs: runs.map((b, i) => (100 * b) / torch.runs[i]) });
    }
  }
  if (sections.has('peaks')) figures.unshift(
    { name: `matMul peak, tfjs ${backend}, 1024² float32, 1 thread`, unit: 'GFLOP/s', runs: peaks.tfjs },
    { name: 'matmul peak, torch, 1024² float32, 1 thread', unit: 'GFLOP/s', runs: peaks.torch },
    { name: 'matmul peak, numpy, 1024² float32, 1 thread', unit: 'GFLOP/s', runs: peaks.numpy },
  );
  return figures;
}

const childAt = process.argv.indexOf('--child');
const threadsChildAt = process.argv.indexOf('--threads-child');
if (threadsChildAt >= 0) {
  const [backend, resolution, images, threads] = process.argv.slice(threadsChildAt + 1);
  void threadsChild(backend as GanBackend, Number(resolution), Number(images), Number(threads));
} else if (childAt >= 0) {
  const [backend, resolution, images, mode] = process.argv.slice(childAt + 1);
  void child(backend as GanBackend, Number(resolution), Number(images), mode === 'predict' ? 'predict' : 'plan');
} else if (process.argv[1]?.endsWith('bench-gan.ts')) {
  benchGan()
    .then((figures) => {
      for (const f of figures) console.log(`${f.name}: ${f.runs.map((r) => r.toPrecision(3)).join(' / ')} ${f.unit}${f.target ? ` (target ${f.target})` : ''}`);
      process.exit(0);
    })
    .catch((error) => {
      console.error(error);
      process.exit(1);
    });
}
