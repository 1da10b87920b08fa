import { fmt, linear } from './scale';

export interface ResolutionPoint {
  resolution: number;
  accuracy: number;
  ci: [number, number];
  n: number;
}

/** Accuracy with its CI at each resolution (evenly spaced: sizes usually double), with the chance line. */
export function AccuracyByResolution({ points, trendP }: { points: ResolutionPoint[]; trendP: number | null }) {
  const width = 480;
  const height = 260;
  const pad = 44;
  const x = linear([0, Math.max(1, points.length - 1)], [pad + 30, width - pad - 30]);
  const y = linear([0, 1], [height - pad, 20]);
  return (
    <svg role="img" aria-label="Accuracy by resolution" data-testid="accuracy-by-resolution" viewBox={`0 0 ${width} ${height}`} width="100%" className="chart">
      <title>Accuracy by resolution</title>
      <line x1={pad} x2={width - pad} y1={y(0.5)} y2={y(0.5)} className="reference" />
      <line x1={pad} x2={pad} y1={y(0)} y2={y(1)} className="axis" />
      {[0, 0.25, 0.5, 0.75, 1].map((t) => (
        <text key={t} x={pad - 6} y={y(t) + 4} textAnchor="end" className="tick">
          {t}
        </text>
      ))}
      {points.length > 1 ? <polyline points={points.map((p, i) => `${x(i)},${y(p.accuracy)}`).join(' ')} fill="none" className="line" /> : null}
      {points.map((p, i) => (
        <g key={p.resolution}>
          <line x1={x(i)} x2={x(i)} y1={y(p.ci[0])} y2={y(p.ci[1])} className="interval" />
          <circle cx={x(i)} cy={y(p.accuracy)} r={5} className="point" />
          <text x={x(i)} y={height - pad + 18} textAnchor="middle" className="tick">
            {p.resolution} px
          </text>
          <text x={x(i) + 8} y={y(p.accuracy) - 6} className="value">
            {fmt(p.accuracy)}
          </text>
        </g>
      ))}
      <text x={width / 2} y={height - 6} textAnchor="middle" className="note">
        {trendP === null ? 'one resolution: no trend test' : `Cochran–Armitage trend p = ${fmt(trendP, 4)}`}
      </text>
    </svg>
  );
}
