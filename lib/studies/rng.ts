/**
 * Seeds and the pseudo-random generator behind every random choice of the engine.
 *
 * Seeds are hex strings so they can be stored and exported next to the realised order:
 *   readerSeed = hex(HMAC-SHA256(key = study secret, message = reader id))
 * Without the study secret nobody can predict a reader's order from their id; with it (and this
 * file) anyone can reproduce it.
 */
import { createHash, createHmac } from 'node:crypto';

/** The per-reader seed: lowercase hex HMAC-SHA256 keyed with the study secret over the reader id. */
export function readerSeed(studySecret: string, readerId: string): string {
  if (!studySecret) throw new Error('readerSeed: the study secret must not be empty');
  return createHmac('sha256', studySecret).update(readerId, 'utf8').digest('hex');
}

/**
 * Seed of the image selection (select.ts). One sample for the whole study (readerId omitted):
 * HMAC-SHA256(study secret, "\0selection"), where the leading NUL keeps it apart from every reader
 * seed since reader ids never contain NUL. A reader's own sample (sameImagesForAllReaders false):
 * deriveSeed(readerSeed(secret, readerId), "selection").
 */
export function selectionSeed(studySecret: string, readerId?: string): string {
  return readerId === undefined
    ? readerSeed(studySecret, '\u0000selection')
    : deriveSeed(readerSeed(studySecret, readerId), 'selection');
}

/**
 * An independent sub-stream of a seed: hex(SHA-256(seed + ":" + label)). Each use (practice,
 * scored order, retry n, a reader's own sample) gets its own label, so changing how many numbers
 * one step draws does not shift the numbers another step sees.
 */
export function deriveSeed(seed: string, label: string): string {
  return createHash('sha256').update(`${seed}:${label}`, 'utf8').digest('hex');
}

/** A source of uniform 32-bit unsigned integers. */
export interface Rng {
  nextUint32(): number;
}

/**
 * xoshiro128** 1.1 (Blackman & Vigna, "Scrambled linear pseudorandom number generators", 2018;
 * reference C at https://prng.di.unimi.it/xoshiro128starstar.c), written with 32-bit integer ops
 * (Math.imul, >>> 0) because the order must be reproducible across Node versions and from the
 * exported description alone, and Math.random can be neither seeded nor reproduced.
 */
export class Xoshiro128ss implements Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  constructor(state: readonly [number, number, number, number]) {
    this.s0 = state[0] >>> 0;
    this.s1 = state[1] >>> 0;
    this.s2 = state[2] >>> 0;
    this.s3 = state[3] >>> 0;
    // The all-zero state is the generator's one fixed point.
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 0x9e3779b9;
  }

  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/**
 * A generator from a hex seed: the state is the seed's first 16 bytes read as four big-endian
 * 32-bit words (s0..s3). Seeds must hold at least 32 hex digits (a SHA-256 hex digest holds 64).
 */
export function rngFromSeed(seed: string): Rng {
  if (!/^[0-9a-fA-F]{32,}$/.test(seed)) {
    throw new Error('rngFromSeed: the seed must be a hex string of at least 32 digits');
  }
  const word = (i: number) => parseInt(seed.slice(i * 8, i * 8 + 8), 16);
  return new Xoshiro128ss([word(0), word(1), word(2), word(3)]);
}

/**
 * Uniform doubles in [0, 1) from a numeric seed, for data that need only be reproducible (test images, simulated studies for tests and benchmarks): the same generator as the
 * study orders, its state taken from SHA-256 of the seed's decimal digits. The project's one PRNG.
 */
export function uniformFromSeed(seed: number): () => number {
  const rng = rngFromSeed(createHash('sha256').update(`uniform:${seed}`).digest('hex'));
  return () => rng.nextUint32() / 4294967296;
}

/**
 * A uniform integer in [0, n), by rejection so no value is favoured (the "modulo bias" of
 * `x % n` would be small but is avoidable and makes the draw harder to describe).
 */
export function randomInt(rng: Rng, n: number): number {
  if (!Number.isInteger(n) || n <= 0 || n > 2 ** 32) throw new RangeError(`randomInt: bad bound ${n}`);
  const limit = 2 ** 32 - (2 ** 32 % n); // largest multiple of n not above 2^32
  for (;;) {
    const x = rng.nextUint32();
    if (x < limit) return x % n;
  }
}

/** Fisher–Yates shuffle (Durstenfeld's in-place form) of a copy of `items`. */
export function shuffled<T>(rng: Rng, items: readonly T[]): T[] {
  const out = items.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = randomInt(rng, i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** `k` distinct items drawn uniformly without replacement (partial Fisher–Yates), in draw order. */
export function sample<T>(rng: Rng, items: readonly T[], k: number): T[] {
  if (k > items.length) throw new RangeError(`sample: cannot draw ${k} of ${items.length}`);
  const pool = items.slice();
  for (let i = 0; i < k; i++) {
    const j = i + randomInt(rng, pool.length - i);
    [pool[i], pool[j]] = [pool[j], pool[i]];
  }
  return pool.slice(0, k);
}
