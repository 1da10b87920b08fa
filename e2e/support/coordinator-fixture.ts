/**
 * Test fixture for e2e/coordinator.spec.ts, run with tsx against the e2e database (DATABASE_URL):
 *   readers <n> <password>   creates n reader accounts; prints [{ id, email }]
 *   mismatched-pool          makes a synthetic-only pool whose images are 192×192 (centre crops of the
 *                            demo radiographs upside down, a size no other test uses), checked for
 *                            memorisation by the app's worker; prints { poolId, poolKey }
 *   sixteen-bit-pool         the same at 256×256 but 16-bit; prints { poolId, poolKey }
 * Output: the last line is JSON.
 */
import { decode } from 'fast-png';
import { hashPassword } from '@/lib/auth/passwords';
import { disconnectPrisma, getPrisma } from '@/lib/db/client';
import { PgImageStore } from '@/lib/db/image-store';
import { encodeCanonical } from '@/lib/images';
import { dispatchJob, stopBoss } from '@/lib/jobs';
import { importBatch } from '@/lib/pools/import';

async function demoRadiographs(count: number): Promise<Uint8Array[]> {
  const prisma = getPrisma();
  const pool = await prisma.pool.findUniqueOrThrow({ where: { key: 'CXR-256' } });
  const images = await prisma.image.findMany({ where: { poolId: pool.id, origin: 'REAL' }, orderBy: { sha256: 'asc' }, take: count, select: { storageKey: true } });
  const store = new PgImageStore();
  return Promise.all(images.map(async (i) => decode((await store.get(i.storageKey))!).data as Uint8Array));
}

async function synthesise(kind: 'cropped' | 'sixteen-bit') {
  // Upside down, so that the memorisation check does not take them for copies of the real radiographs.
  const sources = (await demoRadiographs(30)).map((pixels) => Uint8Array.from(pixels, (_, p) => pixels[(255 - Math.floor(p / 256)) * 256 + (p % 256)]));
  const files = sources.map((pixels, index) => {
    let bytes: Uint8Array;
    if (kind === 'cropped') {
      const out = Uint8Array.from({ length: 192 * 192 }, (_, p) => pixels[(32 + Math.floor(p / 192)) * 256 + 32 + (p % 192)]);
      bytes = encodeCanonical(out, 192, 192, 8);
    } else {
      bytes = encodeCanonical(Uint16Array.from(pixels, (v) => v * 257), 256, 256, 16);
    }
    return { name: `e2e-${kind}-${index}.png`, bytes };
  });
  const result = await importBatch({ files, modality: 'CXR', origin: 'SYNTHETIC', kind: 'GENERATED', source: `e2e:${kind}`, provenance: () => ({ e2e: kind }) });
  const pool = await getPrisma().pool.findUniqueOrThrow({ where: { key: result.poolKey } });
  // Only checked images enter a study: send the batch's memorisation check to the app's worker now and wait for it.
  await dispatchJob(result.memorisationCheck!);
  const deadline = Date.now() + 120_000;
  for (;;) {
    const job = await getPrisma().job.findUniqueOrThrow({ where: { id: result.memorisationCheck!.id } });
    if (job.status === 'SUCCEEDED') break;
    if (job.status === 'FAILED' || Date.now() > deadline) throw new Error(`the memorisation check of the ${kind} pool is ${job.status}: ${job.error ?? job.message}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  await stopBoss();
  return { poolId: pool.id, poolKey: pool.key };
}

async function main() {
  const [command, ...args] = process.argv.slice(2);
  const prisma = getPrisma();
  let output: unknown;
  if (command === 'readers') {
    const stamp = Date.now().toString(36);
    const passwordHash = await hashPassword(args[1]);
    output = await Promise.all(
      Array.from({ length: Number(args[0]) }, (_, i) =>
        prisma.user.create({ data: { email: `coord-r${i}-${stamp}@e2e.local`, name: `Coordinator E2E Reader ${i}`, role: 'READER', passwordHash }, select: { id: true, email: true } }),
      ),
    );
  } else if (command === 'mismatched-pool') output = await synthesise('cropped');
  else if (command === 'sixteen-bit-pool') output = await synthesise('sixteen-bit');
  else throw new Error(`unknown command ${command}`);
  console.log(JSON.stringify(output));
  await disconnectPrisma();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
