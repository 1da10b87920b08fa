'use client';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ReaderItem, ReaderState } from '@/lib/reading/store';
import { Viewer, type ViewerEvent, type ViewerHandle } from '@/components/viewer/viewer';
import { describeKey, HOTKEYS, matchHotkey } from '@/components/viewer/hotkeys';
import { presetsFor } from '@/components/viewer/presets';
import { loadPending, retryDelayMs, savePending, type PendingAnswer } from './answer-queue';

type Feedback = { truth: 'REAL' | 'SYNTHETIC'; isCorrect: boolean };
type Connection = 'online' | 'reconnecting' | 'signed-out';
type Telemetry = { windowLevel: number; presets: string[]; zoom: number; pan: number; invert: number; reset: number; fit: number; blur: number; fullscreen: number; idleGapsMs: number[] };

const IDLE_GAP_MS = 5000;
/** Items (and their images) kept ready ahead of the current one. */
const AHEAD = 12;
const newTelemetry = (): Telemetry => ({ windowLevel: 0, presets: [], zoom: 0, pan: 0, invert: 0, reset: 0, fit: 0, blur: 0, fullscreen: 0, idleGapsMs: [] });

/**
 * The reading room: one image at a time in the viewer, a forced choice real/synthetic with a
 * confidence rating, submitted by button or key. Answers go to a persistent queue and the reader
 * moves on at once; the queue delivers them in order (see answer-queue.ts). Practice items wait for
 * the server's feedback; scored items never get any.
 */
