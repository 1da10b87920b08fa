import { z } from 'zod';
import { getPrisma } from '@/lib/db/client';
import type { UtilityResult } from '@/lib/detectability/utility';
import { declareJobKind } from '../registry';

/**
 * Train on synthetic, test on real for one conditional checkpoint, declared: params, result, and the
 * latest result per checkpoint. The handler is lib/jobs/handlers/train-synthetic-test-real.ts.
 */
export const utilityParams = z.strictObject({ checkpointId: z.string().min(1) });
export type UtilityParams = z.infer<typeof utilityParams>;

export const trainSyntheticTestRealKind = declareJobKind({ kind: 'train-synthetic-test-real', title: 'Train on synthetic, test on real', params: utilityParams });

export type UtilityVerdict = UtilityResult & {
  checkpointId: string;
  checkpointName: string;
  poolKey: string;
  backend: string;
  counts: { synthetic: number; realTrain: number; realTest: number };
  seconds: number;
};

/** The latest finished utility result of each checkpoint. */
export async function latestUtilityVerdicts(checkpointIds: readonly string[]): Promise<Map<string, UtilityVerdict>> {
  const jobs = await getPrisma().job.findMany({ where: { kind: 'train-synthetic-test-real', status: 'SUCCEEDED' }, orderBy: { createdAt: 'desc' } });
  const out = new Map<string, UtilityVerdict>();
  for (const job of jobs) {
    const id = (job.params as { checkpointId?: string }).checkpointId;
    if (id && checkpointIds.includes(id) && !out.has(id)) out.set(id, job.result as unknown as UtilityVerdict);
  }
  return out;
}
