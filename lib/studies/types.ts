/**
 * Shared vocabulary of the study engine. Kept free of Prisma types on purpose: these modules are
 * pure and must run in tests, scripts and exports without a database client.
 */

/** Ground truth of an image: acquired from a patient, or produced by a generative model. */
export type ImageOrigin = 'REAL' | 'SYNTHETIC';

export const IMAGE_ORIGINS: readonly ImageOrigin[] = ['REAL', 'SYNTHETIC'];

/** The two parts of a reader's sequence. Practice answers get feedback and are never scored. */
export type Phase = 'PRACTICE' | 'SCORED';

/** What the sequence builder needs to know about an image. */
export interface SequenceImage {
  id: string;
  origin: ImageOrigin;
  /**
   * The source patient. Images sharing a key are never shown next to each other (a reader could
   * otherwise compare them). Missing: the image counts as its own patient.
   */
  patientKey?: string | null;
}

/** One shown item of a reader's sequence, as stored. */
export interface SequenceItem {
  /** 0-based, over the whole sequence: practice items first, then the scored block. */
  position: number;
  imageId: string;
  phase: Phase;
  /** 0 for practice items; scored blocks are numbered from 1. */
  block: number;
  /** true for the second showing of a scored image (intra-reader agreement). */
  isRepeat: boolean;
}

/** A reader's realised order and the seed it was derived from; store both. */
export interface ReaderSequence {
  seed: string;
  items: SequenceItem[];
}

/**
 * Internal to the ordering modules: an image reduced to what ordering needs, with its class as an
 * index (0 = REAL, 1 = SYNTHETIC) and its patient as a number, for fast comparisons.
 */
export interface IndexedImage {
  id: string;
  cls: 0 | 1;
  patient: number;
}

/** Internal: one placed item of an ordering step. */
export interface PlacedImage {
  img: IndexedImage;
  isRepeat: boolean;
}
