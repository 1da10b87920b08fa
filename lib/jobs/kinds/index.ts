import { z } from 'zod';
import { generationParamsSchema } from '@/lib/gan/plan';
import type { Prisma } from '@/lib/generated/prisma/client';
import { createJob } from '../jobs';
import { declareJobKind } from '../registry';

// Every job kind, declared: name, title and params, so that the web process can queue and show jobs
// without loading what runs them. Each kind's handler is in lib/jobs/handlers (worker only).

export const ganGenerationKind = declareJobKind({ kind: 'gan-generation', title: 'GAN generation', params: generationParamsSchema });

const memorisationCheckParams = z.object({ batchId: z.string().min(1) });
export type MemorisationCheckParams = z.infer<typeof memorisationCheckParams>;
export const memorisationCheckKind = declareJobKind({ kind: 'memorisation-check', title: 'Memorisation check', params: memorisationCheckParams });

const radiomicsDistanceParams = z
  .object({ batchId: z.string().min(1).optional(), poolId: z.string().min(1).optional(), checkpointId: z.string().min(1).optional() })
  .refine((p) => [p.batchId, p.poolId, p.checkpointId].filter(Boolean).length === 1, { message: 'give exactly one of batchId, poolId, checkpointId' });
export type RadiomicsDistanceParams = z.infer<typeof radiomicsDistanceParams>;
export const radiomicsDistanceKind = declareJobKind({ kind: 'radiomics-distance', title: 'Fréchet Radiomics Distance', params: radiomicsDistanceParams });

/** Queues the FRD recomputation a landed batch calls for (handlers/radiomics-distance.ts), in the caller's transaction when given one. */
export async function queueRadiomicsForBatch(batchId: string, options: { createdById?: string | null; db?: Prisma.TransactionClient } = {}) {
  return createJob(radiomicsDistanceKind.kind, { batchId }, { createdById: options.createdById ?? null, batchId, db: options.db });
}
export { twoSampleTestKind, latestTwoSampleJob, type MachineVerdict, type TwoSampleParams } from './two-sample-test';
export { trainSyntheticTestRealKind, latestUtilityVerdicts, type UtilityParams, type UtilityVerdict } from './train-synthetic-test-real';
