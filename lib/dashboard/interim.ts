/**
 * The interim-look panel of the dashboard and exports: for a study with planned looks, each look's
 * size, where the pooled statistics stand against that look's boundaries, whether a boundary was
 * crossed, and the coordinator's recorded decision; for a study without, the warning that watching
 * the live statistics repeatedly inflates the false-positive rate. Pure: the counts come from the
 * study's columnar load (interimCounts: first scored answers in the order the server stored them), the
 * decisions from lib/studies/interim.ts.
 */
import { lookSizes, sequentialDesigns, sequentialLook, type SequentialLook, type SequentialPlan } from '@/lib/stats';
import { SPENDING_FAMILY_NAMES, type StudyConfig } from '@/lib/studies';
import type { StudyData } from './types';

export const REPEATED_LOOKS_WARNING =
  'No interim looks were planned: the statistics below are for the final analysis. Checking them repeatedly while answers arrive, and stopping when they look significant, inflates the false-positive rate well above alpha (three looks at p < 0.05 give about 0.11). Plan interim looks with alpha spending in the study design to stop early with the error rate kept.';

export type InterimDecisionKind = 'continue' | 'close';

export interface InterimDecision {
  look: number;
  decision: InterimDecisionKind;
  note: string;
  decidedAt: string;
  /** Who decided (coordinator views only; exports drop it). */
  actor: string | null;
}

export interface InterimLookRow {
  look: number;
  /** Planned fraction of the answers (1 for the final analysis). */
  fraction: number;
  /** Answers analysed at this look. */
  size: number;
  isFinal: boolean;
  /** The look's answers are all in. */
  isReached: boolean;
  /** Statistics and boundaries; null until the look is reached. */
  result: SequentialLook | null;
  /** Boundaries (also before the look is reached): discrimination |Z| ≥, equivalence Z_L and Z_U ≥. */
  boundaries: { discrimination: number; equivalence: number };
  decision: InterimDecision | null;
}

export interface InterimReport {
  isPlanned: boolean;
  /** Planned scored answers N (images per reader × readers). */
  plannedAnswers: number;
  answered: number;
  spending: string | null;
  alpha: number;
  margin: number;
  method: string;
  looks: InterimLookRow[];
  /** A boundary was crossed at a reached look that has no decision yet. */
  suggestion: string | null;
  warning: string | null;
}

export const INTERIM_METHOD =
  'Group-sequential tests on the normal approximation of the pooled proportion correct (first scored answers, in the order the server stored them): discrimination Z = (x − N·0.5)/√(N·0.25), two-sided, stops when |Z| reaches the boundary; equivalence: two one-sided tests against 0.5 ± margin, each at alpha, shown when both Z statistics reach the boundary. Boundaries from a Lan–DeMets alpha-spending function at the looks\' information fractions, by recursive numerical integration (Armitage–McPherson–Rowe).';

/**
 * Builds the report. `correctAt[k]` is the number correct among the first `sizes[k]` answers
 * (null while fewer answers are in).
 */
export function interimReport(input: {
  config: StudyConfig;
  plannedAnswers: number;
  answered: number;
  correctAt: Array<number | null>;
  decisions: InterimDecision[];
}): InterimReport {
  const { config, plannedAnswers, answered } = input;
  const plan = config.interimLooks;
  const base = { plannedAnswers, answered, alpha: config.alpha, margin: config.margin, method: INTERIM_METHOD };
  if (!plan || plannedAnswers < 1) {
    return { ...base, isPlanned: false, spending: null, looks: [], suggestion: null, warning: REPEATED_LOOKS_WARNING };
  }
  let sizes: number[];
  try {
    sizes = interimLookSizes(config, plannedAnswers);
  } catch {
    const warning = `The planned looks (${plan.at.map((f) => `${Math.round(f * 100)} %`).join(', ')}) do not fit ${plannedAnswers} planned answers: two looks would analyse the same answers.`;
    return { ...base, isPlanned: true, spending: SPENDING_FAMILY_NAMES[plan.spending], looks: [], suggestion: null, warning };
  }
  const seqPlan: SequentialPlan = { lookSizes: sizes, family: plan.spending, alpha: config.alpha, margin: config.margin };
  const designs = sequentialDesigns(seqPlan);
  const fractions = [...plan.at, 1];
  const looks = sizes.map((size, k): InterimLookRow => {
    const correct = input.correctAt[k] ?? null;
    const isReached = correct !== null && answered >= size;
    return {
      look: k + 1,
      fraction: fractions[k],
      size,
      isFinal: k === sizes.length - 1,
      isReached,
      result: isReached ? sequentialLook(seqPlan, k + 1, correct, designs) : null,
      boundaries: {
        discrimination: designs.discrimination.criticalValues[k],
        equivalence: designs.equivalence!.criticalValues[k],
      },
      decision: input.decisions.filter((d) => d.look === k + 1).at(-1) ?? null,
    };
  });
  const pending = looks.find(
    (l) => l.result && !l.decision && (l.result.discrimination.crossed || l.result.equivalence?.crossed),
  );
  let suggestion: string | null = null;
  if (pending?.result) {
    const what = pending.result.discrimination.crossed
      ? 'readers tell real from synthetic better than chance'
      : `readers are within ±${config.margin} of chance (equivalence)`;
    suggestion = `Look ${pending.look} crossed its boundary: ${what}, with the error rate kept at alpha = ${config.alpha}. Consider closing the study; record your decision.`;
  }
  return { ...base, isPlanned: true, spending: SPENDING_FAMILY_NAMES[plan.spending], looks, suggestion, warning: null };
}

