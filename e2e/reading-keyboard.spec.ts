import { expect, test, type Page } from '@playwright/test';
import { beginReading, createStudy, E2E_READER_PASSWORD, login, query, type CreatedStudy } from './helpers';

/** Practice 1 + scored 4: a whole study read in a few minutes. */
const CONFIG = { imagesPerReader: 4, syntheticFraction: 0.5, practiceItems: 1, maxRunLength: 3 };
const TOTAL = 5;

async function storedAnswers(assignmentId: string): Promise<number> {
  const [row] = await query<{ n: string }>(
    `SELECT count(*)::text AS n FROM "Response" r JOIN "AssignmentItem" i ON i.id = r."itemId" WHERE i."assignmentId" = $1`,
    [assignmentId],
  );
  return Number(row.n);
}

async function expectShown(page: Page, shown: number, isPractice = false) {
  await expect(page.getByTestId('position')).toHaveText(`${isPractice ? 'Practice ' : ''}${shown} / ${TOTAL}`);
  await expect(page.getByTestId('viewer-frame')).toHaveAttribute('data-painted', 'true');
}

const focusedText = (page: Page) => page.evaluate(() => document.activeElement?.textContent?.trim() ?? '');

/** Presses Tab until the focused element's text is `text` (at most 40 presses). */
async function tabTo(page: Page, text: string) {
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press('Tab');
    if ((await focusedText(page)) === text) return;
  }
  throw new Error(`no focusable element "${text}" reached with Tab`);
}

