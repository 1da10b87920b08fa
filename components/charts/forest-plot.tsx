import { fmt, linear, ticks } from './scale';

export interface ForestRow {
  label: string;
  estimate: number;
  ci: [number, number];
  n: number;
  /** Pooled rows are drawn as a diamond and set apart. */
  isPooled?: boolean;
}

/**
 * Accuracy with its confidence interval per reader and pooled, against chance (0.5) and the
 * equivalence band 0.5 ± margin: an interval inside the band supports "indistinguishable"; one
 * wholly above 0.5 means the readers could tell.
 */
export function ForestPlot({ rows, margin, title = 'Accuracy with 95% CI', axisLabel = 'accuracy', testId = 'forest-plot' }: { rows: ForestRow[]; margin: number; title?: string; axisLabel?: string; testId?: string }) {
  const rowHeight = 26;
  const left = 150;
  const right = 150;
  const width = 680;
  const top = 30;
  const height = top + rows.length * rowHeight + 36;
  const lo = Math.min(0.5 - margin, ...rows.map((r) => r.ci[0])) - 0.02;
  const hi = Math.max(0.5 + margin, ...rows.map((r) => r.ci[1])) + 0.02;
  const x = linear([Math.max(0, lo), Math.min(1, hi)], [left, width - right]);
  const axisY = top + rows.length * rowHeight + 6;
  return (
    <svg role="img" aria-label={title} data-testid={testId} viewBox={`0 0 ${width} ${height}`} width="100%" className="chart">
      <title>{title}</title>
      <rect x={x(0.5 - margin)} y={top - 8} width={x(0.5 + margin) - x(0.5 - margin)} height={rows.length * rowHeight + 8} className="band" />
      <line x1={x(0.5)} x2={x(0.5)} y1={top - 12} y2={axisY} className="reference" />
      <text x={x(0.5)} y={top - 16} textAnchor="middle" className="note">
        chance 0.5 · equivalence band ±{margin}
      </text>
      {rows.map((r, i) => {
        const y = top + i * rowHeight + rowHeight / 2;
        return (
          <g key={r.label} data-testid="forest-row">
            <text x={left - 10} y={y + 4} textAnchor="end" className={r.isPooled ? 'label strong' : 'label'}>
              {r.label}
            </text>
            <line x1={x(r.ci[0])} x2={x(r.ci[1])} y1={y} y2={y} className="interval" />
            {r.isPooled ? (
              <polygon points={`${x(r.estimate) - 7},${y} ${x(r.estimate)},${y - 7} ${x(r.estimate) + 7},${y} ${x(r.estimate)},${y + 7}`} className="point" />
            ) : (
              <rect x={x(r.estimate) - 4} y={y - 4} width={8} height={8} className="point" />
            )}
            <text x={width - right + 10} y={y + 4} className="value">
              {fmt(r.estimate)} [{fmt(r.ci[0])}, {fmt(r.ci[1])}] n={r.n}
            </text>
          </g>
        );
      })}
      <line x1={left} x2={width - right} y1={axisY} y2={axisY} className="axis" />
      {ticks(Math.max(0, lo), Math.min(1, hi)).map((t) => (
        <g key={t}>
          <line x1={x(t)} x2={x(t)} y1={axisY} y2={axisY + 4} className="axis" />
          <text x={x(t)} y={axisY + 16} textAnchor="middle" className="tick">
            {t}
          </text>
        </g>
      ))}
      <text x={(left + width - right) / 2} y={height - 2} textAnchor="middle" className="note">
        {axisLabel}
      </text>
    </svg>
  );
}
