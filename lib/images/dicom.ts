import * as dicomParserModule from 'dicom-parser';
import type { DataSet, Element } from 'dicom-parser';
import { decode as decodeJpeg } from 'jpeg-js';
import { ImageError, describeThrown } from './errors';
import { decodeRleFrame } from './rle';
import type { DecodedImage } from './types';
import { MAX_SIDE, validateDimensions } from './validate';

// dicom-parser is a UMD bundle: bundlers expose its functions as named exports, Node's ESM loader
// (vitest) only as `default`. Accept both.
const dicomParser: typeof dicomParserModule =
  (dicomParserModule as unknown as { default?: typeof dicomParserModule }).default ?? dicomParserModule;

export const IMPLICIT_LE = '1.2.840.10008.1.2';
export const EXPLICIT_LE = '1.2.840.10008.1.2.1';
export const EXPLICIT_BE = '1.2.840.10008.1.2.2';
const JPEG_BASELINE = '1.2.840.10008.1.2.4.50';
const RLE = '1.2.840.10008.1.2.5';

const SUPPORTED = new Set([IMPLICIT_LE, EXPLICIT_LE, EXPLICIT_BE, JPEG_BASELINE, RLE]);

/** Names for the refusal message, so the person uploading knows what they have. */
const TRANSFER_SYNTAX_NAMES: Record<string, string> = {
  '1.2.840.10008.1.2.1.99': 'Deflated Explicit VR Little Endian',
  '1.2.840.10008.1.2.4.51': 'JPEG Extended (12-bit)',
  '1.2.840.10008.1.2.4.57': 'JPEG Lossless',
  '1.2.840.10008.1.2.4.70': 'JPEG Lossless SV1',
  '1.2.840.10008.1.2.4.80': 'JPEG-LS Lossless',
  '1.2.840.10008.1.2.4.81': 'JPEG-LS Near-Lossless',
  '1.2.840.10008.1.2.4.90': 'JPEG 2000 Lossless',
  '1.2.840.10008.1.2.4.91': 'JPEG 2000',
  '1.2.840.10008.1.2.4.201': 'HTJ2K Lossless',
  '1.2.840.10008.1.2.4.202': 'HTJ2K Lossless RPCL',
  '1.2.840.10008.1.2.4.203': 'HTJ2K',
  '1.2.840.10008.1.2.4.100': 'MPEG-2',
  '1.2.840.10008.1.2.4.102': 'MPEG-4 AVC/H.264',
  '1.2.840.10008.1.2.4.110': 'MPEG-4 AVC/H.264 (stereo)',
};

/**
 * Decodes a single-frame greyscale DICOM. `rawTransferSyntax` is for a bare data set without the
 * 128-byte preamble and 'DICM' header (its syntax cannot be read from the file).
 */
