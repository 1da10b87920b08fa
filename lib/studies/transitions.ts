/**
 * The study lifecycle, in one place:
 *
 *   DRAFT ──open──▶ OPEN ──close──▶ CLOSED
 *                     ▲                │
 *                     └──reopen────────┘   (a reason is required and should be logged)
 *
 * Only a DRAFT study may change its configuration or image set; opening freezes both, and the
 * protocol hash taken at that moment lets anyone check later that nothing changed. Only an OPEN
 * study accepts readings: that rule is enforced where answers are stored (lib/reading/store.ts).
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json';
import { parseStudyConfig, type StudyConfigInput } from './config';
import { StudyStateError } from './errors';

export const STUDY_STATES = ['DRAFT', 'OPEN', 'CLOSED'] as const;
export type StudyState = (typeof STUDY_STATES)[number];

const TRANSITIONS: Record<StudyState, readonly StudyState[]> = {
  DRAFT: ['OPEN'],
  OPEN: ['CLOSED'],
  CLOSED: ['OPEN'],
};

export interface TransitionOptions {
  /** Why a closed study is reopened; required for CLOSED → OPEN. */
  reason?: string;
}

/** The transition's error, or null when it is allowed. */
export function transitionError(from: StudyState, to: StudyState, options: TransitionOptions = {}): StudyStateError | null {
  if (!TRANSITIONS[from].includes(to)) {
    const allowed = TRANSITIONS[from].join(' or ');
    return new StudyStateError(
      'INVALID_TRANSITION',
      from === to
        ? `The study is already ${from}.`
        : `A ${from} study cannot become ${to}; from ${from} it can only become ${allowed}.`,
    );
  }
  if (from === 'CLOSED' && to === 'OPEN' && !options.reason?.trim()) {
    return new StudyStateError('REASON_REQUIRED', 'Reopening a closed study requires a reason, which is kept in the audit log.');
  }
  return null;
}

export function canTransition(from: StudyState, to: StudyState, options?: TransitionOptions): boolean {
  return transitionError(from, to, options) === null;
}

/** Throws a StudyStateError unless `from → to` is allowed (with a reason, when reopening). */
export function assertTransition(from: StudyState, to: StudyState, options?: TransitionOptions): void {
  const error = transitionError(from, to, options);
  if (error) throw error;
}

/** States reachable from `from` in one step (a reopen still needs a reason). */
export function nextStates(from: StudyState): readonly StudyState[] {
  return TRANSITIONS[from];
}

/** Whether the configuration and the image set may still change. */
export function isEditable(state: StudyState): boolean {
  return state === 'DRAFT';
}

export function assertEditable(state: StudyState, what: 'configuration' | 'image set' = 'configuration'): void {
  if (!isEditable(state)) {
    throw new StudyStateError(
      'NOT_EDITABLE',
      `The ${what} of a ${state} study is frozen; only a DRAFT study can be edited. Create a new study to change it.`,
    );
  }
}

export interface ProtocolImage {
  id: string;
  /** SHA-256 of the image file, 64 hex digits. */
  sha256: string;
}

/** Version of the hashed document below; bump it if its shape ever changes. */
export const PROTOCOL_HASH_VERSION = 1;

/**
 * Fingerprint of a study's frozen protocol, to show in exports and to compare later:
 *
 *   hex(SHA-256(UTF-8(canonicalJson({
 *     version: 1,
 *     config:  the configuration after validation, defaults filled in (unset blockSize/strata absent),
 *     images:  [{ id, sha256 }, ...] sorted by id (sha256 lower-cased)
 *   }))))
 *
 * canonicalJson is RFC 8785 (JCS) for these values; see canonical-json.ts. Filling defaults first
 * means a config saved with or without its defaults written out hashes the same.
 */
export function protocolHash(config: StudyConfigInput, images: readonly ProtocolImage[]): string {
  return sha256Hex(protocolDocument(config, images));
}

/** The exact string protocolHash hashes, for exports that show their working. */
export function protocolDocument(config: StudyConfigInput, images: readonly ProtocolImage[]): string {
  const ids = new Set<string>();
  for (const image of images) {
    if (ids.has(image.id)) throw new TypeError(`protocolHash: image ${image.id} is listed twice`);
    ids.add(image.id);
    if (!/^[0-9a-fA-F]{64}$/.test(image.sha256)) {
      throw new TypeError(`protocolHash: image ${image.id} has no valid SHA-256 (64 hex digits)`);
    }
  }
  const sorted = images
    .map((i) => ({ id: i.id, sha256: i.sha256.toLowerCase() }))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return canonicalJson({ version: PROTOCOL_HASH_VERSION, config: parseStudyConfig(config), images: sorted });
}

function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
