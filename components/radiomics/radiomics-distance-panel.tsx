import { describeDifference, type FeatureDifference, type FrdResult } from '@/lib/radiomics';

/** A stored distance (RadiomicsDistance row): the computed result, its analysis settings, and when. */
export type RadiomicsDistanceView = Omit<FrdResult, 'differences'> & { analysisSide: number; binWidth: number; differences: unknown; computedAt: Date };

/**
 * The stored Fréchet Radiomics Distance of a synthetic set (pool or checkpoint) to the real images of its
 * modality, with precision/recall and the features that differ most. Admin pages only.
 */
export function RadiomicsDistancePanel({ distance, what }: { distance: RadiomicsDistanceView | null; what: string }) {
  if (!distance) {
    return (
      <section className="card" data-testid="radiomics-distance">
        <h3>Distance to the real images</h3>
        <p className="muted small">Not computed yet: the Fréchet Radiomics Distance of {what} is computed when a batch lands (it needs more than 3 real and 3 synthetic images).</p>
      </section>
    );
  }
  const differences = (Array.isArray(distance.differences) ? distance.differences : []) as FeatureDifference[];
  return (
    <section className="card" data-testid="radiomics-distance">
      <h3>Distance to the real images</h3>
      <p>
        Fréchet Radiomics Distance <strong data-testid="frd">{distance.frd.toPrecision(3)}</strong> · precision{' '}
        <strong data-testid="frd-precision">{distance.precision.toFixed(2)}</strong> · recall <strong data-testid="frd-recall">{distance.recall.toFixed(2)}</strong>
      </p>
      <p className="muted small">
        {distance.syntheticCount} synthetic vs {distance.realCount} real images, {distance.featureCount} IBSI features at {distance.analysisSide}×{distance.analysisSide}, bin
        width {distance.binWidth}; k = {distance.k}; computed {distance.computedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC. FRD is 0 for the same distribution and
        grows as they part; precision is the share of synthetic images that look like some real image, recall the share of real images the synthetic ones cover.
      </p>
      {differences.length ? (
        <>
          <p className="small">Features that differ most:</p>
          <ul className="small" data-testid="frd-differences">
            {differences.map((d) => (
              <li key={d.key}>
                {describeDifference(d)} <span className="muted">(d = {d.standardisedDifference.toFixed(1)})</span>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}