test.describe('the reading room by keyboard', () => {
  let study: CreatedStudy;
  test.beforeAll(() => {
    study = createStudy('E2E keyboard', 3, CONFIG);
  });

  test('a whole study read with the keyboard only; Enter on a focused control does what the control says and never submits', async ({ page }) => {
    test.setTimeout(180_000);
    await page.setViewportSize({ width: 1280, height: 800 });
    const reader = study.readers[0];
    await login(page, reader.email, E2E_READER_PASSWORD);
    await tabTo(page, 'Start reading');
    await page.keyboard.press('Enter');
    // The briefing first: its button by Tab and Enter.
    await expect(page.getByTestId('briefing')).toBeVisible();
    await tabTo(page, 'I have read this — begin');
    await page.keyboard.press('Enter');
    await expectShown(page, 1, true);

    // An answer chosen, then Enter on the focused Pause button pauses, and says so in a live region.
    await page.keyboard.press('s');
    await page.keyboard.press('3');
    await tabTo(page, 'Pause');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('paused')).toBeVisible();
    await expect(page.getByTestId('announcer')).toContainText('Paused');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('paused')).toHaveCount(0);
    await expect(page.getByTestId('announcer')).toContainText('Resumed');

    // Enter on the focused Keys button opens the shortcut dialog as a modal; Escape closes it; focus returns.
    await tabTo(page, 'Keys');
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await expect(dialog).toBeVisible();
    await expect(dialog).toHaveAttribute('aria-modal', 'true');
    expect(await page.evaluate(() => Boolean(document.activeElement?.closest('dialog')))).toBe(true);
    await expect(dialog.getByRole('button', { name: 'Close' })).toBeInViewport({ ratio: 1 });
    for (const label of ['Zoom in', 'Zoom out', 'Pan left', 'Window wider', 'Level up']) await expect(dialog).toContainText(label);
    await page.keyboard.press('Escape');
    await expect(dialog).toHaveCount(0);
    await expect.poll(() => focusedText(page)).toBe('Keys');
    await page.keyboard.press('Enter');
    await expect(dialog).toBeVisible();
    await page.keyboard.press('Escape');
    expect(await storedAnswers(reader.assignmentId)).toBe(0);
    await expectShown(page, 1, true);

    // Escape leaves the focused control; Enter then submits the chosen answer.
    await page.keyboard.press('Escape');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('feedback')).toContainText(/this practice image is (real|synthetic)/);
    await expect(page.getByTestId('announcer')).toContainText(/this practice image is (real|synthetic)/);
    await expect.poll(() => storedAnswers(reader.assignmentId)).toBe(1);
    await page.keyboard.press('Enter');

    // Scored images: the view keys (zoom, pan, window/level) and the choice by Tab, Enter on focused buttons.
    for (let shown = 2; shown <= TOTAL; shown++) {
      await expectShown(page, shown);
      await page.keyboard.press('+');
      await page.keyboard.press('ArrowLeft');
      await page.keyboard.press('Shift+ArrowUp');
      await page.keyboard.press('Shift+ArrowRight');
      await page.keyboard.press('-');
      await tabTo(page, shown % 2 ? 'Real (R)' : 'Synthetic (S)');
      await page.keyboard.press('Enter');
      await tabTo(page, '2');
      await page.keyboard.press('Enter');
      // Enter on a confidence button chose it and submitted nothing.
      expect(await storedAnswers(reader.assignmentId)).toBe(shown - 1);
      await expectShown(page, shown);
      await tabTo(page, 'Submit (Enter)');
      await page.keyboard.press('Enter');
      await expect.poll(() => storedAnswers(reader.assignmentId)).toBe(shown);
    }
    await expect(page.getByTestId('summary')).toContainText('Every answer is saved');

    const telemetry = await query<{ zoom: number; pan: number; windowLevel: number; confidence: number }>(
      `SELECT (r.telemetry->>'zoom')::int AS zoom, (r.telemetry->>'pan')::int AS pan, (r.telemetry->>'windowLevel')::int AS "windowLevel", r.confidence
         FROM "Response" r JOIN "AssignmentItem" i ON i.id = r."itemId" WHERE i."assignmentId" = $1 AND i.phase = 'SCORED'`,
      [reader.assignmentId],
    );
    expect(telemetry).toHaveLength(TOTAL - 1);
    for (const row of telemetry) {
      expect(row).toMatchObject({ zoom: 2, pan: 1, windowLevel: 2, confidence: 2 });
    }
  });

  test('single-key shortcuts can be turned off and remapped, and the choice is kept for the reader', async ({ page }) => {
    const reader = study.readers[1];
    await login(page, reader.email, E2E_READER_PASSWORD);
    await page.goto(`/read/${reader.assignmentId}`);
    await beginReading(page);
    await expectShown(page, 1, true);
    const real = page.getByRole('button', { name: /^Real/ });

    await page.getByRole('button', { name: 'Keys' }).click();
    const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await dialog.getByLabel('Single-key shortcuts').uncheck();
    await dialog.getByRole('button', { name: 'Close' }).click();
    await page.keyboard.press('r');
    await expect(real).toHaveAttribute('aria-pressed', 'false');

    await page.reload();
    await expectShown(page, 1, true);
    await page.keyboard.press('r');
    await expect(real).toHaveAttribute('aria-pressed', 'false');

    await page.getByRole('button', { name: 'Keys' }).click();
    await dialog.getByLabel('Single-key shortcuts').check();
    await dialog.getByRole('button', { name: 'Change the key for: Call the image real' }).click();
    await page.keyboard.press('q');
    await expect(dialog.getByRole('row', { name: /Call the image real/ })).toContainText('Q');
    // A key already in use is refused with a reason.
    await dialog.getByRole('button', { name: 'Change the key for: Call the image synthetic' }).click();
    await page.keyboard.press('q');
    await expect(dialog).toContainText('Q is already used for “Call the image real”');
    await page.keyboard.press('Escape');
    await dialog.getByRole('button', { name: 'Close' }).click();
    await page.keyboard.press('r');
    await expect(real).toHaveAttribute('aria-pressed', 'false');
    await page.keyboard.press('q');
    await expect(real).toHaveAttribute('aria-pressed', 'true');

    await page.reload();
    await expectShown(page, 1, true);
    await page.keyboard.press('q');
    await expect(page.getByRole('button', { name: 'Real (Q)' })).toHaveAttribute('aria-pressed', 'true');
    expect(await storedAnswers(reader.assignmentId)).toBe(0);
  });
});
