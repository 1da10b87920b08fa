import { describe, expect, it } from 'vitest';
import { MemoryImageStore } from './storage';

const SHA = 'a'.repeat(64);

describe('MemoryImageStore', () => {
  it('returns what was put, under a content-addressed key, and null for unknown keys', async () => {
    const store = new MemoryImageStore();
    const key = await store.put(SHA, Uint8Array.of(1, 2, 3));
    expect(key).toBe(`sha256:${SHA}`);
    expect(await store.get(key)).toEqual(Uint8Array.of(1, 2, 3));
    expect(await store.get('sha256:' + 'b'.repeat(64))).toBeNull();
  });

  it('stores an image once however often it is put, and is not affected by later buffer reuse', async () => {
    const store = new MemoryImageStore();
    const buf = Uint8Array.of(9, 9);
    await store.put(SHA, buf);
    buf[0] = 0;
    await store.put(SHA, buf);
    expect(store.size).toBe(1);
    expect(await store.get(`sha256:${SHA}`)).toEqual(Uint8Array.of(9, 9));
  });

  it('refuses a key that is not a sha256 digest', async () => {
    await expect(new MemoryImageStore().put('../etc/passwd', Uint8Array.of(1))).rejects.toThrow(/not a sha256/);
  });

  it('reads many keys at once, leaving unknown ones out, and forgets deleted bytes', async () => {
    const store = new MemoryImageStore();
    const key = await store.put(SHA, Uint8Array.of(1, 2));
    const found = await store.getMany([key, 'sha256:unknown']);
    expect([...found.keys()]).toEqual([key]);
    expect(found.get(key)).toEqual(Uint8Array.of(1, 2));
    await store.delete(key);
    await store.delete(key);
    expect(await store.get(key)).toBeNull();
    expect(store.size).toBe(0);
  });
});
