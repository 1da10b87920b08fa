import { describe, expect, it } from 'vitest';
import { crc32, encodeCanonicalPng, readPngChunks } from '@/lib/images/png';
import { servedImageHeaders, servedPngFromCanonical } from '@/lib/images/served';
import reference from './fixtures/reference.json';
import {
  crossValidatedAuc,
  describeLeakAudit,
  fitLogistic,
  imageFeatures,
  leakAudit,
  pixelStatistics,
  standardiseWithinGroups,
  type AuditImage,
} from './index';
import { uniformFromSeed } from '@/lib/studies/rng';

/** A 32×32 "anatomy": a bright disc of random size and place on a gradient, plus pixel noise of the given amplitude. */
function phantom(seed: number, noise: number, size = 32, bitDepth: 8 | 16 = 8): Uint8Array {
  const rand = uniformFromSeed(seed);
  const max = 2 ** bitDepth - 1;
  const cx = size * (0.3 + 0.4 * rand());
  const cy = size * (0.3 + 0.4 * rand());
  const r = size * (0.15 + 0.2 * rand());
  const base = 0.2 + 0.2 * rand();
  const pixels = bitDepth === 8 ? new Uint8Array(size * size) : new Uint16Array(size * size);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const inside = (x - cx) ** 2 + (y - cy) ** 2 < r * r ? 0.4 : 0;
      const v = base + inside + (x / size) * 0.1 + noise * (rand() - 0.5);
      pixels[y * size + x] = Math.round(Math.min(1, Math.max(0, v)) * max);
    }
  }
  return encodeCanonicalPng(pixels, size, size, bitDepth);
}

function withTextChunk(png: Uint8Array): Uint8Array {
  const chunks = readPngChunks(png);
  const text = { type: 'tEXt', data: Uint8Array.from(Buffer.from('Comment\0generator=gan', 'latin1')) };
  const parts: number[] = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  for (const c of [chunks[0], text, ...chunks.slice(1)]) {
    const typeAndData = Uint8Array.from([...Buffer.from(c.type, 'latin1'), ...c.data]);
    const len = c.data.length;
    parts.push(len >>> 24, (len >>> 16) & 255, (len >>> 8) & 255, len & 255, ...typeAndData);
    const crc = crc32(typeAndData);
    parts.push(crc >>> 24, (crc >>> 16) & 255, (crc >>> 8) & 255, crc & 255);
  }
  return Uint8Array.from(parts);
}

type Serve = (stored: Uint8Array, origin: AuditImage['origin'], index: number) => Partial<AuditImage['served']>;

/** What the serving path gives: the fixed-length served PNG, its headers, a random token, ~1 ms fetches. */
const honestServing: Serve = (stored, _origin, index) => {
  const rand = uniformFromSeed(7919 * index + 1);
  return { ttfbMs: Array.from({ length: 7 }, () => 1 + 0.3 * rand()) };
};

function images(count: number, origin: AuditImage['origin'], make: (seed: number) => Uint8Array, seed0: number, serve: Serve = honestServing): AuditImage[] {
  return Array.from({ length: count }, (_, i) => {
    const stored = make(seed0 + i);
    let served: Uint8Array;
    try {
      served = servedPngFromCanonical(stored);
    } catch {
      served = stored;
    }
    return {
      id: `${origin}-${seed0 + i}`,
      origin,
      features: imageFeatures(stored),
      served: {
        features: imageFeatures(served),
        headers: servedImageHeaders(served.length),
        token: Buffer.from(`${origin}${seed0 + i}`.padEnd(16, '#')).toString('base64url').slice(0, 22),
        ...serve(stored, origin, seed0 + i),
      },
    };
  });
}

describe('imageFeatures', () => {
  it('reads the header, the chunk layout and the pixel statistics of a canonical PNG', () => {
    const pixels = new Uint8Array(16 * 16).map((_, i) => (i < 128 ? 0 : 255));
    const bytes = encodeCanonicalPng(pixels, 16, 16, 8);
    const f = imageFeatures(bytes);
    expect(f).toMatchObject({ container: 'png', width: 16, height: 16, bitDepth: 8, colourType: 0, interlaced: false, metadataChunks: [], byteSize: bytes.length, idatCount: 1 });
    // Half the pixels 0, half 1 (scaled): mean 0.5, SD 0.5, first and last bin hold half each.
    expect(f.mean).toBeCloseTo(0.5, 12);
    expect(f.sd).toBeCloseTo(0.5, 12);
    expect(f.histogram[0]).toBe(0.5);
    expect(f.histogram[15]).toBe(0.5);
  });

  it('lists metadata chunks and calls garbage unreadable instead of throwing', () => {
    expect(imageFeatures(withTextChunk(phantom(1, 0.1))).metadataChunks).toEqual(['tEXt']);
    expect(imageFeatures(Uint8Array.from([1, 2, 3])).container).toBe('unreadable');
  });

  it('scales 16-bit samples by their bit depth', () => {
    const s = pixelStatistics(Uint16Array.of(0, 65535), 16);
    expect(s.mean).toBe(0.5);
    expect(s.histogram[0] + s.histogram[15]).toBe(1);
  });
});

