import { z } from 'zod';
import { audit } from '@/lib/audit';
import { getConfig } from '@/lib/config';
import { dispatchJob } from '@/lib/jobs';
import { importBatch, ImportRejected, NewPoolUnconfirmed } from '@/lib/pools/import';
import { parseManifest } from '@/lib/pools/manifest';
import { UploadError, type UploadProblem } from './errors';
import { discard, receiveUpload } from './receive';
import { readZip, type ZipLimits } from './zip';

/**
 * `POST /api/admin/batches`: a zip of PNG/DICOM files (+ optional manifest.csv) with a modality and an
 * origin, streamed to a temporary file, read safely (zip.ts), and stored through the one import path
 * (lib/pools/import.ts) in one transaction — all of it or nothing. A batch of synthetic images gets its
 * memorisation check queued in that same transaction, and every batch the Fréchet Radiomics Distance of the
 * synthetic sets it changes. Framework-free: takes a standard Request, returns
 * what was stored or throws an UploadError (with every problem), so tests call it with real requests and
 * the route handler stays thin.
 */
export type UploadLimits = ZipLimits & { maxBytes: number };
export type UploadAccepted = {
  batchId: string;
  poolKey: string;
  imported: number;
  duplicates: Array<{ file: string }>;
  ignored: string[];
  jobId: string | null;
  /** The batch created this pool (the admin confirmed or named it). */
  createdPool: boolean;
};

const fieldsSchema = z.object({
  modality: z.enum(['CXR', 'CT_HEAD'], { message: 'modality must be CXR or CT_HEAD' }),
  origin: z.enum(['REAL', 'SYNTHETIC'], { message: 'origin must be REAL or SYNTHETIC' }),
  /** The new pool the admin confirmed (the key the server proposed) or named; absent: a batch that would create a pool is refused with the proposal. */
  newPool: z.string().trim().max(64, 'a pool name has at most 64 characters').optional().transform((v) => v || undefined),
});

export function uploadLimitsFromConfig(): UploadLimits {
  const config = getConfig();
  return {
    maxBytes: config.UPLOAD_MAX_BYTES,
    maxEntries: config.UPLOAD_MAX_ENTRIES,
    maxEntryBytes: config.UPLOAD_MAX_ENTRY_BYTES,
    maxTotalBytes: config.UPLOAD_MAX_TOTAL_BYTES,
    maxRatio: config.UPLOAD_MAX_RATIO,
  };
}

export async function handleBatchUpload(request: Request, actorId: string, limits: UploadLimits = uploadLimitsFromConfig()): Promise<UploadAccepted> {
  let tmpPath: string | null = null;
  try {
    const upload = await receiveUpload(request, { maxBytes: limits.maxBytes });
    tmpPath = upload.path;
    const fields = fieldsSchema.safeParse(upload.fields);
    if (!fields.success) throw new UploadError('invalid', fields.error.issues.map((i) => i.message).join('; '));
    const { modality, origin, newPool } = fields.data;

    const zip = await readZip(upload.path, limits);
    // Every problem at once: the zip's bad entries and the manifest's are reported with the images' own.
    const priorProblems = [...zip.problems];
    let manifest;
    if (zip.manifest) {
      const parsed = parseManifest(zip.manifest.bytes, zip.manifest.name);
      priorProblems.push(...parsed.problems);
      // Rows that did not parse would show up again as "missing from the manifest": cross-check a clean manifest only.
      if (parsed.problems.length === 0) manifest = parsed.rows;
    }
    if (zip.files.length === 0) throw rejected([...priorProblems, { file: '(zip)', problem: 'holds no .png, .dcm or .dicom files' }]);

    const result = await importBatch({
      files: zip.files,
      modality,
      origin,
      kind: 'UPLOAD',
      onNewPool: 'confirm',
      newPoolKey: newPool,
      manifest,
      source: upload.fileName,
      createdById: actorId,
      priorProblems,
      afterStore: async (tx, stored) => {
        await audit(
          { actorId, action: 'batch.upload', targetType: 'Batch', targetId: stored.batchId, after: { pool: stored.poolKey, origin, modality, imported: stored.imported, duplicates: stored.duplicates.length } },
          tx,
        );
      },
    });
    const queued = result.memorisationCheck;
    if (queued) await dispatchJob(queued);
    if (result.radiomicsDistance) await dispatchJob(result.radiomicsDistance);
    return {
      batchId: result.batchId,
      poolKey: result.poolKey,
      imported: result.imported,
      duplicates: result.duplicates.map((d) => ({ file: d.file })),
      ignored: zip.ignored,
      jobId: queued?.id ?? null,
      createdPool: result.createdPool,
    };
  } catch (error) {
    if (error instanceof ImportRejected) throw new UploadError('unprocessable', error.message, error.problems);
    // 409 with the pool it would create: the form asks the admin to confirm or name it, then sends the batch again.
    if (error instanceof NewPoolUnconfirmed) throw new UploadError('conflict', error.message, [], { code: 'NEW_POOL', newPool: error.pool });
    throw error;
  } finally {
    if (tmpPath) await discard(tmpPath);
  }
}

function rejected(problems: UploadProblem[]): UploadError {
  return new UploadError('unprocessable', `${problems.length} problem(s) in the batch; nothing was stored. Fix them and upload the zip again.`, problems);
}
