import { getPrisma } from '@/lib/db/client';
import { runGenerationJob, type GenerationJobResult, type GenerationParams } from '@/lib/gan';
import { isJobCancelled } from '../cancel';
import { dispatchJob } from '../jobs';
import { ganGenerationKind } from '../kinds';
import { defineJobKind, type JobContext } from '../registry';

/**
 * GAN generation as a job kind (lib/gan/generation-job.ts does the work). Cancelled from the admin page
 * (lib/jobs/cancel.ts) between chunks; a killed worker's job is re-run and finds its committed batch.
 * The new batch's memorisation check is queued with the batch (lib/pools/import.ts) and sent here at once;
 * running it twice is harmless (it skips checked images).
 */
export const ganGeneration = defineJobKind(
  ganGenerationKind,
  async (ctx: JobContext<GenerationParams>): Promise<GenerationJobResult> => {
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
    // The batch's memorisation check was queued with it; send it now rather than at the next sweep.
    const check = result.memorisationCheckJobId ? await getPrisma().job.findUnique({ where: { id: result.memorisationCheckJobId } }) : null;
    if (check) await dispatchJob(check);
    // So was its Fréchet Radiomics Distance (lib/jobs/handlers/radiomics-distance.ts).
    const frd = result.imported > 0 ? await getPrisma().job.findFirst({ where: { batchId: result.batchId, kind: 'radiomics-distance', status: 'QUEUED' } }) : null;
    if (frd) await dispatchJob(frd);
    return result;
  },
);
