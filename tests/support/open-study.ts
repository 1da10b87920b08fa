import fs from 'node:fs';
import path from 'node:path';
import { decode } from 'fast-png';
import { hashPassword } from '@/lib/auth/passwords';
import { getPrisma } from '@/lib/db/client';
import { encodeCanonical } from '@/lib/images';
import { importFolder } from '@/lib/pools/folder';
import { confirmBriefing } from '@/lib/reading/store';
import { importBatch } from '@/lib/pools/import';
import { recordCheckWithoutComparing, seedCheckedSynthetic } from './synthetic';
import { createStudy, openStudy } from '@/lib/studies/store';
import type { StudyConfigInput } from '@/lib/studies';
import { sharedDataDir } from './shared-data';

// The setup integration tests share: pools built from the demo head CT (shared data), readers, and an open
// study with its assignments. Tests that are about creating or opening a study call createStudy/openStudy
// themselves; the others start from here.

const DEMO_HEAD_CT = ['demo', 'headct-mednist-64'];
const DEFAULT_PASSWORD = 'not-used-here';

export type TestReader = { id: string; email: string };

/** `count` new readers named after `tag`, all with one password (hashed once). */
export async function makeReaders(count: number, tag: string, password = DEFAULT_PASSWORD): Promise<TestReader[]> {
  const passwordHash = await hashPassword(password);
  const stamp = Date.now();
  return Promise.all(
    Array.from({ length: count }, (_, i) =>
      getPrisma().user.create({ data: { email: `${tag}-${i}-${stamp}@test.local`, name: `${tag} ${i}`, role: 'READER', passwordHash }, select: { id: true, email: true } }),
    ),
  );
}

/** The demo head-CT pool CT_HEAD-64 (real images plus 40 checked synthetic ones from the demo generator), once per database. */
export async function headCtPool(): Promise<string> {
  const prisma = getPrisma();
  const existing = await prisma.pool.findUnique({ where: { key: 'CT_HEAD-64' } });
  if (existing && (await prisma.image.count({ where: { poolId: existing.id, origin: 'SYNTHETIC' } })) > 0) return existing.id;
  await importFolder({ dir: path.join(sharedDataDir(), ...DEMO_HEAD_CT), modality: 'CT_HEAD', origin: 'REAL', source: 'test' }).catch(() => undefined);
  await seedCheckedSynthetic('CT_HEAD-64', 40);
  return (await prisma.pool.findUniqueOrThrow({ where: { key: 'CT_HEAD-64' } })).id;
}

/** The demo head CT's slices (64×64, 8-bit pixels), in file-name order. */
export function demoHeadCtSlices(): Array<{ name: string; pixels: Uint8Array }> {
  const dir = path.join(sharedDataDir(), ...DEMO_HEAD_CT);
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.png'))
    .sort()
    .map((name) => ({ name, pixels: decode(fs.readFileSync(path.join(dir, name))).data as Uint8Array }));
}

/**
 * CT_HEAD-48, a pool of its own (48×48 centre crops of the demo head CT plus 40 checked demo-generator images), so tests that
 * change pools leave CT_HEAD-64 as other test files expect it. Once per database.
 */
export async function headCt48Pool(): Promise<string> {
  const prisma = getPrisma();
  if (!(await prisma.pool.findUnique({ where: { key: 'CT_HEAD-48' } }))) {
    const files = demoHeadCtSlices().map(({ name, pixels: px }) => {
      const crop = Uint8Array.from({ length: 48 * 48 }, (_, p) => px[(8 + Math.floor(p / 48)) * 64 + 8 + (p % 48)]);
      return { name, bytes: encodeCanonical(crop, 48, 48, 8) };
    });
    await importBatch({ files, modality: 'CT_HEAD', origin: 'REAL', kind: 'IMPORT', source: 'test' });
  }
  await seedCheckedSynthetic('CT_HEAD-48', 40);
  return (await prisma.pool.findUniqueOrThrow({ where: { key: 'CT_HEAD-48' } })).id;
}

