import type { LadderSummary } from '@/lib/dashboard/ladder-summary';
import { fmt } from '@/components/charts/scale';

/** What a resolution-ladder study's dashboard leads with: accuracy and reader-averaged AUC per rung, and the trend. */
export function LadderPanel({ ladder }: { ladder: LadderSummary }) {
  return (
    <section aria-label="Resolution ladder" data-testid="ladder">
      <h2>Does accuracy rise with resolution?</h2>
      <table className="compact">
        <thead>
          <tr>
            <th>Rung</th>
            <th>Answers</th>
            <th>Accuracy [CI]</th>
            <th>Reader-averaged AUC</th>
          </tr>
        </thead>
        <tbody>
          {ladder.rungs.map((r) => (
            <tr key={r.size} data-testid="ladder-rung">
              <td>{r.size} px</td>
              <td>{r.n}</td>
              <td>{r.accuracy === null ? '—' : `${fmt(r.accuracy, 3)} [${fmt(r.ci![0])}, ${fmt(r.ci![1])}]`}</td>
              <td>{r.readerAveragedAuc === null ? '—' : `${fmt(r.readerAveragedAuc, 3)} (${r.readersWithAuc} readers)`}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted small">
        Trend of accuracy over the rungs (Cochran–Armitage):{' '}
        {ladder.trend ? `z ${fmt(ladder.trend.z, 2)}, p ${ladder.trend.pValue < 0.0001 ? '< 0.0001' : ladder.trend.pValue.toFixed(4)}` : 'needs answers at two rungs'}. Each reader sees each case at one rung
        (Latin square); rungs are area-averaged from the pool and shown at one on-screen size, upscaled bilinearly.
      </p>
    </section>
  );
}
