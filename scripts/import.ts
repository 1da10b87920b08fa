/**
 * Import a folder of PNG/DICOM images into a pool through the one image pipeline, as one batch:
 *
 *   npm run import -- --dir <folder> --modality CXR|CT_HEAD --origin real|synthetic [--labels <csv>] [--pool <key>]
 *
 * The label CSV has columns file, labels (pipe-separated) and optionally patient_id, source, licence.
 * Uses DATABASE_URL, or the embedded Postgres under DATA_DIR when it is unset.
 */
import { parseArgs } from 'node:util';
import { withDatabase } from './lib/database';
import { importFolder } from '@/lib/pools/folder';
import { ImportRejected } from '@/lib/pools/import';

async function main() {
  const { values } = parseArgs({
    options: {
      dir: { type: 'string' },
      modality: { type: 'string' },
      origin: { type: 'string' },
      labels: { type: 'string' },
      pool: { type: 'string' },
    },
  });
  const modality = values.modality?.toUpperCase();
  const origin = values.origin?.toUpperCase();
  if (!values.dir || (modality !== 'CXR' && modality !== 'CT_HEAD') || (origin !== 'REAL' && origin !== 'SYNTHETIC')) {
    console.error('Usage: npm run import -- --dir <folder> --modality CXR|CT_HEAD --origin real|synthetic [--labels <csv>] [--pool <key>]');
    process.exit(2);
  }
  await withDatabase(async () => {
    try {
      const result = await importFolder({ dir: values.dir!, modality, origin, labelsCsv: values.labels, poolKey: values.pool });
      console.log(`Imported ${result.imported} image(s) into pool ${result.poolKey} (batch ${result.batchId}).`);
      for (const d of result.duplicates) console.log(`  duplicate, not stored again: ${d.file}`);
    } catch (error) {
      if (!(error instanceof ImportRejected)) throw error;
      console.error(error.message);
      for (const p of error.problems) console.error(`  ${p.file}: ${p.problem}`);
      process.exitCode = 1;
    }
  });
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
