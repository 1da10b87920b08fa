import yazl from 'yazl';
import type * as tfTypes from '@tensorflow/tfjs';
import type { CheckpointManifest } from './manifest';

/**
 * Writes a tfjs model + manifest as a checkpoint zip (the same layout scripts/gan/train.py writes). For test
 * and benchmark checkpoints and for converting a Keras model already loaded in tfjs.
 */
export async function modelFiles(model: tfTypes.LayersModel): Promise<{ modelJson: Uint8Array; weights: Uint8Array }> {
  let captured: tfTypes.io.ModelArtifacts | null = null;
  await model.save({
    save: async (artifacts) => {
      captured = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(0), modelTopologyType: 'JSON' } };
    },
  });
  const artifacts = captured as unknown as tfTypes.io.ModelArtifacts;
  const weightData = artifacts.weightData as ArrayBuffer;
  const modelJson = {
    format: 'layers-model',
    generatedBy: 'reader-study lib/gan',
    convertedBy: null,
    modelTopology: artifacts.modelTopology,
    weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs }],
  };
  return { modelJson: new TextEncoder().encode(JSON.stringify(modelJson)), weights: new Uint8Array(weightData) };
}

export type ZipEntries = Record<string, Uint8Array | string>;

/** A zip of the given files, fixed timestamps (same files → same bytes). */
export function zipFiles(entries: ZipEntries): Promise<Uint8Array> {
  const zip = new yazl.ZipFile();
  for (const [name, content] of Object.entries(entries)) {
    zip.addBuffer(Buffer.from(typeof content === 'string' ? new TextEncoder().encode(content) : content), name, { mtime: new Date(Date.UTC(2026, 0, 1)), mode: 0o100644 });
  }
  zip.end();
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    zip.outputStream.on('data', (c: Buffer) => chunks.push(c));
    zip.outputStream.on('error', reject);
    zip.outputStream.on('end', () => resolve(new Uint8Array(Buffer.concat(chunks))));
  });
}

export async function checkpointZip(model: tfTypes.LayersModel, manifest: CheckpointManifest | Record<string, unknown>): Promise<Uint8Array> {
  const { modelJson, weights } = await modelFiles(model);
  return zipFiles({ 'checkpoint.json': JSON.stringify(manifest, null, 2), 'model.json': modelJson, 'weights.bin': weights });
}
