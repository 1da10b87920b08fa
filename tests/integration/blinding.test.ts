import crypto from 'node:crypto';
import { decode } from 'fast-png';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UnprocessableError } from '@/lib/errors';
import { getPrisma } from '@/lib/db/client';
import { PgImageStore } from '@/lib/db/image-store';
import { applyMigrations } from '@/lib/db/migrations';
import { servedPngLength } from '@/lib/images';
import type { LeakAuditReport } from '@/lib/privacy/leak-audit';
import { createStudy, openStudy, storedLeakAudit, updateDraft } from '@/lib/studies/store';
import { buildIfNeeded } from '@/scripts/lib/build';
import { signIn, startApp, type AppProcess } from '../support/app';
import { boxBlur, makeReaders, realAndFilteredPool } from '../support/open-study';

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

describe('blinding: one served length, the gate apart from the pixel measurement', () => {
  let studyId: string;
  let reader: { id: string; email: string };
  let app: AppProcess | undefined;

  beforeAll(async () => {
    await applyMigrations(process.env.DATABASE_URL!);
    const poolId = await realAndFilteredPool((px) => boxBlur(px, SIDE, 3), 'blinding');
    [reader] = await makeReaders(1, 'blind', PASSWORD);
    const study = await createStudy({ name: 'Blinding', config: { imagesPerReader: 20, leakAudit: { maxAuc: 0.6 } }, poolIds: [poolId], readerIds: [reader.id], createdById: null });
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
    expect(refusal).toBeInstanceOf(UnprocessableError);
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
