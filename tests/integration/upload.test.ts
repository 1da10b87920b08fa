import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getPrisma } from '@/lib/db/client';
import { applyMigrations } from '@/lib/db/migrations';
import { getBoss, stopBoss } from '@/lib/jobs';
import { encodeCanonical } from '@/lib/images';
import { importBatch } from '@/lib/pools/import';
import { handleBatchUpload } from '@/lib/uploads';
import { buildZip, hostileCases, HOSTILE_TEST_LIMITS, type HostileCase } from '@/scripts/make-hostile-fixtures';
import { variantPng } from '@/scripts/make-image-fixtures';
import { adminUser, storedCounts, uploadRequest, uploadOutcome, type UploadOutcome } from '../support/uploads';

/**
 * POST /api/admin/batches through its handler (lib/uploads; the route only adds the role check), with real
 * multipart requests, against a real Postgres. Every hostile case of scripts/make-hostile-fixtures.ts must
 * get a clear 4xx naming the bad files and leave images, blobs, batches, pools (and jobs) untouched.
 */
let adminId: string;
const cases: HostileCase[] = await hostileCases(HOSTILE_TEST_LIMITS, 11);
const report: string[] = [];

beforeAll(async () => {
  await applyMigrations(process.env.DATABASE_URL!);
  adminId = await adminUser();
});

afterAll(async () => {
  console.log(`hostile corpus: ${report.length} cases, each refused with nothing stored\n${report.join('\n')}`);
  await stopBoss();
});

function problemsOf(outcome: UploadOutcome): Array<{ file: string; problem: string }> {
  return 'problems' in outcome.body ? outcome.body.problems : [];
}

describe('the hostile corpus: a clear 4xx, every bad file named, nothing stored', () => {
  it('has every case of the issue', () => {
    const names = cases.map((c) => c.name);
    for (const required of [
      'not-a-zip', 'truncated-zip', 'corrupt-zip', 'zip-bomb-ratio', 'zip-bomb-lying-header', 'zip-bomb-total', 'path-traversal',
      'absolute-path', 'symlink', 'too-many-entries', 'over-upload-limit', 'empty-entry', 'text-as-png', 'corrupt-png-crc',
      'truncated-png-idat', 'colour-png', 'wrong-dimensions', 'sixteen-bit-in-8-bit-pool', 'eight-bit-in-16-bit-pool',
      'truncated-dicom', 'dicom-without-pixels', 'dicom-jpeg2000', 'manifest-row-for-missing-file', 'file-missing-from-manifest',
      'manifest-formula-injection', 'manifest-bad-encoding', 'manifest-column-count', 'labels-outside-vocabulary',
    ]) {
      expect(names).toContain(required);
    }
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    if (c.setup) {
      const setup = await uploadOutcome(handleBatchUpload(await uploadRequest(c.setup), adminId, HOSTILE_TEST_LIMITS));
      expect(setup.status, `${c.name}: setup upload ${JSON.stringify(setup.body)}`).toBe(201);
    }
    const before = await storedCounts();
    const outcome = await uploadOutcome(handleBatchUpload(await uploadRequest(c.upload, { fields: c.fields }), adminId, HOSTILE_TEST_LIMITS));
    const problems = problemsOf(outcome);
    expect(outcome.status, `${c.name}: ${JSON.stringify(outcome.body)}`).toBe(c.status);
    expect('error' in outcome.body && outcome.body.error, c.name).toMatch(c.error);
    for (const expected of c.problems) {
      const hit = problems.find((p) => (expected.file === undefined || p.file === expected.file) && expected.problem.test(p.problem));
      expect(hit, `${c.name}: expected a problem ${expected.file ?? ''} ${expected.problem} in ${JSON.stringify(problems)}`).toBeDefined();
    }
    expect(await storedCounts(), `${c.name}: nothing may be stored`).toEqual(before);
    const first = problems[0] ? `${problems[0].file}: ${problems[0].problem}` : ('error' in outcome.body ? outcome.body.error : '');
    report.push(`  ${String(outcome.status)} ${c.name.padEnd(30)} ${c.description} → ${first.slice(0, 110)}`);
  });

  it('refuses an over-limit upload of unknown length (chunked) while streaming, and with a declared length at once', async () => {
    const huge = cases.find((c) => c.name === 'over-upload-limit')!;
    const before = await storedCounts();
    const streamed = await uploadOutcome(handleBatchUpload(await uploadRequest(huge.upload, { mode: 'streamed' }), adminId, HOSTILE_TEST_LIMITS));
    expect(streamed.status).toBe(413);
    const declared = await uploadOutcome(handleBatchUpload(await uploadRequest(huge.upload, { mode: 'declared' }), adminId, HOSTILE_TEST_LIMITS));
    expect(declared.status).toBe(413);
    expect(await storedCounts()).toEqual(before);
  });
});

