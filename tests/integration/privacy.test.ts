import { inflateSync } from 'node:zlib';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getPrisma } from '@/lib/db/client';
import { applyMigrations } from '@/lib/db/migrations';
import { readPngChunks } from '@/lib/images';
import { stopBoss } from '@/lib/jobs';
import { PROFILE_NAME } from '@/lib/privacy';
import { handleBatchUpload } from '@/lib/uploads';
import { buildZip, HOSTILE_TEST_LIMITS } from '@/scripts/make-hostile-fixtures';
import { dicomWithPhi, METADATA_SECRET, PHI, pngWithMetadata, PRIVATE_PHI } from '@/scripts/make-image-fixtures';
import { adminUser, uploadRequest, uploadOutcome } from '../support/uploads';

/**
 * De-identification, end to end: a DICOM carrying identifying data in 35 attributes (and a PNG carrying
 * text, time and EXIF chunks) is uploaded through the real upload handler; then every table of the
 * database — ours and pg-boss's — is dumped as text, every stored byte is read, and none of the values may
 * appear anywhere. The original file name survives in Image.sourceName (admin-only) and nowhere else.
 */
const DICOM_NAME = 'scan-0001.dcm';
const PNG_NAME = 'tagged-0001.png';
const searched = [...Object.entries(PHI).filter(([, v]) => v.length >= 4), ['private creator', PRIVATE_PHI.creator], ['private value', PRIVATE_PHI.value], ['PNG tEXt', METADATA_SECRET], ['PNG zTXt', 'Dr Example, St Elsewhere']];

let client: pg.Client;

beforeAll(async () => {
  await applyMigrations(process.env.DATABASE_URL!);
  client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
});

afterAll(async () => {
  await client.end();
  await stopBoss();
});

/** Every row of every table in our schema and pg-boss's, as text: non-binary columns only (bytes are searched as bytes). */
async function textDump(): Promise<{ text: string; tables: number; rows: number }> {
  const { rows: columns } = await client.query<{ table_schema: string; table_name: string; column_name: string; data_type: string }>(
    `SELECT table_schema, table_name, column_name, data_type FROM information_schema.columns
     WHERE table_schema IN ('public', 'pgboss') ORDER BY table_schema, table_name, ordinal_position`,
  );
  const byTable = new Map<string, string[]>();
  for (const c of columns) {
    if (c.data_type === 'bytea') continue;
    const key = `"${c.table_schema}"."${c.table_name}"`;
    byTable.set(key, [...(byTable.get(key) ?? []), `"${c.column_name}"::text`]);
  }
  const parts: string[] = [];
  let rowCount = 0;
  for (const [table, cols] of byTable) {
    const { rows } = await client.query<{ line: string }>(`SELECT concat_ws(' | ', ${cols.join(', ')}) AS line FROM ${table}`);
    rowCount += rows.length;
    parts.push(`== ${table}`, ...rows.map((r) => r.line));
  }
  return { text: parts.join('\n'), tables: byTable.size, rows: rowCount };
}

/** Every bytea value in the database, and for PNGs also the inflated image data. */
async function storedBytes(): Promise<Buffer[]> {
  const { rows: columns } = await client.query<{ table_schema: string; table_name: string; column_name: string }>(
    `SELECT table_schema, table_name, column_name FROM information_schema.columns WHERE table_schema IN ('public', 'pgboss') AND data_type = 'bytea'`,
  );
  const out: Buffer[] = [];
  for (const c of columns) {
    const { rows } = await client.query<{ value: Buffer | null }>(`SELECT "${c.column_name}" AS value FROM "${c.table_schema}"."${c.table_name}"`);
    for (const { value } of rows) {
      if (!value) continue;
      out.push(value);
      try {
        const idat = Buffer.concat(readPngChunks(new Uint8Array(value)).filter((ch) => ch.type === 'IDAT').map((ch) => Buffer.from(ch.data)));
        out.push(inflateSync(idat));
      } catch {
        // not a PNG
      }
    }
  }
  return out;
}

