// Shared types of the image pipeline. Every image of a pool, real or synthetic, goes through
// processImage() and ends as a ProcessedImage in the pool's one canonical encoding.

export type Modality = 'CXR' | 'CT_HEAD';

/** The canonical form of every image in one pool; fixed when the pool is created. */
export interface PoolPolicy {
  modality: Modality;
  width: number;
  height: number;
  bitDepth: 8 | 16;
  /** 16-bit CT pools only: stored value = HU + huOffset (default 1024, so air at -1024 HU is 0). */
  huOffset?: number;
  /** Refuse inputs larger than this many bytes (default 50 MB). */
  maxInputBytes?: number;
}

/**
 * Greyscale pixels, row-major, one sample per pixel.
 * Uint8Array for 8-bit, Uint16Array for 16-bit, Int32Array only when isHounsfield (values in HU,
 * which can be negative and so fit neither unsigned type).
 */
export type GreyPixels = Uint8Array | Uint16Array | Int32Array;

export interface DecodedImage {
  format: 'png' | 'dicom';
  width: number;
  height: number;
  /** 8 when every value fits in 8 bits by construction (8-bit PNG, DICOM with BitsStored <= 8). */
  bitDepth: 8 | 16;
  pixels: GreyPixels;
  /** DICOM CT: pixels are Hounsfield units (Rescale Slope/Intercept applied). */
  isHounsfield: boolean;
  /** DICOM Window Center/Width (first value), for information only: the pipeline never windows. */
  window?: { center: number; width: number };
  /** DICOM PatientID, handed to the caller to pseudonymise; never written into the output. */
  sourcePatientId?: string;
}

export interface ProcessedImage {
  /** The canonical PNG: greyscale, pool bit depth, IHDR + IDAT + IEND only. */
  bytes: Uint8Array;
  width: number;
  height: number;
  bitDepth: 8 | 16;
  /** Lower-case hex sha256 of `bytes`. */
  sha256: string;
  /** Mean of the stored pixel values (0..255 or 0..65535), to compare classes' brightness. */
  mean: number;
  /** What the input was; a DICOM input also goes through the de-identification profile (lib/privacy). */
  sourceFormat: 'png' | 'dicom';
  sourcePatientId?: string;
}
