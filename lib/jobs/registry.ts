import type { z } from 'zod';

/**
 * Job kinds by name, in two halves: the declaration (name, title, params schema: declareJobKind in
 * lib/jobs/kinds, light, loaded by the web process to queue and show jobs) and the handler (the `run`
 * function: defineJobKind in lib/jobs/handlers, loaded only by the worker, since handlers pull in heavy
 * code such as TensorFlow.js). The worker looks the handler up by the Job row's `kind`, so a new kind is
 * one declaration and one handler and nothing else changes.
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

export interface JobKindDeclaration<P = unknown> {
  kind: string;
  /** For people: "Memorisation check". */
  title: string;
  params: z.ZodType<P>;
}

export interface JobKind<P = unknown, R = unknown> extends JobKindDeclaration<P> {
  run(context: JobContext<P>): Promise<R>;
}

const declared = new Map<string, JobKindDeclaration>();
const handled = new Map<string, JobKind>();

export function declareJobKind<P>(declaration: JobKindDeclaration<P>): JobKindDeclaration<P> {
  if (!/^[a-z][a-z0-9-]{1,40}$/.test(declaration.kind)) throw new Error(`job kind "${declaration.kind}": lower-case letters, digits and - only`);
  declared.set(declaration.kind, declaration as unknown as JobKindDeclaration);
  return declaration;
}

/** The worker's half: a declared kind with the function that runs it. */
export function defineJobKind<P, R>(declaration: JobKindDeclaration<P>, run: (context: JobContext<P>) => Promise<R>): JobKind<P, R> {
  if (declared.get(declaration.kind) !== declaration) throw new Error(`job kind "${declaration.kind}" is not declared in lib/jobs/kinds`);
  const kind: JobKind<P, R> = { ...declaration, run };
  handled.set(kind.kind, kind as unknown as JobKind);
  return kind;
}

export function getJobKind(kind: string): JobKindDeclaration | undefined {
  return declared.get(kind);
}

/** Every declared kind (queues are created for each). */
export function jobKinds(): JobKindDeclaration[] {
  return [...declared.values()];
}

/** The kinds this process can run: empty except in a worker (lib/jobs/worker.ts loads the handlers). */
export function jobHandlers(): JobKind[] {
  return [...handled.values()];
}
