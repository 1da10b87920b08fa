import type { Job } from '@/lib/generated/prisma/client';
import { createJob } from '@/lib/jobs/jobs';
import { memorisationCheckKind, queueRadiomicsForBatch } from '@/lib/jobs/kinds';
import crypto from 'node:crypto';
import { decode, describePolicy, inferPolicy, isImageError, processImage, type Modality, type PoolPolicy, type ProcessedImage } from '@/lib/images';
import { getPrisma } from '@/lib/db/client';
import { PgImageStore } from '@/lib/db/image-store';
import { getPatientKeySecret } from '@/lib/auth/secret';
import type { Prisma } from '@/lib/generated/prisma/client';
import { deidentificationRecord, deidentifyDicom } from '@/lib/privacy';
import { labelsOutsideVocabulary, type ManifestRow } from './manifest';

/**
 * Puts a set of files into a pool as one batch: every file through the one image pipeline, then one
 * transaction for pool, batch, blobs and image rows. Any bad file and nothing is stored; the error names
 * every bad file. Used by `npm run import`, the demo seed, uploads and generation.
 */
export type ImportFile = { name: string; bytes: Uint8Array };
export type ImportProblem = { file: string; problem: string };
export type ImportOptions = {
  files: ImportFile[];
  modality: Modality;
  origin: 'REAL' | 'SYNTHETIC';
  kind: 'IMPORT' | 'UPLOAD' | 'GENERATED';
  manifest?: Map<string, ManifestRow>;
  /** A pool key to import into; by default the pool is found (or created) from the first image. */
  poolKey?: string;
  /**
   * When the batch would create a pool: 'create' it (the default: npm run import, generation jobs, the demo
   * seed), or 'confirm' (uploads): refuse with NewPoolUnconfirmed, storing nothing, unless `newPoolKey` says
   * which pool to create.
   */
  onNewPool?: 'create' | 'confirm';
  /** The pool the admin confirmed or named: created with the batch's policy, or an existing pool of that policy. */
  newPoolKey?: string;
  source?: string;
  createdById?: string | null;
  checkpointId?: string;
  provenance?: (file: ImportFile) => Record<string, unknown>;
  /** Problems found before the files got here (a zip's bad entries, a bad manifest): reported with ours, and nothing is stored. */
  priorProblems?: ImportProblem[];
  /** Runs inside the batch's transaction after its rows are written (audit, queueing follow-up jobs). */
  afterStore?: (tx: Prisma.TransactionClient, result: ImportResult) => Promise<void>;
};
export type ImportResult = {
  batchId: string;
  poolKey: string;
  imported: number;
  /** The batch created its pool. */
  createdPool: boolean;
  duplicates: Array<{ file: string; sha256: string }>;
  /** A synthetic batch's memorisation check, queued in the batch's transaction (a worker's sweep sends it; callers may dispatch it at once). */
  memorisationCheck: Job | null;
  /** The Fréchet Radiomics Distance recomputation the batch calls for (any origin), queued in the same transaction. */
  radiomicsDistance: Job | null;
};

export class ImportRejected extends Error {
  constructor(public readonly problems: ImportProblem[]) {
    super(`${problems.length} problem(s) in the batch; nothing was stored. Fix them and import or upload the batch again.`);
  }
}

/** A batch that would create a pool nobody confirmed: says which pool, with what policy; nothing was stored. */
export class NewPoolUnconfirmed extends Error {
  constructor(readonly pool: { key: string; modality: Modality; width: number; height: number; bitDepth: 8 | 16 }) {
    super(
      `This batch would create a new pool, ${pool.key} (${describePolicy(pool)}): no pool holds ${describePolicy(pool)} images yet. ` +
        'Nothing was stored. Confirm the new pool (or give it another name) and upload the batch again; ' +
        'if the images belong in an existing pool, convert them to its size and bit depth first.',
    );
    this.name = 'NewPoolUnconfirmed';
  }
}

/** Pool keys appear in URLs and file names: letters, digits and - _ . only. */
export const POOL_KEY = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

export function poolKeyFor(policy: PoolPolicy): string {
  return `${policy.modality}-${policy.width}${policy.width === policy.height ? '' : `x${policy.height}`}${policy.bitDepth === 16 ? '-16bit' : ''}`;
}

/** Keyed hash of a source patient id: keeps one patient's images apart in reading order without storing the id. */
export function patientKey(patientId: string): string {
  return crypto.createHmac('sha256', getPatientKeySecret()).update(patientId).digest('hex').slice(0, 32);
}

type ResolvedPool = { policy: PoolPolicy; key: string; exists: boolean; vocabulary: string[]; isUnconfirmed?: boolean };