describe('good batches', () => {
  it('imports a zipped folder with a manifest, ignores __MACOSX and dotfiles, and reports duplicates on a second upload', async () => {
    const files = [1, 2, 3].map((n) => ({ name: `batch/img-${n}.png`, bytes: variantPng(500 + n, 72, 72) }));
    const zip = await buildZip([
      ...files,
      { name: 'batch/manifest.csv', bytes: Uint8Array.from(Buffer.from('file,labels,patient_id\nimg-1.png,effusion,P1\nimg-2.png,nodule|effusion,P2\nimg-3.png,,P2\n')) },
      { name: '__MACOSX/batch/._img-1.png', bytes: Uint8Array.of(0, 5, 22, 7) },
      { name: 'batch/.DS_Store', bytes: Uint8Array.of(0, 0, 0, 1) },
    ]);
    const upload = { fileName: 'my batch.zip', bytes: zip, modality: 'CXR' as const, origin: 'REAL' as const };
    // No pool holds CXR 72×72 images: the upload says which pool it would create, and stores nothing until the admin confirms.
    const unconfirmed = await storedCounts();
    const proposal = await uploadOutcome(handleBatchUpload(await uploadRequest(upload), adminId, HOSTILE_TEST_LIMITS));
    expect(proposal.status).toBe(409);
    expect(proposal.body).toMatchObject({ code: 'NEW_POOL', newPool: { key: 'CXR-72', modality: 'CXR', width: 72, height: 72, bitDepth: 8 } });
    expect((proposal.body as { error: string }).error).toMatch(/^This batch would create a new pool, CXR-72 \(CXR 72×72 8-bit\).*Nothing was stored\. Confirm the new pool/);
    expect(await storedCounts()).toEqual(unconfirmed);
    const first = await uploadOutcome(handleBatchUpload(await uploadRequest({ ...upload, newPool: 'CXR-72' }), adminId, HOSTILE_TEST_LIMITS));
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    const accepted = first.body as { batchId: string; poolKey: string; imported: number; duplicates: unknown[]; ignored: string[]; jobId: string | null };
    expect(accepted).toMatchObject({ poolKey: 'CXR-72', imported: 3, duplicates: [], jobId: null, createdPool: true });
    expect(accepted.ignored.sort()).toEqual(['.DS_Store', '__MACOSX/batch/._img-1.png'].sort());
    const prisma = getPrisma();
    const images = await prisma.image.findMany({ where: { batchId: accepted.batchId }, orderBy: { sourceName: 'asc' } });
    expect(images.map((i) => [i.sourceName, i.labels])).toEqual([
      ['img-1.png', ['effusion']],
      ['img-2.png', ['nodule', 'effusion']],
      ['img-3.png', []],
    ]);
    expect(images[1].patientKey).toBe(images[2].patientKey);
    const batch = await prisma.batch.findUniqueOrThrow({ where: { id: accepted.batchId } });
    expect(batch).toMatchObject({ kind: 'UPLOAD', status: 'COMPLETE', source: 'my batch.zip', imported: 3, createdById: adminId });
    const event = await prisma.auditEvent.findFirst({ where: { action: 'batch.upload', targetId: accepted.batchId } });
    expect(event?.actorId).toBe(adminId);

    const before = await storedCounts();
    const again = await uploadOutcome(handleBatchUpload(await uploadRequest(upload), adminId, HOSTILE_TEST_LIMITS));
    expect(again.status).toBe(201);
    // The pool exists now: the same upload needs no confirmation.
    expect(again.body).toMatchObject({ createdPool: false, imported: 0, duplicates: [{ file: 'img-1.png' }, { file: 'img-2.png' }, { file: 'img-3.png' }] });
    const after = await storedCounts();
    expect(after.images).toBe(before.images);
    expect(after.blobs).toBe(before.blobs);
  });

  it('refuses a synthetic upload of files already stored as real images, naming their pool, and records no batch', async () => {
    const files = [1, 2].map((n) => ({ name: `real-${n}.png`, bytes: variantPng(900 + n, 72, 72) }));
    const real = await uploadOutcome(handleBatchUpload(await uploadRequest({ fileName: 'real.zip', bytes: await buildZip(files), modality: 'CXR', origin: 'REAL' }), adminId, HOSTILE_TEST_LIMITS));
    expect(real.status, JSON.stringify(real.body)).toBe(201);
    const before = await storedCounts();
    const renamed = [...files.map((f, i) => ({ name: `gan-${i}.png`, bytes: f.bytes })), { name: 'gan-new.png', bytes: variantPng(950, 72, 72) }];
    const outcome = await uploadOutcome(handleBatchUpload(await uploadRequest({ fileName: 'synthetic.zip', bytes: await buildZip(renamed), modality: 'CXR', origin: 'SYNTHETIC' }), adminId, HOSTILE_TEST_LIMITS));
    expect(outcome.status, JSON.stringify(outcome.body)).toBe(422);
    expect(problemsOf(outcome)).toEqual([
      { file: 'gan-0.png', problem: 'already stored as a real image in pool CXR-72; an image cannot be both real and synthetic' },
      { file: 'gan-1.png', problem: 'already stored as a real image in pool CXR-72; an image cannot be both real and synthetic' },
    ]);
    expect(await storedCounts()).toEqual(before);
  });

  it('queues the memorisation check of a synthetic batch in the same transaction, and sends it to pg-boss', async () => {
    const zip = await buildZip([1, 2].map((n) => ({ name: `s-${n}.png`, bytes: variantPng(700 + n, 72, 72) })));
    const outcome = await uploadOutcome(handleBatchUpload(await uploadRequest({ fileName: 'synthetic.zip', bytes: zip, modality: 'CXR', origin: 'SYNTHETIC' }), adminId, HOSTILE_TEST_LIMITS));
    expect(outcome.status, JSON.stringify(outcome.body)).toBe(201);
    const { jobId, batchId } = outcome.body as { jobId: string; batchId: string };
    expect(jobId).toBeTruthy();
    const job = await getPrisma().job.findUniqueOrThrow({ where: { id: jobId } });
    expect(job).toMatchObject({ kind: 'memorisation-check', status: 'QUEUED', batchId, params: { batchId } });
    const queued = await (await getBoss()).getJobById('memorisation-check', job.queueJobId);
    expect(queued?.data).toEqual({ jobId });
    // …and, in the same transaction, the Fréchet Radiomics Distance of the synthetic sets the batch changes.
    const radiomics = await getPrisma().job.findFirstOrThrow({ where: { batchId, kind: 'radiomics-distance' } });
    expect(radiomics).toMatchObject({ status: 'QUEUED', params: { batchId } });
    expect((await (await getBoss()).getJobById('radiomics-distance', radiomics.queueJobId))?.data).toEqual({ jobId: radiomics.id });
    const images = await getPrisma().image.findMany({ where: { batchId } });
    expect(images.every((i) => i.origin === 'SYNTHETIC' && i.similarityCheckedAt === null && !i.isQuarantined)).toBe(true);
  });
});

