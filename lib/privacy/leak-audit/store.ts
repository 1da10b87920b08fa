import { leakAudit, imageFeatures, type AuditImage, type LeakAuditReport } from '@/lib/privacy/leak-audit';
import { PgImageStore } from '@/lib/db/image-store';
import { getPgPool } from '@/lib/db/pg';

/**
 * The database side of the leak audit (the rules are in lib/privacy/leak-audit): reads the stored
 * bytes of a study's eligible images and runs the audit on them. Run by openStudy before anything
 * is frozen; a draft's page runs it on demand.
 *
 * It audits every eligible image of the study's pools (what the selection draws from, so a larger
 * and steadier sample than the selected set alone), up to `maxPerClass` images per class and pool,
 * chosen by sha256 order (a deterministic, effectively random sample).
 */
export const DEFAULT_MAX_AUDITED_PER_CLASS = 1000;
const BYTES_PER_QUERY = 200;

export async function auditPoolImages(poolIds: readonly string[], opts: { maxAuc?: number; maxPerClass?: number } = {}): Promise<LeakAuditReport> {
  const pool = getPgPool();
  const maxPerClass = opts.maxPerClass ?? DEFAULT_MAX_AUDITED_PER_CLASS;
  const { rows } = await pool.query<{ id: string; origin: 'REAL' | 'SYNTHETIC'; storageKey: string }>(
    `SELECT id, origin::text AS origin, "storageKey" FROM (
       SELECT i.id, i.origin, i."storageKey",
              row_number() OVER (PARTITION BY i."poolId", i.origin ORDER BY i.sha256) AS rank
         FROM "Image" i
        WHERE i."poolId" = ANY($1::text[]) AND NOT i."isQuarantined" AND NOT i."isRetired") ranked
      WHERE rank <= $2
      ORDER BY id`,
    [poolIds, maxPerClass],
  );
  const images: AuditImage[] = [];
  const store = new PgImageStore();
  for (let start = 0; start < rows.length; start += BYTES_PER_QUERY) {
    const slice = rows.slice(start, start + BYTES_PER_QUERY);
    const byKey = await store.getMany(slice.map((r) => r.storageKey));
    for (const row of slice) {
      images.push({ id: row.id, origin: row.origin, features: imageFeatures(byKey.get(row.storageKey) ?? new Uint8Array()) });
    }
  }
  return leakAudit(images, { maxAuc: opts.maxAuc });
}