describe('classifier (checked against scipy: fixtures/make_reference.py)', () => {
  const x = reference.x as number[][];
  const y = reference.y as Array<0 | 1>;

  it('standardises within groups like numpy (population SD)', () => {
    const z = standardiseWithinGroups(x, reference.groups);
    z.forEach((row, i) => row.forEach((v, j) => expect(v).toBeCloseTo(reference.standardised[i][j], 10)));
  });

  it('fits ridge logistic regression to the scipy optimum', () => {
    const beta = fitLogistic(reference.standardised as number[][], y, reference.ridge);
    beta.forEach((b, j) => expect(b).toBeCloseTo(reference.beta[j], 6));
  });

  it('cross-validates with hashed stratified folds to the same out-of-fold scores and AUC', () => {
    const cv = crossValidatedAuc(x, y, reference.keys, reference.groups, { folds: reference.folds, ridge: reference.ridge });
    expect(cv.auc).toBeCloseTo(reference.cvAuc, 10);
    cv.scores.forEach((s, i) => expect(s).toBeCloseTo(reference.cvScores[i], 6));
  });

  it('does not depend on the input order', () => {
    const order = x.map((_, i) => i).reverse();
    const a = crossValidatedAuc(x, y, reference.keys, reference.groups).auc;
    const b = crossValidatedAuc(order.map((i) => x[i]), order.map((i) => y[i]), order.map((i) => reference.keys[i]), order.map((i) => reference.groups[i])).auc;
    expect(b).toBe(a);
  });
});

