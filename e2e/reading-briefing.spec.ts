import { decode } from 'fast-png';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { beginReading, createStudy, E2E_READER_PASSWORD, login, query, type CreatedStudy } from './helpers';

const BRIEFING = 'Decide for each chest radiograph whether it is a real X-ray or one made by a generative model.';
const CONFIG = { imagesPerReader: 4, syntheticFraction: 0.5, practiceItems: 1, maxRunLength: 3, briefing: BRIEFING };
const TOTAL = 5;

async function expectShown(page: Page, shown: number, isPractice = false) {
  await expect(page.getByTestId('position')).toHaveText(`${isPractice ? 'Practice ' : ''}${shown} / ${TOTAL}`);
  await expect(page.getByTestId('viewer-frame')).toHaveAttribute('data-painted', 'true');
}

/** Mean absolute difference of two screenshots' pixels (0–255), over the RGB channels. */
async function difference(a: Buffer, b: Buffer): Promise<number> {
  const [x, y] = [decode(a), decode(b)];
  expect([x.width, x.height]).toEqual([y.width, y.height]);
  let sum = 0;
  let n = 0;
  for (let i = 0; i < x.data.length; i += x.channels) {
    for (let c = 0; c < 3; c++) sum += Math.abs(Number(x.data[i + c]) - Number(y.data[i + c]));
    n += 3;
  }
  return sum / n;
}

const shot = (viewer: Locator) => viewer.screenshot({ animations: 'disabled' });

test.describe('the reading room for a newcomer', () => {
  let study: CreatedStudy;
  test.beforeAll(() => {
    study = createStudy('E2E briefing', 3, CONFIG);
  });

  test('a briefing before the first image, confirmed once per study and recorded on the server', async ({ browser }) => {
    const reader = study.readers[0];
    let context = await browser.newContext();
    let page = await context.newPage();
    await login(page, reader.email, E2E_READER_PASSWORD);
    await page.goto(`/read/${reader.assignmentId}`);
    const briefing = page.getByTestId('briefing');
    await expect(briefing).toContainText(BRIEFING);
    await expect(briefing).toContainText('5 images: 1 practice image first');
    await expect(briefing).toContainText('then 4 scored');
    await expect(briefing).toContainText('Scored images give no feedback, and an image cannot be revisited once answered');
    await expect(briefing).toContainText(/It takes about \d+ minutes?/);
    await expect(briefing.getByRole('row', { name: /real/ })).toContainText('R');
    await expect(page.getByTestId('viewer-frame')).toHaveCount(0);
    // No shortcut acts behind the briefing.
    await page.keyboard.press('r');
    await page.keyboard.press('3');
    await page.keyboard.press('Enter');
    expect((await query(`SELECT "briefedAt" FROM "Assignment" WHERE id = $1`, [reader.assignmentId]))[0].briefedAt).toBeNull();

    await briefing.getByRole('button', { name: /begin/ }).click();
    await expectShown(page, 1, true);
    const [row] = await query<{ briefedAt: Date | null }>(`SELECT "briefedAt" FROM "Assignment" WHERE id = $1`, [reader.assignmentId]);
    expect(row.briefedAt).not.toBeNull();
    await context.close();

    // Another browser (no local state): the server remembers, so the briefing does not come back.
    context = await browser.newContext();
    page = await context.newPage();
    await login(page, reader.email, E2E_READER_PASSWORD);
    await page.goto(`/read/${reader.assignmentId}`);
    await expectShown(page, 1, true);
    await expect(page.getByTestId('briefing')).toHaveCount(0);
    await context.close();
  });

  test('the radiograph fits a 1400×900 window, and zoom and pan survive a resize', async ({ page }) => {
    const reader = study.readers[1];
    await page.setViewportSize({ width: 1400, height: 900 });
    await login(page, reader.email, E2E_READER_PASSWORD);
    await page.goto(`/read/${reader.assignmentId}`);
    await beginReading(page);
    await expectShown(page, 1, true);
    const size = await page.evaluate(() => ({ scroll: document.documentElement.scrollHeight, inner: window.innerHeight }));
    expect(size.scroll).toBeLessThanOrEqual(size.inner);
    const viewer = page.getByTestId('viewer');
    const box = (await viewer.boundingBox())!;
    expect(box.y + box.height).toBeLessThanOrEqual(900);
    const canvas = (await viewer.locator('canvas').boundingBox())!;
    expect(canvas.y + canvas.height).toBeLessThanOrEqual(900);

    const fitted = await shot(viewer);
    for (let i = 0; i < 6; i++) await page.keyboard.press('+');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowUp');
    const zoomed = await shot(viewer);
    await page.setViewportSize({ width: 1000, height: 700 });
    await page.waitForTimeout(300);
    await page.setViewportSize({ width: 1400, height: 900 });
    await page.waitForTimeout(300);
    const afterResize = await shot(viewer);
    const zoomVersusFit = await difference(zoomed, fitted);
    expect(zoomVersusFit).toBeGreaterThan(5);
    expect(await difference(afterResize, zoomed)).toBeLessThan(zoomVersusFit / 10);
  });

  test('"My studies" counts answers still waiting to be saved as pending, not missing', async ({ page }) => {
    const reader = study.readers[2];
    await login(page, reader.email, E2E_READER_PASSWORD);
    await expect(page.getByTestId('assignment')).toContainText('0 of 5 images read');
    await page.goto(`/read/${reader.assignmentId}`);
    await beginReading(page);
    await expectShown(page, 1, true);
    await page.keyboard.press('r');
    await page.keyboard.press('3');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('feedback')).toBeVisible();
    await page.keyboard.press('Enter');
    // The server stops answering: two scored answers wait in the browser.
    await page.route('**/answers', (route) => route.abort('internetdisconnected'));
    for (const shown of [2, 3]) {
      await expectShown(page, shown);
      await page.keyboard.press('s');
      await page.keyboard.press('2');
      await page.keyboard.press('Enter');
    }
    await expect(page.getByTestId('save-status')).toContainText('2 answers');
    await page.goto('/read');
    await expect(page.getByTestId('assignment')).toContainText('3 of 5 images read (2 pending');
    // Back in the room the queue delivers both; wait for the server's acknowledgements before leaving again.
    let acknowledged = 0;
    page.on('response', (response) => {
      if (response.url().endsWith('/answers') && response.request().method() === 'POST' && response.ok()) acknowledged++;
    });
    await page.unroute('**/answers');
    await page.getByRole('link', { name: 'Resume reading' }).click();
    await expect.poll(() => acknowledged, { timeout: 30_000 }).toBeGreaterThanOrEqual(2);
    await expect(page.getByTestId('save-status')).toHaveText('All answers saved');
    await page.goto('/read');
    await expect(page.getByTestId('assignment')).toContainText('3 of 5 images read');
    await expect(page.getByTestId('assignment')).not.toContainText('pending');
  });
});
