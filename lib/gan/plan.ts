import { z } from 'zod';
import { CheckpointError } from './errors';
import { MAX_SEED } from './latents';
import type { GenerationItem } from './generate';

/**
 * What a generation job makes: `count` images, split over label combinations (`labels`: how many images
 * for each multi-hot combination; omitted = all unconditioned). Image indices run 0..count-1 over the
 * combinations in the order given, so (seed, index) fixes every latent.
 */
export const generationParamsSchema = z
  .object({
    checkpointId: z.string().min(1).max(64),
    count: z.number().int().min(1),
    labels: z
      .array(z.object({ labels: z.array(z.string().min(1).max(64)).max(256), count: z.number().int().min(1) }))
      .max(1000)
      .optional(),
    seed: z.number().int().min(0).max(MAX_SEED),
    truncation: z.number().gt(0).max(10).optional(),
  })
  .strict();
export type GenerationParams = z.infer<typeof generationParamsSchema>;

/** Checks a request against the checkpoint's vocabulary and the per-job limit; returns the images to make. */
export function planGeneration(params: GenerationParams, vocabulary: readonly string[], maxImages: number): GenerationItem[] {
  if (params.count > maxImages) throw new CheckpointError('BAD_REQUEST', `a job makes at most ${maxImages} images (GAN_MAX_IMAGES_PER_JOB); asked for ${params.count}`);
  const groups = params.labels ?? [{ labels: [], count: params.count }];
  const total = groups.reduce((n, g) => n + g.count, 0);
  if (total !== params.count) throw new CheckpointError('BAD_REQUEST', `the label counts add up to ${total}, not to count (${params.count})`);
  const known = new Set(vocabulary);
  const items: GenerationItem[] = [];
  for (const group of groups) {
    const unknown = group.labels.filter((l) => !known.has(l));
    if (unknown.length) {
      throw new CheckpointError('BAD_REQUEST', `label(s) ${unknown.join(', ')} are not in the checkpoint's vocabulary (${vocabulary.join(', ') || 'it has none: leave labels empty'})`);
    }
    if (new Set(group.labels).size !== group.labels.length) throw new CheckpointError('BAD_REQUEST', `a label combination repeats a label: ${group.labels.join('|')}`);
    const sorted = [...group.labels].sort((a, b) => vocabulary.indexOf(a) - vocabulary.indexOf(b));
    for (let i = 0; i < group.count; i++) items.push({ index: items.length, labels: sorted });
  }
  return items;
}
