import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { getConfig } from '@/lib/config';

/**
 * Secrets that are not configured are generated on first start and kept in DATA_DIR/secrets.json,
 * so sessions survive restarts and every replica that shares DATA_DIR (or the env var) agrees.
 */
type Secrets = { nextAuthSecret: string; patientKeySecret: string };

let cached: Secrets | null = null;

export function loadOrCreateSecrets(): Secrets {
  if (cached) return cached;
  const config = getConfig();
  const file = path.join(config.dataDir, 'secrets.json');
  let stored: Partial<Secrets> = {};
  if (fs.existsSync(file)) stored = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<Secrets>;
  const secrets: Secrets = {
    nextAuthSecret: stored.nextAuthSecret ?? crypto.randomBytes(32).toString('base64url'),
    patientKeySecret: stored.patientKeySecret ?? crypto.randomBytes(32).toString('base64url'),
  };
  if (!stored.nextAuthSecret || !stored.patientKeySecret) {
    fs.mkdirSync(config.dataDir, { recursive: true });
    fs.writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  }
  cached = secrets;
  return secrets;
}

export function getAuthSecret(): string {
  return getConfig().NEXTAUTH_SECRET ?? process.env.NEXTAUTH_SECRET ?? loadOrCreateSecrets().nextAuthSecret;
}

export function getPatientKeySecret(): string {
  return getConfig().PATIENT_KEY_SECRET ?? loadOrCreateSecrets().patientKeySecret;
}
