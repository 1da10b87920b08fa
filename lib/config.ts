import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

const MiB = 1024 * 1024;

/**
 * All configuration, read from the environment once, validated, with defaults.
 * Secrets that are not configured are generated on first start and kept under DATA_DIR.
 */
const envSchema = z.object({
  DATABASE_URL: z.string().url().optional(),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  /** 1 enables the benchmark's baseline route POST /api/bench/echo (npm run bench -- reading sets it); off in production. */
  BENCH_ROUTES: z.enum(['0', '1']).default('0').transform((v) => v === '1'),
  /** Local state: embedded Postgres data, generated secrets, demo password. Git-ignored. */
  DATA_DIR: z.string().default('.data'),
  /** Folder with demo pools (cxr-nih-256/, headct-mednist-64/). Default: ../shared/data/demo when present. */
  DEMO_DATA_DIR: z.string().optional(),
  DEMO_PASSWORD: z.string().min(8, 'DEMO_PASSWORD must be at least 8 characters').optional(),
  NEXTAUTH_SECRET: z.string().min(32, 'NEXTAUTH_SECRET must be at least 32 characters').optional(),
  /** Key for pseudonymising source patient ids (HMAC); generated when unset. */
  PATIENT_KEY_SECRET: z.string().min(32).optional(),
  EMBEDDED_PG_PORT: z.coerce.number().int().min(1).max(65535).default(54329),
  /** Login throttling (lib/auth/rate-limit.ts): attempts per (account, IP), per account over all IPs, per IP. */
  LOGIN_MAX_FAILURES_PER_ACCOUNT_IP: z.coerce.number().int().min(1).default(5),
  LOGIN_MAX_FAILURES_PER_ACCOUNT: z.coerce.number().int().min(1).default(50),
  LOGIN_MAX_FAILURES_PER_IP: z.coerce.number().int().min(1).default(20),
  LOGIN_WINDOW_MINUTES: z.coerce.number().int().min(1).default(15),
  /** Proxies whose X-Forwarded-For / X-Forwarded-Host are believed (addresses or CIDR, comma-separated; lib/auth/client-address.ts). */
  TRUSTED_PROXIES: z.string().default(''),

  /** Batch uploads (lib/uploads): the request body is streamed to a temporary file and refused (413) past this. */
  UPLOAD_MAX_BYTES: z.coerce.number().int().min(1024).default(512 * MiB),
  /** Zip entries (files and folders) in one batch; checked from the central directory before anything is inflated. */
  UPLOAD_MAX_ENTRIES: z.coerce.number().int().min(1).default(5000),
  /** Inflated size of one entry (the image pipeline refuses files over 50 MB anyway). */
  UPLOAD_MAX_ENTRY_BYTES: z.coerce.number().int().min(1024).default(50 * MiB),
  /** Inflated size of the whole batch: the batch is held in memory while it is validated. */
  UPLOAD_MAX_TOTAL_BYTES: z.coerce.number().int().min(1024).default(1024 * MiB),
  /** Inflated ÷ compressed size of an entry, checked while inflating once an entry passes 1 MiB (zip bombs). */
  UPLOAD_MAX_RATIO: z.coerce.number().min(1).default(100),

  /** Registered training sets for the memorisation check: `*.u8.gz` files (gzip of raw uint8 [N,S,S]). */
  TRAINING_SETS_DIR: z.string().optional(),
  /** Pearson correlation (intensity-normalised, 64×64) at or above which a synthetic image is quarantined. */
  PRIVACY_PEARSON_THRESHOLD: z.coerce.number().min(0).max(1).default(0.97),
  /** SSIM (64×64) with one of the nearest matches at or above which a synthetic image is quarantined. */
  PRIVACY_SSIM_THRESHOLD: z.coerce.number().min(0).max(1).default(0.9),
  /** Nearest real images kept per synthetic image. */
  PRIVACY_TOP_MATCHES: z.coerce.number().int().min(1).max(50).default(5),

  /** Background jobs (lib/jobs on pg-boss): attempts after the first, and when a silent job counts as dead. */
  JOB_RETRY_LIMIT: z.coerce.number().int().min(0).default(3),
  JOB_EXPIRE_SECONDS: z.coerce.number().int().min(30).default(3600),
  /** How often a worker looks for dead jobs and unsent queued rows (and runs pg-boss maintenance). */
  JOB_MAINTENANCE_SECONDS: z.coerce.number().int().min(1).default(30),
  /** A running job whose heartbeat is older than this is taken as dead (its worker was killed) and retried. */
  JOB_STALE_SECONDS: z.coerce.number().int().min(2).default(60),

  /** TensorFlow.js backend for GAN generation on the server: wasm, cpu, auto (= wasm), or webgpu (a worker on a GPU machine with the `webgpu` package; lib/gan/backend.ts). */
  GAN_BACKEND: z.enum(['wasm', 'cpu', 'auto', 'webgpu']).default('auto'),
  /** Generator threads of a worker (one TensorFlow.js backend each); 0 = one per core. The web process generates in its own thread. */
  GAN_THREADS: z.coerce.number().int().min(0).max(256).default(0),
  /** Largest checkpoint zip accepted (bytes); it may unpack to twice this. */
  GAN_MAX_CHECKPOINT_BYTES: z.coerce.number().int().min(1024).default(64 * 2 ** 20),
  /** Most images one generation job may make. */
  GAN_MAX_IMAGES_PER_JOB: z.coerce.number().int().min(1).default(10_000),
  /** Images per forward pass while generating. */
  GAN_BATCH_SIZE: z.coerce.number().int().min(1).max(512).default(16),
  /** Browser generation: images per latent range handed to one browser. */
  GAN_BROWSER_CHUNK_IMAGES: z.coerce.number().int().min(1).max(1024).default(32),
  /** Browser generation: a range not returned within this many seconds (tab closed) is handed out again. */
  GAN_BROWSER_LEASE_SECONDS: z.coerce.number().int().min(2).default(60),
  /** Browser generation: share of each chunk the server regenerates to check it (at least 2 images, at least 2 %). */
  GAN_BROWSER_CHECK_FRACTION: z.coerce.number().min(0.02).max(1).default(0.02),
  /** Browser generation: a job no browser has held a range of for this many seconds is taken over by a worker (npm run worker). */
  GAN_BROWSER_IDLE_SECONDS: z.coerce.number().int().min(1).default(120),
  /** Python with PyTorch for scripts/gan (training, the export test, the benchmark). */
  PYTHON_TORCH: z.string().min(1).default('/usr/bin/python3'),
});

