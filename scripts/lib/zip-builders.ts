// Building zips in memory (yazl), and changing valid zips in the ways hostile uploads do: names no
// well-behaved tool writes, lying sizes, encryption flags, a damaged central directory. Each change is a
// named function, so a fixture built with them says exactly what is wrong with it (make-hostile-fixtures.ts).
import yazl from 'yazl';

export type ZipEntrySpec = { name: string; bytes: Uint8Array; mode?: number; compress?: boolean };

export function buildZip(entries: ZipEntrySpec[]): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const zip = new yazl.ZipFile();
    const chunks: Buffer[] = [];
    zip.outputStream.on('data', (chunk: Buffer) => chunks.push(chunk));
    zip.outputStream.on('end', () => resolve(new Uint8Array(Buffer.concat(chunks))));
    zip.outputStream.on('error', reject);
    const mtime = new Date('2025-01-01T00:00:00Z');
    for (const e of entries) zip.addBuffer(Buffer.from(e.bytes), e.name, { mtime, mode: e.mode ?? 0o100644, compress: e.compress ?? true });
    zip.end();
  });
}

/** Every central-directory record: offset, name, and the offset of its local header. */
function centralRecords(zip: Uint8Array): Array<{ at: number; name: string; local: number }> {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const records: Array<{ at: number; name: string; local: number }> = [];
  for (let at = 0; at + 46 <= zip.length; at++) {
    if (view.getUint32(at, true) !== 0x02014b50) continue;
    const nameLength = view.getUint16(at + 28, true);
    records.push({ at, name: Buffer.from(zip.subarray(at + 46, at + 46 + nameLength)).toString('utf8'), local: view.getUint32(at + 42, true) });
  }
  return records;
}

function record(zip: Uint8Array, name: string) {
  const found = centralRecords(zip).find((r) => r.name === name);
  if (!found) throw new Error(`no entry ${name}`);
  return found;
}

/** Renames an entry in its local header and central record (same byte length): names yazl refuses to write. */
export function renameEntry(zip: Uint8Array, from: string, to: string): Uint8Array {
  const a = Buffer.from(from, 'utf8');
  const b = Buffer.from(to, 'utf8');
  if (a.length !== b.length) throw new Error('renameEntry: names must have the same length in bytes');
  const out = zip.slice();
  const { at, local } = record(out, from);
  out.set(b, at + 46);
  out.set(b, local + 30);
  return out;
}

/** Makes an entry's headers claim `uncompressed` bytes (a zip bomb's lie). */
export function declareUncompressedSize(zip: Uint8Array, name: string, uncompressed: number): Uint8Array {
  const out = zip.slice();
  const view = new DataView(out.buffer);
  const { at, local } = record(out, name);
  view.setUint32(at + 24, uncompressed, true);
  view.setUint32(local + 22, uncompressed, true);
  return out;
}

/** Sets the "encrypted" flag (general purpose bit 0) of an entry. */
export function markEncrypted(zip: Uint8Array, name: string): Uint8Array {
  const out = zip.slice();
  const view = new DataView(out.buffer);
  const { at, local } = record(out, name);
  view.setUint16(at + 8, view.getUint16(at + 8, true) | 1, true);
  view.setUint16(local + 6, view.getUint16(local + 6, true) | 1, true);
  return out;
}

/** Overwrites the signature of the first central-directory record: the directory no longer reads. */
export function damageCentralDirectory(zip: Uint8Array): Uint8Array {
  const out = zip.slice();
  out.set([0xde, 0xad, 0xbe, 0xef], centralRecords(out)[0].at);
  return out;
}
