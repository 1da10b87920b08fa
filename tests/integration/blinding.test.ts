import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { decode } from 'fast-png';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '@/lib/auth/passwords';
import { getPrisma } from '@/lib/db/client';
import { PgImageStore } from '@/lib/db/image-store';
import { applyMigrations } from '@/lib/db/migrations';
import { encodeCanonical, servedPngLength } from '@/lib/images';
import type { LeakAuditReport } from '@/lib/privacy/leak-audit';
import { importBatch } from '@/lib/pools/import';
import { createStudy, openStudy, storedLeakAudit, updateDraft } from '@/lib/studies/store';
import { buildIfNeeded } from '@/scripts/lib/build';
import { signIn, startApp, type AppProcess } from '../support/app';
import { sharedDataDir } from '../support/shared-data';

/**
 * Blinding end to end, on the demo head-CT case where the pixels differ: "synthetic" images are the
 * real ones blurred flat, so their stored (compressed) PNGs are much smaller and simple statistics
 * tell them apart. The leak audit's gate must pass (nothing but pixels differs), the pixel-level
 * AUC must be reported and block only under a limit, and every image a reader fetches over HTTP
 * must have one length and identical headers.
 */
const PASSWORD = 'blinding-test-password';
const SECRET = crypto.randomBytes(32).toString('hex');
const SIDE = 64;

function blur(px: Uint8Array): Uint8Array {
  return Uint8Array.from(px, (_, p) => {
    const y = Math.floor(p / SIDE);
    const x = p % SIDE;
    let s = 0;
    let n = 0;
    for (let dy = -3; dy <= 3; dy++) {
      for (let dx = -3; dx <= 3; dx++) {
        if (y + dy >= 0 && y + dy < SIDE && x + dx >= 0 && x + dx < SIDE) {
          s += px[(y + dy) * SIDE + x + dx];
          n++;
        }
      }
    }
    return Math.round(s / n);
  });
}

describe('blinding: one served length, the gate apart from the pixel measurement', () => {
  let studyId: string;
  let reader: { id: string; email: string };
  let app: AppProcess | undefined;

  beforeAll(async () => {
    await applyMigrations(process.env.DATABASE_URL!);
    const dir = path.join(sharedDataDir(), 'demo', 'headct-mednist-64');
    const pixels = fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.png'))
      .sort()
      .map((name) => decode(fs.readFileSync(path.join(dir, name))).data as Uint8Array);
    const realFiles = pixels.slice(0, 50).map((px, i) => ({ name: `r${i}.png`, bytes: encodeCanonical(px, SIDE, SIDE, 8) }));
    const synthFiles = pixels.slice(50, 100).map((px, i) => ({ name: `s${i}.png`, bytes: encodeCanonical(blur(px), SIDE, SIDE, 8) }));
    const real = await importBatch({ files: realFiles, modality: 'CT_HEAD', origin: 'REAL', kind: 'IMPORT', source: 'blinding-real' });
    await importBatch({ files: synthFiles, modality: 'CT_HEAD', origin: 'SYNTHETIC', kind: 'GENERATED', source: 'blinding-synthetic', poolKey: real.poolKey });
    const prisma = getPrisma();
    const pool = await prisma.pool.findUniqueOrThrow({ where: { key: real.poolKey } });
    reader = await prisma.user.create({ data: { email: `blind-${Date.now()}@test.local`, name: 'Blind reader', role: 'READER', passwordHash: await hashPassword(PASSWORD) } });
    const study = await createStudy({ name: 'Blinding', config: { imagesPerReader: 20, leakAudit: { maxAuc: 0.6 } }, poolIds: [pool.id], readerIds: [reader.id], createdById: null });
    studyId = study.id;
  }, 180_000);

  afterAll(async () => {
    await app?.stop();
  });

  it('refuses to open under a coordinator-set pixel limit, and keeps the report with the draft', async () => {
    const refusal = await openStudy(studyId, null).then(
      () => null,
      (error) => error,
    );
    expect(refusal?.status).toBe(422);
    const report: LeakAuditReport = refusal.details.leakAudit;
    expect(report.gatePassed).toBe(true);
    expect(report.checks.filter((c) => c.kind === 'gate').map((c) => [c.id, c.passed])).toEqual([
      ['encoding', true],
      ['metadata', true],
      ['served', true],
      ['token', true],
      ['timing', true],
    ]);
    expect(report.auc).toBeGreaterThan(0.9);
    expect(report.checks.find((c) => c.id === 'classifier')!.passed).toBe(false);
    const study = await getPrisma().study.findUniqueOrThrow({ where: { id: studyId } });
    expect(study.status).toBe('DRAFT');
    const stored = storedLeakAudit(study)!;
    expect(stored.passed).toBe(false);
    expect(stored.auc).toBe(report.auc);
    expect(stored.checks.find((c) => c.id === 'served')!.summary).toContain(`${servedPngLength(SIDE, SIDE, 8)} bytes`);
  }, 120_000);

  it('opens by default: pixel-level detectability is reported, not a gate', async () => {
    await updateDraft(studyId, { config: { imagesPerReader: 20 } }, null);
    const opened = await openStudy(studyId, null);
    expect(opened.leakAudit.passed).toBe(true);
    expect(opened.leakAudit.maxAuc).toBeNull();
    expect(opened.leakAudit.auc).toBeGreaterThan(0.9);
    expect(opened.leakAudit.checks.find((c) => c.id === 'classifier')!.summary).toContain('reported, not a gate');
  }, 120_000);

  it('serves every image of the open study to its reader at one length with identical headers', async () => {
    await buildIfNeeded(() => undefined);
    app = await startApp({ databaseUrl: process.env.DATABASE_URL!, secret: SECRET });
    const cookie = await signIn(app.base, reader.email, PASSWORD);
    const items = await getPrisma().assignmentItem.findMany({
      where: { assignment: { studyId } },
      select: { token: true, image: { select: { origin: true, storageKey: true } } },
    });
    expect(new Set(items.map((i) => i.image.origin))).toEqual(new Set(['REAL', 'SYNTHETIC']));
    const storedLengths = new Set<number>();
    const lengths = new Set<number>();
    const headerSets = new Set<string>();
    for (const item of items) {
      const response = await fetch(`${app.base}/api/reading/images/${item.token}`, { headers: { cookie } });
      expect(response.status).toBe(200);
      const bytes = new Uint8Array(await response.arrayBuffer());
      lengths.add(bytes.length);
      headerSets.add(JSON.stringify([...response.headers.entries()].filter(([name]) => name !== 'date').sort()));
      const stored = (await new PgImageStore().get(item.image.storageKey))!;
      storedLengths.add(stored.length);
      // The viewer's decoder (fast-png) reads the served bytes to the stored pixels.
      expect(Buffer.from(decode(bytes).data as Uint8Array).equals(Buffer.from(decode(stored).data as Uint8Array))).toBe(true);
    }
    expect(storedLengths.size).toBeGreaterThan(10); // compressed sizes differ…
    expect([...lengths]).toEqual([servedPngLength(SIDE, SIDE, 8)]); // …what readers receive does not
    expect(headerSets.size).toBe(1);
    const headers = new Map(JSON.parse([...headerSets][0]) as Array<[string, string]>);
    expect(headers.get('content-type')).toBe('image/png');
    expect(headers.get('cache-control')).toBe('private, no-store');
    expect(headers.has('last-modified')).toBe(false);
    expect(headers.has('etag')).toBe(false);
    expect(headers.has('content-disposition')).toBe(false);
  }, 600_000);
});
