'use client';
import type { ViewerHandle } from '@/components/viewer/viewer';
import type { WindowPreset } from '@/components/viewer/presets';

type Feedback = { truth: 'REAL' | 'SYNTHETIC'; isCorrect: boolean };

type Props = {
  isPractice: boolean;
  isDisabled: boolean;
  call: 'REAL' | 'SYNTHETIC' | null;
  confidence: number | null;
  confidenceScale: { min: number; max: number };
  isAwaitingFeedback: boolean;
  feedback: Feedback | null;
  problem: string | null;
  presets: WindowPreset[];
  viewer: React.RefObject<ViewerHandle | null>;
  /** ' (R)' for a bound shortcut, '' when it is off. */
  keyFor: (id: string) => string;
  onCall: (call: 'REAL' | 'SYNTHETIC') => void;
  onConfidence: (value: number) => void;
  onSubmit: () => void;
  onContinue: () => void;
};

/** The answer side of the reading room: the forced choice, the confidence rating, feedback and view tools. */
export function AnswerPanel(props: Props) {
  const { call, confidence, feedback, viewer, keyFor } = props;
  const { min, max } = props.confidenceScale;
  const confidenceValues = Array.from({ length: max - min + 1 }, (_, i) => min + i);
  return (
    <aside className="answer-panel">
      {props.isPractice ? <p className="notice">Practice image: you will see the answer.</p> : null}
      <fieldset disabled={props.isDisabled}>
        <legend>This image is…</legend>
        <div className="row">
          <button type="button" className={call === 'REAL' ? 'choice selected' : 'choice'} aria-pressed={call === 'REAL'} onClick={() => props.onCall('REAL')}>
            Real{keyFor('call-real')}
          </button>
          <button
            type="button"
            className={call === 'SYNTHETIC' ? 'choice selected' : 'choice'}
            aria-pressed={call === 'SYNTHETIC'}
            onClick={() => props.onCall('SYNTHETIC')}
          >
            Synthetic{keyFor('call-synthetic')}
          </button>
        </div>
        <legend className="sub">Confidence</legend>
        <div className="row">
          {confidenceValues.map((value) => (
            <button
              key={value}
              type="button"
              className={confidence === value ? 'choice small selected' : 'choice small'}
              aria-pressed={confidence === value}
              aria-label={`Confidence ${value}`}
              onClick={() => props.onConfidence(value)}
            >
              {value}
            </button>
          ))}
        </div>
        <p className="muted scale-hint">
          {min} = guessing, {max} = certain
        </p>
        <button type="button" onClick={props.onSubmit} disabled={call === null || confidence === null}>
          Submit{keyFor('submit')}
        </button>
      </fieldset>
      {props.isAwaitingFeedback && !feedback ? <p className="muted">Checking your answer…</p> : null}
      {feedback ? (
        <div className={feedback.isCorrect ? 'feedback correct' : 'feedback wrong'} data-testid="feedback">
          <p>
            {feedback.isCorrect ? 'Correct' : 'Not quite'}: this practice image is <strong>{feedback.truth.toLowerCase()}</strong>.
          </p>
          <button type="button" onClick={props.onContinue}>
            Continue{keyFor('submit')}
          </button>
        </div>
      ) : null}
      {props.problem ? (
        <p className="error" role="alert">
          {props.problem}
        </p>
      ) : null}
      <div className="tools">
        <span className="muted">View</span>
        <div className="row">
          {props.presets.map((preset, index) => (
            <button key={preset.id} type="button" className="secondary small" onClick={() => viewer.current?.applyPreset(index)}>
              {preset.label}
            </button>
          ))}
        </div>
        <div className="row">
          <button type="button" className="secondary small" onClick={() => viewer.current?.invert()}>
            Invert{keyFor('invert')}
          </button>
          <button type="button" className="secondary small" onClick={() => viewer.current?.reset()}>
            Reset{keyFor('reset')}
          </button>
          <button type="button" className="secondary small" onClick={() => viewer.current?.fit()}>
            Fit{keyFor('fit')}
          </button>
        </div>
      </div>
    </aside>
  );
}
