/**
 * The leak audit a study must pass before it opens (ARCHITECTURE.md, invariant 1). It answers two
 * different questions and treats them differently:
 *
 * GATE — can a reader learn the class from anything but the pixel values? A failure blocks opening.
 * 1. encoding — every stored encoding (container, size, bit depth, colour type, interlacing) that
 *    occurs holds both classes.
 * 2. metadata — no chunk beyond IHDR, IDAT and IEND in any stored or served image.
 * 3. served — within an encoding, every image reaches readers at one byte length, with identical
 *    headers and one served encoding (lib/images/served.ts).
 * 4. token — the URL carries only an opaque token of one form (length, alphabet), unique per item.
 * 5. timing — time to first byte of the serving path, over repeated fetches of each image: the
 *    classes' per-image medians differ neither significantly (Mann–Whitney AUC whose DeLong 99.9 % CI
 *    excludes 0.5) nor by a practical amount (≥ TIMING_MIN_DIFF_MS and ≥ TIMING_MIN_RELATIVE).
 *
 * MEASUREMENT — do the pixels themselves differ in simple statistics? That is a property of the
 * generator, which the study exists to measure; it is reported (cross-validated AUC of a ridge
 * logistic regression on cheap features: compressed size, mean, SD, 16-bin histogram) and blocks
 * only when the coordinator sets a limit (`maxAuc`).
 */
import { rocAuc } from '@/lib/stats';
import { crossValidatedAuc } from './classifier';
import { encodingSignature, FEATURE_NAMES, featureVector, type ImageFeatures } from './features';

/** Fewer images than this in a class and the classifier and timing checks cannot say anything. */
export const MIN_IMAGES_PER_CLASS = 10;
/** Timing differences below these are not treated as a leak, however significant (see README). */
export const TIMING_MIN_DIFF_MS = 0.2;
export const TIMING_MIN_RELATIVE = 0.05;
/** Confidence level of the timing AUC's interval that must exclude 0.5. */
export const TIMING_CONF_LEVEL = 0.999;
/** The form of every item token (lib/studies/tokens.ts): 128 random bits, base64url. */
const TOKEN_FORM = /^[A-Za-z0-9_-]{22}$/;

/** What a reader receives for an image, as the serving path produced it. */
export interface ServedImage {
  features: ImageFeatures;
  headers: Record<string, string>;
  /** A token the opening would give this image's item. */
  token: string;
  /** Repeated times to first byte of the serving path, in ms; absent when not timed. */
  ttfbMs?: number[];
}

export interface AuditImage {
  /** Stable id: fixes the image's cross-validation fold. */
  id: string;
  origin: 'REAL' | 'SYNTHETIC';
  /** Features of the stored canonical bytes. */
  features: ImageFeatures;
  served: ServedImage;
}

export interface LeakAuditOptions {
  /** The coordinator's limit on the pixel-level classifier's AUC; unset or null: reported only. */
  maxAuc?: number | null;
  folds?: number;
}

export interface LeakAuditCheck {
  id: 'encoding' | 'metadata' | 'served' | 'token' | 'timing' | 'classifier';
  /** gate: blocks opening when it fails; measurement: reported, blocks only past a configured limit. */
  kind: 'gate' | 'measurement';
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
  /** The study may open: every gate check passed and the pixel-level AUC is within a configured limit. */
  passed: boolean;
  /** Every gate check passed. */
  gatePassed: boolean;
  /** The coordinator's limit on the pixel-level AUC; null: reported only. */
  maxAuc: number | null;
  /** Cross-validated AUC of the pixel-level classifier; null when it could not run. */
  auc: number | null;
  /** Its DeLong 95 % CI over the out-of-fold scores. */
  aucCi: { lower: number; upper: number } | null;
  counts: { real: number; synthetic: number };
  checks: LeakAuditCheck[];
  /** The features that differ most between the classes, largest effect first. */
  contrasts: FeatureContrast[];
  /** When the audit ran (ISO 8601). */
  ranAt: string;
}

const fmt = (x: number, digits = 3) => (Number.isFinite(x) ? x.toFixed(digits) : String(x));