describe('leakAudit', () => {
  const gateIds = ['encoding', 'metadata', 'served', 'token', 'timing'];

  it('passes two classes drawn from the same process', () => {
    const report = leakAudit([...images(60, 'REAL', (s) => phantom(s, 0.2), 1), ...images(60, 'SYNTHETIC', (s) => phantom(s, 0.2), 1001)]);
    expect(report.checks.map((c) => [c.id, c.kind, c.passed])).toEqual([
      ...gateIds.map((id) => [id, 'gate', true]),
      ['classifier', 'measurement', true],
    ]);
    expect(report.passed).toBe(true);
    expect(report.gatePassed).toBe(true);
    expect(report.maxAuc).toBeNull();
    expect(report.auc).toBeLessThanOrEqual(0.6);
    expect(report.aucCi!.lower).toBeLessThan(0.5);
    expect(report.counts).toEqual({ real: 60, synthetic: 60 });
  });

  it('reports, but does not block on, synthetic pixels that differ (smoother images compress better); a configured limit blocks', () => {
    const set = [...images(60, 'REAL', (s) => phantom(s, 0.2), 1), ...images(60, 'SYNTHETIC', (s) => phantom(s, 0.02), 1001)];
    const report = leakAudit(set);
    expect(report.gatePassed).toBe(true);
    expect(report.passed).toBe(true);
    expect(report.auc).toBeGreaterThan(0.9);
    const classifier = report.checks.find((c) => c.id === 'classifier')!;
    expect(classifier.summary).toContain(`Cross-validated AUC ${report.auc!.toFixed(3)}`);
    expect(classifier.summary).toContain('reported, not a gate');
    expect(report.contrasts[0].feature).toMatch(/compressed|intensity SD/);
    // Served at one length: the stored size difference does not reach the reader.
    expect(report.checks.find((c) => c.id === 'served')!.details).toHaveLength(1);

    const limited = leakAudit(set, { maxAuc: 0.6 });
    expect(limited.gatePassed).toBe(true);
    expect(limited.passed).toBe(false);
    expect(limited.checks.find((c) => c.id === 'classifier')!.summary).toContain("> the study's limit 0.60");
    expect(describeLeakAudit(limited)[0]).toMatch(/^Leak audit FAILED/);
  });

  it('fails the gate when served bytes carry the stored size (compressed PNG served as is)', () => {
    const asStored: Serve = (stored, origin, index) => ({ ...honestServing(stored, origin, index), features: imageFeatures(stored), headers: servedImageHeaders(stored.length) });
    const report = leakAudit([...images(20, 'REAL', (s) => phantom(s, 0.2), 1, asStored), ...images(20, 'SYNTHETIC', (s) => phantom(s, 0.2), 1001, asStored)]);
    const served = report.checks.find((c) => c.id === 'served')!;
    expect(served.passed).toBe(false);
    expect(report.gatePassed).toBe(false);
    expect(report.passed).toBe(false);
    expect(served.summary).toMatch(/differ in length, encoding or headers/);
  });

  it('fails the gate on a token that is not one opaque form', () => {
    const leaky: Serve = (stored, origin, index) => ({ ...honestServing(stored, origin, index), token: `${origin.toLowerCase()}-${index}` });
    const report = leakAudit([...images(20, 'REAL', (s) => phantom(s, 0.2), 1, leaky), ...images(20, 'SYNTHETIC', (s) => phantom(s, 0.2), 1001, leaky)]);
    expect(report.checks.find((c) => c.id === 'token')!.passed).toBe(false);
    expect(report.gatePassed).toBe(false);
  });

  it('fails the gate when one class is served measurably slower, not when times differ by noise alone', () => {
    const slowSynthetic: Serve = (stored, origin, index) => {
      const rand = uniformFromSeed(index);
      return { ttfbMs: Array.from({ length: 7 }, () => (origin === 'SYNTHETIC' ? 1.6 : 1) + 0.3 * rand()) };
    };
    const slow = leakAudit([...images(20, 'REAL', (s) => phantom(s, 0.2), 1, slowSynthetic), ...images(20, 'SYNTHETIC', (s) => phantom(s, 0.2), 1001, slowSynthetic)]);
    const timing = slow.checks.find((c) => c.id === 'timing')!;
    expect(timing.passed).toBe(false);
    expect(timing.summary).toMatch(/measurably slower/);
    // Significant but tiny (0.01 ms): below the practical threshold.
    const tiny: Serve = (stored, origin, index) => ({ ttfbMs: Array.from({ length: 7 }, () => (origin === 'SYNTHETIC' ? 1.01 : 1) + 0.001 * uniformFromSeed(index)()) });
    const fine = leakAudit([...images(20, 'REAL', (s) => phantom(s, 0.2), 1, tiny), ...images(20, 'SYNTHETIC', (s) => phantom(s, 0.2), 1001, tiny)]);
    expect(fine.checks.find((c) => c.id === 'timing')!.passed).toBe(true);
    const untimed = leakAudit([...images(20, 'REAL', (s) => phantom(s, 0.2), 1, () => ({ ttfbMs: undefined })), ...images(20, 'SYNTHETIC', (s) => phantom(s, 0.2), 1001)]);
    expect(untimed.checks.find((c) => c.id === 'timing')!.summary).toMatch(/Too few images timed: 0 real/);
  });

  it('fails a synthetic pool of another bit depth or size on the encoding check', () => {
    const deeper = leakAudit([...images(20, 'REAL', (s) => phantom(s, 0.2), 1), ...images(20, 'SYNTHETIC', (s) => phantom(s, 0.2, 32, 16), 1001)]);
    const encoding = deeper.checks.find((c) => c.id === 'encoding')!;
    expect(encoding.passed).toBe(false);
    expect(encoding.summary).toContain('PNG 32×32 16-bit grey occurs only in synthetic images');
    expect(encoding.summary).toContain('PNG 32×32 8-bit grey occurs only in real images');
    const smaller = leakAudit([...images(20, 'REAL', (s) => phantom(s, 0.2), 1), ...images(20, 'SYNTHETIC', (s) => phantom(s, 0.2, 24), 1001)]);
    expect(smaller.passed).toBe(false);
    expect(smaller.checks.find((c) => c.id === 'encoding')!.summary).toContain('PNG 24×24 8-bit grey occurs only in synthetic images');
  });

  it('fails on metadata chunks', () => {
    const report = leakAudit([...images(20, 'REAL', (s) => phantom(s, 0.2), 1), ...images(20, 'SYNTHETIC', (s) => withTextChunk(phantom(s, 0.2)), 1001)]);
    const metadata = report.checks.find((c) => c.id === 'metadata')!;
    expect(metadata.passed).toBe(false);
    expect(metadata.details).toEqual(['tEXt: 0 real, 20 synthetic']);
  });

  it('looks only inside an encoding: two pools of different sizes with the same class ratio pass', () => {
    const report = leakAudit([
      ...images(30, 'REAL', (s) => phantom(s, 0.2), 1),
      ...images(30, 'SYNTHETIC', (s) => phantom(s, 0.2), 1001),
      ...images(30, 'REAL', (s) => phantom(s, 0.2, 48), 2001),
      ...images(30, 'SYNTHETIC', (s) => phantom(s, 0.2, 48), 3001),
    ]);
    expect(report.passed).toBe(true);
    expect(report.checks.find((c) => c.id === 'served')!.details).toHaveLength(2);
  });

  it('does not measure too few images (blocking only under a limit), and honours a configured limit', () => {
    const fewSet = [...images(5, 'REAL', (s) => phantom(s, 0.2), 1), ...images(5, 'SYNTHETIC', (s) => phantom(s, 0.2), 1001)];
    const few = leakAudit(fewSet);
    expect(few.checks.find((c) => c.id === 'classifier')!.summary).toMatch(/Too few images to measure: 5 real and 5 synthetic/);
    expect(few.checks.find((c) => c.id === 'classifier')!.passed).toBe(true);
    expect(few.checks.find((c) => c.id === 'timing')!.passed).toBe(false);
    expect(leakAudit(fewSet, { maxAuc: 0.7 }).checks.find((c) => c.id === 'classifier')!.passed).toBe(false);
    const set = [...images(40, 'REAL', (s) => phantom(s, 0.2), 1), ...images(40, 'SYNTHETIC', (s) => phantom(s, 0.2), 1001)];
    const strict = leakAudit(set, { maxAuc: 0.01 });
    expect(strict.maxAuc).toBe(0.01);
    expect(strict.passed).toBe(false);
    expect(strict.gatePassed).toBe(true);
  });
});
