import fs from 'node:fs';
import path from 'node:path';
import { parseManifest } from './manifest';
import { importBatch, ImportRejected, type ImportOptions, type ImportResult } from './import';

const IMAGE_FILE = /\.(png|dcm|dicom)$/i;

/** Imports every PNG/DICOM file of a folder (not recursive) as one batch, with an optional label CSV. */
export async function importFolder(
  options: Omit<ImportOptions, 'files' | 'manifest' | 'kind'> & { dir: string; labelsCsv?: string; kind?: ImportOptions['kind'] },
): Promise<ImportResult> {
  if (!fs.existsSync(options.dir) || !fs.statSync(options.dir).isDirectory()) {
    throw new ImportRejected([{ file: options.dir, problem: 'is not a folder' }]);
  }
  const names = fs.readdirSync(options.dir).filter((n) => IMAGE_FILE.test(n)).sort();
  const files = names.map((name) => ({ name, bytes: new Uint8Array(fs.readFileSync(path.join(options.dir, name))) }));
  let manifest: ImportOptions['manifest'];
  if (options.labelsCsv) {
    const parsed = parseManifest(fs.readFileSync(options.labelsCsv, 'utf8'), path.basename(options.labelsCsv));
    if (parsed.problems.length) throw new ImportRejected(parsed.problems);
    manifest = parsed.rows;
  }
  return importBatch({ ...options, kind: options.kind ?? 'IMPORT', files, manifest, source: options.source ?? path.basename(options.dir) });
}
