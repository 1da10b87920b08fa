'use client';

import { useDeferredValue, useMemo, useState } from 'react';
import { binomialPower, sampleSizeForPower } from '@/lib/stats/power';
import { tostPower, tostSampleSize } from '@/lib/stats/tost-power';
import { plural } from '@/components/ui/plural';

/**
 * Power of the planned study, computed in the browser from the same exact functions the analysis
 * uses (lib/stats): the chance that the binomial test detects a true accuracy (default 0.60) per
 * reader and pooled over readers, the images per reader needed for 80 % power, and the chance that
 * the TOST declares equivalence at the margin when readers are truly at chance.
 */
export interface PowerInputs {
  imagesPerReader: number;
  readers: number;
  alpha: number;
  margin: number;
}

const pct = (x: number | null) => (x === null ? '—' : `${(100 * x).toFixed(1)} %`);

function attempt<T>(work: () => T): T | null {
  try {
    return work();
  } catch {
    return null;
  }
}

export function computePower(inputs: PowerInputs, trueAccuracy: number) {
  const n = Math.max(0, Math.floor(inputs.imagesPerReader));
  const readers = Math.max(1, Math.floor(inputs.readers));
  const opts = { alpha: inputs.alpha };
  const valid = n >= 1 && inputs.alpha > 0 && inputs.alpha < 0.5 && inputs.margin > 0 && inputs.margin < 0.5 && trueAccuracy > 0 && trueAccuracy < 1;
  if (!valid) return null;
  return {
    perReader: attempt(() => binomialPower(n, trueAccuracy, opts)),
    pooled: attempt(() => binomialPower(n * readers, trueAccuracy, opts)),
    imagesFor80: attempt(() => sampleSizeForPower(trueAccuracy, 0.8, { ...opts, maxN: 200_000 })),
    tostPerReader: attempt(() => tostPower(n, 0.5, inputs.margin, opts)),
    tostPooled: attempt(() => tostPower(n * readers, 0.5, inputs.margin, opts)),
    tostImagesFor80: attempt(() => tostSampleSize(0.5, inputs.margin, 0.8, { ...opts, maxN: 200_000 })),
  };
}

/** `blocked`: why no power is shown (an infeasible or not yet checked design); null when the design is feasible. */
export function PowerPanel({ blocked, ...props }: PowerInputs & { blocked: string | null }) {
  const [trueAccuracy, setTrueAccuracy] = useState(0.6);
  // Deferred: typing in the form stays instant; the figures follow a moment later.
  const inputs = useDeferredValue(props);
  const accuracy = useDeferredValue(trueAccuracy);
  const power = useMemo(() => computePower(inputs, accuracy), [inputs, accuracy]);
  return (
    <aside className="card power-panel" aria-label="Power" data-testid="power-panel">
      <h2>Power</h2>
      <label>
        True accuracy to detect
        <input type="number" min={0.51} max={0.99} step={0.01} value={trueAccuracy} onChange={(e) => setTrueAccuracy(Number(e.target.value))} aria-label="True accuracy to detect" />
      </label>
      {blocked !== null ? (
        <p className="muted" data-testid="power-blocked">
          {blocked}
        </p>
      ) : power === null ? (
        <p className="muted">Fix the settings to see the power.</p>
      ) : (
        <dl className="figures">
          <dt>Binomial test, per reader ({plural(inputs.imagesPerReader, 'image')})</dt>
          <dd data-testid="power-per-reader">{pct(power.perReader)}</dd>
          <dt data-testid="power-pooled-label">
            Binomial test, pooled ({plural(inputs.readers, 'reader')} × {plural(inputs.imagesPerReader, 'image')})
          </dt>
          <dd data-testid="power-pooled">{pct(power.pooled)}</dd>
          <dt>Images per reader for 80 % power</dt>
          <dd data-testid="images-for-80">{power.imagesFor80 ?? '—'}</dd>
          <dt>TOST at ±{inputs.margin}: chance to show equivalence if readers are at chance, per reader</dt>
          <dd data-testid="tost-power">{pct(power.tostPerReader)}</dd>
          <dt>TOST, pooled</dt>
          <dd data-testid="tost-power-pooled">{pct(power.tostPooled)}</dd>
          <dt>Images per reader for 80 % TOST power</dt>
          <dd data-testid="tost-images-for-80">{power.tostImagesFor80 ?? '—'}</dd>
        </dl>
      )}
      <p className="muted small">Exact binomial power at α = {inputs.alpha}. Pooled figures treat every answer as independent, which overstates power when readers differ; the MRMC analysis accounts for that.</p>
    </aside>
  );
}
