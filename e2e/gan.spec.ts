import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { login, query } from './helpers';

/**
 * GAN checkpoints end to end: an admin uploads a (tiny) checkpoint zip, sees samples generated in the
 * browser, starts a job for 200 images, follows its progress to the end, and finds the new batch in the
 * synthetic pool with its provenance; a broken zip is refused with a message that says what is wrong.
 */
type Fixture = { dir: string; good: string; broken: string; name: string; brokenName: string; graph: string; graphName: string };
let fixture: Fixture;

test.beforeAll(() => {
  const output = execFileSync(process.execPath, [path.resolve('node_modules/tsx/dist/cli.mjs'), 'e2e/support/make-checkpoints.ts'], { env: process.env, encoding: 'utf8' });
  fixture = JSON.parse(output.trim().split('\n').at(-1)!);
});

test.afterAll(() => {
  if (fixture) fs.rmSync(fixture.dir, { recursive: true, force: true });
});

async function syntheticCount(page: import('@playwright/test').Page, pool: string): Promise<number> {
  await page.goto('/admin');
  // The cell reads "60" or "60 (12 being checked)" while memorisation checks run.
  return Number.parseInt((await page.getByTestId(`synthetic-${pool}`).textContent()) ?? '', 10);
}

test('an admin registers a checkpoint, previews it in the browser and generates 200 images into the synthetic pool', async ({ page }) => {
  test.setTimeout(240_000);
  await login(page, 'admin@demo.local');
  const before = await syntheticCount(page, 'CT_HEAD-64');

  await page.goto('/admin/checkpoints');
  await page.getByLabel('Checkpoint zip').setInputFiles(fixture.good);
  await page.getByRole('button', { name: 'Upload and check' }).click();
  await expect(page.getByTestId('upload-message')).toContainText(`Registered "${fixture.name}" (CT_HEAD, 64×64)`, { timeout: 60_000 });

  // The preview is generated in the browser (WebGL, or the CPU backend under a software renderer).
  const card = page.locator(`[data-testid=checkpoint][data-checkpoint-name="${fixture.name}"]`);
  const preview = card.locator('[data-testid^=preview-]');
  await expect(preview).toHaveAttribute('data-status', 'ready', { timeout: 90_000 });
  const backend = await preview.getAttribute('data-backend');
  expect(['webgl', 'cpu']).toContain(backend);
  test.info().annotations.push({ type: 'preview backend', description: backend! });
  console.log(`preview backend in this Chromium: ${backend}`);
  const drawn = await preview.locator('canvas').evaluateAll((canvases) =>
    canvases.map((c) => {
      const canvas = c as HTMLCanvasElement;
      const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      let min = 255;
      let max = 0;
      for (let i = 0; i < data.length; i += 4) {
        min = Math.min(min, data[i]);
        max = Math.max(max, data[i]);
      }
      return { size: canvas.width, spread: max - min, alpha: data[3] };
    }),
  );
  expect(drawn.length).toBeGreaterThanOrEqual(6);
  for (const image of drawn) expect(image).toMatchObject({ size: 64, alpha: 255 });
  expect(drawn.every((image) => image.spread > 0)).toBe(true);

  // A job for 200 images, followed to the end.
  await page.getByLabel('Checkpoint', { exact: true }).selectOption({ label: `${fixture.name} (CT_HEAD, 64×64)` });
  await page.getByRole('spinbutton', { name: 'Images' }).fill('200');
  await page.getByRole('spinbutton', { name: 'Seed' }).fill('4242');
  await page.getByRole('button', { name: 'Generate' }).click();
  const job = page.getByTestId('generation-job');
  await expect(job).toBeVisible();
  const bar = job.getByRole('progressbar', { name: 'Generation progress' });
  const seen = new Set<string>();
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    seen.add(`${await job.getAttribute('data-status')}:${await bar.getAttribute('aria-valuenow')}`);
    if ((await job.getAttribute('data-status')) === 'SUCCEEDED') break;
    await page.waitForTimeout(150);
  }
  await expect(job).toHaveAttribute('data-status', 'SUCCEEDED');
  await expect(bar).toHaveAttribute('aria-valuenow', '100');
  expect([...seen].some((s) => !s.endsWith(':100')), `progress seen: ${[...seen].join(', ')}`).toBe(true);
  const result = page.getByTestId('generation-result');
  await expect(result).toContainText('Imported 200 images into pool CT_HEAD-64');
  const batchId = (await result.locator('code').textContent())!.trim();
  await expect(card.getByTestId('checkpoint-images')).toHaveText('200');

  // The batch is in the synthetic pool, with provenance per image.
  expect(await syntheticCount(page, 'CT_HEAD-64')).toBe(before + 200);
  const [batch] = await query<{ kind: string; origin: string; checkpointId: string; imported: number; sha256: string }>(
    'SELECT b.kind, b.origin, b."checkpointId", b.imported, c.sha256 FROM "Batch" b JOIN "Checkpoint" c ON c.id = b."checkpointId" WHERE b.id = $1',
    [batchId],
  );
  expect(batch).toMatchObject({ kind: 'GENERATED', origin: 'SYNTHETIC', imported: 200 });
  const images = await query<{ provenance: { generator: Record<string, unknown> }; width: number; origin: string }>('SELECT provenance, width, origin FROM "Image" WHERE "batchId" = $1', [batchId]);
  expect(images).toHaveLength(200);
  const indices = new Set(images.map((i) => i.provenance.generator.index));
  expect(indices.size).toBe(200);
  for (const image of images) {
    expect(image).toMatchObject({ width: 64, origin: 'SYNTHETIC' });
    expect(image.provenance.generator).toMatchObject({ checkpointId: batch.checkpointId, checkpointSha256: batch.sha256, seed: 4242, backend: 'wasm', labels: [] });
  }
});

