import { getPrisma } from '@/lib/db/client';
import { ConflictError } from '@/lib/errors';
import type { Prisma } from '@/lib/generated/prisma/client';

/**
 * Which images a study may draw, the one rule (ARCHITECTURE.md: "only synthetic images whose memorisation
 * check ran and passed can enter a study"): not retired, not quarantined, and for synthetic images, checked
 * for memorisation. The wizard's counts and feasibility, the studies list, the leak audit and opening all
 * read it from here.
 */
export const STUDY_ELIGIBLE: Prisma.ImageWhereInput = {
  isRetired: false,
  isQuarantined: false,
  // Blended stand-ins from before the demo had generators (older installations) never enter a study.
  isStandIn: false,
  OR: [{ origin: 'REAL' }, { similarityCheckedAt: { not: null } }],
};

/** Synthetic images whose memorisation check has not finished yet (a check that ran quarantines or clears each one). */
export const AWAITING_CHECK: Prisma.ImageWhereInput = { origin: 'SYNTHETIC', similarityCheckedAt: null, isRetired: false };

export type AwaitingCheck = { total: number; byPool: Array<{ poolKey: string; count: number }>; failedChecks: number };

/** How many synthetic images of these pools still wait for their memorisation check, per pool, and how many of their batches' checks failed. */
export async function awaitingCheck(poolIds: readonly string[]): Promise<AwaitingCheck> {
  const prisma = getPrisma();
  const groups = await prisma.image.groupBy({ by: ['poolId', 'batchId'], where: { poolId: { in: [...poolIds] }, ...AWAITING_CHECK }, _count: { _all: true } });
  if (groups.length === 0) return { total: 0, byPool: [], failedChecks: 0 };
  const batchIds = [...new Set(groups.map((g) => g.batchId))];
  const [pools, checks] = await Promise.all([
    prisma.pool.findMany({ where: { id: { in: [...new Set(groups.map((g) => g.poolId))] } }, select: { id: true, key: true } }),
    prisma.job.findMany({ where: { kind: 'memorisation-check', batchId: { in: batchIds } }, orderBy: { createdAt: 'desc' }, select: { batchId: true, status: true } }),
  ]);
  // A batch counts as failed when its latest check failed (a re-run queued since supersedes it).
  const latest = new Map<string, string>();
  for (const check of checks) if (check.batchId && !latest.has(check.batchId)) latest.set(check.batchId, check.status);
  const byPool = new Map<string, number>();
  for (const g of groups) byPool.set(g.poolId, (byPool.get(g.poolId) ?? 0) + g._count._all);
  return {
    total: groups.reduce((n, g) => n + g._count._all, 0),
    byPool: pools.map((p) => ({ poolKey: p.key, count: byPool.get(p.id) ?? 0 })).sort((a, b) => a.poolKey.localeCompare(b.poolKey)),
    failedChecks: batchIds.filter((id) => latest.get(id) === 'FAILED' || latest.get(id) === 'CANCELLED' || !latest.has(id)).length,
  };
}

/** For people: why images of these pools cannot enter a study yet. */
export function describeAwaitingCheck(waiting: AwaitingCheck): string {
  const pools = waiting.byPool.map((p) => `${p.poolKey}: ${p.count}`).join(', ');
  const failed = waiting.failedChecks
    ? ` The check of ${waiting.failedChecks} batch(es) did not run to the end (failed, cancelled or never queued): an admin runs it again from the batch's row on the Pools page.`
    : '';
  return (
    `${waiting.total} synthetic image(s) of the chosen pools (${pools}) are still being checked for memorisation; only checked images can enter a study. ` +
    `Wait for the check to finish (its progress is under Recent batches on the admin Pools page) and try again.${failed}`
  );
}

/** Opening refuses pools with images still being checked: the frozen image set must not depend on when the check ends. */
export async function assertChecked(poolIds: readonly string[]): Promise<void> {
  const waiting = await awaitingCheck(poolIds);
  if (waiting.total > 0) throw new ConflictError(describeAwaitingCheck(waiting), { code: 'IMAGES_BEING_CHECKED', awaitingCheck: waiting });
}
