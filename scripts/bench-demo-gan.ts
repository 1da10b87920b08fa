/**
 * Benchmark of the shipped demo generators (checkpoints/demo-*): how well the leak audit's cheap-feature classifier
 * tells 1,000 generated images from the 1,000 held-out real images of their training array (the last 1,000, never
 * trained on; scripts/gan/pixel-detectability.ts). Target from issue 14: AUC ≤ 0.75.
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
    const r = await measureCheckpoint(path.resolve('checkpoints', demo.name), path.join(sharedDataDir(), 'train', demo.data));
    console.log(`${demo.name}: AUC ${r.auc.toFixed(3)} [${r.ci[0].toFixed(3)}, ${r.ci[1].toFixed(3)}], top feature ${r.contrasts[0].feature} (effect ${r.contrasts[0].effect.toFixed(2)})`);
    const what = `${demo.name} (${r.steps ?? '?'} steps): 1,000 generated vs 1,000 held-out real, cheap-feature classifier (leak audit), 5-fold`;
    figures.push({ name: `${what}: AUC`, unit: 'AUC', runs: [r.auc], target: 0.75 });
    figures.push({ name: `${what}: 95 % CI lower bound`, unit: 'AUC', runs: [r.ci[0]], target: '—' });
    figures.push({ name: `${what}: 95 % CI upper bound`, unit: 'AUC', runs: [r.ci[1]], target: '—' });
    figures.push({ name: `${demo.name}: generating the 1,000 images (wasm, 1 thread)`, unit: 's', runs: [r.generationSeconds], target: '—' });
  }
  return figures;
}
