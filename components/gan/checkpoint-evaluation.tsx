import { fmt } from '@/components/charts/scale';
import type { MachineVerdict } from '@/lib/jobs/kinds/two-sample-test';
import type { UtilityVerdict } from '@/lib/jobs/kinds/train-synthetic-test-real';
import { EvaluationControl } from './evaluation-control';

/** A checkpoint's synthetic images judged by a machine: detectability and train-on-synthetic utility. */
export function CheckpointEvaluation({ checkpointId, hasLabels, machine, utility }: { checkpointId: string; hasLabels: boolean; machine: MachineVerdict | null; utility: UtilityVerdict | null }) {
  return (
    <div data-testid="checkpoint-evaluation">
      <p className="muted" data-testid="checkpoint-machine">
        <strong>Can a machine tell?</strong>{' '}
        {machine
          ? `CNN AUC ${fmt(machine.cnn.auc, 3)} [${fmt(machine.cnn.ci.lower)}, ${fmt(machine.cnn.ci.upper)}] at ${machine.resolution}×${machine.resolution}, cheap features ${fmt(machine.cheapFeatures?.auc, 3)} (${machine.counts.real} real, ${machine.counts.synthetic} synthetic; 0.5 = cannot tell).`
          : 'not run yet.'}
      </p>
      {hasLabels ? (
        utility ? (
          <table className="compact" data-testid="checkpoint-utility">
            <caption>
              Train on synthetic, test on real — {utility.counts.synthetic} synthetic, {utility.counts.realTrain} real training, {utility.counts.realTest} held-out real images,{' '}
              {utility.resolution}×{utility.resolution}
            </caption>
            <thead>
              <tr>
                <th>Label</th>
                <th>AUC trained on synthetic</th>
                <th>AUC trained on real</th>
                <th>Difference (95 % CI, DeLong)</th>
                <th>p</th>
              </tr>
            </thead>
            <tbody>
              {utility.labels.map((l) => (
                <tr key={l.label}>
                  <td>{l.label}</td>
                  <td>{fmt(l.syntheticAuc, 3)}</td>
                  <td>{fmt(l.realAuc, 3)}</td>
                  <td>
                    {fmt(l.difference.difference, 3)} [{fmt(l.difference.ci[0], 3)}, {fmt(l.difference.ci[1], 3)}]
                  </td>
                  <td>{fmt(l.difference.pValue, 3)}</td>
                </tr>
              ))}
              {utility.skipped.map((s) => (
                <tr key={s.label} className="muted">
                  <td>{s.label}</td>
                  <td colSpan={4}>not evaluated: {s.reason}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p className="muted">Train on synthetic, test on real: not run yet.</p>
        )
      ) : null}
      <EvaluationControl checkpointId={checkpointId} canUtility={hasLabels} />
    </div>
  );
}
