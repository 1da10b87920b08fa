import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { readShared } from '@/tests/support/shared-data';
import { decode } from './decode';
import fixture from './fixtures/resample-reference.json';
import { resampleArea } from './resample';

function sha256Le(pixels: Uint8Array | Uint16Array): string {
  const bytes = new Uint8Array(pixels.length * pixels.BYTES_PER_ELEMENT);
  const view = new DataView(bytes.buffer);
  pixels.forEach((v, i) => (pixels.BYTES_PER_ELEMENT === 1 ? view.setUint8(i, v) : view.setUint16(2 * i, v, true)));
  return createHash('sha256').update(bytes).digest('hex');
}

describe('resampleArea against the numpy reference (make_resample_reference.py)', () => {
  it(`reproduces ${fixture.cases.length} resamplings bit for bit (8-bit radiographs, 16-bit noise, integer and non-integer factors)`, () => {
    const sixteen = Uint16Array.from(fixture.sixteen.pixels);
    for (const c of fixture.cases) {
      let out: Uint8Array | Uint16Array;
      if (c.input === 'sixteen') {
        out = resampleArea(sixteen, fixture.sixteen.width, fixture.sixteen.height, c.width, c.height);
      } else {
        const img = decode(readShared(c.input));
        out = resampleArea(img.pixels as Uint8Array, img.width, img.height, c.width, c.height);
      }
      expect([...out.slice(0, 16)], `${c.input} → ${c.width}×${c.height}`).toEqual(c.first);
      expect(sha256Le(out), `${c.input} → ${c.width}×${c.height}`).toBe(c.sha256);
    }
  });

  it('averages blocks exactly, keeps the sample type, and keeps a constant image constant', () => {
    const px = Uint8Array.from([0, 2, 4, 6, 1, 1, 1, 255, 9, 9, 0, 0, 9, 9, 0, 1]);
    expect([...resampleArea(px, 4, 4, 2, 2)]).toEqual([1, 67, 9, 0]);
    const flat = new Uint16Array(30 * 30).fill(40_000);
    const out = resampleArea(flat, 30, 30, 7, 11);
    expect(out).toBeInstanceOf(Uint16Array);
    expect(new Set(out)).toEqual(new Set([40_000]));
    expect(resampleArea(px, 4, 4, 4, 4)).toEqual(px);
  });

  it('refuses to upsample or to resample a buffer of the wrong size', () => {
    expect(() => resampleArea(new Uint8Array(16), 4, 4, 8, 8)).toThrow(/between 1×1 and 4×4/);
    expect(() => resampleArea(new Uint8Array(15), 4, 4, 2, 2)).toThrow(/15 pixels/);
  });
});
