import { NextResponse } from 'next/server';
import { getConfig } from '@/lib/config';
import { CheckpointError, isCheckpointError, listCheckpoints, registerCheckpoint } from '@/lib/gan';
import { withRole } from '@/lib/http';
import { ConflictError, InvalidInputError, TooLargeError } from '@/lib/errors';

export const dynamic = 'force-dynamic';

export const GET = withRole(['ADMIN'], async () => NextResponse.json({ checkpoints: await listCheckpoints() }, { headers: { 'Cache-Control': 'no-store' } }));

/**
 * Registers a checkpoint: the request body is the zip itself. It is checked (files, manifest, model built,
 * one image generated) before anything is stored; a checkpoint already registered is answered with 409.
 */
export const POST = withRole(['ADMIN'], async (request, { user }) => {
  const zip = await readBody(request, getConfig().GAN_MAX_CHECKPOINT_BYTES);
  try {
    const result = await registerCheckpoint(zip, { actorId: user.id, source: request.headers.get('x-file-name')?.slice(0, 200) ?? 'upload' });
    if (!result.isNew) {
      throw new ConflictError(`This checkpoint is already registered as "${result.checkpoint.name}".`, { checkpoint: result.checkpoint });
    }
    return NextResponse.json({ checkpoint: result.checkpoint, check: result.check }, { status: 201 });
  } catch (error) {
    if (isCheckpointError(error)) throw new CheckpointError(error.code, `Checkpoint refused: ${error.message}.`, { cause: error, details: { code: error.code } });
    throw error;
  }
});

async function readBody(request: Request, limit: number): Promise<Uint8Array> {
  const declared = Number(request.headers.get('content-length') ?? 0);
  if (declared > limit) throw new TooLargeError(`Checkpoint refused: the zip is larger than the limit of ${(limit / 2 ** 20).toFixed(0)} MiB.`);
  if (!request.body) throw new InvalidInputError('Send the checkpoint zip as the request body.');
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > limit) {
      await reader.cancel();
      throw new TooLargeError(`Checkpoint refused: the zip is larger than the limit of ${(limit / 2 ** 20).toFixed(0)} MiB.`);
    }
    chunks.push(value);
  }
  if (size === 0) throw new InvalidInputError('Checkpoint refused: the upload is empty.');
  return new Uint8Array(Buffer.concat(chunks));
}
