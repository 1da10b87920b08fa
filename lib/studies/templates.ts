/**
 * Study designs from the visual-Turing-test literature, as data: the wizard offers them as starting
 * points and fills the form from `config`. A template whose protocol needs something the reading
 * room cannot do yet carries `unsupported` (a sentence saying what is missing) and cannot be applied.
 */
import type { StudyConfigInput } from './config';

export interface StudyTemplate {
  id: string;
  name: string;
  /** What the protocol is and why it is designed so. */
  summary: string;
  config: StudyConfigInput;
  /** Set when the reading room lacks a capability the protocol needs. */
  unsupported?: string;
}

export const STUDY_TEMPLATES: readonly StudyTemplate[] = [
  {
    id: 'seed-protocol',
    name: 'Seed protocol: binary call, balanced, per resolution',
    summary:
      'The design of the published visual Turing tests of synthetic chest radiographs and brain CT: each reader calls every image real or synthetic with a confidence rating; half the images are synthetic, and the ratio is kept within every resolution so that accuracy can be compared across resolutions (it usually rises with resolution). No feedback, no going back.',
    config: {
      imagesPerReader: 100,
      syntheticFraction: 0.5,
      strata: { by: ['resolution'] },
      practiceItems: 0,
      repeatedItems: 0,
      maxRunLength: 3,
      confidenceScale: { min: 1, max: 5 },
      allowBack: false,
      margin: 0.1,
      alpha: 0.05,
      sameImagesForAllReaders: true,
    },
  },
  {
    id: 'practice-then-blinded',
    name: 'Practice then blinded',
    summary:
      'A short practice block with feedback (the truth is shown after each answer) calibrates readers to the viewer and the task; the scored block that follows is blinded. Blocks of 25 keep the ratio balanced through the session, and 10 repeated images measure intra-reader agreement.',
    config: {
      imagesPerReader: 100,
      syntheticFraction: 0.5,
      strata: { by: ['modality'] },
      practiceItems: 10,
      repeatedItems: 10,
      blockSize: 25,
      maxRunLength: 3,
      confidenceScale: { min: 1, max: 5 },
      allowBack: false,
      margin: 0.1,
      alpha: 0.05,
      sameImagesForAllReaders: true,
    },
  },
  {
    id: 'naive-then-informed',
    name: 'Naive then informed',
    summary:
      'Phase 1 shows the images without saying that some are synthetic and asks only a quality question (is this image of diagnostic quality?); phase 2 tells readers and asks the real/synthetic call. It separates "looks realistic" from "can be caught when looked for".',
    config: {
      imagesPerReader: 50,
      syntheticFraction: 0.5,
      practiceItems: 0,
      maxRunLength: 3,
      confidenceScale: { min: 1, max: 5 },
      allowBack: false,
      margin: 0.1,
      alpha: 0.05,
      sameImagesForAllReaders: true,
    },
    unsupported:
      'Not yet supported: the reading room asks only the real/synthetic call. A quality-question phase needs a second question type in the reading room and a two-phase sequence; until then, run phase 2 alone with this template’s settings.',
  },
];

export function studyTemplate(id: string): StudyTemplate | undefined {
  return STUDY_TEMPLATES.find((t) => t.id === id);
}
