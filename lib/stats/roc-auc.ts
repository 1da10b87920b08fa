import { ascendingOrder } from './ascending-order';
import { DeLongGroups, type AucEstimate } from './delong';
import { assertArray, assertOpenUnit, assertSameLength } from './validate';

export interface RocAucResult extends AucEstimate {
  /** Number of positives (truth 1) and negatives (truth 0). */
  nPositive: number;
  nNegative: number;
}

/**
 * Empirical ROC AUC as the Mann–Whitney statistic with ties counted ½ (equal to scikit-learn
 * `roc_auc_score`), its DeLong standard error, and the Wald interval AUC ± z·SE clipped to [0, 1].
 * In this app truth 1 = synthetic and the score is the reader's confidence that the image is
 * synthetic (see `syntheticScore`). The SE (and so the interval) is NaN when a class has fewer than
 * two members, because DeLong's variance components divide by (m − 1) and (n − 1).
 *
 * References: Hanley J.A., McNeil B.J. (1982), Radiology 143:29–36 (AUC = Mann–Whitney U/mn);
 * DeLong E.R. et al. (1988), Biometrics 44:837–845.
 */
export function rocAuc(scores: number[], truth: Array<0 | 1>, confLevel = 0.95): RocAucResult {
  const fn = 'rocAuc';
  assertArray(fn, 'scores', scores);
  assertArray(fn, 'truth', truth);
  assertSameLength(fn, 'scores', scores, 'truth', truth);
  assertOpenUnit(fn, 'confLevel', confLevel);
  const len = scores.length;
  let nPos = 0;
  for (let i = 0; i < len; i++) {
    const s = scores[i];
    if (typeof s !== 'number' || !Number.isFinite(s)) {
      throw new TypeError(`${fn}: scores[${i}] must be a finite number (got ${String(s)})`);
    }
    const t = truth[i];
    if (t !== 0 && t !== 1) throw new TypeError(`${fn}: truth[${i}] must be 0 or 1 (got ${String(t)})`);
    nPos += t;
  }
  const nNeg = len - nPos;
  if (nPos === 0 || nNeg === 0) {
    throw new RangeError(`${fn}: both classes are required (got ${nPos} positives, ${nNeg} negatives)`);
  }
  const order = ascendingOrder(scores);
  const acc = new DeLongGroups(1);
  acc.nPos[0] = nPos;
  acc.nNeg[0] = nNeg;
  for (let start = 0; start < len; ) {
    const s = scores[order[start]];
    let pos = 0;
    let end = start;
    for (; end < len && scores[order[end]] === s; end++) pos += truth[order[end]];
    acc.addBlock(0, pos, end - start - pos);
    start = end;
  }
  return { ...acc.result(0, confLevel), nPositive: nPos, nNegative: nNeg };
}