async function resolvePool(options: ImportOptions): Promise<ResolvedPool> {
  const prisma = getPrisma();
  if (options.poolKey) {
    const pool = await prisma.pool.findUnique({ where: { key: options.poolKey } });
    if (!pool) throw new ImportRejected([{ file: '(pool)', problem: `there is no pool ${options.poolKey}` }]);
    if (pool.modality !== options.modality) {
      throw new ImportRejected([{ file: '(pool)', problem: `pool ${pool.key} holds ${pool.modality}, not ${options.modality}` }]);
    }
    return { policy: policyOf(pool), key: pool.key, exists: true, vocabulary: pool.labelVocabulary };
  }
  const first = options.files[0];
  let inferred: PoolPolicy;
  try {
    inferred = inferPolicy(decode(first.bytes), options.modality);
  } catch (error) {
    // The per-file pass reports this file's problem; fall back to any readable file for the pool.
    const readable = options.files.map((f) => { try { return inferPolicy(decode(f.bytes), options.modality); } catch { return null; } }).find(Boolean);
    if (!readable) throw new ImportRejected([{ file: first.name, problem: isImageError(error) ? error.message : String(error) }]);
    inferred = readable;
  }
  if (options.newPoolKey !== undefined) {
    const named = options.newPoolKey.trim();
    if (!POOL_KEY.test(named)) throw new ImportRejected([{ file: '(pool)', problem: `"${named}" is not a pool name: use 1–64 letters, digits, -, _ or . (starting with a letter or digit)` }]);
    const pool = await prisma.pool.findUnique({ where: { key: named } });
    if (!pool) return { policy: inferred, key: named, exists: false, vocabulary: [] };
    const held = policyOf(pool);
    if (held.modality !== inferred.modality || held.width !== inferred.width || held.height !== inferred.height || held.bitDepth !== inferred.bitDepth) {
      throw new ImportRejected([{ file: '(pool)', problem: `pool ${named} holds ${describePolicy(held)} images; this batch is ${describePolicy(inferred)}` }]);
    }
    return { policy: held, key: named, exists: true, vocabulary: pool.labelVocabulary };
  }
  const key = poolKeyFor(inferred);
  const pool = await prisma.pool.findUnique({ where: { key } });
  if (pool) return { policy: policyOf(pool), key, exists: true, vocabulary: pool.labelVocabulary };
  return { policy: inferred, key, exists: false, vocabulary: [], isUnconfirmed: options.onNewPool === 'confirm' };
}

function policyOf(pool: { modality: string; width: number; height: number; bitDepth: number; huOffset: number | null }): PoolPolicy {
  const policy: PoolPolicy = { modality: pool.modality as Modality, width: pool.width, height: pool.height, bitDepth: pool.bitDepth as 8 | 16 };
  if (pool.huOffset !== null) policy.huOffset = pool.huOffset;
  return policy;
}

