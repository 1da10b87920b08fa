// Where canonical image bytes live. Content-addressed by sha256, so storing the same image twice
// is harmless. The Postgres (bytea) implementation lives in lib/db; this file holds the contract
// and an in-memory implementation for tests.

export interface ImageStore {
  /** Stores canonical PNG bytes under their sha256 and returns the key to fetch them with. */
  put(sha256: string, bytes: Uint8Array): Promise<string>;
  /** The stored bytes, or null when the key is unknown. */
  get(storageKey: string): Promise<Uint8Array | null>;
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

  get size(): number {
    return this.blobs.size;
  }
}
