import crypto from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { getPrisma } from '@/lib/db/client';
import { PgImageStore } from '@/lib/db/image-store';
import { applyMigrations } from '@/lib/db/migrations';
import { decode, resampleArea } from '@/lib/images';
import { parseStudyConfig, sequenceViolations } from '@/lib/studies';
import { computeStudyDashboard } from '@/lib/dashboard/store';
import { createStudy, openStudy, updateDraft } from '@/lib/studies/store';
import { headCt48Pool, makeReaders, type TestReader } from '../support/open-study';
import { readerState } from '@/lib/reading/store';
import { answerAsReader } from '../support/reading';

const POOL = 'CT_HEAD-48';
const SIZES = [16, 24, 48];
const IMAGES = 12;

describe('a resolution ladder study: 3 rungs, 6 readers', () => {
  let poolId: string;
  let readers: TestReader[];

  beforeAll(async () => {
    await applyMigrations(process.env.DATABASE_URL!);
    poolId = await headCt48Pool();
    readers = await makeReaders(6, 'ladder');
  }, 180_000);

  it('refuses a ladder the readers cannot fill, before deriving anything', async () => {
    const study = await createStudy({ name: 'Ladder, 4 readers', config: { imagesPerReader: IMAGES, ladder: { sizes: SIZES } }, poolIds: [poolId], readerIds: readers.slice(0, 4).map((r) => r.id), createdById: null });
    await expect(openStudy(study.id, null)).rejects.toThrow(/multiple of 3 readers/);
  });

  it('every reader sees every case once, every case appears at every rung, derived images carry provenance and equal the resampled parent', async () => {
    const prisma = getPrisma();
    const study = await createStudy({
      name: 'Ladder',
      config: { imagesPerReader: IMAGES, maxRunLength: 4, ladder: { sizes: SIZES }, leakAudit: { maxAuc: 0.6 } },
      poolIds: [poolId],
      readerIds: readers.map((r) => r.id),
      createdById: null,
    });
    // The audit runs per rung: at 16 px the pixel-level classifier tells the demo generator's images from the
    // real ones, and under a set limit the study stays a draft.
    await expect(openStudy(study.id, null)).rejects.toThrow(/refused to open the study at the 16 px rung/);
    const refused = await prisma.auditEvent.findFirstOrThrow({ where: { targetId: study.id, action: 'study.open.refused' } });
    const rungsOf = (after: unknown) => (after as { leakAudit: { rungs: Array<{ size: number; passed: boolean }> } }).leakAudit.rungs.map((r) => r.size);
    expect(rungsOf(refused.after)).toEqual(SIZES);
    // Without a limit the pixel-level AUC is reported only (a real study would fix its images).
    await updateDraft(study.id, { config: { imagesPerReader: IMAGES, maxRunLength: 4, ladder: { sizes: SIZES } } }, null);
    const opened = await openStudy(study.id, null);
    expect(opened.leakAudit.passed).toBe(true);
    const openEvent = await prisma.auditEvent.findFirstOrThrow({ where: { targetId: study.id, action: 'study.open' } });
    expect(rungsOf(openEvent.after)).toEqual(SIZES);
    const frozen = await prisma.study.findUniqueOrThrow({ where: { id: study.id } });

    const assignments = await prisma.assignment.findMany({
      where: { studyId: study.id },
      include: { items: { orderBy: { position: 'asc' }, include: { image: { select: { id: true, origin: true, width: true, patientKey: true, provenance: true, storageKey: true, pool: { select: { key: true } } } } } } },
    });
    expect(assignments).toHaveLength(6);
    const parentOf = (image: { id: string; provenance: unknown }) => ((image.provenance as { derivedFrom?: string }).derivedFrom ?? image.id);
    const rungsOfCase = new Map<string, number[]>();
    let caseSet: string | null = null;
    for (const a of assignments) {
      const scored = a.items.filter((i) => i.phase === 'SCORED' && !i.isRepeat);
      const parents = scored.map((i) => parentOf(i.image));
      expect(new Set(parents).size).toBe(IMAGES); // each case exactly once
      const key = [...parents].sort().join();
      caseSet ??= key;
      expect(key).toBe(caseSet); // the same cases for every reader
      for (const size of SIZES) {
        const here = scored.filter((i) => i.image.width === size);
        expect(here.filter((i) => i.image.origin === 'REAL')).toHaveLength(2); // 6 real : 6 synthetic over 3 rungs
        expect(here.filter((i) => i.image.origin === 'SYNTHETIC')).toHaveLength(2);
      }
      scored.forEach((i) => rungsOfCase.set(parentOf(i.image), [...(rungsOfCase.get(parentOf(i.image)) ?? []), i.image.width]));
      const config = parseStudyConfig(frozen.config);
      const images = [...new Map(a.items.map((i) => [i.image.id, { id: i.image.id, origin: i.image.origin, patientKey: i.image.patientKey }])).values()];
      expect(sequenceViolations({ items: a.items.map((i) => ({ position: i.position, imageId: i.image.id, phase: i.phase, block: i.block, isRepeat: i.isRepeat })), images, config })).toEqual([]);
    }
    for (const [, sizes] of rungsOfCase) expect(sizes.sort((x, y) => x - y)).toEqual([16, 16, 24, 24, 48, 48]);

    // Readers answer everything: the dashboard leads with accuracy and reader-averaged AUC per rung.
    for (const [k, a] of assignments.entries()) {
      await readerState(a.id, a.readerId);
      for (const item of a.items) {
        const right = item.image.origin;
        const call = item.image.width === 48 || (item.position + k) % 2 === 0 ? right : right === 'REAL' ? 'SYNTHETIC' : 'REAL';
        await answerAsReader(a.id, a.readerId, { token: item.token, position: item.position, call, confidence: 1 + (item.position % 5), clientMs: 800, idempotencyKey: crypto.randomUUID() });
      }
    }
    const stats = await computeStudyDashboard(study.id);
    expect(stats.ladder!.rungs.map((r) => [r.size, r.n])).toEqual(SIZES.map((s) => [s, 6 * 4]));
    expect(stats.ladder!.rungs[2].accuracy).toBe(1);
    expect(stats.ladder!.rungs.every((r) => r.readersWithAuc === 6)).toBe(true);
    expect(stats.ladder!.trend!.z).toBeGreaterThan(0);

    // Derived images: provenance, their rung's pool, and the parent's bytes resampled by area averaging.
    const store = new PgImageStore();
    const derived = assignments.flatMap((a) => a.items).map((i) => i.image).filter((im) => im.width !== 48);
    expect(new Set(derived.map((d) => d.pool.key))).toEqual(new Set([`${POOL}@16`, `${POOL}@24`]));
    for (const image of derived.slice(0, 8)) {
      const provenance = image.provenance as { derivedFrom: string; filter: string; width: number; height: number; parentSha256: string };
      expect(provenance).toMatchObject({ filter: 'area-average', width: image.width, height: image.width });
      const parent = await prisma.image.findUniqueOrThrow({ where: { id: provenance.derivedFrom } });
      expect(parent.origin).toBe(image.origin);
      expect(parent.sha256).toBe(provenance.parentSha256);
      const p = decode((await store.get(parent.storageKey))!);
      const d = decode((await store.get(image.storageKey))!);
      expect(Buffer.from(d.pixels as Uint8Array)).toEqual(Buffer.from(resampleArea(p.pixels as Uint8Array, 48, 48, image.width, image.width)));
    }
  }, 300_000);
});