export function ReadingRoom({ initialState }: { initialState: ReaderState }) {
  const assignmentId = initialState.assignmentId;
  const { min: confMin, max: confMax } = initialState.confidenceScale;
  const [items, setItems] = useState<Map<number, ReaderItem>>(() => new Map(initialState.items.map((i) => [i.position, i])));
  const [serverAnswered, setServerAnswered] = useState(initialState.answered);
  const [pending, setPending] = useState<PendingAnswer[]>([]);
  const [position, setPosition] = useState(initialState.answered);
  const [call, setCall] = useState<'REAL' | 'SYNTHETIC' | null>(null);
  const [confidence, setConfidence] = useState<number | null>(null);
  const [feedback, setFeedback] = useState<Feedback | null>(null);
  const [awaitingFeedbackKey, setAwaitingFeedbackKey] = useState<string | null>(null);
  const [connection, setConnection] = useState<Connection>('online');
  const [problem, setProblem] = useState<string | null>(null);
  const [isPaused, setPaused] = useState(false);
  const [isHelpOpen, setHelpOpen] = useState(false);
  const [images, setImages] = useState<Map<string, ArrayBuffer>>(() => new Map());
  const [isLoaded, setLoaded] = useState(false);
  /** The token of the image on screen once painted: no answer before the reader has seen the image. */
  const [paintedToken, setPaintedToken] = useState<string | null>(null);

  const viewer = useRef<ViewerHandle>(null);
  const paintedAt = useRef<number | null>(null);
  const pausedMs = useRef(0);
  const pauseStarted = useRef<number | null>(null);
  const telemetry = useRef<Telemetry>(newTelemetry());
  const lastInput = useRef(performance.now());
  const isSubmitting = useRef(false);
  const fetching = useRef(new Set<string>());

  const total = initialState.total;
  const current = items.get(position) ?? null;
  const isFinished = position >= total;

  // Restore unacknowledged answers from an earlier visit, and continue after them.
  useEffect(() => {
    const stored = loadPending(assignmentId);
    setPending(stored);
    if (stored.length) setPosition((p) => Math.max(p, stored[stored.length - 1].position + 1));
    setLoaded(true);
  }, [assignmentId]);

  useEffect(() => {
    if (isLoaded) savePending(assignmentId, pending);
  }, [assignmentId, pending, isLoaded]);

  const mergeState = useCallback((state: ReaderState) => {
    setServerAnswered((a) => Math.max(a, state.answered));
    setItems((old) => {
      const next = new Map(old);
      for (const item of state.items) next.set(item.position, item);
      return next;
    });
  }, []);

  // Deliver queued answers one at a time, in order, retrying with backoff until acknowledged.
  useEffect(() => {
    if (!isLoaded || pending.length === 0) return;
    let isCancelled = false;
    let attempt = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const answer = pending[0];
    const send = async () => {
      try {
        const response = await fetch(`/api/reading/${assignmentId}/answers`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({
            token: answer.token,
            position: answer.position,
            call: answer.call,
            confidence: answer.confidence,
            clientMs: answer.clientMs,
            idempotencyKey: answer.idempotencyKey,
            telemetry: answer.telemetry,
          }),
        });
        if (isCancelled) return;
        if (response.status === 401) {
          setConnection('signed-out');
          return;
        }
        if (response.status >= 500) throw new Error(`server ${response.status}`);
        const data = await response.json().catch(() => ({}));
        if (response.ok) {
          setServerAnswered((a) => Math.max(a, data.answered));
          if (data.feedback && answer.idempotencyKey === awaitingFeedbackKey) setFeedback(data.feedback);
        } else {
          // Refused for good (already answered elsewhere, study closed…): drop it and say why.
          if (data.state) mergeState(data.state);
          setProblem(data.error ?? `An answer was refused (${response.status}).`);
        }
        setConnection('online');
        setPending((list) => list.filter((p) => p.idempotencyKey !== answer.idempotencyKey));
      } catch {
        if (isCancelled) return;
        setConnection('reconnecting');
        timer = setTimeout(send, retryDelayMs(attempt++));
      }
    };
    void send();
    return () => {
      isCancelled = true;
      if (timer) clearTimeout(timer);
    };
  }, [assignmentId, pending, isLoaded, mergeState, awaitingFeedbackKey]);

  // Keep about a dozen items ahead known, so that a reader can go on through a network outage.
  useEffect(() => {
    const ahead = Math.min(AHEAD, total - 1 - position);
    if (isFinished || ahead <= 0 || items.has(position + ahead)) return;
    const timer = setTimeout(async () => {
      const response = await fetch(`/api/reading/${assignmentId}`).catch(() => null);
      if (response?.ok) mergeState(await response.json());
    }, 300);
    return () => clearTimeout(timer);
  }, [assignmentId, position, items, total, isFinished, mergeState, serverAnswered]);

  // Prefetch the current and upcoming images so that loading never counts in the response time.
  useEffect(() => {
    const wanted = [...items.values()].filter((i) => i.position >= position).sort((a, b) => a.position - b.position).slice(0, AHEAD + 1);
    for (const item of wanted) {
      if (images.has(item.token) || fetching.current.has(item.token)) continue;
      fetching.current.add(item.token);
      void fetch(`/api/reading/images/${item.token}`)
        .then(async (response) => {
          if (!response.ok) throw new Error(String(response.status));
          const bytes = await response.arrayBuffer();
          setImages((old) => new Map(old).set(item.token, bytes));
        })
        .catch(() => undefined)
        .finally(() => fetching.current.delete(item.token));
    }
    // Drop images already answered.
    setImages((old) => {
      const keep = new Set(wanted.map((i) => i.token));
      if ([...old.keys()].every((k) => keep.has(k))) return old;
      return new Map([...old].filter(([k]) => keep.has(k)));
    });
  }, [items, position, images]);

  const currentBytes = current ? images.get(current.token) ?? null : null;
  const display = useMemo(() => (current ? { modality: current.modality, bitDepth: current.bitDepth, huOffset: current.huOffset } : null), [current]);

  // User Timing marks (standard, read by the benchmark): answer key → next image painted.
  const currentToken = current?.token ?? null;
  const onPainted = useCallback((imageKey: string) => {
    if (paintedAt.current === null && imageKey === currentToken) {
      paintedAt.current = performance.now();
      performance.mark('reading:painted');
      setPaintedToken(currentToken);
    }
  }, [currentToken]);
  const isPainted = current !== null && paintedToken === current.token;

  const onViewerEvent = useCallback((event: ViewerEvent) => {
    const t = telemetry.current;
    if (event.kind === 'preset' && event.detail) t.presets.push(event.detail);
    else if (event.kind === 'windowLevel') t.windowLevel++;
    else if (event.kind === 'zoom') t.zoom++;
    else if (event.kind === 'pan') t.pan++;
    else if (event.kind === 'invert') t.invert++;
    else if (event.kind === 'reset') t.reset++;
    else if (event.kind === 'fit') t.fit++;
  }, []);

  const submit = useCallback(() => {
    if (!current || !isPainted || call === null || confidence === null || isSubmitting.current || feedback || awaitingFeedbackKey || isPaused) return;
    isSubmitting.current = true;
    performance.mark('reading:submit');
    const now = performance.now();
    const clientMs = paintedAt.current === null ? null : Math.round(now - paintedAt.current - pausedMs.current);
    const answer: PendingAnswer = {
      idempotencyKey: crypto.randomUUID(),
      token: current.token,
      position: current.position,
      phase: current.phase,
      call,
      confidence,
      clientMs,
      telemetry: { ...telemetry.current },
    };
    setPending((list) => [...list, answer]);
    if (current.phase === 'PRACTICE') setAwaitingFeedbackKey(answer.idempotencyKey);
    else advance();
    isSubmitting.current = false;
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [current, isPainted, call, confidence, feedback, awaitingFeedbackKey, isPaused]);

  function advance() {
    setPosition((p) => p + 1);
    setCall(null);
    setConfidence(null);
    setFeedback(null);
    setAwaitingFeedbackKey(null);
    paintedAt.current = null;
    pausedMs.current = 0;
    telemetry.current = newTelemetry();
  }

  const togglePause = useCallback(() => {
    setPaused((was) => {
      if (was && pauseStarted.current !== null) {
        pausedMs.current += performance.now() - pauseStarted.current;
        pauseStarted.current = null;
      } else if (!was) pauseStarted.current = performance.now();
      return !was;
    });
  }, []);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.repeat || event.altKey || event.ctrlKey || event.metaKey) return;
      const now = performance.now();
      if (now - lastInput.current > IDLE_GAP_MS) telemetry.current.idleGapsMs.push(Math.round(now - lastInput.current));
      lastInput.current = now;
      if (feedback && event.key === 'Enter') {
        event.preventDefault();
        advance();
        return;
      }
      const action = matchHotkey(event);
      if (!action) return;
      event.preventDefault();
      if (action.kind === 'pause') return togglePause();
      if (action.kind === 'help') return setHelpOpen((open) => !open);
      if (isPaused) return;
      if (action.kind === 'call') setCall(action.call);
      else if (action.kind === 'confidence') {
        if (action.value >= confMin && action.value <= confMax) setConfidence(action.value);
      } else if (action.kind === 'submit') submit();
      else if (action.kind === 'invert') viewer.current?.invert();
      else if (action.kind === 'reset') viewer.current?.reset();
      else if (action.kind === 'fit') viewer.current?.fit();
      else if (action.kind === 'preset') viewer.current?.applyPreset(action.index);
    };
    const onBlur = () => telemetry.current.blur++;
    const onFullscreen = () => telemetry.current.fullscreen++;
    window.addEventListener('keydown', onKey);
    window.addEventListener('blur', onBlur);
    document.addEventListener('fullscreenchange', onFullscreen);
    return () => {
      window.removeEventListener('keydown', onKey);
      window.removeEventListener('blur', onBlur);
      document.removeEventListener('fullscreenchange', onFullscreen);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [submit, feedback, isPaused, confMin, confMax, togglePause]);

  const unsaved = pending.length;
  const saveStatus =
    connection === 'signed-out'
      ? 'Your session ended: sign in again in another tab; your answers are kept here.'
      : unsaved === 0
        ? 'All answers saved'
        : connection === 'reconnecting'
          ? `Reconnecting… ${unsaved} answer${unsaved === 1 ? '' : 's'} waiting to be saved`
          : `Saving ${unsaved} answer${unsaved === 1 ? '' : 's'}…`;
  const confidenceValues = Array.from({ length: confMax - confMin + 1 }, (_, i) => confMin + i);
  const presets = display ? presetsFor(display) : [];
  const shownPosition = Math.min(position + 1, total);
  const isPractice = current?.phase === 'PRACTICE';

  if (isFinished && unsaved === 0) {
    return (
      <main className="reading-room finished">
        <div className="card summary" data-testid="summary">
          <h1>Study complete</h1>
          <p>You read all {total} images of {initialState.studyName}. Every answer is saved. Thank you.</p>
          <a className="button" href="/read">
            Back to my studies
          </a>
        </div>
      </main>
    );
  }

  return (
    <main className="reading-room">
      <header className="reading-bar">
        <span className="study-name">{initialState.studyName}</span>
        <div className="progress wide" aria-label="progress" data-testid="progress">
          <div style={{ width: `${(100 * Math.min(position, total)) / Math.max(total, 1)}%` }} />
        </div>
        <span data-testid="position">
          {isPractice ? 'Practice ' : ''}
          {shownPosition} / {total}
        </span>
        <span className={unsaved ? 'save-status pending' : 'save-status'} data-testid="save-status" role="status">
          {saveStatus}
        </span>
        <button type="button" className="secondary" onClick={togglePause}>
          {isPaused ? 'Resume' : 'Pause'}
        </button>
        <button type="button" className="secondary" onClick={() => setHelpOpen((o) => !o)} aria-expanded={isHelpOpen}>
          Keys
        </button>
      </header>
      <section className="reading-body">
        <div className="viewer-frame" data-painted={isPainted ? 'true' : 'false'} data-testid="viewer-frame">
          {current && display ? (
            <Viewer ref={viewer} imageKey={current.token} bytes={currentBytes} display={display} onPainted={onPainted} onEvent={onViewerEvent} />
          ) : (
            <p className="muted waiting">{isFinished ? 'Saving your last answers…' : 'Waiting for the next image… (connection)'}</p>
          )}
          {isPaused ? (
            <div className="overlay" data-testid="paused">
              Paused. Press P or Resume to continue.
            </div>
          ) : null}
        </div>
        <aside className="answer-panel">
          {isPractice ? <p className="notice">Practice image: you will see the answer.</p> : null}
          <fieldset disabled={!isPainted || Boolean(feedback) || Boolean(awaitingFeedbackKey) || isPaused}>
            <legend>This image is…</legend>
            <div className="row">
              <button type="button" className={call === 'REAL' ? 'choice selected' : 'choice'} aria-pressed={call === 'REAL'} onClick={() => setCall('REAL')}>
                Real (R)
              </button>
              <button
                type="button"
                className={call === 'SYNTHETIC' ? 'choice selected' : 'choice'}
                aria-pressed={call === 'SYNTHETIC'}
                onClick={() => setCall('SYNTHETIC')}
              >
                Synthetic (S)
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
                  onClick={() => setConfidence(value)}
                >
                  {value}
                </button>
              ))}
            </div>
            <p className="muted scale-hint">
              {confMin} = guessing, {confMax} = certain
            </p>
            <button type="button" onClick={submit} disabled={call === null || confidence === null}>
              Submit (Enter)
            </button>
          </fieldset>
          {awaitingFeedbackKey && !feedback ? <p className="muted">Checking your answer…</p> : null}
          {feedback ? (
            <div className={feedback.isCorrect ? 'feedback correct' : 'feedback wrong'} data-testid="feedback">
              <p>
                {feedback.isCorrect ? 'Correct' : 'Not quite'}: this practice image is <strong>{feedback.truth.toLowerCase()}</strong>.
              </p>
              <button type="button" onClick={advance}>
                Continue (Enter)
              </button>
            </div>
          ) : null}
          {problem ? (
            <p className="error" role="alert">
              {problem}
            </p>
          ) : null}
          <div className="tools">
            <span className="muted">View</span>
            <div className="row">
              {presets.map((preset, index) => (
                <button key={preset.id} type="button" className="secondary small" onClick={() => viewer.current?.applyPreset(index)}>
                  {preset.label}
                </button>
              ))}
            </div>
            <div className="row">
              <button type="button" className="secondary small" onClick={() => viewer.current?.invert()}>
                Invert (I)
              </button>
              <button type="button" className="secondary small" onClick={() => viewer.current?.reset()}>
                Reset (Space)
              </button>
              <button type="button" className="secondary small" onClick={() => viewer.current?.fit()}>
                Fit (F)
              </button>
            </div>
          </div>
        </aside>
      </section>
      {isHelpOpen ? (
        <div className="help-overlay" role="dialog" aria-label="Keyboard shortcuts">
          <h2>Keyboard shortcuts</h2>
          <table>
            <tbody>
              {HOTKEYS.filter((h) => h.action.kind !== 'confidence' || (h.action.value >= confMin && h.action.value <= confMax)).map((hotkey) => (
                <tr key={`${hotkey.shift ? 'S' : ''}${hotkey.key}`}>
                  <td>
                    <kbd>{describeKey(hotkey)}</kbd>
                  </td>
                  <td>{hotkey.label}</td>
                </tr>
              ))}
              <tr>
                <td>Drag</td>
                <td>Window/level (left button), pan (right button or Ctrl); wheel zooms</td>
              </tr>
            </tbody>
          </table>
          <button type="button" className="secondary" onClick={() => setHelpOpen(false)}>
            Close
          </button>
        </div>
      ) : null}
    </main>
  );
}
