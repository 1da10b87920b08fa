import { expect, test, type Browser, type Page } from '@playwright/test';
import { login, query } from './helpers';

/**
 * Generation on the browser's GPU (Chromium's software WebGL here; WebGPU where the browser has an adapter):
 * the admin page generates latent ranges with TensorFlow.js and posts them as chunks; the server checks each
 * chunk against its own regeneration and imports the whole job in one transaction. The test app hands out
 * ranges of 8 images, leases of 6 s, and checks every image (scripts/test.ts).
 */
test.describe.configure({ mode: 'serial' });
test.use({
  launchOptions: {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    // WebGL on SwiftShader (ANGLE); no --disable-gpu, which would leave tfjs only its CPU backend.
    args: ['--no-sandbox', '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  },
});

const CHECKPOINT = 'demo-ct-64 (CT_HEAD, 64×64)';
type Provenance = { generator: { index: number; backend: string; checkedBy: string; checkedSample: boolean; seed: number } };

async function startBrowserJob(page: Page, count: number, seed: number): Promise<string> {
  await page.goto('/admin/checkpoints');
  await page.getByLabel('Checkpoint', { exact: true }).selectOption({ label: CHECKPOINT });
  await page.getByRole('spinbutton', { name: 'Images' }).fill(String(count));
  await page.getByRole('spinbutton', { name: 'Seed' }).fill(String(seed));
  await page.getByLabel('Run on').selectOption('browser');
  await page.getByRole('button', { name: 'Generate' }).click();
  const job = page.getByTestId('generation-job');
  await expect(job).toBeVisible();
  return (await job.getAttribute('data-job-id'))!;
}

async function jobRow(jobId: string) {
  const [row] = await query<{ status: string; error: string | null; result: { batchId?: string } | null }>('SELECT status, error, result FROM "Job" WHERE id = $1', [jobId]);
  return row;
}

async function finished(jobId: string, timeoutMs = 240_000) {
  await expect.poll(async () => (await jobRow(jobId)).status, { timeout: timeoutMs, intervals: [500] }).not.toBe('RUNNING');
  return jobRow(jobId);
}

async function imagesOf(batchId: string) {
  return query<{ provenance: Provenance; origin: string }>('SELECT provenance, origin FROM "Image" WHERE "batchId" = $1', [batchId]);
}

function expectEveryIndexOnce(images: Array<{ provenance: Provenance }>, count: number) {
  const indices = images.map((i) => i.provenance.generator.index).sort((a, b) => a - b);
  expect(indices).toEqual(Array.from({ length: count }, (_, i) => i));
}

/** Counts this page's accepted chunks. */
function countChunks(page: Page): { accepted: number } {
  const counter = { accepted: 0 };
  page.on('response', (response) => {
    if (response.url().endsWith('/chunks') && response.status() === 200) counter.accepted++;
  });
  return counter;
}

async function adminPage(browser: Browser): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await login(page, 'admin@demo.local');
  return page;
}

test('a whole job of 64 images generated on this browser\'s GPU, checked and imported with provenance', async ({ page }) => {
  test.setTimeout(300_000);
  await login(page, 'admin@demo.local');
  const jobId = await startBrowserJob(page, 64, 9001);
  const row = await finished(jobId);
  expect(row.error).toBeNull();
  expect(row.status).toBe('SUCCEEDED');
  const work = page.getByTestId('browser-work');
  const backend = await work.getAttribute('data-backend');
  console.log(`browser generation backend: ${backend}`);
  expect(['webgpu', 'webgl']).toContain(backend);
  await expect(page.getByTestId('generation-result')).toContainText('Imported 64 images into pool CT_HEAD-64');
  const images = await imagesOf(row.result!.batchId!);
  expectEveryIndexOnce(images, 64);
  for (const image of images) expect(image.provenance.generator).toMatchObject({ backend: `browser:${backend}`, checkedBy: 'server:wasm', checkedSample: true, seed: 9001 });
  expect(await query('SELECT id FROM "GenerationChunk" WHERE "jobId" = $1', [jobId])).toHaveLength(0);
});

test('a tampered chunk (one image altered) is refused: the job fails and nothing is stored', async ({ page }) => {
  test.setTimeout(180_000);
  await login(page, 'admin@demo.local');
  let tampered = false;
  await page.route('**/api/admin/generation-jobs/*/chunks', async (route) => {
    const body = route.request().postDataJSON() as { images: Array<{ index: number; pixels: string }> };
    if (!tampered && body.images.length > 3) {
      const pixels = Buffer.from(body.images[3].pixels, 'base64');
      for (let p = 0; p < 64 * 8; p++) pixels[p] = 255 - pixels[p];
      body.images[3].pixels = pixels.toString('base64');
      tampered = true;
    }
    await route.continue({ postData: JSON.stringify(body) });
  });
  const jobId = await startBrowserJob(page, 32, 9002);
  const row = await finished(jobId, 120_000);
  expect(tampered).toBe(true);
  expect(row.status).toBe('FAILED');
  expect(row.error).toMatch(/^Chunk refused: image 3 differs from the server's regeneration on wasm \(max \|Δ\| \d+ grey levels.*none of its images were kept/);
  await expect(page.getByTestId('generation-job')).toContainText('Chunk refused: image 3 differs');
  expect(await query('SELECT id FROM "GenerationChunk" WHERE "jobId" = $1', [jobId])).toHaveLength(0);
  expect(await query('SELECT id FROM "Batch" WHERE source = $1', [`gan-job:${jobId}`])).toHaveLength(0);
});

test('two browser contexts share one job: no index twice, none missing', async ({ browser }) => {
  test.setTimeout(300_000);
  const first = await adminPage(browser);
  const second = await adminPage(browser);
  const firstChunks = countChunks(first);
  const secondChunks = countChunks(second);
  // The first tab's first lease waits until the second tab (its model loaded and warmed) has asked for one, so
  // both tabs take part however fast the first one is (otherwise it could finish all 16 chunks before the second
  // joins). No lease clock runs while it waits.
  let secondAsked!: () => void;
  const joined = new Promise<void>((resolve) => (secondAsked = resolve));
  second.on('request', (request) => {
    if (request.url().endsWith('/lease') && request.method() === 'POST') secondAsked();
  });
  await first.route('**/lease', async (route) => {
    if (route.request().method() === 'POST') await joined;
    await route.continue();
  });
  const jobId = await startBrowserJob(first, 128, 9003);
  await second.goto('/admin/checkpoints');
  await second.getByRole('button', { name: 'Work on this job in this browser' }).click();
  const row = await finished(jobId);
  expect(row.status).toBe('SUCCEEDED');
  console.log(`chunks: first context ${firstChunks.accepted}, second ${secondChunks.accepted}`);
  expect(firstChunks.accepted).toBeGreaterThan(0);
  expect(secondChunks.accepted).toBeGreaterThan(0);
  expect(firstChunks.accepted + secondChunks.accepted).toBe(16);
  expectEveryIndexOnce(await imagesOf(row.result!.batchId!), 128);
});

test('a tab closed mid-job: its range is handed out again after the lease and the job completes', async ({ browser }) => {
  test.setTimeout(300_000);
  const closing = await adminPage(browser);
  const chunks = countChunks(closing);
  const jobId = await startBrowserJob(closing, 64, 9004);
  const leasedNow = async () => (await query<{ leased: number }>(`SELECT count(*)::int AS leased FROM "GenerationChunk" WHERE "jobId" = $1 AND status = 'LEASED'`, [jobId]))[0].leased;
  await expect.poll(() => chunks.accepted, { timeout: 120_000 }).toBeGreaterThan(0);
  // Close while it holds its next range (a warm tab may be between a chunk and its next lease: wait for the lease).
  await expect.poll(leasedNow, { timeout: 30_000, intervals: [50] }).toBeGreaterThan(0);
  await closing.context().close();
  expect(await leasedNow()).toBeGreaterThan(0);
  const taker = await adminPage(browser);
  await taker.goto('/admin/checkpoints');
  await taker.getByRole('button', { name: 'Work on this job in this browser' }).click();
  const row = await finished(jobId);
  expect(row.status).toBe('SUCCEEDED');
  expectEveryIndexOnce(await imagesOf(row.result!.batchId!), 64);
});
