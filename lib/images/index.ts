// Public face of the image pipeline. Everything that puts an image into a pool calls processImage.
export type { DecodedImage, GreyPixels, Modality, PoolPolicy, ProcessedImage } from './types';
export { ImageError, isImageError, type ImageErrorCode } from './errors';
export { decode, readDicomHeader } from './decode';
export { normalise, type NormalisedPixels } from './normalise';
export { encodeCanonicalPng as encodeCanonical, readPngChunks } from './png';
export { encodeServedPng, servedImageHeaders, servedPngFromCanonical, servedPngLength } from './served';
export { DEFAULT_HU_OFFSET, describePolicy, inferPolicy, poolPolicySchema } from './policy';
export { processImage, sha256Hex } from './process';
export { DEFAULT_MAX_INPUT_BYTES, MAX_SIDE, MIN_SIDE, validateDimensions, validateInput, validateNotBlank } from './validate';
export { MemoryImageStore, type ImageStore } from './storage';