export function decodeDicom(bytes: Uint8Array, rawTransferSyntax?: string): DecodedImage {
  const transferSyntax = rawTransferSyntax ?? readTransferSyntax(bytes);
  if (!SUPPORTED.has(transferSyntax)) {
    const name = TRANSFER_SYNTAX_NAMES[transferSyntax] ?? 'unknown';
    throw new ImageError(
      'UNSUPPORTED_TRANSFER_SYNTAX',
      `DICOM transfer syntax ${transferSyntax} (${name}) is not supported; convert the file to uncompressed ` +
        `(explicit VR little endian), e.g. \`gdcmconv --raw in.dcm out.dcm\``,
    );
  }
  const ds = parse(bytes, rawTransferSyntax);
  const pixelData = ds.elements.x7fe00010;
  if (!pixelData || (!pixelData.encapsulatedPixelData && pixelData.length === 0) || pixelData.fragments?.length === 0) {
    throw new ImageError(
      'NO_PIXEL_DATA',
      'DICOM file has no pixel data (7FE0,0010): it is not an image (report, presentation state) or was cut short',
    );
  }

  const rows = ds.uint16('x00280010');
  const columns = ds.uint16('x00280011');
  if (!rows || !columns) throw unsupported('Rows or Columns (0028,0010/0011) is missing');
  validateDimensions(columns, rows);
  const frames = ds.intString('x00280008') ?? 1;
  if (frames > 1) throw unsupported(`it has ${frames} frames; export the single slice or image to use`);
  const samplesPerPixel = ds.uint16('x00280002') ?? 1;
  const photometric = ds.string('x00280004') ?? 'MONOCHROME2';
  if (samplesPerPixel !== 1 || (photometric !== 'MONOCHROME1' && photometric !== 'MONOCHROME2')) {
    throw new ImageError(
      'COLOUR_NOT_ALLOWED',
      `DICOM is colour (PhotometricInterpretation ${photometric}, ${samplesPerPixel} samples per pixel); this pool requires greyscale`,
    );
  }
  const bitsAllocated = ds.uint16('x00280100');
  if (bitsAllocated !== 8 && bitsAllocated !== 16) throw unsupported(`BitsAllocated is ${bitsAllocated}; only 8 or 16 are supported`);
  const bitsStored = ds.uint16('x00280101') ?? bitsAllocated;
  const highBit = ds.uint16('x00280102') ?? bitsStored - 1;
  if (bitsStored < 1 || bitsStored > bitsAllocated || highBit !== bitsStored - 1) {
    throw unsupported(`BitsStored ${bitsStored} / HighBit ${highBit} is an unusual layout`);
  }
  const signed = ds.uint16('x00280103') === 1;
  const bytesPerSample = (bitsAllocated / 8) as 1 | 2;
  const count = rows * columns;

  const { raw, littleEndian } = pixelBytes(ds, pixelData, transferSyntax, count, bytesPerSample, columns, rows);
  const values = readSamples(raw, count, bytesPerSample, littleEndian, bitsStored, signed);
  const modality = ds.string('x00080060') ?? 'unknown';
  const window = readWindow(ds);
  const sourcePatientId = ds.string('x00100020');
  const common = {
    format: 'dicom' as const,
    width: columns,
    height: rows,
    ...(window && { window }),
    ...(sourcePatientId && { sourcePatientId }),
  };

  if (modality === 'CT') {
    // MONOCHROME1 only changes how values are displayed; inverting HU would change their meaning.
    if (photometric === 'MONOCHROME1') throw unsupported('CT stored as MONOCHROME1 is not supported');
    // CT Image module makes rescale mandatory; identity for the rare file that omits it.
    const slope = ds.floatString('x00281053') ?? 1;
    const intercept = ds.floatString('x00281052') ?? 0;
    if (!Number.isFinite(slope) || !Number.isFinite(intercept)) throw unsupported('Rescale Slope/Intercept is not a number');
    for (let i = 0; i < count; i++) values[i] = Math.round(values[i] * slope + intercept);
    return { ...common, bitDepth: 16, pixels: values, isHounsfield: true };
  }

  // Outside CT, Rescale Slope/Intercept has no physical unit (and is nearly always identity): use stored values.
  if (signed) throw unsupported(`signed pixel values are supported for CT only (modality is ${modality})`);
  if (photometric === 'MONOCHROME1') {
    const max = 2 ** bitsStored - 1;
    for (let i = 0; i < count; i++) values[i] = max - values[i];
  }
  return bitsStored <= 8
    ? { ...common, bitDepth: 8, pixels: Uint8Array.from(values), isHounsfield: false }
    : { ...common, bitDepth: 16, pixels: Uint16Array.from(values), isHounsfield: false };
}

/** Reads only the file meta header first, so an unsupported syntax is refused before we inflate or walk it. */
function readTransferSyntax(bytes: Uint8Array): string {
  let meta: DataSet;
  try {
    meta = dicomParser.readPart10Header(bytes);
  } catch (e) {
    throw parseError(e);
  }
  const ts = meta.string('x00020010');
  if (!ts) throw new ImageError('CORRUPT_DICOM', 'DICOM file meta header has no Transfer Syntax UID (0002,0010)');
  return ts.replace(/\0/g, '').trim();
}

/** The parsed data set, pixel data included; refusals are ImageErrors as for decodeDicom. */
export function readDicomDataSet(bytes: Uint8Array, rawTransferSyntax?: string): DataSet {
  return parse(bytes, rawTransferSyntax);
}

function parse(bytes: Uint8Array, rawTransferSyntax?: string): DataSet {
  try {
    return dicomParser.parseDicom(bytes, rawTransferSyntax ? { TransferSyntaxUID: rawTransferSyntax } : {});
  } catch (e) {
    throw parseError(e);
  }
}

