import { getPrisma } from '@/lib/db/client';
import { runGenerationJob, type GenerationJobResult, type GenerationParams } from '@/lib/gan';
import { isJobCancelled } from '../cancel';
import { enqueueJob } from '../jobs';
import { ganGenerationKind } from '../kinds';
import { defineJobKind, getJobKind, type JobContext } from '../registry';

/**
 * GAN generation as a job kind (lib/gan/generation-job.ts does the work). Cancelled from the admin page
 * (lib/jobs/cancel.ts) between chunks; a killed worker's job is re-run and finds its committed batch.
 * The new batch is then queued for the memorisation check; running it twice is harmless (it skips
 * checked images).
 */
export const ganGeneration = defineJobKind(
  ganGenerationKind,
  async (ctx: JobContext<GenerationParams>): Promise<GenerationJobResult & { memorisationCheckJobId: string | null }> => {
    const row = await getPrisma().job.findUnique({ where: { id: ctx.jobId }, select: { createdById: true } });
    const result = await runGenerationJob(ctx.params, {
      jobId: ctx.jobId,
      createdById: row?.createdById ?? null,
      reportProgress: (fraction, message) => ctx.progress(fraction, message),
      isCancelled: async () => {
        ctx.signal.throwIfAborted();
        return isJobCancelled(ctx.jobId);
      },
    });
    let memorisationCheckJobId: string | null = null;
    if (getJobKind('memorisation-check') && result.imported > 0) {
      memorisationCheckJobId = (await enqueueJob('memorisation-check', { batchId: result.batchId }, { createdById: row?.createdById ?? null, batchId: result.batchId })).id;
    }
    return { ...result, memorisationCheckJobId };
  },
);
