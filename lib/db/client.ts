import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '@/lib/generated/prisma/client';

/**
 * One lazily created Prisma client per process. Created on first use, never at import time:
 * an eager client broke `next build` when no database was configured (STACK.md).
 */
const globalForPrisma = globalThis as unknown as { prisma?: PrismaClient; prismaUrl?: string };

export function databaseUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set (npm start sets it to the embedded Postgres when unset).');
  return url;
}

export function getPrisma(): PrismaClient {
  const url = databaseUrl();
  if (globalForPrisma.prisma && globalForPrisma.prismaUrl === url) return globalForPrisma.prisma;
  const adapter = new PrismaPg({ connectionString: url, max: Number(process.env.DATABASE_POOL_SIZE ?? 10) });
  globalForPrisma.prisma = new PrismaClient({ adapter });
  globalForPrisma.prismaUrl = url;
  return globalForPrisma.prisma;
}

export async function disconnectPrisma(): Promise<void> {
  if (globalForPrisma.prisma) await globalForPrisma.prisma.$disconnect();
  globalForPrisma.prisma = undefined;
  globalForPrisma.prismaUrl = undefined;
}
