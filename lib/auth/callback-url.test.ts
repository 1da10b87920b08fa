import { describe, expect, it } from 'vitest';
import { safeCallbackPath } from './callback-url';

describe('safeCallbackPath', () => {
  it('keeps paths on this site, normalised', () => {
    expect(safeCallbackPath('/studies/abc?tab=1#x')).toBe('/studies/abc?tab=1#x');
    expect(safeCallbackPath('/read/../admin')).toBe('/admin');
    expect(safeCallbackPath('/account/password')).toBe('/account/password');
  });

  it.each([
    '/%5Cevil.example',
    '/%5cevil.example',
    '/%255Cevil.example',
    '//evil.example',
    '/\\evil.example',
    '\\\\evil.example',
    '/%2F%2Fevil.example',
    '/%2Fevil.example',
    '%2F%2Fevil.example',
    '/%09/evil.example',
    '/\t/evil.example',
    'https://evil.example/',
    'javascript:alert(1)',
    'evil.example',
    '/%E0%A4%A',
    '',
  ])('sends %s to /', (raw) => {
    expect(safeCallbackPath(raw)).toBe('/');
  });

  it('refuses what is not a string', () => {
    expect(safeCallbackPath(undefined)).toBe('/');
    expect(safeCallbackPath(['/studies'])).toBe('/');
  });
});
