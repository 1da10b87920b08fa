import { requirePageRole } from '@/lib/auth/guards';
import { poolSummaries } from '@/lib/pools/summary';

export const dynamic = 'force-dynamic';

const MODALITY_NAMES: Record<string, string> = { CXR: 'Chest radiograph', CT_HEAD: 'Head CT' };

export default async function AdminHome() {
  await requirePageRole(['ADMIN'], '/admin');
  const pools = await poolSummaries();
  return (
    <main className="page">
      <h1>Image pools</h1>
      {pools.length === 0 ? (
        <p className="notice">
          No images yet. Import a folder with{' '}
          <code>npm run import -- --dir &lt;folder&gt; --modality CXR|CT_HEAD --origin real|synthetic</code>.
        </p>
      ) : (
        <table data-testid="pools">
          <thead>
            <tr>
              <th>Pool</th>
              <th>Modality</th>
              <th>Size</th>
              <th>Real</th>
              <th>Synthetic</th>
              <th>Quarantined</th>
              <th>Labels</th>
            </tr>
          </thead>
          <tbody>
            {pools.map((pool) => (
              <tr key={pool.id} data-pool={pool.key}>
                <td>{pool.key}</td>
                <td>{MODALITY_NAMES[pool.modality] ?? pool.modality}</td>
                <td>
                  {pool.width}×{pool.height}, {pool.bitDepth}-bit
                </td>
                <td data-testid={`real-${pool.key}`}>{pool.real}</td>
                <td data-testid={`synthetic-${pool.key}`}>{pool.synthetic}</td>
                <td>{pool.quarantined}</td>
                <td className="muted">{pool.labels.length ? pool.labels.join(', ') : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </main>
  );
}
