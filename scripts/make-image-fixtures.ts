// Builds, in memory, the good and broken inputs the lib/images tests feed to the pipeline.
// Broken files are generated from valid ones by a named, visible change (never hand-edited
// binaries), so each fixture documents exactly what is wrong with it.
//
// The tests import the builders directly. Run as a script to write every fixture to a folder,
// e.g. for trying uploads by hand:   npx tsx scripts/make-image-fixtures.ts /tmp/image-fixtures
import { encode as encodePng } from 'fast-png';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';
import { PNG_SIGNATURE, crc32, readPngChunks } from '../lib/images/png';
import { readShared } from '@/tests/support/shared-data';

// dcmjs ships no type declarations; this is the little of it we use.
interface Dcmjs {
  data: {
    DicomDict: new (meta: object) => { dict: object; write(): ArrayBuffer };
    DicomMetaDictionary: { denaturalizeDataset(dataset: object): object };
  };
}
const dcmjs = createRequire(import.meta.url)('dcmjs') as Dcmjs;

// ---------------------------------------------------------------- pixels

/** A deterministic, non-blank test pattern: diagonal gradient plus a bright square. */
export function testPattern(width: number, height: number, max = 255): number[] {
  const out: number[] = [];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const square = x > width / 4 && x < width / 2 && y > height / 4 && y < height / 2;
      out.push(square ? max : Math.round(((x + y) / (width + height - 2)) * max * 0.8));
    }
  }
  return out;
}

// ---------------------------------------------------------------- PNG

export function greyPng(width = 64, height = 64, options: { interlace?: boolean } = {}): Uint8Array {
  const data = Uint8Array.from(testPattern(width, height));
  return encodePng({ width, height, data, depth: 8, channels: 1 }, { interlace: options.interlace ? 'Adam7' : 'null' });
}

/**
 * A distinct, valid greyscale PNG per seed: the test pattern plus seeded noise, so a batch of them holds
 * no duplicates (same pipeline, different sha256).
 */
export function variantPng(seed: number, width = 64, height = 64, depth: 8 | 16 = 8): Uint8Array {
  const max = depth === 8 ? 255 : 4000;
  let state = (seed * 2654435761) >>> 0 || 1;
  const noise = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return ((state >>> 0) % 17) - 8;
  };
  const values = testPattern(width, height, max).map((v) => Math.min(max, Math.max(0, v + noise())));
  const data = depth === 8 ? Uint8Array.from(values) : Uint16Array.from(values);
  return encodePng({ width, height, data, depth, channels: 1 });
}

export function sixteenBitPng(width = 64, height = 64): Uint8Array {
  const data = Uint16Array.from(testPattern(width, height, 4000));
  return encodePng({ width, height, data, depth: 16, channels: 1 });
}

/** Genuine colour: a red square on a grey gradient. */
export function rgbPng(width = 64, height = 64): Uint8Array {
  const grey = testPattern(width, height);
  const data = new Uint8Array(width * height * 3);
  grey.forEach((v, i) => data.set(v === 255 ? [255, 0, 0] : [v, v, v], i * 3));
  return encodePng({ width, height, data, depth: 8, channels: 3 });
}

/** Grey content saved as RGB (R = G = B everywhere), as many tools do: accepted as grey. */
export function greyAsRgbPng(width = 64, height = 64): Uint8Array {
  const data = new Uint8Array(width * height * 3);
  testPattern(width, height).forEach((v, i) => data.set([v, v, v], i * 3));
  return encodePng({ width, height, data, depth: 8, channels: 3 });
}

/** Grey + alpha; with `alpha` below 255 somewhere it is translucent and must be refused. */
export function greyAlphaPng(alpha: number, width = 64, height = 64): Uint8Array {
  const data = new Uint8Array(width * height * 2);
  testPattern(width, height).forEach((v, i) => data.set([v, i === width + 1 ? alpha : 255], i * 2));
  return encodePng({ width, height, data, depth: 8, channels: 2 });
}

/** One byte inside the IDAT data flipped; the chunk's CRC no longer matches. */
export function corruptPng(): Uint8Array {
  const bytes = greyPng().slice();
  const idat = chunkOffset(bytes, 'IDAT');
  bytes[idat.dataStart + Math.floor(idat.length / 2)] ^= 0xff;
  return bytes;
}

/** A file cut in the middle of its IDAT chunk (an interrupted upload). */
export function truncatedPng(): Uint8Array {
  const bytes = greyPng();
  const idat = chunkOffset(bytes, 'IDAT');
  return bytes.slice(0, idat.dataStart + Math.floor(idat.length / 2));
}

/** Structurally valid (all CRCs right) but the zlib stream inside IDAT is cut short. */
export function truncatedIdatPng(): Uint8Array {
  const chunks = readPngChunks(greyPng());
  return assemblePng(chunks.map((c) => (c.type === 'IDAT' ? { type: 'IDAT', data: c.data.subarray(0, c.data.length >> 1) } : c)));
}

