'use client';
import { useEffect, useRef, useState } from 'react';
import { generatorInput, latentFor, toGrey8 } from '@/lib/gan/latents';
import { loadGeneratorModel, modelFormatOf, runGenerator } from '@/lib/gan/model-format';

/**
 * Samples from a registered checkpoint (layers or graph model), generated in the browser with TensorFlow.js
 * from the stored model files (admins only): one row per label (and one unconditioned), the same latents in every row so the
 * label's effect shows. WebGL when the browser offers it, else the CPU backend (headless Chromium's
 * software renderer may have no WebGL).
 */
type Props = { checkpointId: string; resolution: number; latentDim: number; labels: string[]; outputRange: [number, number]; columns?: number };
type State = { status: 'loading' | 'ready' | 'failed'; backend?: string; message?: string; ms?: number };

const MAX_ROWS = 6;

export function CheckpointPreview({ checkpointId, resolution, latentDim, labels, outputRange, columns = 6 }: Props) {
  const [state, setState] = useState<State>({ status: 'loading' });
  const grid = useRef<HTMLDivElement>(null);
  const rows: string[][] = [[], ...labels.slice(0, MAX_ROWS - 1).map((l) => [l])];

  useEffect(() => {
    let isCurrent = true;
    (async () => {
      const started = performance.now();
      const tf = await import('@tensorflow/tfjs');
      let backend = 'cpu';
      try {
        if (await tf.setBackend('webgl')) backend = 'webgl';
      } catch {
        // no WebGL here: fall back below
      }
      if (backend !== 'webgl') await tf.setBackend('cpu');
      await tf.ready();
      const url = `/api/admin/checkpoints/${checkpointId}/files/model.json`;
      const format = modelFormatOf(await (await fetch(url, { cache: 'no-store' })).json());
      const model = await loadGeneratorModel(tf, format, url);
      try {
        const width = latentDim + labels.length;
        const inputs = new Float32Array(rows.length * columns * width);
        rows.forEach((rowLabels, r) => {
          for (let c = 0; c < columns; c++) inputs.set(generatorInput(latentFor(0, c, latentDim), labels, rowLabels), (r * columns + c) * width);
        });
        const output = tf.tidy(() => runGenerator(model, tf.tensor2d(inputs, [rows.length * columns, width])));
        const values = (await output.data()) as Float32Array;
        output.dispose();
        if (!isCurrent || !grid.current) return;
        const canvases = grid.current.querySelectorAll('canvas');
        const pixels = resolution * resolution;
        canvases.forEach((canvas, i) => {
          const grey = toGrey8(values, i * pixels, pixels, outputRange);
          const context = canvas.getContext('2d');
          if (!grey || !context) return;
          const image = context.createImageData(resolution, resolution);
          for (let p = 0; p < pixels; p++) {
            image.data[4 * p] = image.data[4 * p + 1] = image.data[4 * p + 2] = grey[p];
            image.data[4 * p + 3] = 255;
          }
          context.putImageData(image, 0, 0);
        });
        setState({ status: 'ready', backend, ms: Math.round(performance.now() - started) });
      } finally {
        model.dispose();
      }
    })().catch((error: Error) => isCurrent && setState({ status: 'failed', message: error.message }));
    return () => {
      isCurrent = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [checkpointId]);

  return (
    <div className="preview" data-testid={`preview-${checkpointId}`} data-status={state.status} data-backend={state.backend ?? ''}>
      <div ref={grid} className="preview-grid">
        {rows.map((rowLabels, r) => (
          <div key={r} className="row">
            <span className="muted preview-label">{rowLabels.length ? rowLabels.join(', ') : 'no label'}</span>
            {Array.from({ length: columns }, (_, c) => (
              <canvas key={c} width={resolution} height={resolution} className="preview-image" />
            ))}
          </div>
        ))}
      </div>
      <p className="muted preview-status">
        {state.status === 'loading' && 'Generating samples in the browser…'}
        {state.status === 'ready' && `Generated in the browser (${state.backend === 'webgl' ? 'WebGL' : 'CPU'} backend, ${state.ms} ms).`}
        {state.status === 'failed' && <span className="error">Preview failed: {state.message}</span>}
      </p>
    </div>
  );
}
