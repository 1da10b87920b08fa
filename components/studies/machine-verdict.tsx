import { ForestPlot, type ForestRow } from '@/components/charts/forest-plot';
import { fmt } from '@/components/charts/scale';
import type { MachineVerdict } from '@/lib/jobs/kinds/two-sample-test';
import { MachineTestControl } from './machine-test-control';

export type ReadersAuc = { auc: number; ci: [number, number]; readers: number; cases: number } | null;

/**
 * "Can a machine tell?" beside "Can readers tell?": the readers' MRMC AUC and the machine's
 * cross-validated AUCs (small CNN; cheap-feature classifier) with their CIs on one plot.
 */
export function MachineVerdictPanel({
  studyId,
  readers,
  verdict,
  job,
  margin,
}: {
  studyId: string;
  readers: ReadersAuc;
  verdict: MachineVerdict | null;
  job: { status: string; progress: number; message: string | null; error: string | null } | null;
  margin: number;
}) {
  const rows: ForestRow[] = [];
  if (readers) rows.push({ label: 'Readers (MRMC)', estimate: readers.auc, ci: readers.ci, n: readers.cases, isPooled: true });
  if (verdict) {
    rows.push({ label: `Machine: CNN ${verdict.resolution}²`, estimate: verdict.cnn.auc, ci: [verdict.cnn.ci.lower, verdict.cnn.ci.upper], n: verdict.counts.real + verdict.counts.synthetic });
    if (verdict.cheapFeatures) {
      rows.push({ label: 'Machine: cheap features', estimate: verdict.cheapFeatures.auc, ci: [verdict.cheapFeatures.ci.lower, verdict.cheapFeatures.ci.upper], n: verdict.counts.real + verdict.counts.synthetic });
    }
  }
  return (
    <section data-testid="machine-verdict">
      <h2>Can a machine tell? — beside: can readers tell?</h2>
      <p className="muted small">
        A small convolutional network is trained to tell the study&apos;s real images from its synthetic ones and scored by cross-validation (every image by a network that
        never saw it; a patient&apos;s images stay in one fold). AUC 0.5: it cannot tell; 1: it always can. Readers&apos; AUC is the MRMC reader-averaged AUC over all images.
      </p>
      <div className="grid">
        <div className="card">
          <div className="muted">Readers: MRMC AUC</div>
          <div className="stat" data-testid="readers-auc">
            {readers ? fmt(readers.auc, 3) : '—'}
          </div>
          <div className="muted small">{readers ? `95 % CI [${fmt(readers.ci[0])}, ${fmt(readers.ci[1])}], ${readers.readers} readers` : 'needs answers from crossed readers'}</div>
        </div>
        <div className="card">
          <div className="muted">Machine: CNN AUC</div>
          <div className="stat" data-testid="machine-auc">
            {verdict ? fmt(verdict.cnn.auc, 3) : '—'}
          </div>
          <div className="muted small" data-testid="machine-details">
            {verdict
              ? `95 % CI [${fmt(verdict.cnn.ci.lower)}, ${fmt(verdict.cnn.ci.upper)}] · ${verdict.resolution}×${verdict.resolution} pixels · ${verdict.cnn.folds}-fold, ${verdict.cnn.epochs} epochs, ${verdict.cnn.backend} · ${verdict.counts.real} real, ${verdict.counts.synthetic} synthetic`
              : 'not run yet'}
          </div>
        </div>
        <div className="card">
          <div className="muted">Machine: cheap-feature AUC</div>
          <div className="stat" data-testid="cheap-auc">
            {verdict?.cheapFeatures ? fmt(verdict.cheapFeatures.auc, 3) : '—'}
          </div>
          <div className="muted small">size, mean, SD, histogram (the leak audit&apos;s measurement)</div>
        </div>
      </div>
      {rows.length ? <ForestPlot rows={rows} margin={margin} title="AUC with 95% CI: readers and machine" axisLabel="AUC (0.5 = cannot tell)" testId="machine-plot" /> : null}
      <MachineTestControl studyId={studyId} initial={job} />
    </section>
  );
}