describe('no patient data survives an upload, anywhere', () => {
  let dicomImageId: string;

  it('stores the DICOM (with PHI in 35 attributes) and the PNG (with text, time and EXIF chunks)', async () => {
    const adminId = await adminUser();
    const dicomZip = await buildZip([{ name: DICOM_NAME, bytes: dicomWithPhi() }]);
    const dicom = await uploadOutcome(handleBatchUpload(await uploadRequest({ fileName: 'phi-batch.zip', bytes: dicomZip, modality: 'CT_HEAD', origin: 'REAL', newPool: 'CT_HEAD-phi-test' }), adminId, HOSTILE_TEST_LIMITS));
    expect(dicom.status, JSON.stringify(dicom.body)).toBe(201);
    const pngZip = await buildZip([{ name: PNG_NAME, bytes: pngWithMetadata() }]);
    const png = await uploadOutcome(handleBatchUpload(await uploadRequest({ fileName: 'png-batch.zip', bytes: pngZip, modality: 'CXR', origin: 'REAL', newPool: 'CXR-phi-test' }), adminId, HOSTILE_TEST_LIMITS));
    expect(png.status, JSON.stringify(png.body)).toBe(201);
    const image = await getPrisma().image.findFirstOrThrow({ where: { batchId: (dicom.body as { batchId: string }).batchId } });
    dicomImageId = image.id;
    expect(searched.length).toBeGreaterThanOrEqual(20);
  });

  it('keeps from the DICOM only what rendering needs, with the profile recorded and UIDs replaced', async () => {
    const image = await getPrisma().image.findUniqueOrThrow({ where: { id: dicomImageId } });
    const record = (image.provenance as { deidentification: Record<string, unknown> }).deidentification as {
      profile: string;
      patientIdentityRemoved: string;
      retained: Record<string, unknown>;
      uids: Record<string, string>;
      removedAttributes: number;
    };
    expect(record.profile).toBe(PROFILE_NAME);
    expect(record.patientIdentityRemoved).toBe('YES');
    expect(Object.keys(record.retained).sort()).toEqual(
      ['BitsAllocated', 'BitsStored', 'Columns', 'HighBit', 'Modality', 'PhotometricInterpretation', 'PixelRepresentation', 'RescaleIntercept', 'RescaleSlope', 'Rows', 'SamplesPerPixel', 'TransferSyntaxUID', 'WindowCenter', 'WindowWidth'].sort(),
    );
    expect(record.uids.StudyInstanceUID).toMatch(/^2\.25\.\d+$/);
    expect(record.uids.StudyInstanceUID).not.toBe(PHI.StudyInstanceUID);
    expect(record.removedAttributes).toBeGreaterThanOrEqual(30);
    expect(image.patientKey).toMatch(/^[0-9a-f]{32}$/);
    expect(image.sourceName).toBe(DICOM_NAME);
  });

  it('finds none of the values in any table (as text) or in any stored byte', async () => {
    const dump = await textDump();
    const bytes = await storedBytes();
    const found: string[] = [];
    for (const [attribute, value] of searched) {
      if (dump.text.includes(value)) found.push(`${attribute} in the tables`);
      const needle = Buffer.from(value, 'utf8');
      if (bytes.some((b) => b.includes(needle))) found.push(`${attribute} in the stored bytes`);
    }
    console.log(
      `PHI search: ${searched.length} values (${searched.map(([k]) => k).join(', ')}) in ${dump.tables} tables / ${dump.rows} rows as text and ${bytes.length} stored byte strings: ${found.length ? found.join('; ') : 'none found'}`,
    );
    expect(found).toEqual([]);
    // Controls: the searches do see the stored data.
    expect(dump.text).toContain('MONOCHROME2');
    expect(bytes.some((b) => b.includes(Buffer.from('IHDR')))).toBe(true);
  });

  it('keeps the original file names only in Image.sourceName', async () => {
    const dump = await textDump();
    for (const name of [DICOM_NAME, PNG_NAME]) {
      const lines = dump.text.split('\n').filter((line) => line.includes(name));
      expect(lines.length, name).toBe(1);
      const { rows } = await client.query('SELECT count(*)::int AS n FROM "Image" WHERE "sourceName" = $1', [name]);
      expect(rows[0].n).toBe(1);
    }
  });

  it('stores canonical PNGs with only IHDR, IDAT and IEND chunks', async () => {
    const blobs = await getPrisma().imageBlob.findMany();
    for (const blob of blobs) expect(new Set(readPngChunks(new Uint8Array(blob.bytes)).map((c) => c.type))).toEqual(new Set(['IHDR', 'IDAT', 'IEND']));
  });
});
