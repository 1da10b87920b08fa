import { z } from 'zod';
import { getPrisma } from '@/lib/db/client';
import { declareJobKind } from '../registry';

/**
 * "Can a machine tell?" (the classifier two-sample test, lib/detectability), declared: its params,
 * its result and where pages find the latest one. The handler is lib/jobs/handlers/two-sample-test.ts.
 */
export const twoSampleParams = z.union([
  z.strictObject({ studyId: z.string().min(1) }),
  z.strictObject({ poolId: z.string().min(1), checkpointId: z.string().min(1).optional() }),
]);
export type TwoSampleParams = z.infer<typeof twoSampleParams>;

export const twoSampleTestKind = declareJobKind({ kind: 'two-sample-test', title: 'Can a machine tell? (classifier two-sample test)', params: twoSampleParams });

export type MachineVerdict = {
  scope: TwoSampleParams;
  resolution: number;
  counts: { real: number; synthetic: number };
  cnn: { auc: number; ci: { lower: number; upper: number }; folds: number; epochs: number; backend: string };
  cheapFeatures: { auc: number; ci: { lower: number; upper: number } } | null;
  seconds: number;
};

/** The latest two-sample-test job of a scope (a study, or a pool and checkpoint), if any. */
export async function latestTwoSampleJob(scope: TwoSampleParams, status?: 'SUCCEEDED') {
  const where =
    'studyId' in scope
      ? { params: { path: ['studyId'], equals: scope.studyId } }
      : { AND: [{ params: { path: ['poolId'], equals: scope.poolId } }, scope.checkpointId ? { params: { path: ['checkpointId'], equals: scope.checkpointId } } : {}] };
  return getPrisma().job.findFirst({ where: { kind: 'two-sample-test', ...(status ? { status } : {}), ...where }, orderBy: { createdAt: 'desc' } });
}
