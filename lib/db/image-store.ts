import type { ImageStore } from '@/lib/images';
import type { Prisma } from '@/lib/generated/prisma/client';
import { getPrisma } from './client';

type Db = Pick<Prisma.TransactionClient, 'imageBlob'>;

/**
 * Canonical image bytes in Postgres (bytea), content-addressed by sha256. Given a transaction client,
 * blobs are written in the same transaction as their Image rows: a batch lands whole or not at all.
 */
export class PgImageStore implements ImageStore {
  constructor(private readonly db: Db = getPrisma()) {}

  async put(sha256: string, bytes: Uint8Array): Promise<string> {
    const storageKey = `pg:${sha256}`;
    await this.db.imageBlob.upsert({
      where: { storageKey },
      create: { storageKey, bytes: Buffer.from(bytes) as unknown as Uint8Array<ArrayBuffer> },
      update: {},
    });
    return storageKey;
  }

  async get(storageKey: string): Promise<Uint8Array | null> {
    const blob = await this.db.imageBlob.findUnique({ where: { storageKey } });
    return blob ? new Uint8Array(blob.bytes) : null;
  }

  async getMany(storageKeys: readonly string[]): Promise<Map<string, Uint8Array>> {
    const blobs = await this.db.imageBlob.findMany({ where: { storageKey: { in: [...storageKeys] } } });
    return new Map(blobs.map((b) => [b.storageKey, new Uint8Array(b.bytes)]));
  }

  async delete(storageKey: string): Promise<void> {
    await this.db.imageBlob.deleteMany({ where: { storageKey } });
  }
}
