import Link from 'next/link';
import { ImageActions } from '@/components/admin/image-actions';
import { requirePageRole } from '@/lib/auth/guards';
import { getConfig } from '@/lib/config';
import { quarantineQueue } from '@/lib/pools/images';

export const dynamic = 'force-dynamic';

export default async function QuarantinePage() {
  await requirePageRole(['ADMIN'], '/admin/quarantine');
  const config = getConfig();
  const images = await quarantineQueue();
  return (
    <main className="page wide">
      <p className="muted small">
        <Link href="/admin">Pools</Link> /
      </p>
      <h1>Quarantine</h1>
      <p className="muted">
        Synthetic images that may copy a real image: Pearson r ≥ {config.PRIVACY_PEARSON_THRESHOLD} or SSIM ≥ {config.PRIVACY_SSIM_THRESHOLD} with a real image of
        the same modality (pools and registered training sets, compared at 64×64 after intensity normalisation). They are never eligible for a study until
        released. Release one only if the pair below is not a copy; retire it otherwise. Both decisions are recorded in the audit log.
      </p>
      {images.length === 0 ? <p className="notice">Nothing is quarantined.</p> : null}
      {images.map((image) => (
        <section key={image.id} className="card quarantined" data-testid="quarantined" data-source-name={image.sourceName ?? ''}>
          <div className="side-by-side">
            <figure>
              <img src={`/api/admin/images/${image.id}/png?display=1`} alt={`synthetic ${image.sourceName ?? ''}`} width={192} height={192} />
              <figcaption>
                <strong>Synthetic</strong> {image.sourceName}
                <span className="muted small">
                  pool {image.pool.key} · batch {image.batch.source ?? image.batch.id.slice(0, 8)}
                </span>
              </figcaption>
            </figure>
            {image.nearestMatches.map((match) => {
              const isPool = match.realImage !== null;
              const src = isPool ? `/api/admin/images/${match.realImage!.id}/png?display=1` : `/api/admin/training-sets/${encodeURIComponent(match.trainingSet ?? '')}/${match.trainingIndex}`;
              const where = isPool ? `pool ${match.realImage!.pool.key}: ${match.realImage!.sourceName ?? match.realImage!.id}` : `training set ${match.trainingSet} #${match.trainingIndex}`;
              return (
                <figure key={match.id} data-testid="match" data-rank={match.rank} data-real-name={isPool ? (match.realImage!.sourceName ?? '') : ''}>
                  <img src={src} alt={`real match ${match.rank}`} width={192} height={192} />
                  <figcaption>
                    <strong>
                      #{match.rank} r = {match.pearson.toFixed(4)}
                    </strong>{' '}
                    SSIM {match.ssim.toFixed(3)}
                    <span className="muted small">{where}</span>
                  </figcaption>
                </figure>
              );
            })}
          </div>
          <ImageActions imageId={image.id} actions={['release', 'retire']} />
        </section>
      ))}
    </main>
  );
}
