/**
 * One 2D greyscale image (row-major, `width × height`) and, optionally, its region of interest: pixels
 * with `mask[i] === 0` are left out of every feature. Without a mask the whole image is the ROI, as
 * frd-score does for images without masks.
 */
export interface RadiomicsImage {
  width: number;
  height: number;
  pixels: ArrayLike<number>;
  mask?: ArrayLike<number>;
}

/**
 * An image after discretisation: grey levels 1..`levelCount` inside the ROI, 0 outside it.
 * `levelCount` counts every level between the lowest and the highest present (IBSI's N_g), absent
 * levels included.
 */
export interface DiscretisedImage {
  width: number;
  height: number;
  levels: Int32Array;
  levelCount: number;
  /** Number of ROI pixels (IBSI N_v). */
  roiCount: number;
}

/** A family's features of one image, by feature key (see FEATURES in features.ts). */
export type FeatureValues = Record<string, number>;
