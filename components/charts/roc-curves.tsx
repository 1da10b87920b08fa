import { fmt, linear } from './scale';

const COLOURS = ['#4c8dff', '#ff9f43', '#3ccf91', '#ff5c5c', '#b084f5', '#ffd166', '#4dd0e1', '#f78fb3'];

export interface RocSeries {
  label: string;
  auc: number | null;
  points: Array<{ fpr: number; tpr: number }>;
}

/** Empirical ROC curves per reader (synthetic = positive, score = confidence it is synthetic). */
export function RocCurves({ series }: { series: RocSeries[] }) {
  const size = 300;
  const pad = 40;
  const x = linear([0, 1], [pad, pad + size]);
  const y = linear([0, 1], [pad + size, pad]);
  const shown = series.filter((s) => s.points.length > 1);
  return (
    <svg role="img" aria-label="ROC curves per reader" data-testid="roc-curves" viewBox={`0 0 ${size + pad * 2 + 170} ${size + pad * 2}`} width="100%" className="chart">
      <title>ROC curves per reader</title>
      <rect x={pad} y={pad} width={size} height={size} className="frame" />
      <line x1={x(0)} y1={y(0)} x2={x(1)} y2={y(1)} className="reference" />
      {shown.map((s, i) => (
        <polyline key={s.label} data-testid="roc-curve" points={s.points.map((p) => `${x(p.fpr).toFixed(1)},${y(p.tpr).toFixed(1)}`).join(' ')} fill="none" stroke={COLOURS[i % COLOURS.length]} strokeWidth={2} />
      ))}
      {shown.slice(0, 16).map((s, i) => (
        <text key={s.label} x={pad * 2 + size} y={pad + 14 + i * 18} className="label" fill={COLOURS[i % COLOURS.length]}>
          {s.label} AUC {fmt(s.auc)}
        </text>
      ))}
      <text x={pad + size / 2} y={size + pad + 30} textAnchor="middle" className="note">
        false positive rate (real called synthetic)
      </text>
      <text x={12} y={pad + size / 2} textAnchor="middle" className="note" transform={`rotate(-90 12 ${pad + size / 2})`}>
        true positive rate (synthetic called synthetic)
      </text>
      {shown.length === 0 ? (
        <text x={pad + size / 2} y={pad + size / 2} textAnchor="middle" className="note">
          no reader has rated both classes yet
        </text>
      ) : null}
    </svg>
  );
}
