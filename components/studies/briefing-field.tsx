'use client';

import { BRIEFING_MAX_LENGTH, DEFAULT_BRIEFING } from '@/lib/studies/config';

/**
 * The study's reader briefing in the wizard: what readers are told the study asks, on the screen they confirm
 * once before their first image (that screen adds the image count, the feedback rules, a time estimate and the
 * keys). Prefilled with the default; opening freezes it with the rest of the protocol.
 */
export function BriefingField({ value, onChange }: { value: string; onChange: (value: string) => void }) {
  const isDefault = value.trim() === DEFAULT_BRIEFING;
  return (
    <div className="stack">
      <label>
        Reader briefing (shown once before the first image)
        <textarea value={value} onChange={(e) => onChange(e.target.value)} rows={4} maxLength={BRIEFING_MAX_LENGTH} aria-describedby="briefing-help" />
      </label>
      <div className="row spread small">
        <span className="muted" id="briefing-help" data-testid="briefing-help">
          {isDefault ? 'The default briefing. ' : ''}
          {value.trim().length} / {BRIEFING_MAX_LENGTH} characters; the screen adds the number of images, the feedback rules, the time and the keys.
        </span>
        {isDefault ? null : (
          <button type="button" className="secondary" onClick={() => onChange(DEFAULT_BRIEFING)}>
            Use the default briefing
          </button>
        )}
      </div>
    </div>
  );
}
