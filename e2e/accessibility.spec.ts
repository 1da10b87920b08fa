import crypto from 'node:crypto';
import { expect, test, type Page } from '@playwright/test';
import { expectAccessible } from './support/axe';
import { apiSession, attemptLogin, beginReading, createStudy, E2E_READER_PASSWORD, formAlert, login, type CreatedStudy } from './helpers';

/**
 * axe-core (WCAG 2.1 A/AA) over every page of the app, as each role sees it, with real data: a study that two
 * readers have finished (so the dashboard shows every statistic and plot), the reading room mid-study, a
 * draft in the wizard, the admin pages, the error pages. Any serious or critical violation fails.
 */
test.describe.configure({ mode: 'serial' });

async function settle(page: Page, url: string) {
  await page.goto(url);
  await page.waitForLoadState('networkidle');
}

let study: CreatedStudy;

test('every page passes axe without serious or critical violations', async ({ browser }) => {
  test.setTimeout(300_000);
  // Two readers finish (for the dashboard); the third reads in the browser in the next test.
  study = createStudy('E2E accessibility', 3, { imagesPerReader: 12, practiceItems: 2, maxRunLength: 3 });

  // Login, and a failed login: both fields point at the message.
  const anonymous = await (await browser.newContext()).newPage();
  await settle(anonymous, '/login');
  await expectAccessible(anonymous, 'login');
  await attemptLogin(anonymous, 'coordinator@demo.local', 'not-the-password');
  await expect(formAlert(anonymous)).toHaveText('Wrong e-mail or password.');
  for (const field of ['E-mail', 'Password']) {
    await expect(anonymous.getByLabel(field)).toHaveAttribute('aria-invalid', 'true');
    await expect(anonymous.getByLabel(field)).toHaveAttribute('aria-describedby', 'login-error');
  }
  await expect(anonymous.locator('#login-error')).toHaveText('Wrong e-mail or password.');
  await expectAccessible(anonymous, 'login with an error');
  const missing = await anonymous.goto('/no/such/page');
  expect(missing?.status()).toBe(404);
  await expectAccessible(anonymous, '404');

  // A reader: the 403 page and the password change.
  const [first, second] = study.readers;
  const reader = await (await browser.newContext()).newPage();
  await login(reader, first.email, E2E_READER_PASSWORD);
  await settle(reader, '/studies');
  await expect(reader).toHaveURL(/\/forbidden$/);
  await expectAccessible(reader, '403');
  await settle(reader, '/account/password');
  await expectAccessible(reader, 'password change');

  // Both readers finish through the reading API, so the dashboard has every statistic.
  for (const r of [first, second]) {
    const session = await apiSession(r.email, E2E_READER_PASSWORD, `203.0.113.${40 + study.readers.indexOf(r)}`);
    // The briefing first, as the reading room's "begin" button: the server takes no answer before it.
    expect((await session.post(`/api/reading/${r.assignmentId}/briefing`)).status()).toBe(200);
    for (let guard = 0; guard < 50; guard++) {
      const state = await (await session.get(`/api/reading/${r.assignmentId}`)).json();
      if (state.isComplete) break;
      const item = state.items[0];
      expect((await session.get(`/api/reading/images/${item.token}`)).status()).toBe(200);
      const answer = await session.post(`/api/reading/${r.assignmentId}/answers`, {
        data: { token: item.token, position: item.position, call: item.position % 3 ? 'SYNTHETIC' : 'REAL', confidence: 1 + ((item.position * (r === first ? 1 : 3)) % 5), clientMs: 800, idempotencyKey: crypto.randomUUID() },
      });
      expect(answer.status()).toBe(201);
    }
    await session.dispose();
  }

  // A coordinator: the studies list, the wizard (new and a draft), the dashboard.
  const coordinator = await (await browser.newContext()).newPage();
  await login(coordinator, 'coordinator@demo.local');
  await settle(coordinator, '/studies');
  await expectAccessible(coordinator, 'studies list');
  await settle(coordinator, '/studies/new');
  await coordinator.getByLabel('Pool CXR-256').check();
  await expect(coordinator.getByTestId('eligible-counts')).toBeVisible();
  await expectAccessible(coordinator, 'new study wizard');
  const created = await coordinator.request.post('/api/studies', { data: { name: `Draft for axe ${Date.now()}`, config: { imagesPerReader: 10 }, poolIds: [], readerIds: [] } });
  expect(created.status()).toBe(201);
  await settle(coordinator, `/studies/${(await created.json()).id}`);
  await expectAccessible(coordinator, 'draft in the wizard');
  await settle(coordinator, `/studies/${study.studyId}`);
  await expect(coordinator.getByTestId('reader-averaged-auc')).toBeVisible();
  await expectAccessible(coordinator, 'dashboard');

  // An admin: pools, one pool, quarantine, checkpoints, users.
  const admin = await (await browser.newContext()).newPage();
  await login(admin, 'admin@demo.local');
  for (const [url, what] of [
    ['/admin', 'admin pools'],
    ['/admin/pools/CXR-256', 'one pool'],
    ['/admin/quarantine', 'quarantine'],
    ['/admin/checkpoints', 'checkpoints'],
    ['/admin/users', 'users'],
  ] as const) {
    await settle(admin, url);
    await expectAccessible(admin, what);
  }
});

test('the reader landing page and the reading room pass axe', async ({ browser }) => {
  test.setTimeout(120_000);
  const third = study.readers[2];
  const reader = await (await browser.newContext()).newPage();
  await login(reader, third.email, E2E_READER_PASSWORD);
  await settle(reader, '/read');
  await expectAccessible(reader, 'reader landing');
  await reader.goto(`/read/${third.assignmentId}`);
  await expect(reader.getByTestId('briefing')).toBeVisible();
  await expectAccessible(reader, 'reading room briefing');
  await beginReading(reader);
  await expect(reader.getByTestId('viewer-frame')).toHaveAttribute('data-painted', 'true');
  await expectAccessible(reader, 'reading room');
  await reader.keyboard.press('s');
  await reader.keyboard.press('3');
  await reader.keyboard.press('Enter');
  await expect(reader.getByTestId('feedback')).toBeVisible();
  await expectAccessible(reader, 'reading room, practice feedback');
});
