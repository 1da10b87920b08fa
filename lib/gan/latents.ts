/**
 * Seeded latents, the same on every machine and in the browser: a counter-based generator, so latent
 * component j of image i depends only on (seed, i, j) — not on chunking, order or how many images a job has.
 *
 * Uniforms: Philox4x32-10 (Salmon, Moraes, Dror & Shaw, "Parallel random numbers: as easy as 1, 2, 3",
 * SC 2011; checked against the Random123 known-answer vectors in latents.test.ts), key = the seed's two
 * 32-bit halves, counter = (component j, redraw r, image index low, high). Each block gives two 53-bit
 * uniforms u1, u2; Box–Muller turns them into z = sqrt(-2 ln(1 − u1)) · cos(2π u2).
 *
 * Truncation t (the "truncation trick", Brock et al. BigGAN 2019): a component with |z| > t is redrawn
 * (r = 1, 2, …) until it falls inside; components already inside are unchanged.
 */
const M0 = 0xd2511f53;
const M1 = 0xcd9e8d57;
const W0 = 0x9e3779b9;
const W1 = 0xbb67ae85;

/** High and low 32 bits of the 64-bit product of two uint32 (exact in doubles by 16-bit halves). */
function mulhilo(a: number, b: number): [number, number] {
  const lo = Math.imul(a, b) >>> 0;
  const ah = a >>> 16;
  const al = a & 0xffff;
  const bh = b >>> 16;
  const bl = b & 0xffff;
  const t = al * bl;
  const mid = ah * bl + al * bh + Math.floor(t / 65536);
  const hi = (ah * bh + Math.floor(mid / 65536)) >>> 0;
  return [hi, lo];
}

/** Philox4x32 with 10 rounds: four uint32 outputs for a 128-bit counter and a 64-bit key. */
export function philox4x32(counter: readonly [number, number, number, number], key: readonly [number, number]): [number, number, number, number] {
  let [c0, c1, c2, c3] = counter.map((x) => x >>> 0);
  let [k0, k1] = key.map((x) => x >>> 0);
  for (let round = 0; round < 10; round++) {
    if (round > 0) {
      k0 = (k0 + W0) >>> 0;
      k1 = (k1 + W1) >>> 0;
    }
    const [hi0, lo0] = mulhilo(M0, c0);
    const [hi1, lo1] = mulhilo(M1, c2);
    [c0, c1, c2, c3] = [(hi1 ^ c1 ^ k0) >>> 0, lo1, (hi0 ^ c3 ^ k1) >>> 0, lo0];
  }
  return [c0, c1, c2, c3];
}

export const MAX_SEED = Number.MAX_SAFE_INTEGER;

function seedKey(seed: number): [number, number] {
  if (!Number.isSafeInteger(seed) || seed < 0) throw new RangeError(`seed must be an integer in 0..${MAX_SEED}`);
  return [seed % 2 ** 32, Math.floor(seed / 2 ** 32)];
}

/** One standard normal for (seed key, image index, component, redraw). */
function normal(key: [number, number], index: number, component: number, redraw: number): number {
  const [a, b, c, d] = philox4x32([component, redraw, index % 2 ** 32, Math.floor(index / 2 ** 32)], key);
  const u1 = ((a >>> 5) * 67108864 + (b >>> 6)) / 9007199254740992; // [0, 1)
  const u2 = ((c >>> 5) * 67108864 + (d >>> 6)) / 9007199254740992;
  return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
}

/** The latent of image `index` under `seed`: `dim` standard normals, optionally truncated at |z| ≤ truncation. */
export function latentFor(seed: number, index: number, dim: number, truncation?: number): Float32Array {
  if (!Number.isSafeInteger(index) || index < 0) throw new RangeError('index must be a non-negative integer');
  if (truncation !== undefined && !(truncation > 0)) throw new RangeError('truncation must be positive');
  const key = seedKey(seed);
  const z = new Float32Array(dim);
  for (let j = 0; j < dim; j++) {
    let value = normal(key, index, j, 0);
    if (truncation !== undefined) {
      for (let r = 1; Math.abs(value) > truncation; r++) value = normal(key, index, j, r);
    }
    z[j] = value;
  }
  return z;
}

/** Model input for one image: concat(latent, multi-hot labels in vocabulary order). */
export function generatorInput(latent: Float32Array, vocabulary: readonly string[], labels: readonly string[]): Float32Array {
  const input = new Float32Array(latent.length + vocabulary.length);
  input.set(latent);
  for (const label of labels) {
    const at = vocabulary.indexOf(label);
    if (at < 0) throw new RangeError(`label "${label}" is not in the checkpoint's vocabulary (${vocabulary.join(', ') || 'none'})`);
    input[latent.length + at] = 1;
  }
  return input;
}

/** Generator output (any float range) → 8-bit grey: (x − low) / (high − low) · 255, rounded, clamped. NaN → null. */
export function toGrey8(values: ArrayLike<number>, offset: number, count: number, range: readonly [number, number]): Uint8Array | null {
  const [low, high] = range;
  const scale = 255 / (high - low);
  const out = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const x = values[offset + i];
    if (!Number.isFinite(x)) return null;
    const v = Math.round((x - low) * scale);
    out[i] = v < 0 ? 0 : v > 255 ? 255 : v;
  }
  return out;
}
