// The hostile and broken batch uploads of issue 6, built in memory: zips with yazl, broken images with the
// builders of make-image-fixtures.ts. Where a case needs a zip that no well-behaved tool writes (names with
// "..", a lying size, an encryption flag, a damaged directory), a valid zip is made first and then changed
// by a named function (scripts/lib/zip-builders.ts), so each fixture says exactly what is wrong with it.
// No binary is committed.
//
// Tests import `hostileCases()`. Run as a script to write every case to a folder for trying by hand:
//   npx tsx scripts/make-hostile-fixtures.ts /tmp/hostile     (files + cases.json with the expectations)
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildZip, damageCentralDirectory, declareUncompressedSize, markEncrypted, renameEntry, type ZipEntrySpec } from './lib/zip-builders';
import {
  corruptPng,
  dicomWithPhi,
  dicomWithoutPixelData,
  huPattern,
  rgbPng,
  sixteenBitPng,
  syntheticDicom,
  textFileNamedPng,
  truncatedDicom,
  truncatedIdatPng,
  variantPng,
} from './make-image-fixtures';

export { buildZip, damageCentralDirectory, declareUncompressedSize, markEncrypted, renameEntry, type ZipEntrySpec };

export type Modality = 'CXR' | 'CT_HEAD';
export type Origin = 'REAL' | 'SYNTHETIC';
/** `newPool`: the new pool the admin confirmed, for an upload that creates one (the form's second step). */
export type HostileUpload = { fileName: string; bytes: Uint8Array; modality: Modality; origin: Origin; newPool?: string };
export type ExpectedProblem = { file?: string; problem: RegExp };
export type HostileCase = {
  name: string;
  /** What is wrong, for the test's printed list. */
  description: string;
  upload: HostileUpload;
  /** Form fields as sent, when a case needs them wrong. */
  fields?: Record<string, string>;
  status: number;
  /** The response's `error` must match this. */
  error: RegExp;
  /** Each must match one of the response's problems. */
  problems: ExpectedProblem[];
  /** An upload that must succeed first (e.g. a pool with a label vocabulary). */
  setup?: HostileUpload;
};

export type HostileLimits = { maxBytes: number; maxEntries: number; maxEntryBytes: number; maxTotalBytes: number; maxRatio: number };

const MiB = 1024 * 1024;

/** Small limits, so every limit case stays small: used by the tests and by the e2e app (scripts/test.ts). */
export const HOSTILE_TEST_LIMITS: HostileLimits = { maxBytes: 8 * MiB, maxEntries: 1000, maxEntryBytes: 4 * MiB, maxTotalBytes: 16 * MiB, maxRatio: 100 };

/** Environment variables that give the app HOSTILE_TEST_LIMITS. */
export function hostileLimitsEnv(limits = HOSTILE_TEST_LIMITS): Record<string, string> {
  return {
    UPLOAD_MAX_BYTES: String(limits.maxBytes),
    UPLOAD_MAX_ENTRIES: String(limits.maxEntries),
    UPLOAD_MAX_ENTRY_BYTES: String(limits.maxEntryBytes),
    UPLOAD_MAX_TOTAL_BYTES: String(limits.maxTotalBytes),
    UPLOAD_MAX_RATIO: String(limits.maxRatio),
  };
}

// ---------------------------------------------------------------- contents

/** Data that deflates about 13-fold: 64 random bytes in every KiB (under a 100:1 ratio limit, unlike zeros). */
function moderatelyCompressible(bytes: number, seed: number): Uint8Array {
  const out = new Uint8Array(bytes);
  for (let i = 0; i < bytes; i += 1024) {
    const block = crypto.createHash('sha512').update(`${seed}:${i}`).digest();
    out.set(block.subarray(0, Math.min(64, bytes - i)), i);
  }
  return out;
}

function csv(lines: string[]): Uint8Array {
  return Uint8Array.from(Buffer.from(`${lines.join('\n')}\n`, 'utf8'));
}

