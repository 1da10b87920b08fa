// Where canonical image bytes live. Content-addressed by sha256, so storing the same image twice
// is harmless. The Postgres (bytea) implementation lives in lib/db; this file holds the contract
// and an in-memory implementation for tests.

export interface ImageStore {
  /** Stores canonical PNG bytes under their sha256 and returns the key to fetch them with. */
  put(sha256: string, bytes: Uint8Array): Promise<string>;
  /** The stored bytes, or null when the key is unknown. */
  get(storageKey: string): Promise<Uint8Array | null>;
  /** The stored bytes of many keys in one round trip; unknown keys are absent from the map. */
  getMany(storageKeys: readonly string[]): Promise<Map<string, Uint8Array>>;
  /** Forgets the bytes under a key (nothing happens for an unknown key). */
  delete(storageKey: string): Promise<void>;
}

export class MemoryImageStore implements ImageStore {
  private readonly blobs = new Map<string, Uint8Array>();

  async put(sha256: string, bytes: Uint8Array): Promise<string> {
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error(`not a sha256 hex digest: ${sha256}`);
    const key = `sha256:${sha256}`;
    if (!this.blobs.has(key)) this.blobs.set(key, bytes.slice()); // copy: callers may reuse their buffer
    return key;
  }

  async get(storageKey: string): Promise<Uint8Array | null> {
    const bytes = this.blobs.get(storageKey);
    return bytes ? bytes.slice() : null;
  }

  async getMany(storageKeys: readonly string[]): Promise<Map<string, Uint8Array>> {
    const found = new Map<string, Uint8Array>();
    for (const key of storageKeys) {
      const bytes = this.blobs.get(key);
      if (bytes) found.set(key, bytes.slice());
    }
    return found;
  }

  async delete(storageKey: string): Promise<void> {
    this.blobs.delete(storageKey);
  }

  get size(): number {
    return this.blobs.size;
  }
}
