import crypto from 'node:crypto';
import { expect, test, type Page, type Response } from '@playwright/test';
import { beginReading, createStudy, E2E_READER_PASSWORD, login, query, type CreatedStudy } from './helpers';

const CONFIG = { imagesPerReader: 12, syntheticFraction: 0.5, practiceItems: 2, blockSize: 6, maxRunLength: 3 };
const TOTAL = 14;

type Capture = { texts: Array<{ where: string; text: string }>; imageHeaders: Array<Record<string, string>> };

/** Records everything the server sends the reader's browser, for the blinding scan. */
function capture(page: Page, into: Capture) {
  page.on('response', async (response: Response) => {
    const headers = response.headers();
    const url = response.url();
    into.texts.push({ where: `url ${url}`, text: url });
    into.texts.push({ where: `headers ${url}`, text: JSON.stringify(headers) });
    if (url.includes('/api/reading/images/')) {
      into.imageHeaders.push(headers);
      return;
    }
    const type = headers['content-type'] ?? '';
    if (!/json|html|text|javascript|x-component/.test(type)) return;
    let text = await response.text().catch(() => '');
    // Practice answers carry the truth on purpose (feedback); nothing else may.
    if (url.includes('/answers') && text.includes('"feedback"')) {
      const body = JSON.parse(text);
      delete body.feedback;
      text = JSON.stringify(body);
    }
    into.texts.push({ where: `${type.includes('javascript') ? 'script' : 'body'} ${url}`, text });
  });
  page.on('console', (message) => into.texts.push({ where: 'console', text: message.text() }));
}

async function snapshot(page: Page, into: Capture, label: string) {
  into.texts.push({ where: `DOM ${label}`, text: await page.content() });
  into.texts.push({ where: `localStorage ${label}`, text: await page.evaluate(() => JSON.stringify({ ...window.localStorage })) });
}

async function currentToken(page: Page, assignmentId: string): Promise<string> {
  const state = await (await page.request.get(`/api/reading/${assignmentId}`)).json();
  return state.items[0].token;
}

/** Answers the current image with the keyboard only. */
async function answerByKeyboard(page: Page, call: 'r' | 's', confidence: number) {
  await page.keyboard.press(call);
  await page.keyboard.press(String(confidence));
  await page.keyboard.press('Enter');
}

async function expectPosition(page: Page, shown: number, isPractice = false) {
  await expect(page.getByTestId('position')).toHaveText(`${isPractice ? 'Practice ' : ''}${shown} / ${TOTAL}`);
  await expect(page.getByTestId('viewer-frame')).toHaveAttribute('data-painted', 'true');
}

