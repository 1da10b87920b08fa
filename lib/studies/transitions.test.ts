import { describe, expect, it } from 'vitest';
import { StudyStateError } from './errors';
import {
  STUDY_STATES,
  assertEditable,
  assertTransition,
  canTransition,
  isEditable,
  nextStates,
  protocolDocument,
  protocolHash,
  transitionError,
} from './transitions';

const sha = (c: string) => c.repeat(64);

describe('study lifecycle', () => {
  it('allows exactly DRAFT→OPEN, OPEN→CLOSED and CLOSED→OPEN (with a reason)', () => {
    const allowed = STUDY_STATES.flatMap((from) =>
      STUDY_STATES.filter((to) => canTransition(from, to, { reason: 'fix' })).map((to) => `${from}→${to}`),
    );
    expect(allowed).toEqual(['DRAFT→OPEN', 'OPEN→CLOSED', 'CLOSED→OPEN']);
    expect(nextStates('CLOSED')).toEqual(['OPEN']);
  });

  it('requires a non-blank reason to reopen', () => {
    expect(() => assertTransition('CLOSED', 'OPEN')).toThrow(/requires a reason/);
    expect(transitionError('CLOSED', 'OPEN', { reason: '   ' })?.code).toBe('REASON_REQUIRED');
    expect(() => assertTransition('CLOSED', 'OPEN', { reason: 'Reader 3 lost connection' })).not.toThrow();
  });

  it('explains refused transitions', () => {
    expect(() => assertTransition('OPEN', 'DRAFT')).toThrow('A OPEN study cannot become DRAFT; from OPEN it can only become CLOSED.');
    expect(() => assertTransition('DRAFT', 'DRAFT')).toThrow('The study is already DRAFT.');
    const e = transitionError('CLOSED', 'DRAFT');
    expect(e).toBeInstanceOf(StudyStateError);
    expect(e?.code).toBe('INVALID_TRANSITION');
  });

  it('lets only a DRAFT be edited', () => {
    expect(STUDY_STATES.filter(isEditable)).toEqual(['DRAFT']);
    expect(() => assertEditable('OPEN', 'image set')).toThrow(/The image set of a OPEN study is frozen/);
    expect(() => assertEditable('DRAFT')).not.toThrow();
  });
});

describe('protocolHash', () => {
  const images = [
    { id: 'b', sha256: sha('B') },
    { id: 'a', sha256: sha('a') },
  ];

  it('hashes the canonical document: version, config with defaults, images sorted by id', () => {
    const doc = protocolDocument({ imagesPerReader: 2 }, images);
    expect(doc).toBe(
      '{"config":{"allowBack":false,"alpha":0.05,"confidenceScale":{"max":5,"min":1},"imagesPerReader":2,' +
        '"margin":0.1,"maxRunLength":3,"practiceItems":0,"repeatMinGap":2,"repeatedItems":0,' +
        '"sameImagesForAllReaders":true,"syntheticFraction":0.5},' +
        `"images":[{"id":"a","sha256":"${sha('a')}"},{"id":"b","sha256":"${sha('b')}"}],"version":1}`,
    );
    // printf '%s' "$doc" | sha256sum
    expect(protocolHash({ imagesPerReader: 2 }, images)).toBe(
      'f87a6691735ca4d1fb517dd9bba34256eae9174a46dfc4621be7fe55439a6639',
    );
  });

  it('ignores input order and spelled-out defaults, but not real changes', () => {
    const h = protocolHash({ imagesPerReader: 2 }, images);
    expect(protocolHash({ syntheticFraction: 0.5, imagesPerReader: 2, maxRunLength: 3 }, [...images].reverse())).toBe(h);
    expect(protocolHash({ imagesPerReader: 2, maxRunLength: 4 }, images)).not.toBe(h);
    expect(protocolHash({ imagesPerReader: 2 }, [images[0], { id: 'a', sha256: sha('c') }])).not.toBe(h);
  });

  it('rejects duplicate images, bad digests and invalid configs', () => {
    expect(() => protocolHash({ imagesPerReader: 2 }, [images[0], images[0]])).toThrow(/listed twice/);
    expect(() => protocolHash({ imagesPerReader: 2 }, [{ id: 'x', sha256: 'abc' }])).toThrow(/SHA-256/);
    expect(() => protocolHash({ imagesPerReader: 0 }, images)).toThrow(/imagesPerReader/);
  });
});
