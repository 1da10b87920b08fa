/**
 * The leak audit a study must pass before it opens (ARCHITECTURE.md, invariant 1): nothing but the
 * pixels' content may tell a real image from a synthetic one. Three checks over the stored bytes:
 *
 * 1. encoding — every encoding (container, size, bit depth, colour type, interlacing) that occurs
 *    holds both classes; an encoding of one class only is a give-away.
 * 2. metadata — no chunk beyond IHDR, IDAT and IEND (text, time, gamma, EXIF, …) in any image.
 * 3. classifier — ridge logistic regression on cheap features (file size, image-data size, IDAT
 *    count, mean, SD, 16-bin histogram), cross-validated, cannot separate the classes: AUC ≤ maxAuc
 *    (default 0.60).
 */
import { crossValidatedAuc } from './classifier';
import { encodingSignature, FEATURE_NAMES, featureVector, type ImageFeatures } from './features';

export const DEFAULT_MAX_AUC = 0.6;
/** Fewer images than this in a class and the classifier check cannot say anything. */
export const MIN_IMAGES_PER_CLASS = 10;

export interface AuditImage {
  /** Stable id: fixes the image's cross-validation fold. */
  id: string;
  origin: 'REAL' | 'SYNTHETIC';
  features: ImageFeatures;
}

export interface LeakAuditOptions {
  /** Largest acceptable cross-validated AUC; default 0.60. */
  maxAuc?: number;
  folds?: number;
}

export interface LeakAuditCheck {
  id: 'encoding' | 'metadata' | 'classifier';
  title: string;
  passed: boolean;
  /** One sentence a coordinator can act on. */
  summary: string;
  details: string[];
}

export interface FeatureContrast {
  feature: string;
  real: number;
  synthetic: number;
  /** Standardised mean difference (synthetic − real) / pooled SD, within encodings. */
  effectSize: number;
}

export interface LeakAuditReport {
  passed: boolean;
  maxAuc: number;
  /** Cross-validated AUC of the classifier; null when it could not run. */
  auc: number | null;
  counts: { real: number; synthetic: number };
  checks: LeakAuditCheck[];
  /** The features that differ most between the classes, largest effect first. */
  contrasts: FeatureContrast[];
}

const fmt = (x: number, digits = 3) => (Number.isFinite(x) ? x.toFixed(digits) : String(x));

export function leakAudit(images: readonly AuditImage[], opts: LeakAuditOptions = {}): LeakAuditReport {
  const maxAuc = opts.maxAuc ?? DEFAULT_MAX_AUC;
  const real = images.filter((i) => i.origin === 'REAL');
  const synthetic = images.filter((i) => i.origin === 'SYNTHETIC');
  const checks: LeakAuditCheck[] = [encodingCheck(real, synthetic), metadataCheck(images)];

  let auc: number | null = null;
  let contrasts: FeatureContrast[] = [];
  const readable = images.filter((i) => i.features.container !== 'unreadable');
  const readableReal = readable.filter((i) => i.origin === 'REAL').length;
  const readableSynthetic = readable.length - readableReal;
  if (Math.min(readableReal, readableSynthetic) < MIN_IMAGES_PER_CLASS) {
    checks.push({
      id: 'classifier',
      title: 'A classifier on cheap features cannot tell the classes apart',
      passed: false,
      summary: `Too few images to check: ${readableReal} real and ${readableSynthetic} synthetic readable images; at least ${MIN_IMAGES_PER_CLASS} of each are needed.`,
      details: [],
    });
  } else {
    const x = readable.map((i) => featureVector(i.features));
    const y = readable.map((i) => (i.origin === 'SYNTHETIC' ? 1 : 0) as 0 | 1);
    const groups = readable.map((i) => encodingSignature(i.features));
    const cv = crossValidatedAuc(
      x,
      y,
      readable.map((i) => i.id),
      groups,
      { folds: opts.folds },
    );
    auc = cv.auc;
    contrasts = featureContrasts(x, y, groups);
    const passed = cv.auc <= maxAuc;
    checks.push({
      id: 'classifier',
      title: 'A classifier on cheap features cannot tell the classes apart',
      passed,
      summary: passed
        ? `Cross-validated AUC ${fmt(cv.auc)} ≤ ${fmt(maxAuc, 2)}: file size, structure and intensity statistics do not give the class away.`
        : `Cross-validated AUC ${fmt(cv.auc)} > ${fmt(maxAuc, 2)}: file size, structure or intensity statistics give the class away. Match the synthetic images to the real ones (same pipeline, similar intensity distribution) before opening.`,
      details: [
        `ridge logistic regression on ${FEATURE_NAMES.length} features, ${cv.folds}-fold stratified cross-validation, ${readableReal} real and ${readableSynthetic} synthetic images`,
        ...contrasts.slice(0, 5).map((c) => `${c.feature}: real ${fmt(c.real, 4)}, synthetic ${fmt(c.synthetic, 4)} (effect size ${fmt(c.effectSize, 2)})`),
      ],
    });
  }
  return {
    passed: checks.every((c) => c.passed),
    maxAuc,
    auc,
    counts: { real: real.length, synthetic: synthetic.length },
    checks,
    contrasts: contrasts.slice(0, 8),
  };
}