describe('an upload that would create a pool', () => {
  /** Three 16-bit 256×256 radiographs: a CXR pool exists (8-bit), so this batch would silently have made CXR-256-16bit. */
  const sixteenBit = async (seed: number) =>
    buildZip([0, 1, 2].map((i) => {
      const pixels = Uint16Array.from({ length: 256 * 256 }, (_, p) => ((p * (seed + i)) % 4096) * 16 + ((p >> 8) % 16));
      return { name: `wide-${seed}-${i}.png`, bytes: encodeCanonical(pixels, 256, 256, 16) };
    }));

  it('a 16-bit CXR batch is refused with the pool it would create; named by the admin, it creates that pool; a named pool of another policy is refused', async () => {
    await importBatch({ files: [{ name: 'eight.png', bytes: variantPng(900, 256, 256) }], modality: 'CXR', origin: 'REAL', kind: 'IMPORT', source: 'eight-bit' }).catch(() => undefined);
    const upload = { fileName: 'sixteen.zip', bytes: await sixteenBit(3), modality: 'CXR' as const, origin: 'REAL' as const };
    const before = await storedCounts();
    const proposal = await uploadOutcome(handleBatchUpload(await uploadRequest(upload), adminId, HOSTILE_TEST_LIMITS));
    expect(proposal.status).toBe(409);
    expect(proposal.body).toMatchObject({ code: 'NEW_POOL', newPool: { key: 'CXR-256-16bit', bitDepth: 16 } });
    expect(await storedCounts()).toEqual(before);

    const wrong = await uploadOutcome(handleBatchUpload(await uploadRequest({ ...upload, newPool: 'CXR-256' }), adminId, HOSTILE_TEST_LIMITS));
    expect(wrong.status).toBe(422);
    expect(problemsOf(wrong)).toEqual([{ file: '(pool)', problem: 'pool CXR-256 holds CXR 256×256 8-bit images; this batch is CXR 256×256 16-bit' }]);
    const badName = await uploadOutcome(handleBatchUpload(await uploadRequest({ ...upload, newPool: '../x' }), adminId, HOSTILE_TEST_LIMITS));
    expect(badName.status).toBe(422);
    expect(await storedCounts()).toEqual(before);

    const named = await uploadOutcome(handleBatchUpload(await uploadRequest({ ...upload, newPool: 'CXR-wide-range' }), adminId, HOSTILE_TEST_LIMITS));
    expect(named.status, JSON.stringify(named.body)).toBe(201);
    expect(named.body).toMatchObject({ poolKey: 'CXR-wide-range', imported: 3, createdPool: true });
    expect(await getPrisma().pool.findUniqueOrThrow({ where: { key: 'CXR-wide-range' } })).toMatchObject({ modality: 'CXR', width: 256, height: 256, bitDepth: 16 });
    expect(await getPrisma().pool.findUnique({ where: { key: 'CXR-256-16bit' } })).toBeNull();
    // The named pool is an ordinary pool: a later batch of its policy goes into it when named again.
    const more = await uploadOutcome(handleBatchUpload(await uploadRequest({ ...upload, bytes: await sixteenBit(10), newPool: 'CXR-wide-range' }), adminId, HOSTILE_TEST_LIMITS));
    expect(more.body).toMatchObject({ poolKey: 'CXR-wide-range', imported: 3, createdPool: false });
  });
});

