import { readZip as readAnyZip, ZipRefused, type ZipArchiveProblem, type ZipEntryProblem, type ZipFileEntry, type ZipLimits as FileZipLimits } from '@/lib/files/zip';
import { formatBytes, UploadError, type UploadProblem } from './errors';

/**
 * A batch zip, read by the one zip reader (lib/files/zip.ts, which lists what it refuses) with the upload's
 * limits: which files a batch takes (.png, .dcm, .dicom and one `manifest.csv`; an empty file is a problem),
 * and the reader's problems said for the admin who uploads. Per-entry problems are collected for every entry,
 * so the admin sees all of them; limits that make the zip as a whole untrustworthy (bomb, entry count,
 * corrupt) stop reading at once with an UploadError.
 */
export type ZipLimits = Omit<FileZipLimits, 'maxZipBytes'>;
export type { ZipFileEntry };
export type ZipContents = {
  files: ZipFileEntry[];
  manifest: ZipFileEntry | null;
  ignored: string[];
  problems: UploadProblem[];
  /** Bytes inflated in all (tests check that a bomb stopped early). */
  inflatedBytes: number;
};

export { RATIO_GRACE_BYTES } from '@/lib/files/zip';
export const IMAGE_EXTENSIONS = ['.png', '.dcm', '.dicom'];
export const MANIFEST_NAME = 'manifest.csv';

/** `stats` is updated as entries inflate, also when reading stops with an error (tests check bombs stop early). */
export async function readZip(zipPath: string, limits: ZipLimits, stats: { inflatedBytes: number } = { inflatedBytes: 0 }): Promise<ZipContents> {
  let read;
  try {
    read = await readAnyZip({ path: zipPath }, limits, { isWanted, stats });
  } catch (error) {
    if (error instanceof ZipRefused) throw refusal(error.problem, limits);
    throw error;
  }
  const problems = read.problems.map((p) => ({ file: p.entry, problem: entryProblem(p, limits) }));
  const files: ZipFileEntry[] = [];
  let manifest: ZipFileEntry | null = null;
  for (const file of read.files) {
    if (file.bytes.length === 0) problems.push({ file: file.name, problem: 'is empty (0 bytes)' });
    else if (file.name.toLowerCase() === MANIFEST_NAME) manifest = file;
    else files.push(file);
  }
  files.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { files, manifest, ignored: read.ignored, problems, inflatedBytes: read.inflatedBytes };
}

function isWanted(name: string): boolean {
  const lower = name.toLowerCase();
  return lower === MANIFEST_NAME || IMAGE_EXTENSIONS.some((ext) => lower.endsWith(ext));
}

function entryProblem(p: ZipEntryProblem, limits: ZipLimits): string {
  switch (p.code) {
    case 'unsafe-path':
      return {
        absolute: 'has an absolute path; entries must be relative to the zip',
        'parent-segment': 'has a ".." path segment (path traversal)',
        'dot-segment': 'has a "." path segment; zip the files themselves, not "./"',
        backslash: 'has a backslash in its path; zip it with a standard tool',
        'control-character': 'has control characters in its name',
        'too-long': 'has a name longer than 255 characters',
      }[p.reason];
    case 'symlink':
      return 'is a symbolic link; put the file itself in the zip';
    case 'folder-as-file':
      return 'is a folder with a file name';
    case 'special-file':
      return 'is not a regular file (device, pipe or socket)';
    case 'encrypted':
      return 'is encrypted; zip the files without a password';
    case 'compression-method':
      return `uses compression method ${p.method}; only stored and deflate are read — make a standard zip`;
    case 'unwanted':
      return `is not a batch file: only ${IMAGE_EXTENSIONS.join(', ')} images and one ${MANIFEST_NAME} are accepted`;
    case 'duplicate':
      return 'is in the zip twice';
    case 'entry-too-large':
      return `is ${formatBytes(p.bytes)} unpacked; the limit per file is ${formatBytes(limits.maxEntryBytes)} (UPLOAD_MAX_ENTRY_BYTES)`;
  }
}

function refusal(p: ZipArchiveProblem, limits: ZipLimits): UploadError {
  switch (p.code) {
    case 'not-a-zip':
      return new UploadError('unprocessable', 'The upload is not a zip file. Put the PNG/DICOM files (and manifest.csv) in a .zip and upload that.', [
        { file: '(upload)', problem: 'is not a zip archive' },
      ]);
    case 'zip-too-large':
      return new UploadError('too-large', `The upload is ${formatBytes(p.bytes)}; the limit is ${formatBytes(p.limit)} (UPLOAD_MAX_BYTES).`, [
        { file: '(upload)', problem: `${formatBytes(p.bytes)}; the limit is ${formatBytes(p.limit)}` },
      ]);
    case 'too-many-entries':
      return new UploadError('unprocessable', `The zip holds ${p.count} entries; a batch may hold at most ${p.limit} (UPLOAD_MAX_ENTRIES). Split it into smaller batches.`, [
        { file: '(zip)', problem: `${p.count} entries; the limit is ${p.limit}` },
      ]);
    case 'damaged': {
      const what = p.isTruncated ? 'is truncated or damaged' : 'is damaged';
      return new UploadError('unprocessable', `The zip ${what} (${p.detail}); zip the files again and upload the new zip.`, [
        { file: p.entry ?? '(zip)', problem: `${p.isTruncated ? 'truncated or damaged zip' : 'damaged zip'}: ${p.detail}` },
      ]);
    }
    case 'bomb': {
      const detail =
        p.reason === 'declared-ratio'
          ? `its header says it inflates ${Math.round(p.ratio)}-fold`
          : p.reason === 'past-allowed'
            ? `it inflates past the ${formatBytes(p.allowedBytes)} its header or the limit allows`
            : p.reason === 'ratio'
              ? `it inflates more than ${p.limit}-fold`
              : 'it inflates past the size its header declares';
      return new UploadError('unprocessable', `The zip looks like a zip bomb: ${p.entry}: ${detail}. Nothing was stored.`, [
        { file: p.entry, problem: `${detail} (limits: ${limits.maxRatio}:1 compression, ${formatBytes(limits.maxEntryBytes)} per file)` },
      ]);
    }
    case 'total-too-large':
      return new UploadError('unprocessable', `The files add up to more than ${formatBytes(limits.maxTotalBytes)} unpacked (UPLOAD_MAX_TOTAL_BYTES). Split the batch.`, [
        { file: '(zip)', problem: `at least ${formatBytes(p.bytes)} unpacked; the limit is ${formatBytes(limits.maxTotalBytes)}` },
      ]);
  }
}
