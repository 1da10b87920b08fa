import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { expect, request as playwrightRequest, type APIRequestContext, type Page } from '@playwright/test';

export const DEMO_PASSWORD = process.env.DEMO_PASSWORD ?? 'demo-password-e2e';
export const BASE_URL = process.env.E2E_BASE_URL ?? 'http://127.0.0.1:3000';

/** Fills and submits the login form; the caller checks the outcome (see login for a successful one). */
export async function attemptLogin(page: Page, email: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

export async function login(page: Page, email: string, password = DEMO_PASSWORD): Promise<void> {
  await attemptLogin(page, email, password);
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
}

/** The form's own error message (Next also renders an empty role=alert route announcer). */
export function formAlert(page: Page) {
  return page.locator('form [role=alert]');
}

/** Confirms the study's briefing, shown once per study and reader before the first image. */
export async function beginReading(page: Page): Promise<void> {
  await page.getByTestId('briefing').getByRole('button', { name: /begin/ }).click();
  await expect(page.getByTestId('briefing')).toHaveCount(0);
}

/** An API client with a signed-in session (the same credentials flow the browser uses). */
export async function apiSession(email: string, password = DEMO_PASSWORD, ip = '203.0.113.9'): Promise<APIRequestContext> {
  const context = await playwrightRequest.newContext({ baseURL: BASE_URL, extraHTTPHeaders: { 'x-forwarded-for': ip } });
  const { csrfToken } = await (await context.get('/api/auth/csrf')).json();
  const response = await context.post('/api/auth/callback/credentials', {
    form: { email, password, csrfToken, json: 'true' },
    maxRedirects: 0,
  });
  expect([200, 302]).toContain(response.status());
  const session = await (await context.get('/api/auth/session')).json();
  expect(session?.user?.email, `login as ${email}`).toBe(email);
  return context;
}

/** Every page and API route, read from the app folder, so that a new route is never left out of the checks. */
export function enumerateRoutes(): { pages: string[]; apis: string[] } {
  const appDir = path.resolve('app');
  const pages: string[] = [];
  const apis: string[] = [];
  const walk = (dir: string, segments: string[]) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) {
        const isGroup = entry.name.startsWith('(') && entry.name.endsWith(')');
        walk(path.join(dir, entry.name), isGroup ? segments : [...segments, entry.name]);
      } else if (entry.name === 'page.tsx' || entry.name === 'route.ts') {
        const route = `/${segments.map((s) => s.replace(/^\[\.\.\.(.+)\]$/, 'x').replace(/^\[(.+)\]$/, 'x')).join('/')}`;
        (entry.name === 'page.tsx' ? pages : apis).push(route);
      }
    }
  };
  walk(appDir, []);
  return { pages: pages.sort(), apis: apis.sort() };
}

export type CreatedStudy = {
  studyId: string;
  readers: Array<{ id: string; email: string; assignmentId: string }>;
  images: Array<{ id: string; sha256: string; storageKey: string; sourceName: string | null; batchId: string; patientKey: string | null; poolId: string }>;
};

export const E2E_READER_PASSWORD = 'e2e-reader-password';

/** Creates readers and an open study in the app's database (a tsx child process: see e2e/support/create-study.ts). */
export function createStudy(name: string, readers: number, config: Record<string, unknown>): CreatedStudy {
  const output = execFileSync(process.execPath, [path.resolve('node_modules/tsx/dist/cli.mjs'), 'e2e/support/create-study.ts', JSON.stringify({ name, readers, password: E2E_READER_PASSWORD, config })], {
    env: process.env,
    encoding: 'utf8',
  });
  return JSON.parse(output.trim().split('\n').at(-1)!);
}

/** Runs a fixture script with tsx against the app's database and returns the JSON on its last line. */
export function runFixture<T>(script: string, args: string[]): T {
  const output = execFileSync(process.execPath, [path.resolve('node_modules/tsx/dist/cli.mjs'), script, ...args], { env: process.env, encoding: 'utf8' });
  return JSON.parse(output.trim().split('\n').at(-1)!) as T;
}

/** Direct reads of the app's database, for assertions about what was stored. */
export async function query<T extends Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}
