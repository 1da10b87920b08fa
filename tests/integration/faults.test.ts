import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '@/lib/auth/passwords';
import { disconnectPrisma, getPrisma } from '@/lib/db/client';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '@/lib/db/embedded';
import { applyMigrations } from '@/lib/db/migrations';
import { importFolder } from '@/lib/pools/folder';
import { seedCheckedSynthetic } from '../support/synthetic';
import { createStudy, openStudy } from '@/lib/studies/store';
import { buildIfNeeded } from '@/scripts/lib/build';
import { freePort, signIn, startApp, type AppProcess } from '../support/app';
import { sharedDataDir } from '../support/shared-data';

/**
 * Faults with real processes: the app (next start) and its own PostgreSQL, which these tests stop,
 * restart and kill. Simulated readers keep answering and retry like the browser does; afterwards
 * every answer must be stored exactly once. Also: two app replicas on one database.
 */
const PASSWORD = 'fault-test-password';
const SECRET = crypto.randomBytes(32).toString('hex');
const READERS = 20;
const BEHIND_PROXY = { TRUSTED_PROXIES: '127.0.0.1,::1' };
const IMAGES = 12;
const dataDir = path.resolve('.data', `faults-${process.pid}`);

let db: EmbeddedDatabase;
let pgPort: number;
let app: AppProcess;

type Reader = { email: string; assignmentId: string; items: Array<{ token: string; position: number }> };

async function makeStudy(label: string): Promise<Reader[]> {
  const prisma = getPrisma();
  const passwordHash = await hashPassword(PASSWORD);
  const users = await Promise.all(
    Array.from({ length: READERS }, (_, i) => prisma.user.create({ data: { email: `${label}-${i}@faults.local`, name: `${label} ${i}`, role: 'READER', passwordHash } })),
  );
  const pool = await prisma.pool.findUniqueOrThrow({ where: { key: 'CT_HEAD-64' } });
  const study = await createStudy({ name: label, config: { imagesPerReader: IMAGES }, poolIds: [pool.id], readerIds: users.map((u) => u.id), createdById: null });
  await openStudy(study.id, null);
  const assignments = await prisma.assignment.findMany({ where: { studyId: study.id }, include: { items: { orderBy: { position: 'asc' } } } });
  return users.map((u) => {
    const a = assignments.find((x) => x.readerId === u.id)!;
    return { email: u.email, assignmentId: a.id, items: a.items.map((i) => ({ token: i.token, position: i.position })) };
  });
}

/** Answers every item of every reader, retrying each answer (same idempotency key) until acknowledged. */
async function readAll(readers: Reader[], bases: () => string[], onProgress: (answered: number) => Promise<void> | void) {
  const statuses = new Map<string, number>();
  let answered = 0;
  const cookies = await Promise.all(readers.map((r) => signIn(bases()[0], r.email, PASSWORD)));
  await Promise.all(
    readers.map(async (reader, index) => {
      for (const item of reader.items) {
        const body = JSON.stringify({ token: item.token, position: item.position, call: 'REAL', confidence: 2, clientMs: 800, idempotencyKey: crypto.randomUUID() });
        for (let attempt = 0; ; attempt++) {
          if (attempt > 600) throw new Error('an answer was never acknowledged');
          const base = bases()[(index + item.position) % bases().length];
          const response = await fetch(`${base}/api/reading/${reader.assignmentId}/answers`, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json', cookie: cookies[index] },
            body,
            signal: AbortSignal.timeout(10_000),
          }).catch(() => null);
          const key = response ? String(response.status) : 'network';
          statuses.set(key, (statuses.get(key) ?? 0) + 1);
          if (response && (response.status === 200 || response.status === 201)) break;
          if (response && response.status < 500) throw new Error(`answer refused: ${response.status} ${await response.text()}`);
          await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
        }
        answered++;
        await onProgress(answered);
      }
    }),
  );
  return statuses;
}

async function expectExactlyOnce(readers: Reader[]) {
  const rows = await getPrisma().$queryRaw<Array<{ n: bigint }>>`
    SELECT count(r.id) AS n FROM "AssignmentItem" i LEFT JOIN "Response" r ON r."itemId" = i.id
     WHERE i."assignmentId" = ANY(${readers.map((r) => r.assignmentId)}) GROUP BY i.id`;
  expect(rows).toHaveLength(READERS * IMAGES);
  expect(new Set(rows.map((r) => Number(r.n)))).toEqual(new Set([1]));
}

