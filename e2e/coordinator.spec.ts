import crypto from 'node:crypto';
import fs from 'node:fs';
import { parse } from 'csv-parse/sync';
import yauzl from 'yauzl';
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { parseImrmc } from '../tests/support/imrmc-grammar';
import { apiSession, login, query, runFixture } from './helpers';

const READER_PASSWORD = 'coordinator-e2e-reader';
const IMAGES_PER_READER = 12;
const BRIEFING = 'Each chest radiograph is either from a patient or made by a GAN. Call it real or synthetic, and say how sure you are.';

type Reader = { id: string; email: string };

/** Answers every item of a reader's session through the reading API, as the reading room does. */
async function readEverything(reader: APIRequestContext, assignmentId: string, callFor: (position: number) => { call: 'REAL' | 'SYNTHETIC'; confidence: number }) {
  // The briefing first, as the reading room's "begin" button: the server takes no answer before it.
  expect((await reader.post(`/api/reading/${assignmentId}/briefing`)).status()).toBe(200);
  for (let guard = 0; guard < 100; guard++) {
    const state = await (await reader.get(`/api/reading/${assignmentId}`)).json();
    if (state.isComplete) return state;
    for (const item of state.items) {
      // Fetch the image first, like the viewer: the server times the answer from here.
      expect((await reader.get(`/api/reading/images/${item.token}`)).status()).toBe(200);
      const answer = await reader.post(`/api/reading/${assignmentId}/answers`, {
        data: { token: item.token, position: item.position, ...callFor(item.position), clientMs: 900 + item.position, idempotencyKey: crypto.randomUUID(), telemetry: { zoom: 1, presets: ['lung'] } },
      });
      expect(answer.status(), `answer at ${item.position}`).toBe(201);
    }
  }
  throw new Error('the reading session did not finish');
}

async function download(page: Page, testId: string): Promise<{ name: string; text: string; bytes: Buffer }> {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testId).click()]);
  const bytes = fs.readFileSync((await file.path())!);
  return { name: file.suggestedFilename(), text: bytes.toString('utf8'), bytes };
}