const upload = (fileName: string, bytes: Uint8Array, modality: Modality = 'CXR', origin: Origin = 'REAL'): HostileUpload => ({ fileName, bytes, modality, origin });

/** Pixel values of a CT slice in HU, as a 16-bit DICOM: makes a 16-bit (HU) pool. */
function ctDicom(): Uint8Array {
  return syntheticDicom({ signed: true, stored: huPattern().map((hu) => hu + 1024), rescale: { slope: 1, intercept: -1024 } });
}

/** Every case of the list. `seed` keeps the good filler images of one run distinct from another's. */
export async function hostileCases(limits: HostileLimits = HOSTILE_TEST_LIMITS, seed = 1): Promise<HostileCase[]> {
  let next = seed * 1000;
  const good = (name = `good-${next}.png`, width = 64, height = 64) => ({ name, bytes: variantPng(next++, width, height) });
  const zip = (entries: ZipEntrySpec[]) => buildZip(entries);
  const cases: HostileCase[] = [];
  const add = (c: HostileCase) => cases.push(c);

  // --- not a zip, or not a whole one
  add({
    name: 'not-a-zip',
    description: 'a text file named batch.zip',
    upload: upload('batch.zip', Uint8Array.from(Buffer.from('these are my images, honest\n'))),
    status: 422,
    error: /not a zip/i,
    problems: [{ problem: /not a zip/i }],
  });
  const whole = await zip([good('a.png'), good('b.png'), good('c.png')]);
  add({
    name: 'truncated-zip',
    description: 'a valid zip cut at 60 % of its length (interrupted copy)',
    upload: upload('truncated.zip', whole.slice(0, Math.floor(whole.length * 0.6))),
    status: 422,
    error: /truncated|damaged/i,
    problems: [{ problem: /truncated|damaged/i }],
  });
  add({
    name: 'corrupt-zip',
    description: 'a zip whose central directory record signature is overwritten',
    upload: upload('corrupt.zip', damageCentralDirectory(whole)),
    status: 422,
    error: /damaged/i,
    problems: [{ problem: /damaged/i }],
  });

  // --- zip bombs
  add({
    name: 'zip-bomb-ratio',
    description: `an entry of ${Math.round((limits.maxEntryBytes - 1024) / MiB)} MiB of zeros (about 1000:1), refused from its header`,
    upload: upload('bomb-ratio.zip', await zip([good('a.png'), { name: 'bomb.png', bytes: new Uint8Array(limits.maxEntryBytes - 1024) }])),
    status: 422,
    error: /zip bomb/i,
    problems: [{ file: 'bomb.png', problem: /inflates/i }],
  });
  add({
    name: 'zip-bomb-lying-header',
    description: `an entry whose headers claim 1000 bytes but that inflates to ${(4 * limits.maxEntryBytes) / MiB} MiB of zeros, stopped while inflating`,
    upload: upload('bomb-liar.zip', declareUncompressedSize(await zip([good('a.png'), { name: 'liar.png', bytes: new Uint8Array(4 * limits.maxEntryBytes) }]), 'liar.png', 1000)),
    status: 422,
    error: /zip bomb/i,
    problems: [{ file: 'liar.png', problem: /inflates/i }],
  });
  const perEntry = Math.floor(limits.maxEntryBytes * 0.75);
  const entriesOverTotal = Math.floor(limits.maxTotalBytes / perEntry) + 1;
  add({
    name: 'zip-bomb-total',
    description: `${entriesOverTotal} entries of ${(perEntry / MiB).toFixed(1)} MiB (13:1 each) adding up to more than the total limit`,
    upload: upload('bomb-total.zip', await zip(Array.from({ length: entriesOverTotal }, (_, i) => ({ name: `part-${i}.png`, bytes: moderatelyCompressible(perEntry, i) })))),
    status: 422,
    error: /add up to/i,
    problems: [{ problem: /unpacked/i }],
  });

  // --- names and entry types
  add({
    name: 'path-traversal',
    description: 'an entry named ../evil.png',
    upload: upload('traversal.zip', renameEntry(await zip([good('a.png'), good('xx/evil.png')]), 'xx/evil.png', '../evil.png')),
    status: 422,
    error: /nothing was stored/i,
    problems: [{ file: '../evil.png', problem: /traversal/i }],
  });
  add({
    name: 'absolute-path',
    description: 'an entry named /etc/evil.png',
    upload: upload('absolute.zip', renameEntry(await zip([good('a.png'), good('Xetc/evil.png')]), 'Xetc/evil.png', '/etc/evil.png')),
    status: 422,
    error: /nothing was stored/i,
    problems: [{ file: '/etc/evil.png', problem: /absolute/i }],
  });
  add({
    name: 'windows-paths',
    description: 'entries named C:\\evil.png and ..\\evil2.png',
    upload: upload(
      'windows.zip',
      renameEntry(renameEntry(await zip([good('a.png'), good('C_/evil.png'), good('xx/evil2.png')]), 'C_/evil.png', 'C:\\evil.png'), 'xx/evil2.png', '..\\evil2.png'),
    ),
    status: 422,
    error: /nothing was stored/i,
    problems: [
      { file: 'C:\\evil.png', problem: /absolute/i },
      { file: '..\\evil2.png', problem: /traversal/i },
    ],
  });
  add({
    name: 'symlink',
    description: 'a symbolic link entry (link.png → /etc/passwd)',
    upload: upload('symlink.zip', await zip([good('a.png'), { name: 'link.png', bytes: Uint8Array.from(Buffer.from('/etc/passwd')), mode: 0o120777 }])),
    status: 422,
    error: /nothing was stored/i,
    problems: [{ file: 'link.png', problem: /symbolic link/i }],
  });
  add({
    name: 'too-many-entries',
    description: `${2 * limits.maxEntries} tiny entries (limit ${limits.maxEntries})`,
    upload: upload('many.zip', await zip(Array.from({ length: 2 * limits.maxEntries }, (_, i) => ({ name: `tiny-${i}.png`, bytes: Uint8Array.of(i & 0xff) })))),
    status: 422,
    error: /entries/i,
    problems: [{ problem: /entries/i }],
  });
  add({
    name: 'over-upload-limit',
    description: `a ${(limits.maxBytes / MiB + 1).toFixed(0)} MiB upload (limit ${(limits.maxBytes / MiB).toFixed(0)} MiB), refused while streaming`,
    upload: upload('huge.zip', await zip([{ name: 'huge.png', bytes: crypto.randomBytes(limits.maxBytes + MiB), compress: false }])),
    status: 413,
    error: /limit/i,
    problems: [],
  });
  add({
    name: 'encrypted-entry',
    description: 'an entry flagged as encrypted',
    upload: upload('encrypted.zip', markEncrypted(await zip([good('a.png'), good('secret.png')]), 'secret.png')),
    status: 422,
    error: /nothing was stored/i,
    problems: [{ file: 'secret.png', problem: /encrypted/i }],
  });
  add({
    name: 'duplicate-entry-names',
    description: 'two entries with the same name',
    upload: upload('twice.zip', await zip([good('a.png'), good('same.png'), good('same.png')])),
    status: 422,
    error: /nothing was stored/i,
    problems: [{ file: 'same.png', problem: /twice/i }],
  });
  add({
    name: 'other-file-types',
    description: 'a nested zip, a text file and a JPEG among the images',
    upload: upload('mixed-types.zip', await zip([good('a.png'), { name: 'inner.zip', bytes: whole }, { name: 'notes.txt', bytes: csv(['hello']) }, { name: 'scan.jpg', bytes: Uint8Array.of(0xff, 0xd8, 0xff, 0xe0) }])),
    status: 422,
    error: /nothing was stored/i,
    problems: [
      { file: 'inner.zip', problem: /not a batch file/i },
      { file: 'notes.txt', problem: /not a batch file/i },
      { file: 'scan.jpg', problem: /not a batch file/i },
    ],
  });
  add({
    name: 'no-images',
    description: 'a zip holding only a manifest',
    upload: upload('only-manifest.zip', await zip([{ name: 'manifest.csv', bytes: csv(['file,labels']) }])),
    status: 422,
    error: /nothing was stored/i,
    problems: [{ problem: /no \.png/i }],
  });

  // --- the files themselves
  add({
    name: 'empty-entry',
    description: 'a 0-byte empty.png',
    upload: upload('empty.zip', await zip([good('a.png'), { name: 'empty.png', bytes: new Uint8Array(0) }])),
    status: 422,
    error: /nothing was stored/i,
    problems: [{ file: 'empty.png', problem: /empty/i }],
  });
  add({
    name: 'text-as-png',
    description: 'a text file renamed scan.png',
    upload: upload('text.zip', await zip([good('a.png'), textFileNamedPng()])),
    status: 422,
    error: /nothing was stored/i,
    problems: [{ file: 'scan.png', problem: /text, not an image/i }],
  });
  add({
    name: 'corrupt-png-crc',
    description: 'a PNG with one IDAT byte flipped (bad CRC)',
    upload: upload('crc.zip', await zip([good('a.png'), { name: 'bad-crc.png', bytes: corruptPng() }])),
    status: 422,
    error: /nothing was stored/i,
    problems: [{ file: 'bad-crc.png', problem: /CRC|corrupt/i }],
  });
  add({
    name: 'truncated-png-idat',
    description: 'a PNG whose IDAT zlib stream is cut short (CRCs right)',
    upload: upload('idat.zip', await zip([good('a.png'), { name: 'cut-idat.png', bytes: truncatedIdatPng() }])),
    status: 422,
    error: /nothing was stored/i,
    problems: [{ file: 'cut-idat.png', problem: /truncated|corrupt|incomplete/i }],
  });
  add({
    name: 'colour-png',
    description: 'an RGB PNG with a red square (pool requires greyscale)',
    upload: upload('colour.zip', await zip([good('a.png'), { name: 'colour.png', bytes: rgbPng() }])),
    status: 422,
    error: /nothing was stored/i,
    problems: [{ file: 'colour.png', problem: /colour/i }],
  });
  add({
    name: 'wrong-dimensions',
    description: 'a 48×48 image in a batch of 64×64 images',
    upload: upload('sizes.zip', await zip([good('a.png'), good('small.png', 48, 48)])),
    status: 422,
    error: /nothing was stored/i,
    problems: [{ file: 'small.png', problem: /48×48.*requires 64×64/i }],
  });
  add({
    name: 'sixteen-bit-in-8-bit-pool',
    description: 'a 16-bit PNG in a batch (pool) of 8-bit images',
    upload: upload('depth16.zip', await zip([good('a.png'), { name: 'deep.png', bytes: sixteenBitPng() }])),
    status: 422,
    error: /nothing was stored/i,
    problems: [{ file: 'deep.png', problem: /16-bit.*8-bit/i }],
  });
  add({
    name: 'eight-bit-in-16-bit-pool',
    description: 'an 8-bit PNG in a batch (pool) of 16-bit CT in Hounsfield units',
    upload: upload('depth8.zip', await zip([{ name: 'a.dcm', bytes: ctDicom() }, good('shallow.png')]), 'CT_HEAD'),
    status: 422,
    error: /nothing was stored/i,
    problems: [{ file: 'shallow.png', problem: /8-bit.*16-bit/i }],
  });
  add({
    name: 'truncated-dicom',
    description: 'a DICOM cut at 60 %',
    upload: upload('dicom-cut.zip', await zip([{ name: 'a.dcm', bytes: ctDicom() }, { name: 'cut.dcm', bytes: truncatedDicom(ctDicom()) }]), 'CT_HEAD'),
    status: 422,
    error: /nothing was stored/i,
    problems: [{ file: 'cut.dcm', problem: /truncated/i }],
  });
  add({
    name: 'dicom-without-pixels',
    description: 'a DICOM with no pixel data element',
    upload: upload('dicom-nopixels.zip', await zip([{ name: 'a.dcm', bytes: ctDicom() }, { name: 'report.dcm', bytes: dicomWithoutPixelData() }]), 'CT_HEAD'),
    status: 422,
    error: /nothing was stored/i,
    problems: [{ file: 'report.dcm', problem: /no pixel data/i }],
  });
  for (const [syntax, label] of [
    ['1.2.840.10008.1.2.4.90', 'JPEG 2000'],
    ['1.2.840.10008.1.2.4.80', 'JPEG-LS'],
  ] as const) {
    add({
      name: `dicom-${label.toLowerCase().replace(/\s+/g, '')}`,
      description: `a DICOM in the ${label} transfer syntax`,
      upload: upload(`dicom-${syntax}.zip`, await zip([{ name: 'a.dcm', bytes: ctDicom() }, { name: 'compressed.dcm', bytes: syntheticDicom({ transferSyntax: syntax }) }]), 'CT_HEAD'),
      status: 422,
      error: /nothing was stored/i,
      problems: [{ file: 'compressed.dcm', problem: /not supported/i }],
    });
  }
  add({
    name: 'dicom-burned-in-annotation',
    description: 'a DICOM that says identifying text is burned into its pixels',
    upload: upload('burned-in.zip', await zip([{ name: 'burned.dcm', bytes: dicomWithPhi({ burnedInAnnotation: true }) }]), 'CT_HEAD'),
    status: 422,
    error: /nothing was stored/i,
    problems: [{ file: 'burned.dcm', problem: /burned into the pixels/i }],
  });
  add({
    name: 'several-bad-files',
    description: 'one batch with a text file, a colour PNG and an empty file: every one is named',
    upload: upload('several.zip', await zip([good('a.png'), textFileNamedPng(), { name: 'colour.png', bytes: rgbPng() }, { name: 'zero.png', bytes: new Uint8Array(0) }])),
    status: 422,
    error: /nothing was stored/i,
    problems: [
      { file: 'zero.png', problem: /empty/i },
      { file: 'scan.png', problem: /text/i },
      { file: 'colour.png', problem: /colour/i },
    ],
  });

  // --- the manifest
  const pair = () => [good('a.png'), good('b.png')];
  add({
    name: 'manifest-row-for-missing-file',
    description: 'manifest.csv lists ghost.png, which is not in the zip',
    upload: upload('manifest-ghost.zip', await zip([...pair(), { name: 'manifest.csv', bytes: csv(['file,labels', 'a.png,', 'b.png,', 'ghost.png,']) }])),
    status: 422,
    error: /nothing was stored/i,
    problems: [{ file: 'ghost.png', problem: /listed in the manifest but not in the batch/i }],
  });
  add({
    name: 'file-missing-from-manifest',
    description: 'b.png is in the zip but not in manifest.csv',
    upload: upload('manifest-missing.zip', await zip([...pair(), { name: 'manifest.csv', bytes: csv(['file,labels', 'a.png,']) }])),
    status: 422,
    error: /nothing was stored/i,
    problems: [{ file: 'b.png', problem: /missing from the manifest/i }],
  });
  add({
    name: 'manifest-formula-injection',
    description: 'a manifest cell =HYPERLINK(…) (spreadsheet formula)',
    upload: upload('manifest-formula.zip', await zip([...pair(), { name: 'manifest.csv', bytes: csv(['file,labels', 'a.png,"=HYPERLINK(""http://evil.example"",""x"")"', 'b.png,']) }])),
    status: 422,
    error: /nothing was stored/i,
    problems: [{ file: 'manifest.csv row 2', problem: /formula/i }],
  });
  add({
    name: 'manifest-bad-encoding',
    description: 'a manifest saved as Latin-1 (é as byte 0xE9: invalid UTF-8)',
    upload: upload('manifest-latin1.zip', await zip([...pair(), { name: 'manifest.csv', bytes: Uint8Array.from(Buffer.from('file,labels\na.png,effusion\nb.png,épanchement\n', 'latin1')) }])),
    status: 422,
    error: /nothing was stored/i,
    problems: [{ file: 'manifest.csv', problem: /not valid UTF-8 \(line 3\)/i }],
  });
  add({
    name: 'manifest-utf16',
    description: 'a manifest saved as UTF-16 with a byte-order mark',
    upload: upload('manifest-utf16.zip', await zip([...pair(), { name: 'manifest.csv', bytes: Uint8Array.from(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('file,labels\na.png,\nb.png,\n', 'utf16le')])) }])),
    status: 422,
    error: /nothing was stored/i,
    problems: [{ file: 'manifest.csv', problem: /UTF-16/i }],
  });
  add({
    name: 'manifest-column-count',
    description: 'a manifest row with more cells than the header',
    upload: upload('manifest-cells.zip', await zip([...pair(), { name: 'manifest.csv', bytes: csv(['file,labels', 'a.png,effusion', 'b.png,nodule,extra,cells']) }])),
    status: 422,
    error: /nothing was stored/i,
    problems: [{ file: 'manifest.csv row 3', problem: /4 cells; the header has 2/i }],
  });
  const vocabularySize = 80;
  add({
    name: 'labels-outside-vocabulary',
    description: `a label the pool's vocabulary lacks (pool CXR-${vocabularySize}: effusion, nodule)`,
    // The setup creates the pool, as an admin who confirmed it would.
    setup: {
      ...upload(
        'vocabulary-setup.zip',
        await zip([good('v1.png', vocabularySize, vocabularySize), good('v2.png', vocabularySize, vocabularySize), { name: 'manifest.csv', bytes: csv(['file,labels', 'v1.png,effusion', 'v2.png,nodule']) }]),
      ),
      newPool: `CXR-${vocabularySize}`,
    },
    upload: upload(
      'vocabulary.zip',
      await zip([good('v3.png', vocabularySize, vocabularySize), good('v4.png', vocabularySize, vocabularySize), { name: 'manifest.csv', bytes: csv(['file,labels', 'v3.png,effusion', 'v4.png,effusion|pneumothorax']) }]),
    ),
    status: 422,
    error: /nothing was stored/i,
    problems: [{ file: 'manifest.csv row 3', problem: /"pneumothorax" are not in the pool's vocabulary/i }],
  });

  // --- the form
  add({
    name: 'bad-form-fields',
    description: 'modality MRI and no origin',
    upload: upload('fields.zip', await zip([good('a.png')])),
    fields: { modality: 'MRI' },
    status: 400,
    error: /modality must be CXR or CT_HEAD/i,
    problems: [],
  });
  return cases;
}

/** A multipart body as a browser sends it, for tests that post to the upload handler. */
export function multipartForm(upload: HostileUpload, fields?: Record<string, string>): FormData {
  const form = new FormData();
  const values = fields ?? { modality: upload.modality, origin: upload.origin, ...(upload.newPool && { newPool: upload.newPool }) };
  for (const [k, v] of Object.entries(values)) form.append(k, v);
  form.append('file', new Blob([Buffer.from(upload.bytes)], { type: 'application/zip' }), upload.fileName);
  return form;
}

// ---------------------------------------------------------------- CLI

async function main(outDir: string | undefined): Promise<void> {
  if (!outDir) throw new Error('usage: tsx scripts/make-hostile-fixtures.ts OUT_DIR');
  fs.mkdirSync(outDir, { recursive: true });
  const cases = await hostileCases();
  const index = cases.map((c) => {
    fs.writeFileSync(path.join(outDir, `${c.name}.zip`), c.upload.bytes);
    if (c.setup) fs.writeFileSync(path.join(outDir, `${c.name}.setup.zip`), c.setup.bytes);
    return { name: c.name, description: c.description, modality: c.upload.modality, origin: c.upload.origin, status: c.status, problems: c.problems.map((p) => ({ file: p.file, problem: String(p.problem) })) };
  });
  fs.writeFileSync(path.join(outDir, 'cases.json'), `${JSON.stringify({ limits: HOSTILE_TEST_LIMITS, cases: index }, null, 2)}\n`);
  console.log(`wrote ${cases.length} cases to ${outDir} (limits: ${JSON.stringify(HOSTILE_TEST_LIMITS)})`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv[2]).catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