describe('faults and replicas', () => {
  beforeAll(async () => {
    fs.rmSync(dataDir, { recursive: true, force: true });
    pgPort = await freePort();
    db = await startEmbeddedPostgres({ dataDir, port: pgPort });
    process.env.DATABASE_URL = db.url;
    await applyMigrations(db.url);
    await importFolder({ dir: path.join(sharedDataDir(), 'demo', 'headct-mednist-64'), modality: 'CT_HEAD', origin: 'REAL' });
    await seedCheckedSynthetic('CT_HEAD-64', 40);
    await buildIfNeeded(() => undefined);
    // The replicas sit behind a load balancer on loopback (TRUSTED_PROXIES), which names each client's address.
    app = await startApp({ databaseUrl: db.url, secret: SECRET, env: BEHIND_PROXY });
  }, 600_000);

  afterAll(async () => {
    await app?.stop();
    await disconnectPrisma();
    await db?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('PostgreSQL restarted while 20 readers keep answering: every answer stored exactly once', async () => {
    const readers = await makeStudy('pg-restart');
    let restarted = false;
    const statuses = await readAll(readers, () => [app.base], async (answered) => {
      if (!restarted && answered === Math.floor((READERS * IMAGES) / 3)) {
        restarted = true;
        await disconnectPrisma();
        await db.stop();
        await new Promise((r) => setTimeout(r, 3000));
        db = await startEmbeddedPostgres({ dataDir, port: pgPort });
      }
    });
    console.log('answer responses during the restart:', Object.fromEntries(statuses));
    expect(restarted).toBe(true);
    expect(statuses.get('503') ?? 0, 'the outage was seen as 503 (retry), never as a 500').toBeGreaterThan(0);
    expect(statuses.get('500') ?? 0).toBe(0);
    await expectExactlyOnce(readers);
  }, 300_000);

  it('the app server killed with SIGKILL mid-study and restarted: every answer stored exactly once', async () => {
    const readers = await makeStudy('app-kill');
    let killed = false;
    const statuses = await readAll(readers, () => [app.base], async (answered) => {
      if (!killed && answered === Math.floor((READERS * IMAGES) / 2)) {
        killed = true;
        await app.kill();
        await new Promise((r) => setTimeout(r, 1000));
        await app.restart();
      }
    });
    console.log('answer responses around the kill:', Object.fromEntries(statuses));
    expect(killed).toBe(true);
    expect(statuses.get('network') ?? 0, 'clients saw the server vanish').toBeGreaterThan(0);
    await expectExactlyOnce(readers);
  }, 300_000);

  it('two replicas on one database: sessions, throttling and reading sessions are shared', async () => {
    const second = await startApp({ databaseUrl: db.url, secret: SECRET, env: BEHIND_PROXY });
    try {
      const readers = await makeStudy('replicas');
      // A session made on one replica is valid on the other.
      const cookie = await signIn(app.base, readers[0].email, PASSWORD);
      const state = await fetch(`${second.base}/api/reading/${readers[0].assignmentId}`, { headers: { cookie } });
      expect(state.status).toBe(200);
      // Failed logins counted on both replicas add up to one throttle (an unknown account is throttled alike).
      const messages: string[] = [];
      for (let i = 0; i < 6; i++) {
        const base = i % 2 ? second.base : app.base;
        messages.push(await signIn(base, 'nobody@faults.local', `wrong-${i}`, '127.0.0.9').then(() => 'signed in', (e: Error) => e.message));
      }
      expect(messages.slice(0, 5).every((m) => m.endsWith('Wrong e-mail or password.'))).toBe(true);
      expect(messages[5]).toMatch(/Too many failed attempts/);
      // Answers alternate between the replicas (readAll spreads them), and still land once each.
      await readAll(readers, () => [app.base, second.base], () => undefined);
      await expectExactlyOnce(readers);
    } finally {
      await second.stop();
    }
  }, 300_000);

  it('behind HTTPS the session cookie is Secure (and __Secure- prefixed), httpOnly and SameSite', async () => {
    const secure = await startApp({ databaseUrl: db.url, secret: SECRET, publicUrl: 'https://reader-study.example' });
    try {
      const email = `secure-${Date.now()}@faults.local`;
      await getPrisma().user.create({ data: { email, name: 'Secure', role: 'COORDINATOR', passwordHash: await hashPassword(PASSWORD) } });
      const csrf = await fetch(`${secure.base}/api/auth/csrf`);
      const csrfCookie = csrf.headers.getSetCookie().map((c) => c.split(';')[0]);
      const { csrfToken } = (await csrf.json()) as { csrfToken: string };
      const response = await fetch(`${secure.base}/api/auth/callback/credentials`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', cookie: csrfCookie.join('; ') },
        body: new URLSearchParams({ email, password: PASSWORD, csrfToken, json: 'true' }),
      });
      const session = response.headers.getSetCookie().find((c) => c.includes('session-token'));
      expect(session).toMatch(/^__Secure-next-auth\.session-token=/);
      expect(session).toMatch(/;\s*Secure/i);
      expect(session).toMatch(/;\s*HttpOnly/i);
      expect(session).toMatch(/;\s*SameSite=Lax/i);
    } finally {
      await secure.stop();
    }
  }, 120_000);
});
