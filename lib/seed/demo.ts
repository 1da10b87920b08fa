import fs from 'node:fs';
import path from 'node:path';
import { getPrisma } from '@/lib/db/client';
import { hashPassword } from '@/lib/auth/passwords';
import { importFolder } from '@/lib/pools/folder';
import type { Modality } from '@/lib/images';

export const DEMO_ACCOUNTS = [
  { email: 'admin@demo.local', name: 'Demo Admin', role: 'ADMIN' },
  { email: 'coordinator@demo.local', name: 'Demo Coordinator', role: 'COORDINATOR' },
  { email: 'reader1@demo.local', name: 'Demo Reader 1', role: 'READER' },
  { email: 'reader2@demo.local', name: 'Demo Reader 2', role: 'READER' },
] as const;

/**
 * The demo folders under DEMO_DATA_DIR that become pools: the NIH chest radiographs (256 px, real only; for
 * uploads and browsing; no demo generator of that size). The demo's head-CT folder is not imported: its
 * MedNIST slices are in the demo generator's training split, so the demo studies use held-out images instead
 * (demo-held-out.ts).
 */
export const DEMO_POOLS: Array<{ folder: string; modality: Modality; licence: string }> = [
  { folder: 'cxr-nih-256', modality: 'CXR', licence: 'NIH ChestX-ray14: no restrictions, attribution required' },
];

/** Creates the demo accounts that do not exist yet; returns how many it created. */
export async function seedDemoAccounts(password: string): Promise<number> {
  const prisma = getPrisma();
  const existing = new Set((await prisma.user.findMany({ select: { email: true } })).map((u) => u.email));
  const missing = DEMO_ACCOUNTS.filter((a) => !existing.has(a.email));
  if (missing.length === 0) return 0;
  const passwordHash = await hashPassword(password);
  await prisma.user.createMany({ data: missing.map((a) => ({ ...a, passwordHash })), skipDuplicates: true });
  return missing.length;
}

/** Imports each demo folder once (a batch's source records it), with the folder's labels.csv. */
export async function seedDemoPools(demoDataDir: string, log: (line: string) => void): Promise<void> {
  const prisma = getPrisma();
  for (const demo of DEMO_POOLS) {
    const dir = path.join(demoDataDir, demo.folder);
    if (!fs.existsSync(dir)) {
      log(`Demo folder ${dir} not found; skipped.`);
      continue;
    }
    const source = `demo:${demo.folder}`;
    if (await prisma.batch.findFirst({ where: { source, status: 'COMPLETE' } })) continue;
    const labels = path.join(dir, 'labels.csv');
    const result = await importFolder({
      dir,
      modality: demo.modality,
      origin: 'REAL',
      labelsCsv: fs.existsSync(labels) ? labels : undefined,
      source,
      provenance: () => ({ licence: demo.licence, dataset: demo.folder }),
    });
    log(`Imported ${result.imported} demo images into pool ${result.poolKey}.`);
  }
}
