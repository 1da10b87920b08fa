import { performance } from 'node:perf_hooks';
import { leakAudit, imageFeatures, type AuditImage, type LeakAuditReport } from '@/lib/privacy/leak-audit';
import { PgImageStore } from '@/lib/db/image-store';
import { getPrisma } from '@/lib/db/client';
import { STUDY_ELIGIBLE } from '@/lib/pools/eligibility';
import { servedImageHeaders, servedPngFromCanonical } from '@/lib/images/served';
import { servedImage } from '@/lib/reading/store';
import { newItemToken } from '@/lib/studies/tokens';

/**
 * The database side of the leak audit (the rules are in lib/privacy/leak-audit): reads the stored
 * bytes of a study's eligible images, derives what a reader would receive for each (served bytes,
 * headers, a token of the form opening gives), times the serving path over repeated fetches, and
 * runs the audit. Run by openStudy before anything is frozen; a draft's page runs it on demand.
 *
 * It audits every eligible image of the study's pools (what the selection draws from, so a larger
 * and steadier sample than the selected set alone), up to `maxPerClass` images per class and pool,
 * chosen by sha256 order (a deterministic, effectively random sample).
 */
export const DEFAULT_MAX_AUDITED_PER_CLASS = 1000;
/** Timing: this many images per class and pool, each fetched TIMING_REPEATS times in random order. */
export const TIMED_PER_CLASS = 20;
export const TIMING_REPEATS = 7;
const BYTES_PER_QUERY = 200;

export async function auditPoolImages(poolIds: readonly string[], opts: { maxAuc?: number | null; maxPerClass?: number } = {}): Promise<LeakAuditReport> {
  const maxPerClass = opts.maxPerClass ?? DEFAULT_MAX_AUDITED_PER_CLASS;
  // The study-eligible images (lib/pools/eligibility.ts), ranked by sha256 within each pool and class.
  const eligible = await getPrisma().image.findMany({
    where: { poolId: { in: [...poolIds] }, ...STUDY_ELIGIBLE },
    select: { id: true, poolId: true, origin: true, storageKey: true },
    orderBy: [{ sha256: 'asc' }, { id: 'asc' }],
  });
  const seen = new Map<string, number>();
  const rows = eligible
    .map((image) => {
      const group = `${image.poolId} ${image.origin}`;
      const rank = (seen.get(group) ?? 0) + 1;
      seen.set(group, rank);
      return { ...image, rank };
    })
    .filter((r) => r.rank <= maxPerClass)
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const images: AuditImage[] = [];
  const timed: Array<{ image: AuditImage; storageKey: string }> = [];
  const store = new PgImageStore();
  for (let start = 0; start < rows.length; start += BYTES_PER_QUERY) {
    const slice = rows.slice(start, start + BYTES_PER_QUERY);
    const byKey = await store.getMany(slice.map((r) => r.storageKey));
    for (const row of slice) {
      const bytes = byKey.get(row.storageKey) ?? new Uint8Array();
      let served: Uint8Array;
      try {
        served = servedPngFromCanonical(bytes);
      } catch {
        served = new Uint8Array(); // unreadable: the encoding check names it
      }
      const image: AuditImage = {
        id: row.id,
        origin: row.origin,
        features: imageFeatures(bytes),
        served: { features: imageFeatures(served), headers: servedImageHeaders(served.length), token: newItemToken() },
      };
      images.push(image);
      if (row.rank <= TIMED_PER_CLASS && served.length > 0) timed.push({ image, storageKey: row.storageKey });
    }
  }
  await timeServing(timed);
  return leakAudit(images, { maxAuc: opts.maxAuc });
}

/**
 * Times the serving path (what the reader's image route runs after its role check) for each image,
 * TIMING_REPEATS times, in a shuffled order so that drift hits both classes alike; one untimed
 * warm-up round first.
 */
async function timeServing(timed: Array<{ image: AuditImage; storageKey: string }>): Promise<void> {
  for (const t of timed) await servedImage(t.storageKey);
  const fetches = timed.flatMap((t) => Array.from({ length: TIMING_REPEATS }, () => t));
  for (let i = fetches.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [fetches[i], fetches[j]] = [fetches[j], fetches[i]];
  }
  for (const t of fetches) {
    const began = performance.now();
    await servedImage(t.storageKey);
    const ms = performance.now() - began;
    (t.image.served.ttfbMs ??= []).push(ms);
  }
}
