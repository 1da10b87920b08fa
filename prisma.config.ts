import { defineConfig } from 'prisma/config';

// The Prisma CLI is used here only for `generate`; migrations are applied by scripts/migrate.ts,
// which works offline and keeps Prisma's `_prisma_migrations` bookkeeping.
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://localhost:5432/unused' },
});
