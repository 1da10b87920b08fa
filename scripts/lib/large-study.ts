import pg from 'pg';

/**
 * A large open study made with bulk SQL (INSERT … SELECT generate_series), for benchmarks: `readers`
 * readers each answer every one of `images` images once (readers × images answers), half the
 * images synthetic (from two generator checkpoints), two modalities, three labels, two resolutions.
 * Readers are a little better than chance, more so at the higher resolution. Deterministic
 * (setseed). Returns the study id.
 */
export async function createLargeStudy(databaseUrl: string, readers: number, images: number): Promise<string> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const studyId = `bench-study-${readers}x${images}`;
  try {
    await client.query('SELECT setseed(0.42)');
    await client.query(`
      INSERT INTO "Pool" (id, key, modality, width, height, "bitDepth", "labelVocabulary") VALUES
        ('bench-pool-cxr', 'BENCH-CXR-256', 'CXR', 256, 256, 8, '{nodule,effusion,normal}'),
        ('bench-pool-ct', 'BENCH-CT-512', 'CT_HEAD', 512, 512, 8, '{nodule,effusion,normal}')
      ON CONFLICT DO NOTHING`);
    await client.query(`
      INSERT INTO "Checkpoint" (id, name, modality, resolution, "latentDim", sha256, "storageKey") VALUES
        ('bench-ckpt-a', 'pggan-epoch-100', 'CXR', 256, 512, repeat('a', 64), 'bench:a'),
        ('bench-ckpt-b', 'pggan-epoch-200', 'CXR', 256, 512, repeat('b', 64), 'bench:b')
      ON CONFLICT DO NOTHING`);
    await client.query(`
      INSERT INTO "Batch" (id, kind, status, origin, modality, "poolId", "checkpointId") VALUES
        ('bench-batch-real', 'IMPORT', 'COMPLETE', 'REAL', 'CXR', 'bench-pool-cxr', NULL),
        ('bench-batch-a', 'GENERATED', 'COMPLETE', 'SYNTHETIC', 'CXR', 'bench-pool-cxr', 'bench-ckpt-a'),
        ('bench-batch-b', 'GENERATED', 'COMPLETE', 'SYNTHETIC', 'CXR', 'bench-pool-cxr', 'bench-ckpt-b')
      ON CONFLICT DO NOTHING`);
    // Image g: synthetic when g is odd (checkpoint a or b), CXR-256 for g mod 4 < 2 else CT-512.
    await client.query(
      `INSERT INTO "Image" (id, "poolId", "batchId", modality, origin, labels, width, height, "bitDepth", sha256, "byteSize", "meanIntensity", "storageKey", "sourceName")
       SELECT 'bimg-' || lpad(g::text, 7, '0'),
              CASE WHEN g % 4 < 2 THEN 'bench-pool-cxr' ELSE 'bench-pool-ct' END,
              CASE WHEN g % 2 = 0 THEN 'bench-batch-real' WHEN g % 8 < 4 THEN 'bench-batch-a' ELSE 'bench-batch-b' END,
              (CASE WHEN g % 4 < 2 THEN 'CXR' ELSE 'CT_HEAD' END)::"Modality",
              (CASE WHEN g % 2 = 0 THEN 'REAL' ELSE 'SYNTHETIC' END)::"Origin",
              ARRAY[(ARRAY['nodule', 'effusion', 'normal'])[1 + (g / 2) % 3]],
              CASE WHEN g % 4 < 2 THEN 256 ELSE 512 END, CASE WHEN g % 4 < 2 THEN 256 ELSE 512 END, 8,
              md5('bench-image-' || g) || md5('bench-image-sha-' || g), 20000 + g % 997, 100, 'bench:' || g, 'file-' || g || '.png'
         FROM generate_series(0, $1 - 1) g`,
      [images],
    );
    await client.query(
      `INSERT INTO "User" (id, email, name, role, "passwordHash", "updatedAt")
       SELECT 'breader-' || lpad(r::text, 4, '0'), 'bench-reader-' || r || '@bench.local', 'Bench Reader ' || r, 'READER', 'x', now()
         FROM generate_series(0, $1 - 1) r`,
      [readers],
    );
    const config = JSON.stringify({ imagesPerReader: images, syntheticFraction: 0.5, strata: { by: ['modality', 'resolution'] } });
    await client.query(
      `INSERT INTO "Study" (id, name, status, config, "configHash", secret, "poolIds", "readerIds", "openedAt", "updatedAt")
       VALUES ($1, 'Benchmark study', 'OPEN', $2::jsonb, repeat('0', 64), 'bench-secret', '{bench-pool-cxr,bench-pool-ct}',
               ARRAY(SELECT 'breader-' || lpad(r::text, 4, '0') FROM generate_series(0, $3 - 1) r), now(), now())`,
      [studyId, config, readers],
    );
    await client.query(`INSERT INTO "StudyImage" ("studyId", "imageId", phase) SELECT $1, id, 'SCORED' FROM "Image" WHERE id LIKE 'bimg-%'`, [studyId]);
    await client.query(
      `INSERT INTO "Assignment" (id, "studyId", "readerId", seed)
       SELECT 'bass-' || lpad(r::text, 4, '0'), $1, 'breader-' || lpad(r::text, 4, '0'), md5('seed-' || r) FROM generate_series(0, $2 - 1) r`,
      [studyId, readers],
    );
    // Reader r reads image (p + 7919·r) mod N at position p: every image once, an order of its own.
    await client.query(
      `INSERT INTO "AssignmentItem" (id, "assignmentId", position, "imageId", token, phase, block)
       SELECT 'bitem-' || r || '-' || p, 'bass-' || lpad(r::text, 4, '0'), p,
              'bimg-' || lpad(((p + 7919 * r) % $2)::text, 7, '0'), md5('token-' || r || '-' || p), 'SCORED', 1
         FROM generate_series(0, $1 - 1) r, generate_series(0, $2 - 1) p`,
      [readers, images],
    );
    await client.query(
      `INSERT INTO "Response" ("itemId", call, confidence, "clientMs", "serverMs", "idempotencyKey", telemetry, "createdAt")
       SELECT i.id,
              (CASE WHEN random() < 0.55 + CASE WHEN im.width = 512 THEN 0.1 ELSE 0 END
                    THEN im.origin::text ELSE CASE WHEN im.origin = 'REAL' THEN 'SYNTHETIC' ELSE 'REAL' END END)::"Call",
              1 + floor(random() * 5)::int, 800 + floor(random() * 4000)::int, 900 + floor(random() * 4000)::int,
              'bench-' || i.id, '{"zoom": 1.5, "windowChanges": 2, "presets": ["lung"]}'::jsonb,
              now() - make_interval(secs => i.position)
         FROM "AssignmentItem" i JOIN "Image" im ON im.id = i."imageId"
        WHERE i."assignmentId" LIKE 'bass-%'`,
    );
    await client.query('ANALYZE');
  } finally {
    await client.end();
  }
  return studyId;
}