export function leakAudit(images: readonly AuditImage[], opts: LeakAuditOptions = {}): LeakAuditReport {
  const maxAuc = opts.maxAuc ?? null;
  const real = images.filter((i) => i.origin === 'REAL');
  const synthetic = images.filter((i) => i.origin === 'SYNTHETIC');
  const checks: LeakAuditCheck[] = [encodingCheck(real, synthetic), metadataCheck(images), servedCheck(images), tokenCheck(images), timingCheck(images)];

  let auc: number | null = null;
  let aucCi: LeakAuditReport['aucCi'] = null;
  let contrasts: FeatureContrast[] = [];
  const readable = images.filter((i) => i.features.container !== 'unreadable');
  const readableReal = readable.filter((i) => i.origin === 'REAL').length;
  const readableSynthetic = readable.length - readableReal;
  const title = 'Pixel-level detectability: a classifier on cheap features';
  if (Math.min(readableReal, readableSynthetic) < MIN_IMAGES_PER_CLASS) {
    checks.push({
      id: 'classifier',
      kind: 'measurement',
      title,
      passed: maxAuc === null,
      summary: `Too few images to measure: ${readableReal} real and ${readableSynthetic} synthetic readable images; at least ${MIN_IMAGES_PER_CLASS} of each are needed${maxAuc === null ? '.' : ` to check the limit ${fmt(maxAuc, 2)}.`}`,
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
    const [lower, upper] = rocAuc(cv.scores, y).ci;
    const ci = { lower, upper };
    aucCi = ci;
    contrasts = featureContrasts(x, y, groups);
    const passed = maxAuc === null || cv.auc <= maxAuc;
    const measured = `Cross-validated AUC ${fmt(cv.auc)} (95 % CI ${fmt(ci.lower)}–${fmt(ci.upper)})`;
    checks.push({
      id: 'classifier',
      kind: 'measurement',
      title,
      passed,
      summary:
        maxAuc === null
          ? `${measured}: reported, not a gate (no limit set). ${cv.auc > 0.6 ? 'Simple pixel statistics tell the classes apart; readers may too.' : 'Simple pixel statistics barely tell the classes apart.'}`
          : passed
            ? `${measured} ≤ the study's limit ${fmt(maxAuc, 2)}.`
            : `${measured} > the study's limit ${fmt(maxAuc, 2)}: simple pixel statistics give the class away. Raise or remove the limit, or bring synthetic images closer to the real ones.`,
      details: [
        `ridge logistic regression on ${FEATURE_NAMES.length} features, ${cv.folds}-fold stratified cross-validation, ${readableReal} real and ${readableSynthetic} synthetic images`,
        ...contrasts.slice(0, 5).map((c) => `${c.feature}: real ${fmt(c.real, 4)}, synthetic ${fmt(c.synthetic, 4)} (effect size ${fmt(c.effectSize, 2)})`),
      ],
    });
  }
  const gatePassed = checks.filter((c) => c.kind === 'gate').every((c) => c.passed);
  return {
    passed: checks.every((c) => c.passed),
    gatePassed,
    maxAuc,
    auc,
    aucCi,
    counts: { real: real.length, synthetic: synthetic.length },
    checks,
    contrasts: contrasts.slice(0, 8),
    ranAt: new Date().toISOString(),
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
    kind: 'gate',
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
    const chunks = [...i.features.metadataChunks, ...i.served.features.metadataChunks];
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
    kind: 'gate',
    title: 'No metadata in any image, stored or served',
    passed,
    summary: passed
      ? 'Only IHDR, IDAT and IEND chunks: no text, time, gamma or EXIF metadata.'
      : `${affected} image(s) carry metadata chunks (${[...byType.keys()].sort().join(', ')}); re-import them through the pipeline, which strips metadata.`,
    details: [...byType.entries()].sort().map(([type, t]) => `${type}: ${t.real} real, ${t.synthetic} synthetic`),
  };
}

function servedCheck(images: readonly AuditImage[]): LeakAuditCheck {
  // Per stored encoding (a pool's format, visible in the pixels anyway): one served form.
  const byEncoding = new Map<string, { forms: Map<string, { real: number; synthetic: number }> }>();
  for (const i of images) {
    const encoding = encodingSignature(i.features);
    const served = i.served.features;
    const headers = Object.entries(i.served.headers)
      .map(([k, v]) => `${k.toLowerCase()}: ${v}`)
      .sort()
      .join('; ');
    const form = `${encodingSignature(served)}, ${served.byteSize} bytes, ${served.idatCount} IDAT; ${headers}`;
    const entry = byEncoding.get(encoding) ?? { forms: new Map() };
    const t = entry.forms.get(form) ?? { real: 0, synthetic: 0 };
    if (i.origin === 'REAL') t.real++;
    else t.synthetic++;
    entry.forms.set(form, t);
    byEncoding.set(encoding, entry);
  }
  const split = [...byEncoding.entries()].filter(([, e]) => e.forms.size > 1);
  const details = [...byEncoding.entries()].flatMap(([encoding, e]) =>
    [...e.forms.entries()].map(([form, t]) => `${encoding} → ${form} (${t.real} real, ${t.synthetic} synthetic)`),
  );
  const passed = split.length === 0 && images.length > 0;
  return {
    id: 'served',
    kind: 'gate',
    title: 'Every image reaches readers at one byte length with identical headers',
    passed,
    summary: passed
      ? `One served form per encoding: ${[...byEncoding.values()].map((e) => [...e.forms.keys()][0].split(';')[0]).join('; ')}.`
      : images.length === 0
        ? 'No image to serve.'
        : `Served images of one encoding differ in length, encoding or headers (${split.map(([encoding, e]) => `${encoding}: ${e.forms.size} forms`).join('; ')}); a reader could tell them apart in the network panel.`,
    details,
  };
}

function tokenCheck(images: readonly AuditImage[]): LeakAuditCheck {
  const malformed = images.filter((i) => !TOKEN_FORM.test(i.served.token));
  const unique = new Set(images.map((i) => i.served.token)).size === images.length;
  const lengths = new Set(images.map((i) => i.served.token.length));
  const passed = malformed.length === 0 && unique && images.length > 0;
  return {
    id: 'token',
    kind: 'gate',
    title: 'Image URLs carry only an opaque token of one form',
    passed,
    summary: passed
      ? `Every image URL is /api/reading/images/<token> with a random 22-character base64url token (128 bits), unique per item.`
      : `Token form gives something away: ${malformed.length} token(s) not 22 base64url characters, lengths ${[...lengths].join(', ')}${unique ? '' : ', and some tokens repeat'}.`,
    details: [],
  };
}

const median = (values: readonly number[]) => {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

function timingCheck(images: readonly AuditImage[]): LeakAuditCheck {
  const timed = images.filter((i) => (i.served.ttfbMs?.length ?? 0) > 0);
  const medians = timed.map((i) => median(i.served.ttfbMs!));
  const truth = timed.map((i) => (i.origin === 'SYNTHETIC' ? 1 : 0) as 0 | 1);
  const nSynthetic = truth.reduce<number>((s, t) => s + t, 0);
  const nReal = timed.length - nSynthetic;
  const title = 'Time to first byte does not depend on the class';
  if (Math.min(nReal, nSynthetic) < MIN_IMAGES_PER_CLASS) {
    return { id: 'timing', kind: 'gate', title, passed: false, summary: `Too few images timed: ${nReal} real and ${nSynthetic} synthetic; at least ${MIN_IMAGES_PER_CLASS} of each are needed.`, details: [] };
  }
  // 99.9 %: a shared, loaded machine makes timings noisy; a real leak (a class-dependent step) is far past it.
  const roc = rocAuc(medians, truth, TIMING_CONF_LEVEL);
  const realMedian = median(medians.filter((_, k) => truth[k] === 0));
  const syntheticMedian = median(medians.filter((_, k) => truth[k] === 1));
  const diff = syntheticMedian - realMedian;
  const [lower, upper] = roc.ci;
  const isSignificant = lower > 0.5 || upper < 0.5;
  const isLarge = Math.abs(diff) >= TIMING_MIN_DIFF_MS && Math.abs(diff) >= TIMING_MIN_RELATIVE * realMedian;
  const passed = !(isSignificant && isLarge);
  const repeats = timed[0].served.ttfbMs!.length;
  const what = `median time to first byte real ${fmt(realMedian, 3)} ms, synthetic ${fmt(syntheticMedian, 3)} ms (AUC ${fmt(roc.auc)}, 99.9 % CI ${fmt(lower)}–${fmt(upper)})`;
  return {
    id: 'timing',
    kind: 'gate',
    title,
    passed,
    summary: passed
      ? `No class-dependent delay: ${what}.`
      : `Serving is measurably slower for one class: ${what}; a reader timing repeated fetches could tell the classes apart.`,
    details: [
      `${nReal} real and ${nSynthetic} synthetic images, each fetched ${repeats} times in random order through the serving path; per-image medians compared (Mann–Whitney AUC, DeLong 99.9 % CI); a leak needs a significant difference of at least ${TIMING_MIN_DIFF_MS} ms and ${TIMING_MIN_RELATIVE * 100} %`,
    ],
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
    `Leak audit ${report.passed ? 'passed' : 'FAILED'} (${report.counts.real} real, ${report.counts.synthetic} synthetic images; gate ${report.gatePassed ? 'passed' : 'failed'}; pixel-level AUC ${report.auc === null ? 'not computed' : fmt(report.auc)}, ${report.maxAuc === null ? 'reported only' : `limit ${fmt(report.maxAuc, 2)}`}).`,
    ...report.checks.map((c) => `${c.passed ? '✓' : '✗'} [${c.kind}] ${c.title}: ${c.summary}`),
  ];
}
