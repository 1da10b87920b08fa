import { NextResponse } from 'next/server';
import { readJson, withRole } from '@/lib/http';
import { addLabelsSchema, addPoolLabels } from '@/lib/pools/images';

export const dynamic = 'force-dynamic';

type Context = { params: Promise<{ key: string }> };

/** { labels: [...] }: adds labels to the pool's vocabulary (batches may then use them); audited. */
export const PATCH = withRole<Context>(['ADMIN'], async (request, { user, params }) => {
  const { key } = await params;
  const { labels } = addLabelsSchema.parse(await readJson(request));
  let poolKey = key;
  try {
    poolKey = decodeURIComponent(key);
  } catch {
    // not percent-encoded: use as is
  }
  const pool = await addPoolLabels(user.id, poolKey, labels);
  return NextResponse.json({ pool: { key: pool.key, labels: pool.labelVocabulary } });
});
