import { expect, test } from '@playwright/test';
import { beginReading, createStudy, E2E_READER_PASSWORD, login, query } from './helpers';

test('a reader offline for 60 s while answering 10 images: all 10 arrive once when the network returns', async ({ browser }) => {
  test.setTimeout(180_000);
  const study = createStudy('E2E offline', 1, { imagesPerReader: 16, practiceItems: 0, maxRunLength: 3 });
  const reader = study.readers[0];
  const context = await browser.newContext();
  const page = await context.newPage();
  await login(page, reader.email, E2E_READER_PASSWORD);
  await page.goto(`/read/${reader.assignmentId}`);
  await beginReading(page);
  const painted = page.getByTestId('viewer-frame');

  await expect(painted).toHaveAttribute('data-painted', 'true');
  await page.keyboard.press('r');
  await page.keyboard.press('3');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('position')).toHaveText('2 / 16');
  // Let the room fetch the next items and their images, as it does while a reader works.
  await expect(page.getByTestId('save-status')).toHaveText('All answers saved');
  await page.waitForTimeout(2000);

  const offlineAt = Date.now();
  await context.setOffline(true);
  for (let i = 0; i < 10; i++) {
    await expect(painted).toHaveAttribute('data-painted', 'true');
    await page.keyboard.press(i % 2 ? 's' : 'r');
    await page.keyboard.press('4');
    await page.keyboard.press('Enter');
  }
  await expect(page.getByTestId('position')).toHaveText('12 / 16');
  await expect(page.getByTestId('save-status')).toContainText(/Reconnecting… 10 answers waiting to be saved/);
  const stored = async () =>
    Number((await query<{ n: string }>(`SELECT count(*)::text AS n FROM "Response" r JOIN "AssignmentItem" i ON i.id = r."itemId" WHERE i."assignmentId" = $1`, [reader.assignmentId]))[0].n);
  expect(await stored()).toBe(1);
  await page.waitForTimeout(Math.max(0, 60_000 - (Date.now() - offlineAt)));
  await expect(page.getByTestId('save-status')).toContainText('10 answers waiting');

  await context.setOffline(false);
  await expect(page.getByTestId('save-status')).toHaveText('All answers saved', { timeout: 30_000 });
  const rows = await query<{ position: number; n: string }>(
    `SELECT i.position, count(r.id)::text AS n FROM "AssignmentItem" i LEFT JOIN "Response" r ON r."itemId" = i.id
      WHERE i."assignmentId" = $1 GROUP BY i.position ORDER BY i.position`,
    [reader.assignmentId],
  );
  expect(rows.slice(0, 11).map((r) => r.n)).toEqual(Array(11).fill('1'));
  expect(rows.slice(11).map((r) => r.n)).toEqual(Array(5).fill('0'));
  await context.close();
});