function zipEntries(bytes: Buffer): Promise<string[]> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(bytes, { lazyEntries: true }, (error, zip) => {
      if (error || !zip) return reject(error);
      const names: string[] = [];
      zip.on('entry', (entry) => {
        names.push(entry.fileName);
        zip.readEntry();
      });
      zip.on('end', () => resolve(names));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

test.describe('the coordinator', () => {
  test('designs a study with the wizard, opens it, watches two readers live, and downloads every export', async ({ page, browser }) => {
    test.setTimeout(300_000);
    const readers = runFixture<Reader[]>('e2e/support/coordinator-fixture.ts', ['readers', '2', READER_PASSWORD]);
    await login(page, 'coordinator@demo.local');
    await page.getByRole('link', { name: 'New study' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('New study');

    // An empty name is flagged when the field is left, and the flag clears once it is filled in.
    const nameField = page.getByLabel('Name', { exact: true });
    await nameField.focus();
    await page.getByLabel('Description').focus();
    await expect(page.getByTestId('name-error')).toHaveText('Give the study a name.');
    await expect(nameField).toHaveAttribute('aria-invalid', 'true');
    await expect(nameField).toHaveAttribute('aria-describedby', 'study-name-error');
    await expect(page.getByTestId('problems')).toContainText('Name: give the study a name');
    const name = `Wizard study ${Date.now().toString(36)}`;
    await nameField.fill(name);
    await expect(page.getByTestId('name-error')).toHaveCount(0);
    await expect(nameField).not.toHaveAttribute('aria-invalid', 'true');
    await expect(page.getByTestId('problems')).not.toContainText('Name:');
    // The reader briefing: prefilled with the default, refused empty, part of the frozen protocol.
    const briefingField = page.getByLabel('Reader briefing (shown once before the first image)');
    await expect(briefingField).toHaveValue(/decide whether it is real or synthetic/);
    await expect(page.getByTestId('briefing-help')).toContainText('The default briefing.');
    await expect(page.getByRole('button', { name: 'Use the default briefing' })).toHaveCount(0);
    await briefingField.fill('   ');
    await expect(page.getByTestId('problems')).toContainText('Reader briefing: must not be empty (write what readers are asked, or use the default briefing)');
    await expect(page.getByTestId('problems')).not.toContainText('leave it out');
    await page.getByRole('button', { name: 'Use the default briefing' }).click();
    await expect(page.getByTestId('briefing-help')).toContainText('The default briefing.');
    await expect(page.getByTestId('problems')).not.toContainText('Reader briefing');
    await briefingField.fill(BRIEFING);
    await expect(page.getByTestId('briefing-help')).toHaveText(`${BRIEFING.length} / 2000 characters; the screen adds the number of images, the feedback rules, the time and the keys.`);
    // The demo's chest pool: held-out MedNIST radiographs and the demo GAN's checked images.
    await page.getByLabel('Pool CXR-64').check();
    await page.getByLabel('Stratify by modality').check();
    // Live counts of eligible images per stratum come from the server.
    await expect(page.getByTestId('strata-table')).toContainText('CXR');
    await expect(page.getByTestId('eligible-counts')).toContainText(/Eligible: \d+ real, \d+ synthetic/);

    // No power for a design that cannot run (more images than the pool holds).
    await page.getByLabel('Images per reader').fill('100000');
    await expect(page.getByTestId('power-blocked')).toHaveText(/infeasible/);
    await expect(page.getByTestId('power-per-reader')).toHaveCount(0);
    await expect(page.getByTestId('problems')).not.toContainText('imagesPerReader');
    // The power panel follows the form.
    await page.getByLabel('Images per reader').fill('100');
    const powerAt100 = await page.getByTestId('power-per-reader').textContent();
    await expect(page.getByTestId('power-per-reader')).toHaveText(/%$/);
    await page.getByLabel('Images per reader').fill(String(IMAGES_PER_READER));
    await expect(page.getByTestId('power-per-reader')).not.toHaveText(powerAt100!);
    await expect(page.getByTestId('images-for-80')).toHaveText(/^\d+$/);
    // A wider equivalence margin needs far fewer images for the TOST.
    await expect(page.getByTestId('tost-images-for-80')).toHaveText(/^\d+$/);
    const tostBefore = Number(await page.getByTestId('tost-images-for-80').textContent());
    await page.getByLabel('Equivalence margin (± around 0.5)').fill('0.2');
    await expect.poll(async () => Number(await page.getByTestId('tost-images-for-80').textContent())).toBeLessThan(tostBefore);
    await page.getByLabel('Equivalence margin (± around 0.5)').fill('0.1');
    await expect(page.getByTestId('tost-images-for-80')).toHaveText(String(tostBefore));

    // Invalid settings show the schema's message under the form's own label; feasibility problems are listed before opening.
    await page.getByLabel('Longest run of one class').fill('0');
    await expect(page.getByTestId('problems')).toContainText('Longest run of one class: must be a whole number ≥ 1');
    await expect(page.getByTestId('problems')).not.toContainText('maxRunLength');
    await page.getByLabel('Longest run of one class').fill('3');
    await page.getByLabel('Synthetic share (%)').fill('150');
    await expect(page.getByTestId('problems')).toContainText('Synthetic share (%): must be more than 0 and less than 100');
    await expect(page.getByTestId('problems')).not.toContainText('syntheticFraction');
    await page.getByLabel('Synthetic share (%)').fill('50');
    await expect(page.getByTestId('problems')).toContainText('Invite at least one reader');
    // Plurals: one invited reader is "1 reader".
    await page.getByLabel(`Invite ${readers[0].email}`).check();
    await expect(page.getByTestId('power-pooled-label')).toHaveText(`Binomial test, pooled (1 reader × ${IMAGES_PER_READER} images)`);
    await page.getByLabel(`Invite ${readers[1].email}`).check();
    await expect(page.getByTestId('power-pooled-label')).toHaveText(`Binomial test, pooled (2 readers × ${IMAGES_PER_READER} images)`);
    await expect(page.getByTestId('no-problems')).toBeVisible();

    await page.getByRole('button', { name: 'Create draft' }).click();
    await page.waitForURL((url) => /^\/studies\/[^/]+$/.test(url.pathname) && !url.pathname.endsWith('/new'));
    const studyId = new URL(page.url()).pathname.split('/').pop()!;
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(name);
    await page.getByRole('button', { name: 'Open study' }).click();
    await expect(page.getByTestId('study-status')).toHaveText('open');
    const hash = (await page.getByTestId('protocol-hash').textContent())!.trim();
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    const stored = await query<{ configHash: string; status: string }>(`SELECT "configHash", status::text AS status FROM "Study" WHERE id = $1`, [studyId]);
    expect(stored[0]).toEqual({ configHash: hash, status: 'OPEN' });
    const events = await query<{ action: string }>(`SELECT action FROM "AuditEvent" WHERE "targetId" = $1 ORDER BY id`, [studyId]);
    // Opening from the draft page saves the form first.
    expect(events.map((e) => e.action)).toEqual(['study.create', 'study.update', 'study.open']);
    await expect(page.getByTestId('no-answers')).toBeVisible();
    // The briefing is frozen with the protocol, shown beside its hash.
    await expect(page.getByTestId('protocol-briefing')).toContainText(BRIEFING);
    const frozen = await query<{ briefing: string | null }>(`SELECT config->>'briefing' AS briefing FROM "Study" WHERE id = $1`, [studyId]);
    expect(frozen[0].briefing).toBe(BRIEFING);

    // A reader sees none of it.
    const readerSession = await apiSession(readers[0].email, READER_PASSWORD, '203.0.113.21');
    for (const route of [`/api/studies/${studyId}/dashboard`, `/api/studies/${studyId}`, ...['csv', 'json', 'imrmc', 'mrmcaov', 'bundle'].map((f) => `/api/studies/${studyId}/export/${f}`)]) {
      const response = await readerSession.get(route);
      expect(response.status(), route).toBe(403);
      expect(await response.text()).not.toContain('accuracy');
    }
    const readerPage = await (await browser.newContext()).newPage();
    await login(readerPage, readers[0].email, READER_PASSWORD);
    await readerPage.goto(`/studies/${studyId}`);
    await expect(readerPage).toHaveURL(/\/forbidden$/);

    // Reader 1 reads everything; the open dashboard follows without a reload.
    const assignments = await query<{ id: string; readerId: string }>(`SELECT id, "readerId" FROM "Assignment" WHERE "studyId" = $1`, [studyId]);
    const assignmentOf = (r: Reader) => assignments.find((a) => a.readerId === r.id)!.id;
    // The reader is briefed with the coordinator's words.
    await readerPage.goto(`/read/${assignmentOf(readers[0])}`);
    await expect(readerPage.getByTestId('briefing')).toContainText(BRIEFING);
    await readEverything(readerSession, assignmentOf(readers[0]), (p) => ({ call: p % 3 ? 'SYNTHETIC' : 'REAL', confidence: 1 + (p % 5) }));
    await expect(page.getByTestId('progress-total')).toHaveText(`${IMAGES_PER_READER} of ${2 * IMAGES_PER_READER} items answered`, { timeout: 20_000 });
    await expect(page.getByTestId('pooled-accuracy')).toHaveText(/^0\.\d{3}$|^1\.000$/);
    // Only the browser's answer time is summarised (the server's counts from the prefetch).
    await expect(page.getByTestId('progress').locator('th').nth(4)).toHaveText('Median answer time');
    await expect(page.getByTestId('progress')).not.toContainText('server');
    await expect(page.getByTestId('progress-row').first().locator('td').nth(4)).toHaveText(/^\d+\.\d s$/);

    const second = await apiSession(readers[1].email, READER_PASSWORD, '203.0.113.22');
    await readEverything(second, assignmentOf(readers[1]), (p) => ({ call: p % 2 ? 'SYNTHETIC' : 'REAL', confidence: 1 + ((p * 3) % 5) }));
    await expect(page.getByTestId('progress-total')).toHaveText(`${2 * IMAGES_PER_READER} of ${2 * IMAGES_PER_READER} items answered`, { timeout: 20_000 });

    // The headline AUC is MRMC's reader-averaged one; the pooled-answers AUC says what it is.
    const mrmcAuc = (await page.getByTestId('mrmc-row').first().locator('td').nth(3).textContent())!.trim();
    expect(mrmcAuc).toMatch(/^0\.\d{3}$|^1\.000$/);
    await expect(page.getByTestId('reader-averaged-auc')).toHaveText(mrmcAuc);
    await expect(page.locator('.grid .card').first()).toContainText('Reader-averaged AUC');
    await expect(page.locator('.card', { has: page.getByTestId('pooled-auc') })).toContainText('AUC of pooled answers');
    // TOST verdicts say what was established.
    await expect(page.getByTestId('tost-verdict')).toHaveText(/^(equivalent within ±0\.1|equivalence not established)$/);
    await expect(page.getByTestId('reader-stats')).not.toContainText('not shown');
    await expect(page.getByTestId('reader-stats')).toContainText(/equivalent within ±0\.1|equivalence not established/);

    // The plots, server-rendered SVG.
    await expect(page.getByTestId('forest-plot').getByTestId('forest-row')).toHaveCount(3);
    await expect(page.getByTestId('roc-curves').getByTestId('roc-curve')).toHaveCount(2);
    await expect(page.getByTestId('confusion-matrix')).toBeVisible();
    await expect(page.getByTestId('accuracy-by-resolution')).toBeVisible();
    await expect(page.getByTestId('mrmc-row').first()).toContainText('all images');
    await expect(page.getByTestId('guidance')).toContainText('MRMC');
    await expect(page.getByTestId('fool-rate-row').first()).toBeVisible();
    const counts = await Promise.all(['real-real', 'real-synthetic', 'synthetic-real', 'synthetic-synthetic'].map(async (id) => Number(await page.getByTestId(`confusion-${id}`).textContent())));
    expect(counts.reduce((a, b) => a + b, 0)).toBe(2 * IMAGES_PER_READER);

    // Every export downloads, parses and carries the protocol hash.
    const csv = await download(page, 'export-csv');
    const rows = parse(csv.text, { columns: true }) as Array<Record<string, string>>;
    expect(rows).toHaveLength(2 * IMAGES_PER_READER);
    expect(new Set(rows.map((r) => r.protocol_hash))).toEqual(new Set([hash]));
    expect(new Set(rows.map((r) => r.reader))).toEqual(new Set(['R01', 'R02']));
    for (const r of rows) {
      expect(r.case).toMatch(/^C[0-9a-f]{12}$/);
      expect(r.correct).toBe(r.truth === r.call ? '1' : '0');
    }
    expect(csv.text).not.toContain(readers[0].id);

    const json = JSON.parse((await download(page, 'export-json')).text);
    expect(json.protocolHash).toBe(hash);
    expect(json.summary.pooled.n).toBe(2 * IMAGES_PER_READER);
    expect(json.mrmc.analyses[0].result.tests[0].auc).toBeGreaterThanOrEqual(0);
    expect(JSON.stringify(json)).not.toContain(readers[0].email);

    const imrmc = await download(page, 'export-imrmc');
    expect(imrmc.name).toMatch(/\.imrmc$/);
    const parsed = parseImrmc(imrmc.text);
    expect(parsed.title).toContain(hash);
    expect(parsed.header.NR).toBe(2);
    expect(parsed.scores).toHaveLength(2 * IMAGES_PER_READER);

    const mrmcaov = parse((await download(page, 'export-mrmcaov')).text, { columns: true }) as Array<Record<string, string>>;
    expect(Object.keys(mrmcaov[0])).toEqual(['reader', 'treatment', 'case', 'truth', 'rating', 'protocol_hash']);
    expect(mrmcaov).toHaveLength(2 * IMAGES_PER_READER);
    expect(mrmcaov[0].protocol_hash).toBe(hash);

    const bundle = await download(page, 'export-bundle');
    const entries = await zipEntries(bundle.bytes);
    expect(entries.map((e) => e.replace(/^[^/]+\//, '').replace(/^study-[^-]+-[0-9a-f]{12}/, '*')).sort()).toEqual(['*-answers.csv', '*-mrmcaov.csv', '*-summary.json', '*.imrmc', 'README.txt']);

    const exportsLogged = await query<{ n: string }>(`SELECT count(*)::text AS n FROM "AuditEvent" WHERE "targetId" = $1 AND action = 'study.export'`, [studyId]);
    expect(Number(exportsLogged[0].n)).toBe(5);
    await readerSession.dispose();
    await second.dispose();
  });

  for (const [kind, expected] of [
    ['mismatched-pool', 'PNG 192×192 8-bit grey occurs only in synthetic images'],
    ['sixteen-bit-pool', 'PNG 256×256 16-bit grey occurs only in synthetic images'],
  ] as const) {
    test(`a study whose synthetic pool differs in encoding (${kind}) is refused at opening with the audit report`, async ({ page }) => {
      test.setTimeout(240_000);
      const readers = runFixture<Reader[]>('e2e/support/coordinator-fixture.ts', ['readers', '1', READER_PASSWORD]);
      const pool = runFixture<{ poolId: string; poolKey: string }>('e2e/support/coordinator-fixture.ts', [kind]);
      const real = await query<{ id: string }>(`SELECT id FROM "Pool" WHERE key = 'CXR-256'`);
      const coordinator = await apiSession('coordinator@demo.local', undefined, '203.0.113.23');
      const created = await coordinator.post('/api/studies', {
        data: { name: `Mismatched ${kind} ${Date.now()}`, config: { imagesPerReader: 10 }, poolIds: [real[0].id, pool.poolId], readerIds: [readers[0].id] },
      });
      expect(created.status()).toBe(201);
      const { id } = await created.json();

      await login(page, 'coordinator@demo.local');
      await page.goto(`/studies/${id}`);
      await page.getByRole('button', { name: 'Open study' }).click();
      await expect(page.getByTestId('wizard-message')).toContainText('The leak audit refused to open the study');
      await expect(page.getByTestId('leak-audit')).toContainText('Leak audit failed');
      await expect(page.getByTestId('leak-check-encoding')).toContainText(expected);

      const refused = await coordinator.post(`/api/studies/${id}/open`);
      expect(refused.status()).toBe(422);
      const body = await refused.json();
      expect(body.leakAudit.passed).toBe(false);
      expect(body.leakAudit.checks.find((c: { id: string }) => c.id === 'encoding').passed).toBe(false);
      const status = await query<{ status: string; n: string }>(`SELECT s.status::text AS status, (SELECT count(*)::text FROM "Assignment" a WHERE a."studyId" = s.id) AS n FROM "Study" s WHERE s.id = $1`, [id]);
      expect(status[0]).toEqual({ status: 'DRAFT', n: '0' });
      const refusals = await query<{ n: string }>(`SELECT count(*)::text AS n FROM "AuditEvent" WHERE "targetId" = $1 AND action = 'study.open.refused'`, [id]);
      expect(Number(refusals[0].n)).toBe(2);
      // The studies list shows it as a draft and why, not as "0 images, 0 readers".
      await page.goto('/studies');
      const row = page.locator(`[data-testid="study-row"][data-study-id="${id}"]`);
      await expect(row.getByTestId('study-state')).toContainText('draft');
      await expect(row.getByTestId('study-state')).toContainText('Not open: the leak audit refused it: ');
      await expect(row.getByTestId('study-state')).toContainText(expected);
      await expect(row).toContainText('1 reader invited');
      await coordinator.dispose();
    });
  }
});
