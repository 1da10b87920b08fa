export interface ConfusionCounts {
  syntheticCalledSynthetic: number;
  syntheticCalledReal: number;
  realCalledSynthetic: number;
  realCalledReal: number;
}

/** Truth (rows) × call (columns) of the scored first answers, shaded by row share. */
export function ConfusionMatrix({ counts }: { counts: ConfusionCounts }) {
  const cell = 110;
  const left = 120;
  const top = 40;
  const rows = [
    { truth: 'Real', cells: [counts.realCalledReal, counts.realCalledSynthetic] },
    { truth: 'Synthetic', cells: [counts.syntheticCalledReal, counts.syntheticCalledSynthetic] },
  ];
  return (
    <svg role="img" aria-label="Confusion matrix" data-testid="confusion-matrix" viewBox={`0 0 ${left + cell * 2 + 10} ${top + cell * 2 + 10}`} width="100%" className="chart">
      <title>Confusion matrix</title>
      <text x={left + cell / 2} y={top - 12} textAnchor="middle" className="label">
        called real
      </text>
      <text x={left + cell * 1.5} y={top - 12} textAnchor="middle" className="label">
        called synthetic
      </text>
      {rows.map((row, r) => {
        const total = row.cells[0] + row.cells[1];
        return (
          <g key={row.truth}>
            <text x={left - 10} y={top + r * cell + cell / 2 + 4} textAnchor="end" className="label">
              {row.truth}
            </text>
            {row.cells.map((count, c) => {
              const share = total ? count / total : 0;
              const isCorrect = (r === 0 && c === 0) || (r === 1 && c === 1);
              return (
                <g key={c}>
                  <rect x={left + c * cell} y={top + r * cell} width={cell - 4} height={cell - 4} className={isCorrect ? 'cell correct' : 'cell wrong'} opacity={0.25 + 0.75 * share} />
                  <text x={left + c * cell + cell / 2 - 2} y={top + r * cell + cell / 2} textAnchor="middle" className="count" data-testid={`confusion-${row.truth.toLowerCase()}-${c === 0 ? 'real' : 'synthetic'}`}>
                    {count}
                  </text>
                  <text x={left + c * cell + cell / 2 - 2} y={top + r * cell + cell / 2 + 18} textAnchor="middle" className="tick">
                    {total ? `${(100 * share).toFixed(0)}%` : ''}
                  </text>
                </g>
              );
            })}
          </g>
        );
      })}
    </svg>
  );
}
