import type { Connection } from './answer-queue';

type Props = {
  studyName: string;
  position: number;
  total: number;
  isPractice: boolean;
  unsaved: number;
  connection: Connection;
  isPaused: boolean;
  isHelpOpen: boolean;
  onPause: () => void;
  onHelp: () => void;
};

function saveStatus(connection: Connection, unsaved: number): string {
  const answers = `${unsaved} answer${unsaved === 1 ? '' : 's'}`;
  if (connection === 'signed-out') return 'Your session ended: sign in again in another tab; your answers are kept here.';
  if (unsaved === 0) return 'All answers saved';
  return connection === 'reconnecting' ? `Reconnecting… ${answers} waiting to be saved` : `Saving ${answers}…`;
}

/** The reading room's top bar: study, progress, where the reader is, whether answers are saved, Pause and Keys. */
export function ReadingBar({ studyName, position, total, isPractice, unsaved, connection, isPaused, isHelpOpen, onPause, onHelp }: Props) {
  const read = Math.min(position, total);
  return (
    <header className="reading-bar">
      <span className="study-name">{studyName}</span>
      <div className="progress wide" role="progressbar" aria-label="Images read" aria-valuemin={0} aria-valuemax={total} aria-valuenow={read} data-testid="progress">
        <div style={{ width: `${(100 * read) / Math.max(total, 1)}%` }} />
      </div>
      <span data-testid="position">
        {isPractice ? 'Practice ' : ''}
        {Math.min(position + 1, total)} / {total}
      </span>
      <span className={unsaved ? 'save-status pending' : 'save-status'} data-testid="save-status" role="status">
        {saveStatus(connection, unsaved)}
      </span>
      <button type="button" className="secondary" onClick={onPause}>
        {isPaused ? 'Resume' : 'Pause'}
      </button>
      <button type="button" className="secondary" onClick={onHelp} aria-haspopup="dialog" aria-expanded={isHelpOpen}>
        Keys
      </button>
    </header>
  );
}