/** A CRC-correct PNG that also carries text, time, size, gamma and EXIF chunks: all must be stripped. */
export const METADATA_SECRET = 'class=synthetic generator=stylegan2-epoch-200';
export function pngWithMetadata(): Uint8Array {
  const chunks = readPngChunks(greyPng());
  const latin1 = (s: string) => Uint8Array.from(Buffer.from(s, 'latin1'));
  const extra = [
    { type: 'tEXt', data: latin1(`Comment\0${METADATA_SECRET}`) },
    { type: 'zTXt', data: Uint8Array.from([...latin1('Author\0\0'), ...zlibOf(latin1('Dr Example, St Elsewhere'))]) },
    { type: 'iTXt', data: latin1(`Description\0\0\0en\0\0${METADATA_SECRET}`) },
    { type: 'tIME', data: Uint8Array.of(0x07, 0xe8, 1, 15, 9, 30, 0) }, // 2024-01-15 09:30:00
    { type: 'pHYs', data: Uint8Array.of(0, 0, 0x0b, 0x13, 0, 0, 0x0b, 0x13, 1) },
    { type: 'gAMA', data: Uint8Array.of(0, 0, 0xb1, 0x8f) },
    { type: 'eXIf', data: latin1('MM\0*\0\0\0\x08\0\0') },
  ];
  return assemblePng([chunks[0], ...extra, ...chunks.slice(1)]);
}

/** Valid except that the CRC of an ancillary tEXt chunk is wrong: shows what fast-png alone misses. */
export function badCrcInTextChunkPng(): Uint8Array {
  const [ihdr, ...rest] = readPngChunks(greyPng());
  const bytes = assemblePng([ihdr, { type: 'tEXt', data: Uint8Array.from(Buffer.from('Comment\0hello', 'latin1')) }, ...rest]);
  const text = chunkOffset(bytes, 'tEXt');
  bytes[text.dataStart + text.length] ^= 0x01; // first CRC byte
  return bytes;
}

export function emptyFile(): Uint8Array {
  return new Uint8Array(0);
}

/** What arrives when someone renames notes.txt to scan.png. */
export function textFileNamedPng(): { name: string; bytes: Uint8Array } {
  return { name: 'scan.png', bytes: Uint8Array.from(Buffer.from('Patient notes\nnothing to see here\n', 'utf8')) };
}

// ---------------------------------------------------------------- DICOM

export interface DicomSpec {
  rows?: number;
  columns?: number;
  transferSyntax?: string;
  modality?: string;
  bitsAllocated?: 8 | 16;
  bitsStored?: number;
  signed?: boolean;
  photometric?: string;
  /** Stored values, row-major; default testPattern. */
  stored?: number[];
  rescale?: { slope: number; intercept: number };
  window?: { center: number; width: number };
  /** Extra natural-named attributes (PatientName...). */
  attributes?: Record<string, unknown>;
  /** Attributes dcmjs has no name for (private tags), as written: { '00091010': { vr: 'LO', Value: ['…'] } }. */
  rawAttributes?: Record<string, { vr: string; Value: unknown[] }>;
  /** Leave out (7FE0,0010). */
  noPixelData?: boolean;
}

/** A Part 10 DICOM file written by dcmjs, an implementation independent of our reader. */
export function syntheticDicom(spec: DicomSpec = {}): Uint8Array {
  const { rows = 64, columns = 64, transferSyntax = '1.2.840.10008.1.2.1', modality = 'CT', bitsAllocated = 16 } = spec;
  const bitsStored = spec.bitsStored ?? bitsAllocated;
  const stored = spec.stored ?? testPattern(columns, rows, 2 ** bitsStored - 1);
  const sopClass = modality === 'CT' ? '1.2.840.10008.5.1.4.1.1.2' : '1.2.840.10008.5.1.4.1.1.1';
  const dataset: Record<string, unknown> = {
    SOPClassUID: sopClass,
    SOPInstanceUID: '2.25.1234567890',
    Modality: modality,
    Rows: rows,
    Columns: columns,
    SamplesPerPixel: 1,
    PhotometricInterpretation: spec.photometric ?? 'MONOCHROME2',
    BitsAllocated: bitsAllocated,
    BitsStored: bitsStored,
    HighBit: bitsStored - 1,
    PixelRepresentation: spec.signed ? 1 : 0,
    ...(spec.rescale && { RescaleSlope: String(spec.rescale.slope), RescaleIntercept: String(spec.rescale.intercept) }),
    ...(spec.window && { WindowCenter: String(spec.window.center), WindowWidth: String(spec.window.width) }),
    ...spec.attributes,
  };
  if (!spec.noPixelData) {
    dataset.PixelData = [pixelBuffer(stored, bitsAllocated, spec.signed ?? false, transferSyntax === '1.2.840.10008.1.2.2')];
    dataset._vrMap = { PixelData: bitsAllocated === 8 ? 'OB' : 'OW' };
  }
  const meta = {
    FileMetaInformationVersion: Uint8Array.of(0, 1).buffer,
    MediaStorageSOPClassUID: sopClass,
    MediaStorageSOPInstanceUID: dataset.SOPInstanceUID,
    TransferSyntaxUID: transferSyntax,
    ImplementationClassUID: '2.25.42',
  };
  const dict = new dcmjs.data.DicomDict(dcmjs.data.DicomMetaDictionary.denaturalizeDataset(meta));
  dict.dict = { ...dcmjs.data.DicomMetaDictionary.denaturalizeDataset(dataset), ...spec.rawAttributes };
  return new Uint8Array(dict.write());
}

