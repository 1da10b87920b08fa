/** A reader's binary call on an image: is it a real acquisition or a synthetic one? */
export type StudyCall = 'REAL' | 'SYNTHETIC';

/**
 * Turns a binary call with a confidence rating into one "confidence that the image is synthetic"
 * score for ROC analysis: a SYNTHETIC call with confidence c scores +c, a REAL call scores −c.
 * Every SYNTHETIC call then ranks above every REAL call, and within a call a surer answer moves
 * further out, which is the ordinal scale the reader actually expressed (the "two-step" rating of
 * a forced choice followed by a certainty rating). Confidence 0 on either call is the same score.
 * Confidence must be a finite number ≥ 0 on any scale; only its order matters for the AUC. The
 * call is 'REAL' | 'SYNTHETIC', or a boolean "called synthetic" where answers are held as columns.
 * This is the only place the score is computed (dashboard, summary, MRMC inputs, CSV export).
 *
 * Reference: the combined decision-plus-confidence rating scale, Metz C.E. (1978), Semin Nucl Med
 * 8:283–298 (§ rating-scale ROC); Obuchowski N.A. (2003), Radiology 229:3–8.
 */
export function syntheticScore(call: StudyCall | boolean, confidence: number): number {
  const isSynthetic = call === true || call === 'SYNTHETIC';
  if (!isSynthetic && call !== false && call !== 'REAL') {
    throw new TypeError(`syntheticScore: call must be 'REAL' or 'SYNTHETIC' (got ${String(call)})`);
  }
  if (typeof confidence !== 'number' || !(confidence >= 0) || confidence === Infinity) {
    throw new RangeError(`syntheticScore: confidence must be a finite number ≥ 0 (got ${String(confidence)})`);
  }
  // Both zero scores come out as +0, so sorting (which orders −0 before +0) keeps them one tie.
  return isSynthetic ? confidence + 0 : 0 - confidence;
}
