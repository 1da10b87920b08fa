import type { CheckpointSummary } from '@/lib/gan/registry';
import type { MachineVerdict } from '@/lib/jobs/kinds/two-sample-test';
import type { UtilityVerdict } from '@/lib/jobs/kinds/train-synthetic-test-real';
import { RadiomicsDistancePanel, type RadiomicsDistanceView } from '@/components/radiomics/radiomics-distance-panel';
import { CheckpointEvaluation } from './checkpoint-evaluation';
import { CheckpointPreview } from './checkpoint-preview';

/**
 * Registered checkpoints with what they declare (data, licence, code version), a browser-made preview, the
 * latest evaluations of their images and the Fréchet Radiomics Distance of those images to the real ones.
 */
export function CheckpointList({
  checkpoints,
  evaluations = new Map(),
  distances = new Map(),
}: {
  checkpoints: CheckpointSummary[];
  /** The latest finished evaluations of each checkpoint's synthetic images. */
  evaluations?: Map<string, { machine: MachineVerdict | null; utility: UtilityVerdict | null }>;
  /** The stored FRD of each checkpoint's images, by checkpoint id. */
  distances?: Map<string, RadiomicsDistanceView>;
}) {
  if (!checkpoints.length) return <p className="muted">No checkpoints registered yet.</p>;
  return (
    <div className="model-list">
      {checkpoints.map((c) => {
        const training = (c.manifest.training ?? {}) as Record<string, unknown>;
        const outputRange = (Array.isArray(c.manifest.outputRange) ? c.manifest.outputRange : [-1, 1]) as [number, number];
        return (
          <section key={c.id} className="card" data-testid="checkpoint" data-checkpoint-name={c.name}>
            <h2>{c.name}</h2>
            <p className="muted">
              {c.modality}, {c.resolution}×{c.resolution}, latent {c.latentDim}, labels {c.labels.length ? c.labels.join(', ') : 'none'} ·{' '}
              {(c.byteSize / 2 ** 20).toFixed(2)} MiB · sha256 <code title={c.sha256}>{c.sha256.slice(0, 12)}</code>
            </p>
            <p className="muted">
              Trained on {String(training.data ?? 'unknown')} ({String(training.licence ?? 'licence unknown')})
              {training.steps ? `, ${String(training.steps)} steps` : ''}; code {String(c.manifest.codeVersion ?? 'unknown')}.{' '}
              <span data-testid="checkpoint-images">{c.images}</span> images generated in {c.batches} batch(es).
            </p>
            {c.images > 0 ? (
              <CheckpointEvaluation checkpointId={c.id} hasLabels={c.labels.length > 0} machine={evaluations.get(c.id)?.machine ?? null} utility={evaluations.get(c.id)?.utility ?? null} />
            ) : null}
            <CheckpointPreview checkpointId={c.id} resolution={c.resolution} latentDim={c.latentDim} labels={c.labels} outputRange={outputRange} />
            <RadiomicsDistancePanel distance={distances.get(c.id) ?? null} what="this checkpoint's images" />
          </section>
        );
      })}
    </div>
  );
}
