import { MANIFEST_FILE, MODEL_FILE } from '@/lib/gan/contents';
import { isCheckpointError } from '@/lib/gan/errors';
import { checkpointContents } from '@/lib/gan/registry';
import { withRole } from '@/lib/http';
import { NotFoundError } from '@/lib/errors';

export const dynamic = 'force-dynamic';

/** The stored model's files for the browser preview (tfjs loads model.json, then its shards), admins only. */
export const GET = withRole<{ params: Promise<{ id: string; name: string }> }>(['ADMIN'], async (_request, { params }) => {
  const { id, name } = await params;
  let contents;
  try {
    contents = await checkpointContents(id);
  } catch (error) {
    if (isCheckpointError(error)) throw new NotFoundError('There is no such checkpoint.');
    throw error;
  }
  const shards = new Set(contents.modelJson.weightsManifest.flatMap((g) => g.paths));
  if (name !== MODEL_FILE && name !== MANIFEST_FILE && !shards.has(name)) throw new NotFoundError('The checkpoint has no such file.');
  const bytes = contents.files.get(name)!;
  return new Response(Buffer.from(bytes), {
    headers: {
      'Content-Type': name.endsWith('.json') ? 'application/json' : 'application/octet-stream',
      'Cache-Control': 'private, no-store',
      'Content-Length': String(bytes.length),
    },
  });
});