/** dcmjs writes pixel bytes as given, so big-endian files get big-endian bytes from us. */
function pixelBuffer(stored: number[], bitsAllocated: 8 | 16, signed: boolean, bigEndian: boolean): ArrayBuffer {
  if (bitsAllocated === 8) return Uint8Array.from(stored).buffer;
  const view = new DataView(new ArrayBuffer(stored.length * 2));
  stored.forEach((v, i) => (signed ? view.setInt16(2 * i, v, !bigEndian) : view.setUint16(2 * i, v, !bigEndian)));
  return view.buffer;
}

/** HU pattern of the PHI and big-endian fixtures: air (-1000) around a disc of soft tissue and bone. */
export function huPattern(rows = 64, columns = 64): number[] {
  const out: number[] = [];
  for (let y = 0; y < rows; y++) {
    for (let x = 0; x < columns; x++) {
      const r = Math.hypot(x - columns / 2, y - rows / 2);
      out.push(r > columns * 0.45 ? -1000 : r > columns * 0.4 ? 1200 : 20 + ((x * 7 + y * 3) % 60));
    }
  }
  return out;
}

/**
 * Identifying data in 29 attributes of the kinds DICOM PS3.15 Table E.1-1 lists (names, ids, dates, times,
 * addresses, institution, physicians, device serial, UIDs, free text). Every value but PatientSex is long
 * and distinctive, so a test can search stored bytes and database dumps for it.
 */
export const PHI = {
  PatientName: 'Doe^Jane^Q',
  PatientID: 'MRN-0042-PHI',
  PatientBirthDate: '19610203',
  PatientSex: 'F',
  StudyDate: '20240115',
  StudyTime: '093017.250',
  SeriesDate: '20240116',
  AccessionNumber: 'ACC-778-PHI',
  InstitutionName: 'St Elsewhere General Hospital',
  ReferringPhysicianName: 'House^Gregory',
  StudyDescription: 'SYNTHETIC-CLASS-LEAK head ct',
  PatientBirthTime: '071544.125',
  OtherPatientIDs: 'OTHER-ID-7781',
  PatientAddress: '12 Harley Street, Londinium',
  PatientTelephoneNumbers: '+44-20-7946-0018',
  PatientAge: '063Y',
  AcquisitionDate: '20240117',
  AcquisitionTime: '093512.875',
  ContentDate: '20240118',
  InstitutionAddress: '1 Hospital Road, Springfield',
  InstitutionalDepartmentName: 'Neuroradiology PHI Department',
  PerformingPhysicianName: 'Grey^Meredith',
  OperatorsName: 'Operator^Olga',
  StationName: 'CTSTATION-PHI-07',
  DeviceSerialNumber: 'SN-PHI-99812',
  StudyID: 'STUDYID-PHI-31',
  SeriesDescription: 'PHI series description axial',
  RequestingPhysician: 'Wilson^James',
  ImageComments: 'Patient complained of PHI headache',
  StudyInstanceUID: '1.2.826.0.1.3680043.8.498.10001',
  SeriesInstanceUID: '1.2.826.0.1.3680043.8.498.10002',
  FrameOfReferenceUID: '1.2.826.0.1.3680043.8.498.10003',
  SOPInstanceUID: '1.2.826.0.1.3680043.8.498.10004',
};

/** A private block (odd group 0009) with a creator and a value: the profile removes private tags. */
export const PRIVATE_PHI = { creator: 'ACME PRIVATE CREATOR', value: 'PRIVATE-PHI-VALUE-42' };

/** A signed 16-bit CT (stored = HU + 1024, intercept -1024) carrying identifying data. */
export function dicomWithPhi(options: { burnedInAnnotation?: boolean } = {}): Uint8Array {
  return syntheticDicom({
    signed: true,
    stored: huPattern().map((hu) => hu + 1024),
    rescale: { slope: 1, intercept: -1024 },
    window: { center: 40, width: 80 },
    attributes: { ...PHI, ...(options.burnedInAnnotation && { BurnedInAnnotation: 'YES' }) },
    rawAttributes: {
      '00090010': { vr: 'LO', Value: [PRIVATE_PHI.creator] },
      '00091001': { vr: 'LO', Value: [PRIVATE_PHI.value] },
    },
  });
}