function encodingCheck(real: readonly AuditImage[], synthetic: readonly AuditImage[]): LeakAuditCheck {
  const tally = (list: readonly AuditImage[]) => {
    const m = new Map<string, number>();
    for (const i of list) {
      const s = encodingSignature(i.features);
      m.set(s, (m.get(s) ?? 0) + 1);
    }
    return m;
  };
  const r = tally(real);
  const s = tally(synthetic);
  const all = [...new Set([...r.keys(), ...s.keys()])].sort();
  const lonely = all.filter((sig) => !r.has(sig) || !s.has(sig) || sig === 'unreadable');
  const details = all.map((sig) => `${sig}: ${r.get(sig) ?? 0} real, ${s.get(sig) ?? 0} synthetic`);
  const passed = lonely.length === 0 && real.length > 0 && synthetic.length > 0;
  return {
    id: 'encoding',
    title: 'Real and synthetic images share one canonical encoding',
    passed,
    summary: passed
      ? `Every encoding holds both classes (${all.join('; ')}).`
      : real.length === 0 || synthetic.length === 0
        ? `The study has ${real.length} real and ${synthetic.length} synthetic eligible images; it needs both.`
        : `The encoding gives the class away: ${lonely.map((sig) => `${sig} occurs only in ${r.has(sig) ? 'real' : 'synthetic'} images`).join('; ')}. Re-import the images into one pool so they share its canonical encoding.`,
    details,
  };
}

function metadataCheck(images: readonly AuditImage[]): LeakAuditCheck {
  const byType = new Map<string, { real: number; synthetic: number }>();
  let affected = 0;
  for (const i of images) {
    const chunks = i.features.metadataChunks;
    if (chunks.length > 0) affected++;
    for (const type of new Set(chunks)) {
      const t = byType.get(type) ?? { real: 0, synthetic: 0 };
      if (i.origin === 'REAL') t.real++;
      else t.synthetic++;
      byType.set(type, t);
    }
  }
  const passed = affected === 0;
  return {
    id: 'metadata',
    title: 'No metadata in any image',
    passed,
    summary: passed
      ? 'Only IHDR, IDAT and IEND chunks: no text, time, gamma or EXIF metadata.'
      : `${affected} image(s) carry metadata chunks (${[...byType.keys()].sort().join(', ')}); re-import them through the pipeline, which strips metadata.`,
    details: [...byType.entries()].sort().map(([type, t]) => `${type}: ${t.real} real, ${t.synthetic} synthetic`),
  };
}

/** Per-feature class means and standardised differences, within encodings, largest first. */
function featureContrasts(x: readonly number[][], y: readonly (0 | 1)[], groups: readonly string[]): FeatureContrast[] {
  const d = FEATURE_NAMES.length;
  const out: FeatureContrast[] = [];
  const groupMeans = new Map<string, number[]>();
  for (const g of new Set(groups)) {
    const rows = x.filter((_, i) => groups[i] === g);
    groupMeans.set(g, Array.from({ length: d }, (_, j) => rows.reduce((s, r) => s + r[j], 0) / rows.length));
  }
  for (let j = 0; j < d; j++) {
    const sums = [0, 0];
    const counts = [0, 0];
    const centred: number[][] = [[], []];
    x.forEach((row, i) => {
      sums[y[i]] += row[j];
      counts[y[i]]++;
      centred[y[i]].push(row[j] - groupMeans.get(groups[i])![j]);
    });
    const m = centred.map((c) => c.reduce((s, v) => s + v, 0) / c.length);
    const ss = centred.reduce((s, c, k) => s + c.reduce((t, v) => t + (v - m[k]) ** 2, 0), 0);
    const sd = Math.sqrt(ss / Math.max(1, x.length - 2));
    out.push({
      feature: FEATURE_NAMES[j],
      real: sums[0] / counts[0],
      synthetic: sums[1] / counts[1],
      effectSize: sd > 1e-12 ? (m[1] - m[0]) / sd : 0,
    });
  }
  return out.sort((a, b) => Math.abs(b.effectSize) - Math.abs(a.effectSize));
}

/** The report as plain lines, for error messages, logs and the audit trail. */
export function describeLeakAudit(report: LeakAuditReport): string[] {
  return [
    `Leak audit ${report.passed ? 'passed' : 'FAILED'} (${report.counts.real} real, ${report.counts.synthetic} synthetic images; classifier AUC ${report.auc === null ? 'not computed' : fmt(report.auc)}, limit ${fmt(report.maxAuc, 2)}).`,
    ...report.checks.map((c) => `${c.passed ? '✓' : '✗'} ${c.title}: ${c.summary}`),
  ];
}
