/**
 * Test fixture, run with tsx from the end-to-end tests: writes a tiny good checkpoint zip (64×64 head CT,
 * random weights, a name unique to this run) and a broken one (its weight shard left out) into a folder,
 * a graph-model checkpoint (lib/gan/fixtures/pixelnorm-graph, 16×16 chest, renamed for this run), and prints
 * their paths and names as JSON.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { zipFiles } from '@/lib/gan';
import { graphCheckpointZip, tinyCheckpointFiles } from '@/tests/support/gan';

async function main() {
  const stamp = Date.now().toString(36);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-gan-'));
  const spec = { resolution: 64, latentDim: 16, labels: [], baseChannels: 32, minChannels: 4 };
  const name = `e2e tiny ${stamp}`;
  const good = await tinyCheckpointFiles({ spec, seed: Date.now() % 100_000, manifest: { name, modality: 'CT_HEAD' } });
  const { 'weights.bin': _, ...broken } = await tinyCheckpointFiles({ spec, seed: 7, manifest: { name: `e2e broken ${stamp}`, modality: 'CT_HEAD' } });
  const goodPath = path.join(dir, 'tiny-generator.zip');
  const brokenPath = path.join(dir, 'broken-generator.zip');
  fs.writeFileSync(goodPath, await zipFiles(good));
  fs.writeFileSync(brokenPath, await zipFiles(broken));
  const graphName = `e2e graph ${stamp}`;
  const graphPath = path.join(dir, 'graph-generator.zip');
  fs.writeFileSync(graphPath, await graphCheckpointZip({ manifest: { name: graphName } }));
  console.log(JSON.stringify({ dir, good: goodPath, broken: brokenPath, name, brokenName: `e2e broken ${stamp}`, graph: graphPath, graphName }));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
