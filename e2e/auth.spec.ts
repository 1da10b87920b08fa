import { expect, test } from '@playwright/test';
import { apiSession, attemptLogin, BASE_URL, DEMO_PASSWORD, enumerateRoutes, formAlert, login } from './helpers';

test.describe('login and landing pages', () => {
  for (const [email, landing, marker] of [
    ['admin@demo.local', '/admin', 'Image pools'],
    ['coordinator@demo.local', '/studies', 'Studies'],
    ['reader1@demo.local', '/read', 'My studies'],
  ] as const) {
    test(`${email} lands on ${landing}`, async ({ page }) => {
      await login(page, email);
      await expect(page).toHaveURL(new RegExp(`${landing}$`));
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(marker);
    });
  }

  test('the admin sees the demo pools as counts', async ({ page }) => {
    await login(page, 'admin@demo.local');
    await expect(page.getByTestId('real-CXR-256')).toHaveText('100');
    // The demo studies' pools: 200 held-out MedNIST images each, and 100 made by each demo GAN's generation job.
    await expect(page.getByTestId('real-CT_HEAD-64')).toHaveText('200');
    await expect(page.getByTestId('real-CXR-64')).toHaveText('200');
    await expect(page.getByTestId('synthetic-CXR-64')).toHaveText('100');
  });

  test('anonymous visitors are sent to the login page', async ({ page }) => {
    await page.goto('/admin');
    await expect(page).toHaveURL(/\/login\?callbackUrl=%2Fadmin/);
  });

  // As typed into the address bar (the query string is decoded once before the app sees it).
  for (const callbackUrl of ['/%5Cevil.example', '//evil.example', '/%255Cevil.example', '%2F%2Fevil.example', '/%252F%252Fevil.example']) {
    test(`after login, callbackUrl=${callbackUrl} stays on this site`, async ({ page }) => {
      await page.goto(`/login?callbackUrl=${callbackUrl}`);
      await page.getByLabel('E-mail').fill('coordinator@demo.local');
      await page.getByLabel('Password').fill(DEMO_PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL((url) => !url.pathname.startsWith('/login'));
      expect(new URL(page.url()).origin).toBe(new URL(BASE_URL).origin);
      await expect(page).toHaveURL(/\/studies$/);
    });
  }

  test('a wrong password gets a clear message and no session', async ({ page }) => {
    await attemptLogin(page, 'coordinator@demo.local', 'not-the-password');
    await expect(formAlert(page)).toHaveText('Wrong e-mail or password.');
    await expect(page).toHaveURL(/\/login/);
  });

  test('public/ serves the icons and a robots.txt that keeps the study app out of search engines', async ({ request, page }) => {
    const robots = await request.get('/robots.txt');
    expect(robots.status()).toBe(200);
    expect(await robots.text()).toMatch(/User-agent: \*\s+Disallow: \/\s*$/);
    for (const [file, type] of [['/favicon.ico', 'image/x-icon'], ['/icon.svg', 'image/svg+xml'], ['/apple-touch-icon.png', 'image/png']] as const) {
      const response = await request.get(file);
      expect(response.status(), file).toBe(200);
      expect(response.headers()['content-type'], file).toContain(type);
    }
    await page.goto('/login');
    await expect(page.locator('meta[name="robots"]')).toHaveAttribute('content', /noindex/);
    await expect(page.locator('link[rel="icon"][href="/favicon.ico"]')).toHaveCount(1);
  });

  test('security headers are set on every page', async ({ request }) => {
    const response = await request.get('/login');
    const headers = response.headers();
    expect(headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['referrer-policy']).toBe('no-referrer');
    expect(headers['x-powered-by']).toBeUndefined();
  });

  test('an unknown address gets the 404 page without internals', async ({ page }) => {
    const response = await page.goto('/no/such/page');
    expect(response?.status()).toBe(404);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('404 — not found');
  });
});

test.describe('a reader is refused everywhere outside the reading room', () => {
  const { pages, apis } = enumerateRoutes();
  const coordinatorOrAdminPages = pages.filter((p) => p.startsWith('/admin') || p.startsWith('/studies'));
  const coordinatorOrAdminApis = apis.filter((p) => p.startsWith('/api/admin') || p.startsWith('/api/studies'));

  test('the route list comes from the app folder', () => {
    expect(coordinatorOrAdminPages).toEqual(expect.arrayContaining(['/admin', '/admin/users', '/studies']));
    expect(coordinatorOrAdminApis).toEqual(expect.arrayContaining(['/api/admin/users', '/api/admin/pools', '/api/studies']));
  });

  test('pages: redirected to the 403 page', async ({ page }) => {
    await login(page, 'reader1@demo.local');
    await expect(page).toHaveURL(/\/read$/);
    for (const route of coordinatorOrAdminPages) {
      await page.goto(route);
      await expect(page, route).toHaveURL(/\/forbidden$/);
      await expect(page.getByRole('heading', { level: 1 })).toHaveText('403 — not for your role');
    }
  });

  test('API routes: 403 for every method', async () => {
    const reader = await apiSession('reader2@demo.local');
    const rows: string[] = [];
    for (const route of coordinatorOrAdminApis) {
      for (const method of ['GET', 'POST', 'PATCH', 'DELETE'] as const) {
        const response = await reader.fetch(route, { method, data: method === 'GET' ? undefined : {} });
        rows.push(`${method.padEnd(6)} ${route.padEnd(28)} ${response.status()}`);
        // 405 is the framework's answer for a method the route does not have: refused either way.
        expect([403, 405], `${method} ${route}`).toContain(response.status());
      }
    }
    console.log(`reader vs coordinator/admin API routes:\n${rows.join('\n')}`);
    await reader.dispose();
  });
});

test.describe('account administration', () => {
  test('an admin creates a user, who can log in; disabling ends the session at once', async ({ browser }) => {
    const admin = await apiSession('admin@demo.local');
    const email = `reader-${Date.now()}@demo.local`;
    const created = await admin.post('/api/admin/users', { data: { email, name: 'Temp Reader', role: 'READER' } });
    expect(created.status()).toBe(201);
    const { user, temporaryPassword } = await created.json();
    expect(temporaryPassword).toMatch(/^\S{15}$/);

    const context = await browser.newContext();
    const page = await context.newPage();
    await login(page, email, temporaryPassword);
    await expect(page, 'a temporary password must be changed first').toHaveURL(/\/account\/password$/);

    expect((await admin.patch(`/api/admin/users/${user.id}`, { data: { action: 'disable' } })).status()).toBe(200);
    await page.goto('/read');
    await expect(page).toHaveURL(/\/login/);

    const again = await browser.newContext();
    const page2 = await again.newPage();
    await attemptLogin(page2, email, temporaryPassword);
    await expect(formAlert(page2)).toContainText('disabled');

    expect((await admin.patch(`/api/admin/users/${user.id}`, { data: { action: 'enable' } })).status()).toBe(200);
    await login(page2, email, temporaryPassword);
    await expect(page2).toHaveURL(/\/account\/password$/);
    await context.close();
    await again.close();
    await admin.dispose();
  });

  test('the admin pages manage users in the browser', async ({ page }) => {
    await login(page, 'admin@demo.local');
    await page.goto('/admin/users');
    const email = `coord-${Date.now()}@demo.local`;
    const form = page.getByRole('form', { name: 'New account' });
    await form.getByLabel('E-mail').fill(email);
    await form.getByLabel('Name').fill('New Coordinator');
    await form.getByLabel('Role').selectOption('COORDINATOR');
    await form.getByRole('button', { name: 'Create account' }).click();
    await expect(page.getByTestId('admin-message')).toContainText(`Created ${email}. Temporary password:`);
    const row = page.locator(`tr[data-email="${email}"]`);
    await row.getByRole('button', { name: 'Disable' }).click();
    await expect(row).toContainText('disabled');
    await row.getByRole('button', { name: 'Enable' }).click();
    await expect(row).toContainText('must change password');
  });

  test('changing your password ends your other sessions', async ({ browser }) => {
    const admin = await apiSession('admin@demo.local');
    const email = `pw-${Date.now()}@demo.local`;
    const { temporaryPassword } = await (await admin.post('/api/admin/users', { data: { email, name: 'Pw', role: 'COORDINATOR' } })).json();
    await admin.dispose();
    const other = await apiSession(email, temporaryPassword);
    // With its temporary password the account reaches only the password change (403 with a message elsewhere).
    expect((await other.get('/api/studies')).status()).toBe(403);
    expect((await other.post('/api/account/password', { data: {}, headers: { origin: BASE_URL } })).status()).toBe(400);

    const context = await browser.newContext();
    const page = await context.newPage();
    await login(page, email, temporaryPassword);
    await page.goto('/account/password');
    await page.getByLabel('Current password').fill(temporaryPassword);
    await page.getByLabel('New password (at least 10 characters)').fill('a-new-password-123');
    await page.getByLabel('New password again').fill('a-new-password-123');
    await page.getByRole('button', { name: 'Change password' }).click();
    await expect(page.getByRole('status')).toContainText('Password changed');
    await page.goto('/studies');
    await expect(page).toHaveURL(/\/studies$/);

    expect((await other.post('/api/account/password', { data: {}, headers: { origin: BASE_URL } })).status()).toBe(401);
    expect((await other.get('/api/studies')).status()).toBe(401);
    await other.dispose();
    await context.close();
  });

  test('cross-site state changes are refused', async () => {
    const admin = await apiSession('admin@demo.local');
    const response = await admin.post('/api/admin/users', {
      data: { email: 'csrf@demo.local', name: 'x', role: 'ADMIN' },
      headers: { origin: 'https://evil.example' },
    });
    expect(response.status()).toBe(403);
    await admin.dispose();
  });
});

test.describe('login throttling', () => {
  test('an account is locked after repeated failures, with the same message for unknown accounts', async () => {
    const tries = async (email: string, ip: string) => {
      const messages: string[] = [];
      const { request } = await import('@playwright/test');
      const context = await request.newContext({ baseURL: BASE_URL, extraHTTPHeaders: { 'x-forwarded-for': ip } });
      for (let i = 0; i < 6; i++) {
        const { csrfToken } = await (await context.get('/api/auth/csrf')).json();
        const response = await context.post('/api/auth/callback/credentials', {
          form: { email, password: `wrong-${i}`, csrfToken, json: 'true' },
          maxRedirects: 0,
        });
        const location = response.headers()['location'] ?? (await response.json().catch(() => ({}))).url ?? '';
        messages.push(decodeURIComponent(new URL(location, BASE_URL).searchParams.get('error') ?? ''));
      }
      await context.dispose();
      return messages;
    };
    const admin = await apiSession('admin@demo.local');
    const email = `throttle-${Date.now()}@demo.local`;
    const { temporaryPassword } = await (await admin.post('/api/admin/users', { data: { email, name: 'Throttle', role: 'READER' } })).json();
    await admin.dispose();
    const known = await tries(email, '198.51.100.1');
    const unknown = await tries('nobody@demo.local', '198.51.100.2');
    for (const messages of [known, unknown]) {
      expect(messages.slice(0, 5)).toEqual(Array(5).fill('Wrong e-mail or password.'));
      expect(messages[5]).toMatch(/^Too many failed attempts\. Try again in \d+ minutes\.$/);
    }
    // The right password is refused from the throttled address, and accepted from the owner's own address
    // (the lock-out is per account and address: hammering an account does not lock its owner out).
    const { request } = await import('@playwright/test');
    const rightFrom = async (ip: string) => {
      const context = await request.newContext({ baseURL: BASE_URL, extraHTTPHeaders: { 'x-forwarded-for': ip } });
      const { csrfToken } = await (await context.get('/api/auth/csrf')).json();
      const response = await context.post('/api/auth/callback/credentials', {
        form: { email, password: temporaryPassword, csrfToken, json: 'true' },
        maxRedirects: 0,
      });
      const location = response.headers()['location'] ?? (await response.json()).url;
      await context.dispose();
      return decodeURIComponent(new URL(location, BASE_URL).searchParams.get('error') ?? '');
    };
    expect(await rightFrom('198.51.100.1')).toMatch(/Too many failed attempts/);
    expect(await rightFrom('198.51.100.3')).toBe('');
  });
});

test.describe('session cookies', () => {
  test('are httpOnly and SameSite, and logging out makes a copied cookie useless', async ({ browser }) => {
    const admin = await apiSession('admin@demo.local');
    const email = `logout-${Date.now()}@demo.local`;
    const { temporaryPassword } = await (await admin.post('/api/admin/users', { data: { email, name: 'Logout', role: 'COORDINATOR' } })).json();
    await admin.dispose();

    const context = await browser.newContext();
    const page = await context.newPage();
    await login(page, email, temporaryPassword);
    const cookie = (await context.cookies()).find((c) => c.name.endsWith('next-auth.session-token'))!;
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe('Lax');

    const { request } = await import('@playwright/test');
    const thief = await request.newContext({ baseURL: BASE_URL, extraHTTPHeaders: { cookie: `${cookie.name}=${cookie.value}` } });
    // A temporary-password session: valid (403, the password change first) until it signs out (401).
    expect((await thief.get('/api/studies')).status()).toBe(403);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/login/);
    expect((await thief.get('/api/studies')).status()).toBe(401);
    await thief.dispose();
    await context.close();
  });
});
