import { getPrisma } from '@/lib/db/client';
import {
  InsufficientImagesError,
  StudyError,
  safeParseStudyConfig,
  scoredFeasibility,
  selectImages,
  selectionSeed,
  stratumCounts,
  type StudyConfig,
  ladderProblems,
} from '@/lib/studies';
import { awaitingCheck, describeAwaitingCheck, STUDY_ELIGIBLE } from '@/lib/pools/eligibility';
import { candidateImages } from './store';

/**
 * What the study wizard shows while a coordinator designs a study: eligible images per pool and
 * per stratum (quarantined, retired and unchecked images never count), and every problem that would stop the
 * study from opening — invalid settings (the schema's own messages), too few images, an order no
 * shuffle can satisfy (scoredFeasibility), no pool, no reader — plus the selection's warnings.
 */
export interface DesignPreview {
  config: StudyConfig | null;
  eligible: { real: number; synthetic: number };
  pools: Array<{ id: string; key: string; modality: string; width: number; height: number; bitDepth: number; real: number; synthetic: number }>;
  strata: Array<{ key: string; label: string; real: number; synthetic: number; selectedReal: number | null; selectedSynthetic: number | null }>;
  /** Things that must be fixed before the study can open. */
  problems: string[];
  warnings: string[];
}

function stratumLabel(attributes: { modality?: string; label?: string[]; resolution?: number }): string {
  const parts: string[] = [];
  if (attributes.modality !== undefined) parts.push(attributes.modality);
  if (attributes.label !== undefined) parts.push(attributes.label.length ? attributes.label.join(' + ') : 'no label');
  if (attributes.resolution !== undefined) parts.push(`${attributes.resolution} px`);
  return parts.length ? parts.join(' · ') : 'all images';
}

export async function previewDesign(input: { config: unknown; poolIds: string[]; readerIds: string[] }): Promise<DesignPreview> {
  const problems: string[] = [];
  const warnings: string[] = [];
  const parsed = safeParseStudyConfig(input.config);
  if (!parsed.ok) problems.push(...parsed.issues);
  const config = parsed.ok ? parsed.config : null;
  if (input.poolIds.length === 0) problems.push('Choose at least one image pool.');
  if (input.readerIds.length === 0) problems.push('Invite at least one reader.');

  const pools = await getPrisma().pool.findMany({ where: { id: { in: input.poolIds } }, orderBy: [{ modality: 'asc' }, { width: 'asc' }] });
  if (config?.ladder && pools.length) problems.push(...ladderProblems(config.ladder, pools.map((p) => p.width), input.readerIds.length, config.sameImagesForAllReaders));
  const candidates = input.poolIds.length ? await candidateImages(input.poolIds) : [];
  const waiting = input.poolIds.length ? await awaitingCheck(input.poolIds) : null;
  if (waiting?.total) problems.push(describeAwaitingCheck(waiting));
  const eligible = {
    real: candidates.filter((c) => c.origin === 'REAL').length,
    synthetic: candidates.filter((c) => c.origin === 'SYNTHETIC').length,
  };
  const poolRows = pools.map((p) => {
    const mine = candidates.filter((c) => c.poolId === p.id);
    return {
      id: p.id,
      key: p.key,
      modality: p.modality,
      width: p.width,
      height: p.height,
      bitDepth: p.bitDepth,
      real: mine.filter((c) => c.origin === 'REAL').length,
      synthetic: mine.filter((c) => c.origin === 'SYNTHETIC').length,
    };
  });

  const by = config?.strata?.by ?? [];
  const counts = stratumCounts(candidates, by);
  const selected = new Map<string, { real: number; synthetic: number }>();
  if (config && candidates.length) {
    try {
      const selection = selectImages({ candidates, config, seed: selectionSeed('preview') });
      selection.strata.forEach((s) => selected.set(s.key, s.selected));
      warnings.push(...selection.warnings);
      if (!config.sameImagesForAllReaders) warnings.push('Each reader gets a sample of their own; the counts show one such sample.');
      const real = selection.images.filter((i) => i.origin === 'REAL').length;
      const feasibility = scoredFeasibility(config, { real, synthetic: selection.images.length - real });
      if (!feasibility.ok) problems.push(feasibility.reason);
      if (config.practiceItems > 0) {
        const used = new Set(selection.images.map((i) => i.id));
        try {
          selectImages({
            candidates: candidates.filter((c) => !used.has(c.id)),
            config: { imagesPerReader: config.practiceItems, syntheticFraction: config.syntheticFraction },
            seed: selectionSeed('preview', 'practice'),
          });
        } catch (error) {
          if (error instanceof InsufficientImagesError) problems.push(`Practice block: ${error.message}`);
          else throw error;
        }
      }
    } catch (error) {
      if (error instanceof StudyError) problems.push(error.message);
      else throw error;
    }
  }
  return {
    config,
    eligible,
    pools: poolRows,
    strata: counts.map((c) => ({
      key: c.key,
      label: stratumLabel(c.attributes),
      real: c.available.real,
      synthetic: c.available.synthetic,
      selectedReal: selected.get(c.key)?.real ?? null,
      selectedSynthetic: selected.get(c.key)?.synthetic ?? null,
    })),
    problems,
    warnings,
  };
}

export type WizardPool = DesignPreview['pools'][number];
export type WizardReader = { id: string; name: string; email: string };

/** Pools with their eligible images per class (lib/pools/eligibility.ts), and the invitable readers. */
export async function wizardChoices(): Promise<{ pools: WizardPool[]; readers: WizardReader[] }> {
  const prisma = getPrisma();
  const [pools, counts, readers] = await Promise.all([
    prisma.pool.findMany({ orderBy: [{ modality: 'asc' }, { width: 'asc' }] }),
    prisma.image.groupBy({ by: ['poolId', 'origin'], where: STUDY_ELIGIBLE, _count: { _all: true } }),
    prisma.user.findMany({ where: { role: 'READER', isDisabled: false }, select: { id: true, name: true, email: true }, orderBy: { email: 'asc' } }),
  ]);
  const count = (poolId: string, origin: 'REAL' | 'SYNTHETIC') => counts.find((c) => c.poolId === poolId && c.origin === origin)?._count._all ?? 0;
  return {
    pools: pools.map((p) => ({ id: p.id, key: p.key, modality: p.modality, width: p.width, height: p.height, bitDepth: p.bitDepth, real: count(p.id, 'REAL'), synthetic: count(p.id, 'SYNTHETIC') })),
    readers,
  };
}
