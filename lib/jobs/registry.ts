import type { z } from 'zod';

/**
 * Job kinds by name. A kind is a params schema and a `run` function; the worker looks the kind up by the
 * Job row's `kind`, so a new kind (GAN generation, an import from a folder…) is one `defineJobKind` call in
 * lib/jobs/kinds and nothing else changes.
 *
 * Handlers must be safe to run again: a killed worker's job is retried from the start, so a handler
 * either skips work that is already committed (the memorisation check skips images it has checked) or
 * replaces its output whole. They should also return to the event loop now and then (any `await` does):
 * the heartbeat that tells a live worker from a dead one runs there.
 */
export interface JobContext<P> {
  jobId: string;
  params: P;
  /** 1 for the first run, 2 for the first retry… */
  attempt: number;
  /** When the job was queued: work committed after this moment belongs to this job (resume). */
  createdAt: Date;
  /** Aborted when the job must stop (worker shutting down, time limit); stop soon and throw. */
  signal: AbortSignal;
  /** 0..1 and a line for people; written to the Job row (throttled). */
  progress(fraction: number, message?: string): Promise<void>;
}

export interface JobKind<P = unknown, R = unknown> {
  kind: string;
  /** For people: "Memorisation check". */
  title: string;
  params: z.ZodType<P>;
  run(context: JobContext<P>): Promise<R>;
}

const kinds = new Map<string, JobKind>();

export function defineJobKind<P, R>(kind: JobKind<P, R>): JobKind<P, R> {
  if (!/^[a-z][a-z0-9-]{1,40}$/.test(kind.kind)) throw new Error(`job kind "${kind.kind}": lower-case letters, digits and - only`);
  kinds.set(kind.kind, kind as unknown as JobKind);
  return kind;
}

export function getJobKind(kind: string): JobKind | undefined {
  return kinds.get(kind);
}

export function jobKinds(): JobKind[] {
  return [...kinds.values()];
}
