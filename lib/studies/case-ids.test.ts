import { describe, expect, it } from 'vitest';
import { caseIds } from './case-ids';

// Expected ids from Python: 'C' + hmac.new(secret, b'case:' + image_id, hashlib.sha256).hexdigest()[:12].
describe('caseIds', () => {
  it('are HMAC-SHA256 of the image id under the study secret, also when asked again or for other images', () => {
    expect(caseIds('s3cret', ['img-a', 'img-b'])).toEqual(['C141502f13b0f', 'Cd7fa1641b816']);
    const again = caseIds('s3cret', ['img-a', 'img-b']);
    expect(again).toEqual(['C141502f13b0f', 'Cd7fa1641b816']);
    again[0] = 'changed by a caller';
    expect(caseIds('s3cret', ['img-a', 'img-b'])).toEqual(['C141502f13b0f', 'Cd7fa1641b816']);
    expect(caseIds('s3cret', ['img-a', 'img-c'])).toEqual(['C141502f13b0f', 'C3b7b9be9f7eb']);
    expect(caseIds('s3cret', ['img-c'])).toEqual(['C3b7b9be9f7eb']);
    expect(caseIds('other', ['img-a'])).toEqual(['C93674b96c66d']);
  });
});
