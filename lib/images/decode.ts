import type { DataSet } from 'dicom-parser';
import { EXPLICIT_LE, IMPLICIT_LE, decodeDicom, readDicomDataSet } from './dicom';
import { ImageError } from './errors';
import { decodePng, hasPngSignature } from './png';
import type { DecodedImage } from './types';

/**
 * Decodes a PNG or DICOM file, chosen by its content (never by file name or MIME type, which the
 * uploader controls). Returns greyscale pixels; throws ImageError for anything else.
 */
export function decode(bytes: Uint8Array): DecodedImage {
  if (bytes.length === 0) throw new ImageError('EMPTY', 'file is empty (0 bytes)');
  if (hasPngSignature(bytes)) return decodePng(bytes);
  // Starts like a PNG but the rest of the signature is mangled (e.g. by a text-mode transfer).
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47])) {
    throw new ImageError('CORRUPT_PNG', 'PNG is corrupt: the PNG signature is damaged; re-export the image and upload it again');
  }
  if (bytes.length >= 132 && startsWith(bytes.subarray(128), [0x44, 0x49, 0x43, 0x4d])) return decodeDicom(bytes);
  const raw = rawDataSetSyntax(bytes);
  if (raw) return decodeDicom(bytes, raw);
  throw new ImageError('NOT_AN_IMAGE', `${describeOther(bytes)}; upload a greyscale PNG or a DICOM file`);
}

/**
 * The whole data set of a DICOM file (header attributes included), or null when the bytes are not DICOM.
 * For the de-identification step (lib/privacy), which must see every attribute to account for it.
 */
export function readDicomHeader(bytes: Uint8Array): DataSet | null {
  if (bytes.length >= 132 && startsWith(bytes.subarray(128), [0x44, 0x49, 0x43, 0x4d])) return readDicomDataSet(bytes);
  const raw = rawDataSetSyntax(bytes);
  return raw ? readDicomDataSet(bytes, raw) : null;
}

/**
 * Some archives store DICOM data sets without the 128-byte preamble and 'DICM' header. Such a
 * file starts with an element of group 0008 (identifying data); explicit VR is told apart from
 * implicit VR by two upper-case letters (the VR) after the tag.
 */
function rawDataSetSyntax(bytes: Uint8Array): string | undefined {
  // Tag (0008,00xx) little endian: group 08 00, element below 0x0100.
  if (bytes.length < 8 || bytes[0] !== 0x08 || bytes[1] !== 0x00 || bytes[3] !== 0x00) return undefined;
  const isUpper = (b: number) => b >= 0x41 && b <= 0x5a;
  if (isUpper(bytes[4]) && isUpper(bytes[5])) return EXPLICIT_LE;
  const firstLength = new DataView(bytes.buffer, bytes.byteOffset, 8).getUint32(4, true);
  return firstLength <= bytes.length - 8 ? IMPLICIT_LE : undefined;
}

const OTHER_FORMATS: Array<[number[], string]> = [
  [[0xff, 0xd8, 0xff], 'a JPEG image'],
  [[0x47, 0x49, 0x46, 0x38], 'a GIF image'],
  [[0x49, 0x49, 0x2a, 0x00], 'a TIFF image'],
  [[0x4d, 0x4d, 0x00, 0x2a], 'a TIFF image'],
  [[0x42, 0x4d], 'a BMP image'],
  [[0x52, 0x49, 0x46, 0x46], 'a RIFF file (WebP?)'],
  [[0x25, 0x50, 0x44, 0x46], 'a PDF document'],
  [[0x50, 0x4b, 0x03, 0x04], 'a ZIP archive'],
  [[0x1f, 0x8b], 'a gzip archive'],
  [[0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59], 'a NumPy array'],
];

function describeOther(bytes: Uint8Array): string {
  for (const [magic, name] of OTHER_FORMATS) if (startsWith(bytes, magic)) return `file is ${name}, not PNG or DICOM`;
  const head = bytes.subarray(0, 512);
  const printable = head.every((b) => b === 0x09 || b === 0x0a || b === 0x0d || (b >= 0x20 && b < 0x7f) || b >= 0x80);
  return printable ? 'file is text, not an image' : 'file is neither PNG nor DICOM';
}

function startsWith(bytes: Uint8Array, magic: number[]): boolean {
  return bytes.length >= magic.length && magic.every((b, i) => bytes[i] === b);
}