function parseError(e: unknown): ImageError {
  const detail = describeThrown(e);
  // dicom-parser reports running out of bytes in several wordings, all meaning "cut short".
  if (/past end|overrun|cannot be greater|missing required meta header/i.test(detail)) {
    return new ImageError('TRUNCATED_DICOM', `DICOM file is truncated (${detail}); upload the complete file`, { cause: e });
  }
  return new ImageError('CORRUPT_DICOM', `DICOM file could not be parsed (${detail})`, { cause: e });
}

function pixelBytes(
  ds: DataSet,
  el: Element,
  transferSyntax: string,
  count: number,
  bytesPerSample: 1 | 2,
  columns: number,
  rows: number,
): { raw: Uint8Array; littleEndian: boolean } {
  const needed = count * bytesPerSample;
  if (!el.encapsulatedPixelData) {
    // Implicit-VR parsing does not notice a value running past the end of the file; check here.
    if (el.length < needed || el.dataOffset + needed > ds.byteArray.length) {
      const have = Math.max(0, Math.min(el.length, ds.byteArray.length - el.dataOffset));
      throw new ImageError('TRUNCATED_DICOM', `DICOM pixel data has ${have} bytes; a ${columns}×${rows} image needs ${needed}; the file is truncated`);
    }
    const raw = ds.byteArray.subarray(el.dataOffset, el.dataOffset + needed);
    return { raw, littleEndian: transferSyntax !== EXPLICIT_BE };
  }

  let frame: Uint8Array;
  try {
    frame = dicomParser.readEncapsulatedPixelDataFromFragments(ds, el, 0, el.fragments!.length);
  } catch (e) {
    throw parseError(e);
  }
  if (transferSyntax === RLE) return { raw: decodeRleFrame(frame, count, bytesPerSample), littleEndian: true };
  return { raw: decodeJpegFrame(frame, count, bytesPerSample, columns, rows), littleEndian: true };
}

function decodeJpegFrame(frame: Uint8Array, count: number, bytesPerSample: 1 | 2, columns: number, rows: number): Uint8Array {
  if (bytesPerSample !== 1) throw unsupported('JPEG baseline pixel data must be 8-bit (BitsAllocated 8)');
  let img: { width: number; height: number; data: Uint8Array };
  try {
    // Not tolerant: a damaged stream must be refused, not rendered as a partial grey image.
    img = decodeJpeg(frame, {
      useTArray: true,
      formatAsRGBA: false,
      tolerantDecoding: false,
      maxResolutionInMP: (MAX_SIDE * MAX_SIDE) / 1e6, // the JPEG's own header may claim more than Rows × Columns
    });
  } catch (e) {
    throw new ImageError('CORRUPT_DICOM', `DICOM JPEG pixel data could not be decoded (${describeThrown(e)})`, { cause: e });
  }
  if (img.width !== columns || img.height !== rows) {
    throw new ImageError('CORRUPT_DICOM', `DICOM JPEG is ${img.width}×${img.height} but the header says ${columns}×${rows}`);
  }
  const channels = img.data.length / count;
  if (channels === 1) return img.data;
  // jpeg-js returns a greyscale JPEG as three identical channels; anything else is colour.
  const out = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const r = img.data[i * channels];
    if (img.data[i * channels + 1] !== r || img.data[i * channels + 2] !== r) {
      throw new ImageError('COLOUR_NOT_ALLOWED', 'DICOM JPEG pixel data is colour; this pool requires greyscale');
    }
    out[i] = r;
  }
  return out;
}

/** Masks to BitsStored (high bits may hold overlays) and sign-extends signed values. */
function readSamples(raw: Uint8Array, count: number, bytesPerSample: 1 | 2, littleEndian: boolean, bitsStored: number, signed: boolean): Int32Array {
  const out = new Int32Array(count);
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const mask = 2 ** bitsStored - 1;
  const shift = 32 - bitsStored;
  for (let i = 0; i < count; i++) {
    const v = (bytesPerSample === 1 ? raw[i] : view.getUint16(2 * i, littleEndian)) & mask;
    out[i] = signed ? (v << shift) >> shift : v;
  }
  return out;
}

function readWindow(ds: DataSet): { center: number; width: number } | undefined {
  const center = ds.floatString('x00281050', 0);
  const width = ds.floatString('x00281051', 0);
  return center !== undefined && width !== undefined && Number.isFinite(center) && Number.isFinite(width) && width > 0
    ? { center, width }
    : undefined;
}

function unsupported(what: string): ImageError {
  return new ImageError('UNSUPPORTED_DICOM', `DICOM is not supported: ${what}`);
}
