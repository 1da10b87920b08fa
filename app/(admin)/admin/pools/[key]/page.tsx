import Link from 'next/link';
import { notFound } from 'next/navigation';
import { ImageActions } from '@/components/admin/image-actions';
import { PoolLabelsForm } from '@/components/admin/pool-labels-form';
import { RadiomicsDistancePanel } from '@/components/radiomics/radiomics-distance-panel';
import { requirePageRole } from '@/lib/auth/guards';
import { getPrisma } from '@/lib/db/client';
import { IMAGE_FILTERS, poolImages, type ImageFilter } from '@/lib/pools/images';

export const dynamic = 'force-dynamic';

type Props = { params: Promise<{ key: string }>; searchParams: Promise<{ filter?: string; batch?: string; page?: string }> };

/** Route params may arrive still percent-encoded; a stray % must not become a server error. */
function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

export default async function PoolPage({ params, searchParams }: Props) {
  const { key: rawKey } = await params;
  const key = safeDecode(rawKey);
  await requirePageRole(['ADMIN'], `/admin/pools/${encodeURIComponent(key)}`);
  const query = await searchParams;
  const filter = (IMAGE_FILTERS as readonly string[]).includes(query.filter ?? '') ? (query.filter as ImageFilter) : 'all';
  const data = await poolImages(key, { filter, batchId: query.batch, page: Number(query.page) || 1 });
  if (!data) notFound();
  const { pool, images, total, page, pages, batches } = data;
  const distance = await getPrisma().radiomicsDistance.findUnique({ where: { poolId: pool.id } });
  const href = (change: Record<string, string | undefined>) => {
    const next = new URLSearchParams();
    const merged = { filter, batch: query.batch, page: undefined as string | undefined, ...change };
    for (const [k, v] of Object.entries(merged)) if (v && !(k === 'filter' && v === 'all')) next.set(k, v);
    const qs = next.toString();
    return `/admin/pools/${encodeURIComponent(key)}${qs ? `?${qs}` : ''}`;
  };
  const batch = batches.find((b) => b.id === query.batch);

  return (
    <main className="page wide">
      <p className="muted small">
        <Link href="/admin">Pools</Link> /
      </p>
      <h1>Pool {pool.key}</h1>
      <p>
        {pool.modality === 'CXR' ? 'Chest radiographs' : 'Head CT'} · {pool.width}×{pool.height} · {pool.bitDepth}-bit
        {pool.huOffset !== null ? ` (HU + ${pool.huOffset})` : ''} · canonical greyscale PNG
      </p>
      <div className="row">
        <span className="muted">Labels:</span> <span data-testid="pool-labels">{pool.labelVocabulary.length ? pool.labelVocabulary.join(', ') : 'none yet'}</span>
      </div>
      <PoolLabelsForm poolKey={pool.key} />
      <RadiomicsDistancePanel distance={distance} what="this pool's synthetic images" />

      <nav className="filters row" aria-label="Filter images">
        {IMAGE_FILTERS.map((f) => (
          <Link key={f} href={href({ filter: f })} className={f === filter ? 'active' : ''}>
            {f}
          </Link>
        ))}
        {batch ? (
          <span className="notice small">
            batch {batch.source ?? batch.id} ({batch.origin.toLowerCase()}, {batch.createdAt.toISOString().slice(0, 10)}) <Link href={href({ batch: undefined })}>× all batches</Link>
          </span>
        ) : null}
      </nav>
      <p className="muted small" data-testid="image-count">
        {total} image(s){pages > 1 ? `, page ${page} of ${pages}` : ''}
      </p>

      <div className="image-grid">
        {images.map((image) => {
          const isUsed = image._count.studyImages + image._count.assignmentItems > 0;
          const status = image.isRetired ? 'retired' : image.isQuarantined ? 'quarantined' : image.origin === 'SYNTHETIC' && !image.similarityCheckedAt ? 'being checked' : 'active';
          return (
            <figure key={image.id} className={`image-card ${status.replace(' ', '-')}`} data-testid="image-card" data-source-name={image.sourceName ?? ''} data-status={status}>
              <img src={`/api/admin/images/${image.id}/png?display=1`} alt={image.sourceName ?? image.id} width={128} height={128} loading="lazy" />
              <figcaption>
                <strong className="small">{image.sourceName ?? '(no name)'}</strong>
                <span className={`badge ${image.origin.toLowerCase()}`}>{image.origin.toLowerCase()}</span>
                <span className={`badge ${status.replace(' ', '-')}`}>{status}</span>
                {image.labels.length ? <span className="small">{image.labels.join(', ')}</span> : null}
                {image.nearestRealSimilarity !== null ? (
                  <span className="small" data-testid="similarity">
                    nearest real r = {image.nearestRealSimilarity.toFixed(3)}
                  </span>
                ) : null}
                <span className="muted small">
                  batch <Link href={href({ batch: image.batch.id })}>{image.batch.source ?? image.batch.id.slice(0, 8)}</Link>
                </span>
                <ImageActions
                  imageId={image.id}
                  actions={[...(image.isQuarantined && !image.isRetired ? (['release'] as const) : []), image.isRetired ? 'restore' : 'retire', ...(isUsed ? [] : (['delete'] as const))]}
                />
              </figcaption>
            </figure>
          );
        })}
      </div>
      {pages > 1 ? (
        <nav className="row" aria-label="Pages">
          {page > 1 ? <Link href={href({ page: String(page - 1) })}>← previous</Link> : null}
          {page < pages ? <Link href={href({ page: String(page + 1) })}>next →</Link> : null}
        </nav>
      ) : null}
    </main>
  );
}
