/**
 * Benchmark of the shipped demo generators (checkpoints/demo-*): how well the leak audit's cheap-feature classifier
 * tells 1,000 generated images from the 1,000 held-out real images of their training array (the last 1,000, never
 * trained on; scripts/gan/pixel-detectability.ts), with generation seeds 1 and 2. Target from issue 14: AUC ≤ 0.75.
 * Beside it, on the seed-1 images: the Fréchet Radiomics Distance with precision and recall, and the app's CNN
 * two-sample test, the stronger machine verdict (minutes per generator).
 *
 *   npm run bench -- demo-gan
 */
import path from 'node:path';
import { sharedDataDir } from '@/tests/support/shared-data';
import type { BenchFigure } from './bench-privacy';
import { measureCheckpoint } from './gan/pixel-detectability';

const DEMOS = [
  { name: 'demo-ct-64', data: 'mednist-headct-64.u8.gz' },
  { name: 'demo-cxr-64', data: 'mednist-cxr-64.u8.gz' },
];

export async function benchDemoGan(): Promise<BenchFigure[]> {
  const figures: BenchFigure[] = [];
  for (const demo of DEMOS) {
    const dir = path.resolve('checkpoints', demo.name);
    const data = path.join(sharedDataDir(), 'train', demo.data);
    const r = await measureCheckpoint(dir, data, { seed: 1, radiomics: true, cnn: true });
    const again = await measureCheckpoint(dir, data, { seed: 2 });
    const what = `${demo.name} (${r.steps ?? '?'} steps): 1,000 generated vs 1,000 held-out real`;
    for (const [seed, m] of [[1, r], [2, again]] as const) {
      console.log(`${demo.name}, seed ${seed}: AUC ${m.auc.toFixed(3)} [${m.ci[0].toFixed(3)}, ${m.ci[1].toFixed(3)}], top feature ${m.contrasts[0].feature} (effect ${m.contrasts[0].effect.toFixed(2)})`);
      figures.push({ name: `${what}, generation seed ${seed}: cheap-feature classifier (leak audit), 5-fold: AUC (min, max: its 95 % CI)`, unit: 'AUC', runs: [m.ci[0], m.auc, m.ci[1]], target: 0.75 });
    }
    const { radiomics, cnn } = r;
    console.log(`${demo.name}: FRD ${radiomics!.frd.toFixed(1)} (precision ${radiomics!.precision.toFixed(2)}, recall ${radiomics!.recall.toFixed(2)}); CNN AUC ${cnn!.auc.toFixed(3)}`);
    figures.push({ name: `${what}, seed 1: Fréchet Radiomics Distance`, unit: '', runs: [radiomics!.frd], target: '—' });
    figures.push({ name: `${what}, seed 1: radiomics precision`, unit: '', runs: [radiomics!.precision], target: '—' });
    figures.push({ name: `${what}, seed 1: radiomics recall`, unit: '', runs: [radiomics!.recall], target: '—' });
    figures.push({ name: `${what}, seed 1: CNN two-sample test (lib/detectability, ${cnn!.folds}-fold): AUC (min, max: its 95 % CI)`, unit: 'AUC', runs: [cnn!.ci.lower, cnn!.auc, cnn!.ci.upper], target: '—' });
    figures.push({ name: `${demo.name}: generating the 1,000 images (wasm, 1 thread)`, unit: 's', runs: [r.generationSeconds], target: '—' });
  }
  return figures;
}
