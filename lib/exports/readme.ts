import { briefingText, type StudyConfig } from '@/lib/studies';
import { ANSWER_COLUMNS } from './answers-csv';

/** Names of the files in an export bundle (also the download names of the single exports). */
export function exportFileNames(studyId: string, protocolHash: string | null) {
  const stem = `study-${studyId}-${(protocolHash ?? 'draft').slice(0, 12)}`;
  return {
    stem,
    answers: `${stem}-answers.csv`,
    summary: `${stem}-summary.json`,
    imrmc: `${stem}.imrmc`,
    mrmcaov: `${stem}-mrmcaov.csv`,
    bundle: `${stem}.zip`,
  };
}

const COLUMN_NOTES: Record<(typeof ANSWER_COLUMNS)[number], string> = {
  protocol_hash: 'sha256 of the frozen configuration and image set, recorded when the study opened',
  reader: 'pseudonymous reader id (R01, R02, … in a fixed order for this study)',
  case: 'opaque image id (C + 12 hex digits), the same in every file of this bundle',
  truth: 'REAL or SYNTHETIC',
  call: "the reader's call, REAL or SYNTHETIC",
  confidence: 'confidence in the call, on the study scale',
  correct: '1 when call = truth, else 0',
  synthetic_score: 'confidence that the image is synthetic: +confidence for a SYNTHETIC call, −confidence for a REAL call',
  client_ms: 'answer time measured in the browser (image shown → answer), ms, pauses excluded',
  server_ms: 'time from the image bytes first being served to the answer being stored, ms (an upper bound with prefetching)',
  position: "0-based position in the reader's sequence (practice items first)",
  phase: 'PRACTICE (with feedback, not analysed) or SCORED',
  block: 'scored block number (0 for practice)',
  is_repeat: '1 for the second showing of an image (intra-reader agreement), else 0',
  seed: "the seed the reader's order was derived from (HMAC of the study secret and the reader)",
  modality: 'CXR or CT_HEAD',
  label: 'image labels, several separated by |',
  resolution: 'image width in pixels',
  first_served_at: 'when the image bytes were first sent to the reader (UTC, ISO 8601)',
  answered_at: 'when the answer was stored (UTC, ISO 8601)',
  telemetry: 'viewer use recorded with the answer (JSON: window/level changes, presets, zoom, pan, invert, idle gaps)',
};

export function bundleReadme(input: {
  studyId: string;
  studyName: string;
  protocolHash: string | null;
  generatedAt: string;
  config: StudyConfig;
}): string {
  const files = exportFileNames(input.studyId, input.protocolHash);
  const columns = ANSWER_COLUMNS.map((c) => `  ${c.padEnd(16)} ${COLUMN_NOTES[c]}`).join('\n');
  return `Reader study export: ${input.studyName}
Study id:       ${input.studyId}
Protocol hash:  ${input.protocolHash ?? '(not opened yet)'}
Exported:       ${input.generatedAt}
Analysis plan:  alpha ${input.config.alpha}, equivalence margin ±${input.config.margin} around 0.5

The protocol hash is the sha256 of the study's frozen configuration and image set (with defaults
filled in, canonical JSON), recorded when the study opened. Every file below carries it: a column
of the CSV files, the title line of the .imrmc file, a field of the JSON summary.

Readers were briefed, once before their first image, with (configuration field "briefing", or the default):
  ${briefingText(input.config)}

FILES

${files.answers}
  Tidy data: one row per stored answer (practice and repeats included; filter on phase and
  is_repeat). Text cells that a spreadsheet would treat as a formula (starting with = + - @, tab or
  carriage return) are prefixed with a single quote. Columns:
${columns}

${files.summary}
  Everything the coordinator dashboard shows, computed on the server: configuration, protocol hash,
  progress, per-reader and pooled accuracy with exact binomial p-values and Clopper–Pearson
  intervals, Holm-adjusted p-values, sensitivity and specificity, the TOST equivalence verdict at the
  declared margin, Fleiss' kappa, ROC AUC from the confidence ratings, breakdowns by modality, label
  and resolution with the Cochran–Armitage trend test, the per-image fool rate, and the full
  Obuchowski–Rockette–Hillis MRMC results (reader-averaged AUC, CI, test against 0.5; overall, per
  modality, per generator checkpoint). Analyses use each reader's first scored answer per image.

${files.imrmc}
  Input for the FDA's iMRMC (https://github.com/DIDSR/iMRMC): title line, N0/N1/NR/NM, BEGIN DATA:,
  one truth row per case (-1,<case>,0,<truth>) and one score row per rating
  (<reader>,<case>,<modality>,<score>). Truth 1 = synthetic (the "diseased" class), score = the
  reader's confidence that the image is synthetic (synthetic_score above). The modality column is the
  imaging modality; each image has one, so cases are nested in modalities.
  Run: start the iMRMC Java application, choose this file as the input ("Browse" on the
  Reader Study Data tab), and read the reader-averaged AUC per modality and its confidence interval;
  an AUC of 0.5 means readers cannot tell real from synthetic. The iMRMC R package (CRAN) analyses the
  same data.

${files.mrmcaov}
  Long data frame for MRMCaov (R; Smith & Hillis) with columns reader, treatment, case, truth, rating
  (plus protocol_hash), the same ratings as the .imrmc file. In R:
    library(MRMCaov)
    df <- read.csv("${files.mrmcaov}")
    fit <- mrmc(empirical_auc(truth, rating), treatment, reader, case, data = df)
    summary(fit)
  With a single modality, analyse that treatment on its own (MRMCaov may refuse one test level in a
  comparison; its single-test rows are what a real-vs-synthetic study needs). Test the reader-averaged
  AUC against 0.5.

WHICH ANALYSIS
  The binomial test and TOST ask whether these readers beat chance on these images, treating every
  answer as independent: use them for per-reader verdicts. The MRMC OR–Hillis analysis treats readers
  and images as random samples and uses the confidence ratings: prefer it for the general claim that
  radiologists cannot tell these synthetic images from real ones. The dashboard's MRMC uses the
  largest fully crossed part of the data (every included reader rated every included image).
`;
}
