import { z } from 'zod';
import { generationParamsSchema } from '@/lib/gan/plan';
import { declareJobKind } from '../registry';

// Every job kind, declared: name, title and params, so that the web process can queue and show jobs
// without loading what runs them. Each kind's handler is in lib/jobs/handlers (worker only).

export const ganGenerationKind = declareJobKind({ kind: 'gan-generation', title: 'GAN generation', params: generationParamsSchema });

const memorisationCheckParams = z.object({ batchId: z.string().min(1) });
export type MemorisationCheckParams = z.infer<typeof memorisationCheckParams>;
export const memorisationCheckKind = declareJobKind({ kind: 'memorisation-check', title: 'Memorisation check', params: memorisationCheckParams });

export { twoSampleTestKind, latestTwoSampleJob, type MachineVerdict, type TwoSampleParams } from './two-sample-test';
export { trainSyntheticTestRealKind, latestUtilityVerdicts, type UtilityParams, type UtilityVerdict } from './train-synthetic-test-real';