export type AppConfig = z.infer<typeof envSchema> & { dataDir: string; demoDataDir: string | null; trainingSetsDir: string | null };

let cached: AppConfig | null = null;

/** The project root: where package.json lives (scripts and the Next server both run from it). */
export function projectRoot(): string {
  return process.cwd();
}

/**
 * A configured folder, relative to the project root. These folders are data read at run time, never code: the
 * ignore comment keeps Next's build from tracing (and bundling) the whole project through them.
 */
function fromRoot(folder: string): string {
  return path.resolve(/*turbopackIgnore: true*/ projectRoot(), folder);
}

export function getConfig(): AppConfig {
  if (cached) return cached;
  const parsed = envSchema.safeParse(process.env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid configuration: ${problems}`);
  }
  const env = parsed.data;
  const dataDir = fromRoot(env.DATA_DIR);
  let demoDataDir: string | null = null;
  if (env.DEMO_DATA_DIR) demoDataDir = fromRoot(env.DEMO_DATA_DIR);
  else {
    const fallback = fromRoot(path.join('..', 'shared', 'data', 'demo'));
    if (fs.existsSync(fallback)) demoDataDir = fallback;
  }
  const trainingSetsDir = fromRoot(env.TRAINING_SETS_DIR ?? path.join('..', 'shared', 'data', 'train'));
  cached = { ...env, dataDir, demoDataDir, trainingSetsDir: fs.existsSync(trainingSetsDir) ? trainingSetsDir : null };
  return cached;
}

/** For tests that change the environment between cases. */
export function resetConfigCache(): void {
  cached = null;
}