/**
 * The answers interim looks analyse — first scored answers (not practice, not a repeat) with a call —
 * in the order the server stored them (response id), and the number correct among the first `sizes[k]`
 * of them (null while fewer are in). One sort of the eligible answers' ids, O(n log n), and only when a
 * look falls short of the answers in: a look of all of them (the final one of a complete study) is the
 * plain count, and a look of more is not reached.
 */
export function interimCounts(data: Pick<StudyData, 'answers' | 'images'>, sizes: readonly number[]): { answered: number; correctAt: Array<number | null> } {
  const { answers, images } = data;
  // id·2 + correct: ids stay below 2^52, so the key is exact and sorting it sorts by id.
  const keys = new Float64Array(answers.count);
  let answered = 0;
  let correctAll = 0;
  for (let j = 0; j < answers.count; j++) {
    if (answers.isPractice[j] || answers.isRepeat[j] || !answers.hasCall[j]) continue;
    const isCorrect = answers.callSynthetic[j] === images.truthSynthetic[answers.image[j]] ? 1 : 0;
    keys[answered++] = answers.serial[j] * 2 + isCorrect;
    correctAll += isCorrect;
  }
  const correctAt = sizes.map((n) => (n === answered ? correctAll : null as number | null));
  if (!sizes.some((n) => n < answered)) return { answered, correctAt };
  const sorted = keys.subarray(0, answered).sort();
  const byLook = sizes.map((n, k) => ({ n, k })).sort((a, b) => a.n - b.n);
  let correct = 0;
  let i = 0;
  for (const { n, k } of byLook) {
    if (answered < n) break;
    for (; i < n; i++) correct += sorted[i] % 2;
    correctAt[k] = correct;
  }
  return { answered, correctAt };
}

/** Answers analysed at each look of the study's plan (the last is N); [N] without a plan. */
export function interimLookSizes(config: StudyConfig, plannedAnswers: number): number[] {
  return config.interimLooks ? lookSizes(config.interimLooks.at, plannedAnswers) : [plannedAnswers];
}

/** Plain-text account of the looks, boundaries and decisions (the export README). */
export function interimText(report: InterimReport): string {
  if (!report.isPlanned) return `No interim looks were planned. ${report.plannedAnswers} scored answers planned, ${report.answered} in.`;
  const lines = [
    `Planned looks with ${report.spending} alpha spending (Lan–DeMets), alpha ${report.alpha}, margin ±${report.margin}:`,
    `${report.plannedAnswers} scored answers planned, ${report.answered} in.`,
  ];
  if (report.warning) lines.push(report.warning);
  for (const l of report.looks) {
    const head = `  Look ${l.look} (${l.isFinal ? 'final' : `${Math.round(l.fraction * 1000) / 10} %`}, first ${l.size} answers): boundary |Z| ≥ ${l.boundaries.discrimination.toFixed(4)} (discrimination), Z_L, Z_U ≥ ${l.boundaries.equivalence.toFixed(4)} (equivalence)`;
    lines.push(head);
    if (l.result) {
      const eq = l.result.equivalence;
      lines.push(
        `    ${l.result.correct} of ${l.result.n} correct; Z = ${l.result.discrimination.z.toFixed(4)}${l.result.discrimination.crossed ? ' (crossed)' : ''}` +
          (eq ? `; Z_L = ${eq.zLower.toFixed(4)}, Z_U = ${eq.zUpper.toFixed(4)}${eq.crossed ? ' (equivalence shown)' : ''}` : ''),
      );
    } else lines.push('    not reached');
    if (l.decision) lines.push(`    decision: ${l.decision.decision} (${l.decision.decidedAt})${l.decision.note ? `: ${l.decision.note}` : ''}`);
  }
  lines.push(`Method: ${report.method}`);
  return lines.join('\n');
}
