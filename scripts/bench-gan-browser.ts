/**
 * The browser half of `npm run bench -- gan`: images/s of the same generator run by TensorFlow.js in Chromium
 * (WebGL, here on the SwiftShader software renderer; WebGPU where Chromium has an adapter), as the admin page's
 * "Run on this browser" does it: forward pass of 16 images, read back, to 8-bit grey. Lease and chunk upload are
 * not timed (their cost is the server's sample check, the server wasm figures' share).
 *
 * A throwaway HTTP server on 127.0.0.1 (a secure context, which WebGPU needs) serves tfjs's browser bundles
 * from node_modules and the model; Chromium is Debian's (CHROMIUM_PATH) driven by Playwright.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { buildGenerator, modelFiles, useBackend, type GeneratorSpec } from '@/lib/gan';

export type BrowserBackend = 'webgl' | 'webgpu';

const FLAGS: Record<BrowserBackend, string[]> = {
  webgl: ['--use-angle=swiftshader', '--enable-unsafe-swiftshader'],
  webgpu: ['--enable-unsafe-webgpu', '--use-webgpu-adapter=swiftshader', '--enable-unsafe-swiftshader'],
};

const PAGE = `<!doctype html><meta charset="utf-8"><script src="/tf.min.js"></script><script src="/tf-backend-webgpu.min.js"></script>
<script>
window.bench = async (backend, images, batch, width) => {
  if (!(await tf.setBackend(backend))) throw new Error('backend ' + backend + ' did not start');
  await tf.ready();
  const model = await tf.loadLayersModel('/model.json');
  const run = async (n) => {
    const out = tf.tidy(() => model.predict(tf.randomNormal([n, width], 0, 1, 'float32', 1)));
    const values = await out.data();
    out.dispose();
    const grey = new Uint8Array(values.length);
    for (let i = 0; i < values.length; i++) grey[i] = Math.max(0, Math.min(255, Math.round((values[i] + 1) * 127.5)));
    return grey.length;
  };
  await run(batch);
  await run(batch);
  const start = performance.now();
  for (let done = 0; done < images; done += batch) await run(Math.min(batch, images - done));
  return { backend: tf.getBackend(), seconds: (performance.now() - start) / 1000 };
};
</script>`;

export async function browserImagesPerSecond(spec: GeneratorSpec, backend: BrowserBackend, images: number, batch = 16): Promise<number> {
  const tf = await useBackend('wasm');
  const model = buildGenerator(tf, spec, 1);
  const { modelJson, weights } = await modelFiles(model);
  model.dispose();
  const files: Record<string, { body: Uint8Array | string; type: string }> = {
    '/': { body: PAGE, type: 'text/html' },
    '/tf.min.js': { body: fs.readFileSync(path.join('node_modules', '@tensorflow', 'tfjs', 'dist', 'tf.min.js')), type: 'text/javascript' },
    '/tf-backend-webgpu.min.js': { body: fs.readFileSync(path.join('node_modules', '@tensorflow', 'tfjs-backend-webgpu', 'dist', 'tf-backend-webgpu.min.js')), type: 'text/javascript' },
    '/model.json': { body: modelJson, type: 'application/json' },
    '/weights.bin': { body: weights, type: 'application/octet-stream' },
  };
  const server = http.createServer((request, response) => {
    const file = files[request.url ?? ''];
    if (!file) return void response.writeHead(404).end();
    response.writeHead(200, { 'Content-Type': file.type }).end(file.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', ...FLAGS[backend]],
  });
  try {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${port}/`);
    const result = await page.evaluate(([b, n, k, w]) => (window as unknown as { bench: (...a: unknown[]) => Promise<{ backend: string; seconds: number }> }).bench(b, n, k, w), [backend, images, batch, spec.latentDim + spec.labels.length] as const);
    if (result.backend !== backend) throw new Error(`Chromium ran ${result.backend}, not ${backend}`);
    return images / result.seconds;
  } finally {
    await browser.close();
    server.close();
  }
}

if (process.argv[1]?.endsWith('bench-gan-browser.ts')) {
  const backend = (process.argv[2] ?? 'webgl') as BrowserBackend;
  const resolution = Number(process.argv[3] ?? 64);
  browserImagesPerSecond({ resolution, latentDim: 64, labels: [], baseChannels: 128, minChannels: 8 }, backend, Number(process.argv[4] ?? 64))
    .then((rate) => console.log(`${backend} ${resolution}²: ${rate.toFixed(1)} images/s`))
    .catch((error) => {
      console.error(error);
      process.exit(1);
    });
}
