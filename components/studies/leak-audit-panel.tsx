import type { LeakAuditReport } from '@/lib/privacy/leak-audit/audit';

/** The leak audit's readable report: each check with its verdict, the AUC and the telling features. */
export function LeakAuditPanel({ report }: { report: LeakAuditReport }) {
  return (
    <section className={`card leak-audit ${report.passed ? 'passed' : 'failed'}`} data-testid="leak-audit" aria-label="Leak audit">
      <h3>
        Leak audit {report.passed ? 'passed' : 'failed'} — classifier AUC{' '}
        <span data-testid="leak-audit-auc">{report.auc === null ? 'not computed' : report.auc.toFixed(3)}</span> (limit {report.maxAuc.toFixed(2)})
      </h3>
      <p className="muted">
        {report.counts.real} real and {report.counts.synthetic} synthetic eligible images examined.
      </p>
      <ul>
        {report.checks.map((c) => (
          <li key={c.id} data-testid={`leak-check-${c.id}`} className={c.passed ? 'ok' : 'error'}>
            {c.passed ? '✓' : '✗'} <strong>{c.title}.</strong> {c.summary}
            {c.details.length ? (
              <ul className="muted small">
                {c.details.map((d) => (
                  <li key={d}>{d}</li>
                ))}
              </ul>
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
