import { InvalidInputError, UnprocessableError } from '@/lib/errors';
import { getPrisma } from '@/lib/db/client';
import { deriveRung, type Rung } from '@/lib/pools/derive';
import type { LeakAuditReport } from '@/lib/privacy/leak-audit';
import { ladderProblems, latinSquareRungs, type CandidateImage, type StudyConfig } from '.';
import { auditPoolImages } from '@/lib/privacy/leak-audit/store';

/**
 * Opening a study with a resolution ladder: the rungs are derived from the study's pools
 * (lib/pools/derive.ts), the leak audit runs on each rung, and the selected cases are assigned to
 * rungs per reader by the Latin square (ladder.ts).
 */
export type LadderCandidate = CandidateImage & { sha256: string; poolId: string };

export interface PreparedLadder {
  /** One entry per size: the pools of that rung and parent → derived image. */
  rungs: Array<{ size: number; poolIds: string[]; byParent: Map<string, string>; audit: LeakAuditReport }>;
}

export async function prepareLadder(poolIds: string[], config: StudyConfig, readerCount: number): Promise<PreparedLadder> {
  const plan = config.ladder!;
  const pools = await getPrisma().pool.findMany({ where: { id: { in: poolIds } }, select: { width: true } });
  const problems = ladderProblems(plan, pools.map((p) => p.width), readerCount, config.sameImagesForAllReaders);
  if (problems.length) throw new InvalidInputError(problems.join(' '), { problems });
  const rungs: PreparedLadder['rungs'] = [];
  for (const size of plan.sizes) {
    const derived: Rung[] = [];
    for (const poolId of poolIds) derived.push(await deriveRung(poolId, size));
    const rungPools = derived.map((d) => d.poolId);
    const byParent = new Map(derived.flatMap((d) => [...d.byParent]));
    rungs.push({ size, poolIds: rungPools, byParent, audit: await auditPoolImages(rungPools, { maxAuc: config.leakAudit?.maxAuc }) });
  }
  return { rungs };
}

/** The rung whose audit failed, else the one whose classifier came closest to telling the classes apart. */
export function decisiveAudit(ladder: PreparedLadder): { size: number; audit: LeakAuditReport } {
  const failed = ladder.rungs.find((r) => !r.audit.passed);
  if (failed) return failed;
  return ladder.rungs.reduce((worst, r) => ((r.audit.auc ?? 0) > (worst.audit.auc ?? 0) ? r : worst));
}

/**
 * Replaces each reader's scored images by the derived images of their rungs (Latin square over the
 * selected cases in selection order). Returns every image used, for the study's image set.
 */
export function assignRungs(
  scored: LadderCandidate[],
  readerIds: string[],
  ladder: PreparedLadder,
  rungCandidates: Map<string, LadderCandidate>,
): { perReader: Map<string, LadderCandidate[]>; used: LadderCandidate[] } {
  const square = latinSquareRungs(scored, ladder.rungs.length, readerIds.length);
  const used = new Map<string, LadderCandidate>();
  const missing: string[] = [];
  const perReader = new Map<string, LadderCandidate[]>();
  readerIds.forEach((readerId, r) => {
    perReader.set(
      readerId,
      scored.map((parent, c) => {
        const rung = ladder.rungs[square[r][c]];
        const derived = rungCandidates.get(rung.byParent.get(parent.id) ?? '');
        if (!derived) {
          missing.push(`${parent.id} at ${rung.size} px`);
          return parent;
        }
        used.set(derived.id, derived);
        return derived;
      }),
    );
  });
  if (missing.length) {
    throw new UnprocessableError(`Some cases have no usable image at a rung (a duplicate or quarantined derived image): ${[...new Set(missing)].slice(0, 10).join(', ')}.`);
  }
  return { perReader, used: [...used.values()] };
}
