/**
 * Test fixture, run with tsx from the e2e tests: creates reader accounts and an open study over the
 * demo chest pool (CXR-64) in the e2e database (DATABASE_URL), and prints what the tests need as JSON — including,
 * for the blinding scan, every identifier that must never reach a reader.
 */
import { hashPassword } from '@/lib/auth/passwords';
import { disconnectPrisma, getPrisma } from '@/lib/db/client';
import { createStudy, openStudy } from '@/lib/studies/store';

async function main() {
  const options = JSON.parse(process.argv[2] ?? '{}') as { name: string; readers: number; password: string; config: Record<string, unknown>; pools?: string[] };
  const prisma = getPrisma();
  const stamp = Date.now().toString(36);
  const passwordHash = await hashPassword(options.password);
  const readers = [];
  for (let i = 0; i < options.readers; i++) {
    readers.push(await prisma.user.create({ data: { email: `r${i}-${stamp}@e2e.local`, name: `E2E Reader ${i}`, role: 'READER', passwordHash } }));
  }
  // The demo's chest pool: held-out MedNIST radiographs and the demo GAN's checked images (npm start's seed).
  const pools = await prisma.pool.findMany({ where: { key: { in: options.pools ?? ['CXR-64'] } }, select: { id: true } });
  // Owned by the demo coordinator, as if they had designed it (studies are visible to their team only).
  const owner = await prisma.user.findUnique({ where: { email: 'coordinator@demo.local' }, select: { id: true } });
  const study = await createStudy({ name: `${options.name} ${stamp}`, config: options.config, poolIds: pools.map((p) => p.id), readerIds: readers.map((r) => r.id), createdById: owner?.id ?? null });
  await openStudy(study.id, owner?.id ?? null);
  const assignments = await prisma.assignment.findMany({ where: { studyId: study.id }, select: { id: true, readerId: true } });
  const images = await prisma.image.findMany({
    where: { studyImages: { some: { studyId: study.id } } },
    select: { id: true, sha256: true, storageKey: true, sourceName: true, batchId: true, patientKey: true, poolId: true },
  });
  console.log(
    JSON.stringify({
      studyId: study.id,
      readers: readers.map((r) => ({ id: r.id, email: r.email, assignmentId: assignments.find((a) => a.readerId === r.id)!.id })),
      images,
    }),
  );
  await disconnectPrisma();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