export async function importBatch(options: ImportOptions): Promise<ImportResult> {
  const prior = options.priorProblems ?? [];
  if (options.files.length === 0) throw new ImportRejected(prior.length ? prior : [{ file: '(batch)', problem: 'the batch holds no image files' }]);
  const { policy, key, exists, vocabulary, isUnconfirmed } = await resolvePool(options).catch((error) => {
    if (error instanceof ImportRejected) throw new ImportRejected([...prior, ...error.problems]);
    throw error;
  });
  const problems: ImportProblem[] = [...prior];
  const processed: Array<{ file: ImportFile; image: ProcessedImage; deidentification?: Record<string, unknown> }> = [];
  for (const file of options.files) {
    try {
      const image = processImage(file.bytes, policy);
      const deidentified = image.sourceFormat === 'dicom' ? deidentifyDicom(file.bytes, getPatientKeySecret()) : null;
      if (deidentified?.hasBurnedInAnnotation) {
        problems.push({ file: file.name, problem: 'DICOM says identifying text is burned into the pixels (BurnedInAnnotation YES); remove it (clean the pixel data) and upload the file again' });
        continue;
      }
      const expected = options.manifest?.get(file.name)?.resolution;
      if (expected && (expected.width !== image.width || expected.height !== image.height)) {
        problems.push({ file: file.name, problem: `the manifest says ${expected.width}×${expected.height}, but the image is ${image.width}×${image.height}` });
        continue;
      }
      processed.push({ file, image, ...(deidentified && { deidentification: deidentificationRecord(deidentified) }) });
    } catch (error) {
      if (!isImageError(error)) throw error;
      problems.push({ file: file.name, problem: error.message });
    }
  }
  if (options.manifest) {
    const names = new Set(options.files.map((f) => f.name));
    for (const row of options.manifest.keys()) if (!names.has(row)) problems.push({ file: row, problem: 'listed in the manifest but not in the batch' });
    for (const name of names) if (!options.manifest.has(name)) problems.push({ file: name, problem: 'missing from the manifest' });
    if (exists) problems.push(...labelsOutsideVocabulary(options.manifest.values(), vocabulary));
  }
  if (problems.length) throw new ImportRejected(problems);
  // A clean batch that would create a pool nobody confirmed: the admin is asked first (bad files are reported before that).
  if (isUnconfirmed) throw new NewPoolUnconfirmed({ key, modality: policy.modality, width: policy.width, height: policy.height, bitDepth: policy.bitDepth });

  const prisma = getPrisma();
  const seen = new Map<string, string>();
  const stored = await prisma.image.findMany({
    where: { sha256: { in: processed.map((p) => p.image.sha256) } },
    select: { sha256: true, origin: true, pool: { select: { key: true } } },
  });
  // An image cannot be both real and synthetic: a file already stored with the other origin refuses the batch.
  const storedAs = new Map(stored.map((i) => [i.sha256, i]));
  const contradictions = processed.flatMap(({ file, image }) => {
    const earlier = storedAs.get(image.sha256);
    if (!earlier || earlier.origin === options.origin) return [];
    const as = earlier.origin === 'REAL' ? 'a real image' : 'a synthetic image';
    return [{ file: file.name, problem: `already stored as ${as} in pool ${earlier.pool.key}; an image cannot be both real and synthetic` }];
  });
  if (contradictions.length) throw new ImportRejected(contradictions);
  const existing = new Set(stored.map((i) => i.sha256));
  const duplicates: ImportResult['duplicates'] = [];
  const fresh = processed.filter(({ file, image }) => {
    if (existing.has(image.sha256) || seen.has(image.sha256)) {
      duplicates.push({ file: file.name, sha256: image.sha256 });
      return false;
    }
    seen.set(image.sha256, file.name);
    return true;
  });

  const store = async () => prisma.$transaction(
    async (tx) => {
      const pool = exists
        ? await tx.pool.findUniqueOrThrow({ where: { key } })
        : await tx.pool.create({ data: { key, modality: policy.modality, width: policy.width, height: policy.height, bitDepth: policy.bitDepth, huOffset: policy.huOffset ?? null } });
      const labelsSeen = new Set(pool.labelVocabulary);
      const batch = await tx.batch.create({
        data: {
          kind: options.kind,
          status: 'COMPLETE',
          origin: options.origin,
          modality: options.modality,
          poolId: pool.id,
          source: options.source ?? null,
          imported: fresh.length,
          duplicates: duplicates.length,
          createdById: options.createdById ?? null,
          checkpointId: options.checkpointId ?? null,
          finishedAt: new Date(),
        },
      });
      const store = new PgImageStore(tx);
      const rows = [];
      for (const { file, image, deidentification } of fresh) {
        const storageKey = await store.put(image.sha256, image.bytes);
        const meta = options.manifest?.get(file.name);
        const patientId = meta?.patientId ?? image.sourcePatientId;
        meta?.labels.forEach((l) => labelsSeen.add(l));
        rows.push({
          poolId: pool.id,
          batchId: batch.id,
          modality: options.modality,
          origin: options.origin,
          labels: meta?.labels ?? [],
          width: image.width,
          height: image.height,
          bitDepth: image.bitDepth,
          sha256: image.sha256,
          byteSize: image.bytes.length,
          meanIntensity: image.mean,
          storageKey,
          patientKey: patientId ? patientKey(patientId) : null,
          sourceName: file.name,
          provenance: {
            ...(meta?.source ? { source: meta.source } : {}),
            ...(meta?.licence ? { licence: meta.licence } : {}),
            ...(deidentification ? { deidentification } : {}),
            ...(options.provenance?.(file) ?? {}),
          } as Prisma.InputJsonValue,
        });
      }
      await tx.image.createMany({ data: rows });
      if (labelsSeen.size !== pool.labelVocabulary.length) {
        await tx.pool.update({ where: { id: pool.id }, data: { labelVocabulary: [...labelsSeen].sort() } });
      }
      // Every synthetic batch, whatever made it (upload, generation job, demo seed, npm run import), is checked
      // for memorisation; until the check passes its images are not eligible for a study.
      const memorisationCheck =
        options.origin === 'SYNTHETIC' && fresh.length > 0
          ? await createJob(memorisationCheckKind.kind, { batchId: batch.id }, { createdById: options.createdById ?? null, batchId: batch.id, db: tx })
          : null;
      // Every batch that adds images changes a synthetic set or the real images it is compared with.
      const radiomicsDistance = fresh.length > 0 ? await queueRadiomicsForBatch(batch.id, { createdById: options.createdById ?? null, db: tx }) : null;
      const result: ImportResult = { batchId: batch.id, poolKey: key, imported: fresh.length, createdPool: !exists, duplicates, memorisationCheck, radiomicsDistance };
      await options.afterStore?.(tx, result);
      return result;
    },
    { timeout: 120_000, maxWait: 30_000 },
  );
  try {
    return await store();
  } catch (error) {
    // Another batch stored one of these images (or created this pool) between our check and our commit.
    if ((error as { code?: string }).code === 'P2002') {
      throw new ImportRejected([{ file: '(batch)', problem: 'another upload stored some of these images at the same moment; nothing of this batch was stored — upload it again' }]);
    }
    throw error;
  }
}
