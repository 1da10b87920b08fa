import type { InterimReport } from '@/lib/dashboard/interim';
import { InterimDecisionForm } from './interim-decision';

const z = (x: number) => (Number.isFinite(x) ? x.toFixed(3) : '∞');

/**
 * Interim looks on the live dashboard: each look's size, its boundaries, where the statistics
 * stand, and the decision taken; a study without planned looks gets the repeated-looks warning.
 */
export function InterimPanel({ report, studyId, isOpen }: { report: InterimReport; studyId: string; isOpen: boolean }) {
  if (!report.isPlanned) {
    return (
      <p className="notice" data-testid="repeated-looks-warning">
        {report.warning}
      </p>
    );
  }
  return (
    <section aria-label="Interim looks" data-testid="interim-looks">
      <h2>Interim looks</h2>
      <p className="muted small">
        {report.spending} alpha spending (Lan–DeMets), alpha {report.alpha}, margin ±{report.margin}; {report.answered} of{' '}
        {report.plannedAnswers} planned scored answers in. {report.method}
      </p>
      {report.warning ? <p className="notice">{report.warning}</p> : null}
      {report.suggestion ? (
        <p className="notice" data-testid="interim-suggestion">
          {report.suggestion}
        </p>
      ) : null}
      <table className="compact">
        <thead>
          <tr>
            <th>Look</th>
            <th>Answers</th>
            <th>Discrimination: Z / boundary |Z| ≥</th>
            <th>Equivalence: Z_L, Z_U / boundary ≥</th>
            <th>Decision</th>
          </tr>
        </thead>
        <tbody>
          {report.looks.map((l) => (
            <tr key={l.look} data-testid="interim-look">
              <td>
                {l.look} ({l.isFinal ? 'final' : `${Math.round(l.fraction * 1000) / 10} %`})
              </td>
              <td>
                first {l.size}
                {l.result ? `: ${l.result.correct} correct` : ' (not reached)'}
              </td>
              <td>
                {l.result ? z(l.result.discrimination.z) : '—'} / {z(l.boundaries.discrimination)}
                {l.result?.discrimination.crossed ? ' — crossed' : ''}
              </td>
              <td>
                {l.result?.equivalence ? `${z(l.result.equivalence.zLower)}, ${z(l.result.equivalence.zUpper)}` : '—'} / {z(l.boundaries.equivalence)}
                {l.result?.equivalence?.crossed ? ' — equivalence shown' : ''}
              </td>
              <td>
                {l.decision ? (
                  <span>
                    {l.decision.decision} ({new Date(l.decision.decidedAt).toUTCString()}
                    {l.decision.actor ? `, ${l.decision.actor}` : ''}){l.decision.note ? `: ${l.decision.note}` : ''}
                  </span>
                ) : l.result && isOpen && !l.isFinal ? (
                  <InterimDecisionForm studyId={studyId} look={l.look} />
                ) : (
                  '—'
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