export function dicomWithoutPixelData(): Uint8Array {
  return syntheticDicom({ noPixelData: true, attributes: { PatientID: 'NO-PIXELS' } });
}

/** A real file cut at `fraction` of its length (an interrupted upload or copy). */
export function truncatedDicom(source: Uint8Array, fraction = 0.6): Uint8Array {
  return source.slice(0, Math.floor(source.length * fraction));
}

/** Explicit VR big endian, signed CT: same HU pattern as dicomWithPhi. */
export function bigEndianDicom(): Uint8Array {
  return syntheticDicom({
    transferSyntax: '1.2.840.10008.1.2.2',
    signed: true,
    stored: huPattern().map((hu) => hu + 1024),
    rescale: { slope: 1, intercept: -1024 },
  });
}

/** An 8-bit radiograph stored as MONOCHROME1 (white = 0): must come out inverted. */
export function monochrome1Dicom(): Uint8Array {
  return syntheticDicom({ modality: 'CR', bitsAllocated: 8, photometric: 'MONOCHROME1' });
}

/** A bare data set: no preamble, no 'DICM', no file meta group (old archives). Implicit VR by default. */
export function rawDataSet(transferSyntax = '1.2.840.10008.1.2'): Uint8Array {
  const file = syntheticDicom({ transferSyntax, modality: 'CR', bitsAllocated: 8 });
  // File meta starts at 132 with (0002,0000) UL group length: 12-byte element + that many bytes.
  const groupLength = new DataView(file.buffer, file.byteOffset).getUint32(132 + 8, true);
  return file.slice(132 + 12 + groupLength);
}

// ---------------------------------------------------------------- helpers

function chunkOffset(bytes: Uint8Array, type: string): { dataStart: number; length: number } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let pos = 8; pos + 8 <= bytes.length; pos += 12 + view.getUint32(pos)) {
    if (String.fromCharCode(...bytes.subarray(pos + 4, pos + 8)) === type) return { dataStart: pos + 8, length: view.getUint32(pos) };
  }
  throw new Error(`no ${type} chunk`);
}

function assemblePng(chunks: Array<{ type: string; data: Uint8Array }>): Uint8Array {
  const parts: Uint8Array[] = [PNG_SIGNATURE];
  for (const { type, data } of chunks) {
    const chunk = new Uint8Array(12 + data.length);
    const view = new DataView(chunk.buffer);
    view.setUint32(0, data.length);
    chunk.set(Buffer.from(type, 'latin1'), 4);
    chunk.set(data, 8);
    view.setUint32(8 + data.length, crc32(chunk.subarray(4, 8 + data.length)));
    parts.push(chunk);
  }
  return Uint8Array.from(Buffer.concat(parts));
}

function zlibOf(data: Uint8Array): Uint8Array {
  return Uint8Array.from(deflateSync(data));
}

// ---------------------------------------------------------------- CLI

function main(outDir: string | undefined): void {
  if (!outDir) throw new Error('usage: tsx scripts/make-image-fixtures.ts OUT_DIR');
  fs.mkdirSync(outDir, { recursive: true });
  const files: Record<string, Uint8Array> = {
    'grey-64.png': greyPng(),
    'grey-64-interlaced.png': greyPng(64, 64, { interlace: true }),
    'grey16-64.png': sixteenBitPng(),
    'rgb-64.png': rgbPng(),
    'grey-as-rgb-64.png': greyAsRgbPng(),
    'translucent-64.png': greyAlphaPng(128),
    'corrupt-crc.png': corruptPng(),
    'truncated.png': truncatedPng(),
    'truncated-idat.png': truncatedIdatPng(),
    'with-metadata.png': pngWithMetadata(),
    'empty.png': emptyFile(),
    [textFileNamedPng().name]: textFileNamedPng().bytes,
    'phi-ct.dcm': dicomWithPhi(),
    'no-pixel-data.dcm': dicomWithoutPixelData(),
    'big-endian-ct.dcm': bigEndianDicom(),
    'monochrome1-cr.dcm': monochrome1Dicom(),
    'raw-implicit.dcm': rawDataSet(),
    'truncated-ct.dcm': truncatedDicom(readShared('dicom/barre_CT-MONO2-16-brain.dcm')),
  };
  for (const [name, bytes] of Object.entries(files)) fs.writeFileSync(path.join(outDir, name), bytes);
  console.log(`wrote ${Object.keys(files).length} fixtures to ${outDir}`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main(process.argv[2]);
