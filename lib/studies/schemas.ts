import { z } from 'zod';

/** Request bodies of the study routes; the configuration itself is validated by config.ts. */
export const draftSchema = z.object({
  name: z.string().trim().min(1, 'Give the study a name.').max(200),
  description: z.string().max(5000).default(''),
  config: z.unknown(),
  poolIds: z.array(z.string().min(1)).max(100),
  readerIds: z.array(z.string().min(1)).max(10_000),
});

export const draftUpdateSchema = draftSchema.partial();

export const designPreviewSchema = z.object({
  config: z.unknown(),
  poolIds: z.array(z.string().min(1)).max(100),
  readerIds: z.array(z.string().min(1)).max(10_000).default([]),
});

export const reopenSchema = z.object({ reason: z.string().trim().min(1, 'Say why the study is reopened.').max(2000) });
