import { getPrisma } from '@/lib/db/client';
import { httpStatus } from '@/lib/http';
import { UploadError, type UploadAccepted, type UploadProblem } from '@/lib/uploads';
import { multipartForm, type HostileUpload } from '@/scripts/make-hostile-fixtures';

/** Row counts of everything a batch writes; a refused batch must leave all of them unchanged. */
export async function storedCounts() {
  const prisma = getPrisma();
  const [images, blobs, batches, pools, matches, jobs] = await Promise.all([
    prisma.image.count(),
    prisma.imageBlob.count(),
    prisma.batch.count(),
    prisma.pool.count(),
    prisma.similarityMatch.count(),
    prisma.job.count(),
  ]);
  return { images, blobs, batches, pools, matches, jobs };
}

/** A user to act as the uploading admin (batches and jobs reference their creator). */
export async function adminUser(email = `admin-${Date.now()}-${Math.random().toString(36).slice(2)}@test.local`): Promise<string> {
  const user = await getPrisma().user.create({ data: { email, name: 'Test Admin', role: 'ADMIN', passwordHash: 'x' } });
  return user.id;
}

/**
 * The request a browser sends for an upload form. `mode` 'declared' serialises the body first and sends
 * its Content-Length; 'streamed' sends it as a stream of unknown length (chunked), as a proxy might.
 */
export async function uploadRequest(upload: HostileUpload, options: { fields?: Record<string, string>; mode?: 'declared' | 'streamed' } = {}): Promise<Request> {
  const encoded = new Response(multipartForm(upload, options.fields));
  const contentType = encoded.headers.get('content-type')!;
  const body = new Uint8Array(await encoded.arrayBuffer());
  const url = 'http://127.0.0.1/api/admin/batches';
  if (options.mode === 'streamed') {
    let offset = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (offset >= body.length) return controller.close();
        controller.enqueue(body.subarray(offset, offset + 64 * 1024));
        offset += 64 * 1024;
      },
    });
    return new Request(url, { method: 'POST', body: stream, headers: { 'content-type': contentType }, duplex: 'half' } as RequestInit);
  }
  return new Request(url, { method: 'POST', body, headers: { 'content-type': contentType, 'content-length': String(body.length) } });
}

export type UploadOutcome = { status: 201; body: UploadAccepted } | { status: number; body: { error: string; problems: UploadProblem[] } };

/** What the batches route answers for an upload: 201 and the batch, or the refusal's status and problems. */
export async function uploadOutcome(upload: Promise<UploadAccepted>): Promise<UploadOutcome> {
  try {
    return { status: 201, body: await upload };
  } catch (error) {
    if (!(error instanceof UploadError)) throw error;
    // What lib/http.ts sends: the message and the error's details (problems; code and newPool for a new pool).
    return { status: httpStatus(error), body: { error: error.message, ...error.details, problems: error.problems } };
  }
}
