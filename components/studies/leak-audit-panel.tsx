import type { LeakAuditCheck, LeakAuditReport } from '@/lib/privacy/leak-audit/audit';

function CheckList({ checks }: { checks: LeakAuditCheck[] }) {
  return (
    <ul>
      {checks.map((c) => (
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
  );
}

/**
 * The leak audit's readable report: the gate (anything but pixel values a reader could observe;
 * blocks opening) apart from the pixel-level measurement (reported; blocks only past a set limit).
 */
export function LeakAuditPanel({ report }: { report: LeakAuditReport }) {
  const gate = report.checks.filter((c) => c.kind === 'gate');
  const measurement = report.checks.filter((c) => c.kind !== 'gate');
  return (
    <section className={`card leak-audit ${report.passed ? 'passed' : 'failed'}`} data-testid="leak-audit" aria-label="Leak audit">
      <h3 data-testid="leak-audit-verdict">
        Leak audit {report.passed ? 'passed' : 'failed'}
        {report.ranAt ? <span className="muted small"> — {new Date(report.ranAt).toISOString().slice(0, 16).replace('T', ' ')} UTC</span> : null}
      </h3>
      <p className="muted">
        {report.counts.real} real and {report.counts.synthetic} synthetic eligible images examined.
      </p>
      <h4>Gate: nothing but pixels reaches a reader {report.gatePassed ? '(passed)' : '(failed: blocks opening)'}</h4>
      <CheckList checks={gate} />
      <h4>
        Measurement: can cheap pixel statistics tell? AUC{' '}
        <span data-testid="leak-audit-auc">{report.auc === null ? 'not computed' : report.auc.toFixed(3)}</span>
        {report.aucCi ? ` (95 % CI ${report.aucCi.lower.toFixed(3)}–${report.aucCi.upper.toFixed(3)})` : ''}
        {report.maxAuc === null ? ', reported only' : `, limit ${report.maxAuc.toFixed(2)}`}
      </h4>
      <CheckList checks={measurement} />
    </section>
  );
}
