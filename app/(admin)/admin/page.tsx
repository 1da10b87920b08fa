import Link from 'next/link';
import { BatchUploadForm } from '@/components/admin/batch-upload-form';
import { JobProgress } from '@/components/admin/job-progress';
import { requirePageRole } from '@/lib/auth/guards';
import { getConfig } from '@/lib/config';
import { recentBatches } from '@/lib/pools/batches';
import { poolSummaries } from '@/lib/pools/summary';

export const dynamic = 'force-dynamic';

const MODALITY_NAMES: Record<string, string> = { CXR: 'Chest radiograph', CT_HEAD: 'Head CT' };

export default async function AdminHome() {
  await requirePageRole(['ADMIN'], '/admin');
  const [pools, batches] = await Promise.all([poolSummaries(), recentBatches()]);
  const quarantined = pools.reduce((n, p) => n + p.quarantined, 0);
  return (
    <main className="page wide">
      <h1>Image pools</h1>
      {quarantined ? (
        <p className="notice" data-testid="quarantine-notice">
          {quarantined} synthetic image(s) are quarantined as possible copies of real images: <Link href="/admin/quarantine">review them</Link>.
        </p>
      ) : null}
      {pools.length === 0 ? (
        <p className="notice">
          No images yet. Upload a batch below, or import a folder with{' '}
          <code>npm run import -- --dir &lt;folder&gt; --modality CXR|CT_HEAD --origin real|synthetic</code>.
        </p>
      ) : (
        <table data-testid="pools">
          <thead>
            <tr>
              <th>Pool</th>
              <th>Modality</th>
              <th>Resolution</th>
              <th>Real</th>
              <th>Synthetic</th>
              <th>Quarantined</th>
              <th>Retired</th>
              <th>Labels</th>
              <th>Images</th>
            </tr>
          </thead>
          <tbody>
            {pools.map((pool) => (
              <tr key={pool.id} data-pool={pool.key}>
                <td>
                  <Link href={`/admin/pools/${encodeURIComponent(pool.key)}`}>{pool.key}</Link>
                </td>
                <td>{MODALITY_NAMES[pool.modality] ?? pool.modality}</td>
                <td>
                  {pool.width}×{pool.height}, {pool.bitDepth}-bit
                </td>
                <td data-testid={`real-${pool.key}`}>{pool.real}</td>
                <td data-testid={`synthetic-${pool.key}`}>
                  {pool.synthetic}
                  {pool.unchecked ? <span className="muted small"> ({pool.unchecked} being checked)</span> : null}
                </td>
                <td data-testid={`quarantined-${pool.key}`}>{pool.quarantined}</td>
                <td>{pool.retired}</td>
                <td className="muted small">{pool.labels.length ? pool.labels.join(', ') : '—'}</td>
                <td>
                  <div className="thumbs">
                    {pool.samples.map((id) => (
                      <img key={id} src={`/api/admin/images/${id}/png?display=1`} alt="" width={40} height={40} loading="lazy" />
                    ))}
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <h2>Upload a batch</h2>
      <BatchUploadForm maxBytes={getConfig().UPLOAD_MAX_BYTES} />

      <h2>Recent batches</h2>
      {batches.length === 0 ? (
        <p className="muted">No batches yet.</p>
      ) : (
        <table data-testid="batches">
          <thead>
            <tr>
              <th>When</th>
              <th>Pool</th>
              <th>Origin</th>
              <th>Source</th>
              <th>Imported</th>
              <th>Duplicates</th>
              <th>Quarantined</th>
              <th>Memorisation check</th>
            </tr>
          </thead>
          <tbody>
            {batches.map((batch) => (
              <tr key={batch.id} data-batch={batch.id} data-source={batch.source ?? ''}>
                <td className="small">{new Date(batch.createdAt).toISOString().replace('T', ' ').slice(0, 16)}</td>
                <td>
                  <Link href={`/admin/pools/${encodeURIComponent(batch.poolKey)}?batch=${batch.id}`}>{batch.poolKey}</Link>
                </td>
                <td>{batch.origin.toLowerCase()}</td>
                <td className="small">
                  {batch.source ?? '—'}
                  <span className="muted"> · {batch.kind.toLowerCase()}</span>
                </td>
                <td>{batch.imported}</td>
                <td>{batch.duplicates}</td>
                <td>{batch.quarantined}</td>
                <td>{batch.job ? <JobProgress initial={batch.job} /> : <span className="muted">—</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </main>
  );
}
