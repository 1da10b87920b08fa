/**
 * A study's answers as the dashboard and the exports see them: columns of codes (typed arrays),
 * filled by one SQL query (lib/dashboard/study-data.ts), never one object per answer, so a study of a
 * million answers fits in a few tens of megabytes and is summarised in well under a second.
 */
import type { StudyConfig } from '@/lib/studies';

export interface StudyReader {
  /** User id (coordinator views only; exports use `pseudonym`). */
  id: string;
  name: string;
  email: string;
  /** "R01", "R02", … by user id order: stable for the study, the same in every export. */
  pseudonym: string;
  assignmentId: string;
  /** Items in the reader's sequence (practice, scored and repeats). */
  assigned: number;
  completedAt: string | null;
  /** When the reader's latest answer was stored. */
  lastActivity: string | null;
}

export interface StudyImages {
  count: number;
  /** Image ids (coordinator views only; exports use opaque case ids). */
  ids: string[];
  truthSynthetic: Uint8Array;
  /** 1 for a practice image. */
  isPractice: Uint8Array;
  /** Index into `modalities`. */
  modality: Int32Array;
  modalities: string[];
  /** Index into `labelSets` (labels joined with '|'), −1 for none. */
  labelSet: Int32Array;
  labelSets: string[];
  /** Width in pixels. */
  resolution: Float64Array;
  /** Index into `checkpoints` for synthetic images from a registered generator, else −1. */
  checkpoint: Int32Array;
  checkpoints: string[];
}

export interface StudyAnswers {
  count: number;
  /** Index into the readers. */
  reader: Int32Array;
  /** Index into the images. */
  image: Int32Array;
  callSynthetic: Uint8Array;
  /** NaN when not recorded. */
  confidence: Float64Array;
  isPractice: Uint8Array;
  isRepeat: Uint8Array;
  /** 0 for an answer stored without a call (never counted correct at an interim look). */
  hasCall: Uint8Array;
  /** The response id: the order the server stored the answers in. */
  serial: Float64Array;
  /** NaN when unknown. */
  clientMs: Float64Array;
  serverMs: Float64Array;
}

export interface StudyData {
  study: {
    id: string;
    name: string;
    description: string;
    status: 'DRAFT' | 'OPEN' | 'CLOSED';
    config: StudyConfig;
    configHash: string | null;
    openedAt: string | null;
    closedAt: string | null;
  };
  readers: StudyReader[];
  images: StudyImages;
  answers: StudyAnswers;
}
