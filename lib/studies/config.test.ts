import { describe, expect, it } from 'vitest';
import { briefingText, DEFAULT_BRIEFING, parseStudyConfig, safeParseStudyConfig, scoredLength } from './config';
import { StudyConfigError } from './errors';

describe('study configuration', () => {
  it('fills the defaults', () => {
    expect(parseStudyConfig({ imagesPerReader: 100 })).toEqual({
      imagesPerReader: 100,
      syntheticFraction: 0.5,
      practiceItems: 0,
      repeatedItems: 0,
      repeatMinGap: 2,
      maxRunLength: 3,
      confidenceScale: { min: 1, max: 5 },
      allowBack: false,
      margin: 0.1,
      alpha: 0.05,
      sameImagesForAllReaders: true,
    });
  });

  it('keeps explicit settings', () => {
    const c = parseStudyConfig({
      imagesPerReader: 60,
      syntheticFraction: 0.25,
      strata: { by: ['modality', 'label'] },
      practiceItems: 5,
      repeatedItems: 6,
      maxRunLength: 4,
      blockSize: 20,
      confidenceScale: { min: 0, max: 100 },
      allowBack: true,
      sameImagesForAllReaders: false,
    });
    expect(c.strata).toEqual({ by: ['modality', 'label'] });
    expect(c.blockSize).toBe(20);
    expect(scoredLength(c)).toBe(66);
  });

  it('lists every problem in readable lines', () => {
    const r = safeParseStudyConfig({
      imagesPerReader: 2.5,
      syntheticFraction: 1,
      maxRunLength: 0,
      strata: { by: ['colour'] },
      confidenceScale: { min: 5, max: 5 },
      imagePerReader: 3,
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues).toEqual(
      expect.arrayContaining([
        'imagesPerReader: must be a whole number ≥ 1',
        'syntheticFraction: must be less than 1 (a study needs both classes)',
        'maxRunLength: must be a whole number ≥ 1',
        'strata.by.0: must be one of modality, label, resolution',
        'confidenceScale: min must be less than max',
        'configuration: unknown setting(s): imagePerReader',
      ]),
    );
  });

  it('refuses a confidence scale below 0 (scores multiply the rating by the call)', () => {
    const r = safeParseStudyConfig({ imagesPerReader: 10, confidenceScale: { min: -2, max: 2 } });
    expect(r).toEqual({ ok: false, issues: ['confidenceScale.min: must be 0 or more'] });
  });

  it('says when a required field is missing or the input is not an object', () => {
    expect(safeParseStudyConfig({})).toEqual({ ok: false, issues: ['imagesPerReader: is required'] });
    expect(safeParseStudyConfig('x')).toEqual({ ok: false, issues: ['configuration: must be an object'] });
  });

  it('checks fields against each other', () => {
    expect(safeParseStudyConfig({ imagesPerReader: 3, repeatedItems: 4 })).toEqual({
      ok: false,
      issues: ['repeatedItems: must be at most the images per reader (3); each image is repeated at most once'],
    });
    expect(safeParseStudyConfig({ imagesPerReader: 3, strata: { by: ['label', 'label'] } })).toEqual({
      ok: false,
      issues: ['strata.by: must not repeat an attribute'],
    });
  });

  it('throws a StudyConfigError whose message lists the issues', () => {
    expect(() => parseStudyConfig({ imagesPerReader: 0, alpha: 2 })).toThrow(StudyConfigError);
    try {
      parseStudyConfig({ imagesPerReader: 0, alpha: 2 });
    } catch (e) {
      expect((e as StudyConfigError).issues).toHaveLength(2);
      expect((e as Error).message).toContain('imagesPerReader: must be a whole number ≥ 1');
      expect((e as Error).message).toContain('alpha: must be at most 0.5');
    }
  });
});

describe('leak audit setting', () => {
  it('is optional and leaves the defaults (and so protocol hashes) alone', () => {
    expect(parseStudyConfig({ imagesPerReader: 10 })).not.toHaveProperty('leakAudit');
    expect(parseStudyConfig({ imagesPerReader: 10, leakAudit: { maxAuc: 0.65 } }).leakAudit).toEqual({ maxAuc: 0.65 });
  });

  it('refuses a limit below chance with a readable line', () => {
    expect(safeParseStudyConfig({ imagesPerReader: 10, leakAudit: { maxAuc: 0.4 } })).toEqual({
      ok: false,
      issues: ['leakAudit.maxAuc: must be at least 0.5 (chance)'],
    });
  });
});

describe('reader briefing', () => {
  it('is optional (protocol hashes of older studies stay), and the default text applies when unset', () => {
    const plain = parseStudyConfig({ imagesPerReader: 10 });
    expect(plain).not.toHaveProperty('briefing');
    expect(briefingText(plain)).toBe(DEFAULT_BRIEFING);
    expect(DEFAULT_BRIEFING).toMatch(/real.*synthetic/);
    const own = parseStudyConfig({ imagesPerReader: 10, briefing: '  Is each radiograph real or generated?  ' });
    expect(own.briefing).toBe('Is each radiograph real or generated?');
    expect(briefingText(own)).toBe('Is each radiograph real or generated?');
  });

  it('refuses empty or overlong text with a readable line', () => {
    expect(safeParseStudyConfig({ imagesPerReader: 10, briefing: '   ' })).toEqual({ ok: false, issues: ['briefing: must not be empty (leave it out for the default)'] });
    expect(safeParseStudyConfig({ imagesPerReader: 10, briefing: 'x'.repeat(2001) })).toEqual({ ok: false, issues: ['briefing: must be at most 2000 characters'] });
    expect(safeParseStudyConfig({ imagesPerReader: 10, briefing: 3 })).toEqual({ ok: false, issues: ['briefing: must be text'] });
  });
});