test('a graph-model checkpoint (custom layer) previews in the browser; a job into a pool without real images warns first', async ({ page }) => {
  test.setTimeout(180_000);
  await login(page, 'admin@demo.local');
  await page.goto('/admin/checkpoints');
  await page.getByLabel('Checkpoint zip').setInputFiles(fixture.graph);
  await page.getByRole('button', { name: 'Upload and check' }).click();
  await expect(page.getByTestId('upload-message')).toContainText(`Registered "${fixture.graphName}" (CXR, 16×16)`, { timeout: 60_000 });
  const card = page.locator(`[data-testid=checkpoint][data-checkpoint-name="${fixture.graphName}"]`);
  const preview = card.locator('[data-testid^=preview-]');
  await expect(preview).toHaveAttribute('data-status', 'ready', { timeout: 90_000 });
  const spreads = await preview.locator('canvas').evaluateAll((canvases) =>
    canvases.map((c) => {
      const canvas = c as HTMLCanvasElement;
      const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      let min = 255;
      let max = 0;
      for (let i = 0; i < data.length; i += 4) [min, max] = [Math.min(min, data[i]), Math.max(max, data[i])];
      return max - min;
    }),
  );
  expect(spreads.length).toBeGreaterThanOrEqual(6);
  expect(spreads.every((s) => s > 0)).toBe(true);

  // CXR-16 has no real images: the API refuses without the go-ahead, the page warns and holds the button back.
  const checkpointId = (await preview.getAttribute('data-testid'))!.replace('preview-', '');
  const refused = await page.request.post('/api/admin/generation-jobs', { data: { checkpointId, count: 8, seed: 1 } });
  expect(refused.status()).toBe(409);
  expect((await refused.json()).error).toMatch(/Pool CXR-16 has no real images.*origin "real" on the Pools page.*allowPoolWithoutRealImages/);
  await page.getByLabel('Checkpoint', { exact: true }).selectOption({ label: `${fixture.graphName} (CXR, 16×16)` });
  const warning = page.getByTestId('pool-warning');
  await expect(warning).toContainText('Pool CXR-16 has no real images');
  await expect(warning).toContainText('npm run import -- --dir <folder> --modality CXR --origin real');
  const generate = page.getByRole('button', { name: 'Generate' });
  await expect(generate).toBeDisabled();
  await warning.getByLabel('Generate anyway into a pool without real images').check();
  await page.getByRole('spinbutton', { name: 'Images' }).fill('8');
  await generate.click();
  const job = page.getByTestId('generation-job');
  await expect(job).toHaveAttribute('data-status', 'SUCCEEDED', { timeout: 120_000 });
  await expect(page.getByTestId('generation-result')).toContainText('Imported 8 images into pool CXR-16');
});

test('a broken checkpoint zip is refused with a clear message and nothing is registered', async ({ page }) => {
  await login(page, 'admin@demo.local');
  await page.goto('/admin/checkpoints');
  await page.getByLabel('Checkpoint zip').setInputFiles(fixture.broken);
  await page.getByRole('button', { name: 'Upload and check' }).click();
  await expect(page.getByTestId('upload-error')).toHaveText('Checkpoint refused: model.json names weight shard(s) weights.bin that are not in the zip.', { timeout: 30_000 });
  expect(await query('SELECT id FROM "Checkpoint" WHERE name = $1', [fixture.brokenName])).toHaveLength(0);
  await expect(page.locator(`[data-checkpoint-name="${fixture.brokenName}"]`)).toHaveCount(0);
});

test('without WebGL the preview falls back to the CPU backend', async ({ page }) => {
  // A browser without WebGL (no GPU and no software GL): tfjs cannot create its WebGL context.
  await page.addInitScript(() => {
    for (const Canvas of [HTMLCanvasElement, typeof OffscreenCanvas === 'undefined' ? null : OffscreenCanvas]) {
      if (!Canvas) continue;
      const original = Canvas.prototype.getContext as (...args: unknown[]) => unknown;
      (Canvas.prototype as { getContext: unknown }).getContext = function (this: unknown, type: string, ...rest: unknown[]) {
        if (type === 'webgl' || type === 'webgl2' || type === 'experimental-webgl') return null;
        return original.call(this, type, ...rest);
      };
    }
  });
  await login(page, 'admin@demo.local');
  await page.goto('/admin/checkpoints');
  const preview = page.locator('[data-testid=checkpoint][data-checkpoint-name="demo-ct-64"] [data-testid^=preview-]');
  await expect(preview).toHaveAttribute('data-status', 'ready', { timeout: 90_000 });
  await expect(preview).toHaveAttribute('data-backend', 'cpu');
  await expect(preview.locator('.preview-status')).toContainText('CPU backend');
});
