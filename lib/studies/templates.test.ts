import { describe, expect, it } from 'vitest';
import { safeParseStudyConfig } from './config';
import { STUDY_TEMPLATES, studyTemplate } from './templates';

describe('study templates', () => {
  it('each holds a valid configuration', () => {
    for (const t of STUDY_TEMPLATES) expect(safeParseStudyConfig(t.config), t.id).toMatchObject({ ok: true });
  });

  it('has unique ids and says plainly when the reading room cannot run one yet', () => {
    expect(new Set(STUDY_TEMPLATES.map((t) => t.id)).size).toBe(STUDY_TEMPLATES.length);
    expect(studyTemplate('seed-protocol')?.config.strata).toEqual({ by: ['resolution'] });
    expect(studyTemplate('naive-then-informed')?.unsupported).toMatch(/^Not yet supported/);
    expect(STUDY_TEMPLATES.filter((t) => !t.unsupported).map((t) => t.id)).toEqual(['seed-protocol', 'practice-then-blinded']);
  });
});