/**
 * A pool whose synthetic images are the real ones changed by `filter`: the first 50 demo head-CT slices as
 * real images, the next 50 filtered as generated ones (pixels differ, nothing else does).
 */
export async function realAndFilteredPool(filter: (px: Uint8Array) => Uint8Array, source: string): Promise<string> {
  const pixels = demoHeadCtSlices().map((s) => s.pixels);
  const side = 64;
  const real = await importBatch({ files: pixels.slice(0, 50).map((px, i) => ({ name: `r${i}.png`, bytes: encodeCanonical(px, side, side, 8) })), modality: 'CT_HEAD', origin: 'REAL', kind: 'IMPORT', source: `${source}-real` });
  const synthetic = await importBatch({
    files: pixels.slice(50, 100).map((px, i) => ({ name: `s${i}.png`, bytes: encodeCanonical(filter(px), side, side, 8) })),
    modality: 'CT_HEAD',
    origin: 'SYNTHETIC',
    kind: 'GENERATED',
    source: `${source}-synthetic`,
    poolKey: real.poolKey,
  });
  // Smoothed real slices: near-copies by construction (see recordCheckWithoutComparing).
  await recordCheckWithoutComparing(synthetic);
  return (await getPrisma().pool.findUniqueOrThrow({ where: { key: real.poolKey } })).id;
}

/** Box blur of a square 8-bit image: each pixel the mean of the (2r+1)² window that lies inside the image. */
export function boxBlur(px: Uint8Array, side: number, radius: number): Uint8Array {
  return Uint8Array.from(px, (_, p) => {
    const y = Math.floor(p / side);
    const x = p % side;
    let sum = 0;
    let n = 0;
    for (let dy = -radius; dy <= radius; dy++) {
      for (let dx = -radius; dx <= radius; dx++) {
        if (y + dy >= 0 && y + dy < side && x + dx >= 0 && x + dx < side) {
          sum += px[(y + dy) * side + x + dx];
          n++;
        }
      }
    }
    return Math.round(sum / n);
  });
}

export type StudyInput = { name: string; config: StudyConfigInput; poolIds: string[]; readers: TestReader[]; createdById?: string | null; isBriefed?: boolean };

/**
 * Creates and opens a study (leak audit included) for `readers`; returns what opening gave and each reader's
 * assignment. The readers have confirmed the study's briefing (the server takes no answer before it) unless
 * `isBriefed` is false.
 */
export async function openTestStudy(input: StudyInput) {
  const prisma = getPrisma();
  const createdById = input.createdById ?? null;
  const study = await createStudy({ name: input.name, config: input.config, poolIds: input.poolIds, readerIds: input.readers.map((r) => r.id), createdById });
  const opened = await openStudy(study.id, createdById);
  const assignments = await prisma.assignment.findMany({ where: { studyId: study.id }, include: { items: { orderBy: { position: 'asc' } } } });
  if (input.isBriefed !== false) await Promise.all(assignments.map((a) => confirmBriefing(a.id, a.readerId)));
  return {
    studyId: study.id,
    opened,
    readers: input.readers.map((reader) => {
      const a = assignments.find((x) => x.readerId === reader.id)!;
      return { ...reader, assignmentId: a.id, items: a.items };
    }),
  };
}

/** An open study on the demo head-CT pool with `readers` new readers (briefed unless `isBriefed` is false); returns them with their assignments. */
export async function openHeadCtStudy(
  label: string,
  readers: number,
  config: StudyConfigInput = { imagesPerReader: 8, maxRunLength: 3 },
  createdById: string | null = null,
  { isBriefed = true }: { isBriefed?: boolean } = {},
) {
  const poolId = await headCtPool();
  return openTestStudy({ name: `${label} ${Date.now()}`, config, poolIds: [poolId], readers: await makeReaders(readers, label), createdById, isBriefed });
}