test.describe('the reading room', () => {
  let study: CreatedStudy;
  test.beforeAll(() => {
    study = createStudy('E2E reading', 2, CONFIG);
  });

  test('practice with feedback, scored without, resume after closing the tab, every answer stored once, nothing leaks', async ({ browser }) => {
    test.setTimeout(180_000);
    const reader = study.readers[0];
    const seen: Capture = { texts: [], imageHeaders: [] };

    let context = await browser.newContext();
    let page = await context.newPage();
    capture(page, seen);
    await login(page, reader.email, E2E_READER_PASSWORD);
    await expect(page.getByTestId('assignment')).toContainText('0 of 14 images read');
    await page.getByRole('link', { name: 'Start reading' }).click();
    await beginReading(page);

    for (let i = 1; i <= 2; i++) {
      await expectPosition(page, i, true);
      await answerByKeyboard(page, 's', 3);
      await expect(page.getByTestId('feedback')).toContainText(/this practice image is (real|synthetic)/);
      await snapshot(page, { texts: [], imageHeaders: [] }, 'practice');
      await page.keyboard.press('Enter');
    }
    for (let shown = 3; shown <= 7; shown++) {
      await expectPosition(page, shown);
      await answerByKeyboard(page, shown % 2 ? 'r' : 's', (shown % 5) + 1);
      await expect(page.getByTestId('feedback')).toHaveCount(0);
    }
    // A double click and a repeated key on one image give one answer, not two, and skip nothing.
    await expectPosition(page, 8);
    await page.keyboard.press('r');
    await page.keyboard.press('2');
    await page.getByRole('button', { name: 'Submit (Enter)' }).dblclick();
    await page.keyboard.press('Enter');
    await expectPosition(page, 9);
    await expect(page.getByTestId('save-status')).toHaveText('All answers saved');
    await snapshot(page, seen, 'mid-study');
    const tokenBeforeClosing = await currentToken(page, reader.assignmentId);
    await context.close();

    context = await browser.newContext();
    page = await context.newPage();
    capture(page, seen);
    await login(page, reader.email, E2E_READER_PASSWORD);
    await expect(page.getByTestId('assignment')).toContainText('8 of 14 images read');
    await page.getByRole('link', { name: 'Resume reading' }).click();
    await expectPosition(page, 9);
    expect(await currentToken(page, reader.assignmentId)).toBe(tokenBeforeClosing);
    for (let shown = 9; shown <= TOTAL; shown++) {
      await expectPosition(page, shown);
      await answerByKeyboard(page, shown % 3 ? 's' : 'r', 4);
    }
    await expect(page.getByTestId('summary')).toContainText('Every answer is saved');
    await snapshot(page, seen, 'end');
    await context.close();

    const rows = await query<{ position: number; answers: string; client: number | null; server: number | null }>(
      `SELECT i.position, count(r.id)::text AS answers, min(r."clientMs") AS client, min(r."serverMs") AS server
         FROM "AssignmentItem" i LEFT JOIN "Response" r ON r."itemId" = i.id
        WHERE i."assignmentId" = $1 GROUP BY i.position ORDER BY i.position`,
      [reader.assignmentId],
    );
    expect(rows).toHaveLength(TOTAL);
    for (const row of rows) {
      expect(row.answers, `answers at position ${row.position}`).toBe('1');
      expect(row.client, `client time at ${row.position}`).not.toBeNull();
      expect(row.server, `server time at ${row.position}`).not.toBeNull();
    }

    // The blinding scan: no identifier of an image, its batch, pool or source, and no truth, anywhere.
    const forbidden = new Map<string, string>();
    for (const image of study.images) {
      forbidden.set(image.id, 'image id');
      forbidden.set(image.sha256, 'sha256');
      forbidden.set(image.storageKey, 'storage key');
      forbidden.set(image.batchId, 'batch id');
      forbidden.set(image.poolId, 'pool id');
      if (image.sourceName) forbidden.set(image.sourceName, 'file name');
      if (image.patientKey) forbidden.set(image.patientKey, 'patient key');
    }
    forbidden.set(study.studyId, 'study id');
    const findings: string[] = [];
    for (const { where, text } of seen.texts) {
      for (const [value, what] of forbidden) if (text.includes(value)) findings.push(`${what} in ${where}`);
      // Framework scripts may contain such words in their own code; the identifiers above are checked there too.
      if (where.startsWith('script')) continue;
      for (const word of ['"REAL"', '"SYNTHETIC"', 'isStandIn', 'stand-in', '"origin"', 'sourceName', 'batchId', 'checkpoint']) {
        if (text.includes(word)) findings.push(`${word} in ${where}`);
      }
    }
    expect(seen.texts.length).toBeGreaterThan(30);
    expect(findings).toEqual([]);

    // Every image answered with the same headers, whatever its class.
    expect(seen.imageHeaders.length).toBeGreaterThanOrEqual(TOTAL);
    const normalised = new Set(seen.imageHeaders.map((h) => JSON.stringify(Object.entries(h).filter(([k]) => !['date', 'content-length'].includes(k)).sort())));
    expect([...normalised]).toHaveLength(1);
    const headers = seen.imageHeaders[0];
    expect(headers['content-type']).toBe('image/png');
    expect(headers['last-modified']).toBeUndefined();
    expect(headers['etag']).toBeUndefined();
    expect(headers['content-disposition']).toBeUndefined();
  });

  test('each reader has an order of their own, derived from the study secret and the reader', async () => {
    const orders = await query<{ readerId: string; seed: string; imageIds: string[]; secret: string }>(
      `SELECT a."readerId", a.seed, s.secret, array_agg(i."imageId" ORDER BY i.position) AS "imageIds"
         FROM "Assignment" a JOIN "Study" s ON s.id = a."studyId" JOIN "AssignmentItem" i ON i."assignmentId" = a.id
        WHERE a."studyId" = $1 GROUP BY a."readerId", a.seed, s.secret`,
      [study.studyId],
    );
    expect(orders).toHaveLength(2);
    for (const order of orders) {
      expect(order.seed).toBe(crypto.createHmac('sha256', order.secret).update(order.readerId).digest('hex'));
      expect(order.imageIds).toHaveLength(TOTAL);
    }
    expect(orders[0].imageIds.slice(2)).not.toEqual(orders[1].imageIds.slice(2));
    expect([...orders[0].imageIds.slice(2)].sort()).toEqual([...orders[1].imageIds.slice(2)].sort());
  });

  test('a reader cannot fetch another reader\'s images, session or answers', async ({ browser }) => {
    const [other, owner] = study.readers;
    const context = await browser.newContext();
    const page = await context.newPage();
    await login(page, owner.email, E2E_READER_PASSWORD);
    const ownerState = await (await page.request.get(`/api/reading/${owner.assignmentId}`)).json();
    const token = ownerState.items?.[0]?.token;
    await context.close();

    const intruder = await browser.newContext();
    const page2 = await intruder.newPage();
    await login(page2, other.email, E2E_READER_PASSWORD);
    expect((await page2.request.get(`/api/reading/${owner.assignmentId}`)).status()).toBe(404);
    if (token) expect((await page2.request.get(`/api/reading/images/${token}`)).status()).toBe(404);
    const answer = await page2.request.post(`/api/reading/${owner.assignmentId}/answers`, {
      data: { token: token ?? 'x'.repeat(22), position: 0, call: 'REAL', confidence: 3, idempotencyKey: crypto.randomUUID() },
    });
    expect(answer.status()).toBe(404);
    expect((await page2.request.get('/read/' + owner.assignmentId)).status()).toBe(404);
    await intruder.close();
  });
});
