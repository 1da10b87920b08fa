import { delongCovariance } from './covariance-delong';
import { jackknifeCovariance } from './covariance-jackknife';
import { unbiasedCovariance } from './covariance-unbiased';
import { placementValues, type Placements } from './empirical-auc';
import type { CovMethod } from './types';

export const COV_METHODS: readonly CovMethod[] = ['delong', 'jackknife', 'unbiased'];

/** One reader×test cell: truth-1 and truth-0 ratings, same case order in every cell. */
export interface CellRatings {
  pos: ArrayLike<number>;
  neg: ArrayLike<number>;
}

/**
 * Empirical AUCs of K reader×test cells rated on the same cases and the K×K case-sampling
 * covariance matrix of those AUCs, by DeLong et al. (1988), the jackknife (Hillis, Obuchowski &
 * Berbaum 2008) or the unbiased U-statistic estimator (Gallas 2006) — the three methods of
 * MRMCaov (Smith & Hillis). Placement values are computed once per cell and shared.
 */
export function aucCovariance(
  cells: readonly CellRatings[],
  method: CovMethod = 'delong',
): { aucs: number[]; cov: number[][]; placements: Placements[] } {
  if (!COV_METHODS.includes(method)) {
    throw new Error(`aucCovariance: unknown covariance method ${JSON.stringify(method)}; use one of ${COV_METHODS.join(', ')}`);
  }
  const placements = cells.map((c) => placementValues(c.pos, c.neg));
  const cov =
    method === 'delong'
      ? delongCovariance(placements)
      : method === 'jackknife'
        ? jackknifeCovariance(placements)
        : unbiasedCovariance(
            cells.map((c) => c.pos),
            cells.map((c) => c.neg),
            placements,
          );
  return { aucs: placements.map((p) => p.auc), cov, placements };
}
