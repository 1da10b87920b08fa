'use client';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ReaderState } from '@/lib/reading/store';
import { Viewer, type ViewerHandle } from '@/components/viewer/viewer';
import { describeKey, type HotkeyAction } from '@/components/viewer/hotkeys';
import { presetsFor } from '@/components/viewer/presets';
import type { PendingAnswer } from './answer-queue';
import { AnswerPanel } from './answer-panel';
import { Briefing } from './briefing';
import { KeysDialog } from './keys-dialog';
import { ReadingBar } from './reading-bar';
import { useAnswerQueue } from './use-answer-queue';
import { useHotkeys } from './use-hotkeys';
import { useKeySettings } from './use-key-settings';
import { usePrefetch } from './use-prefetch';
import { useTelemetry } from './use-telemetry';

type Feedback = { truth: 'REAL' | 'SYNTHETIC'; isCorrect: boolean };


/**
 * The reading room: one image at a time in the viewer, a forced choice real/synthetic with a
 * confidence rating, submitted by button or key. Answers go to a persistent queue and the reader
 * moves on at once; the queue delivers them in order (answer-queue.ts). Practice items wait for
 * the server's feedback; scored items never get any.
 */
export function ReadingRoom({ initialState, readerId }: { initialState: ReaderState; readerId: string }) {
  const { assignmentId, total } = initialState;
  const confidenceScale = initialState.confidenceScale;
  const [position, setPosition] = useState(initialState.answered);
  const [call, setCall] = useState<'REAL' | 'SYNTHETIC' | null>(null);
  const [confidence, setConfidence] = useState<number | null>(null);
  const [feedback, setFeedback] = useState<Feedback | null>(null);
  const [awaitingFeedbackKey, setAwaitingFeedbackKey] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [isPaused, setPaused] = useState(false);
  const [isHelpOpen, setHelpOpen] = useState(false);
  const [wasPaused, setWasPaused] = useState(false);
  const [isBriefed, setBriefed] = useState(initialState.isBriefed);
  /** The token of the image on screen once painted: no answer before the reader has seen the image. */
  const [paintedToken, setPaintedToken] = useState<string | null>(null);

  const viewer = useRef<ViewerHandle>(null);
  const paintedAt = useRef<number | null>(null);
  const pausedMs = useRef(0);
  const pauseStarted = useRef<number | null>(null);
  const telemetry = useTelemetry();
  const awaitingFeedback = useRef<string | null>(null);
  awaitingFeedback.current = awaitingFeedbackKey;

  const { items, images, mergeState, noteAnswered } = usePrefetch(initialState, position);
  const keys = useKeySettings(readerId);
  const { pending, connection, restored, enqueue } = useAnswerQueue(assignmentId, {
    onAcknowledged: (answer, body) => {
      if (typeof body.answered === 'number') noteAnswered(body.answered);
      if (body.feedback && answer.idempotencyKey === awaitingFeedback.current) setFeedback(body.feedback as Feedback);
    },
    onRefused: ({}, { status, body }) => {
      if (body.state) mergeState(body.state as ReaderState);
      setProblem(typeof body.error === 'string' ? body.error : `An answer was refused (${status}).`);
    },
  });

  // Continue after the unacknowledged answers of an earlier visit.
  useEffect(() => {
    if (restored?.length) setPosition((p) => Math.max(p, restored[restored.length - 1].position + 1));
  }, [restored]);

  const current = items.get(position) ?? null;
  const isFinished = position >= total;
  const currentBytes = current ? images.get(current.token) ?? null : null;
  const display = useMemo(() => (current ? { modality: current.modality, bitDepth: current.bitDepth, huOffset: current.huOffset } : null), [current]);

  // User Timing marks (standard, read by the benchmark): answer key → next image painted.
  const currentToken = current?.token ?? null;
  const onPainted = useCallback(
    (imageKey: string) => {
      if (paintedAt.current === null && imageKey === currentToken) {
        paintedAt.current = performance.now();
        performance.mark('reading:painted');
        setPaintedToken(currentToken);
      }
    },
    [currentToken],
  );
  const isPainted = current !== null && paintedToken === current.token;

  function advance() {
    setPosition((p) => p + 1);
    setCall(null);
    setConfidence(null);
    setFeedback(null);
    setAwaitingFeedbackKey(null);
    setWasPaused(false);
    paintedAt.current = null;
    pausedMs.current = 0;
    telemetry.restart();
  }

  function submit() {
    if (!current || !isPainted || call === null || confidence === null || feedback || awaitingFeedbackKey || isPaused) return;
    performance.mark('reading:submit');
    const clientMs = paintedAt.current === null ? null : Math.round(performance.now() - paintedAt.current - pausedMs.current);
    const answer: PendingAnswer = {
      idempotencyKey: crypto.randomUUID(),
      token: current.token,
      position: current.position,
      phase: current.phase,
      call,
      confidence,
      clientMs,
      telemetry: telemetry.snapshot(),
    };
    // Guard against a second submit before React re-renders (double click, repeated key).
    setAwaitingFeedbackKey(answer.idempotencyKey);
    awaitingFeedback.current = answer.idempotencyKey;
    enqueue(answer);
    if (current.phase !== 'PRACTICE') advance();
  }

  const togglePause = () => {
    if (isPaused && pauseStarted.current !== null) {
      pausedMs.current += performance.now() - pauseStarted.current;
      pauseStarted.current = null;
    } else if (!isPaused) pauseStarted.current = performance.now();
    setWasPaused(isPaused);
    setPaused(!isPaused);
  };

  useHotkeys(
    keys.bindings,
    (action: HotkeyAction) => {
      if (!isBriefed) return;
      if (action.kind === 'submit' && feedback) return advance();
      if (action.kind === 'pause') return togglePause();
      if (action.kind === 'help') return setHelpOpen((open) => !open);
      if (isPaused) return;
      if (action.kind === 'call') setCall(action.call);
      else if (action.kind === 'confidence') {
        if (action.value >= confidenceScale.min && action.value <= confidenceScale.max) setConfidence(action.value);
      } else if (action.kind === 'submit') submit();
      else if (action.kind === 'invert') viewer.current?.invert();
      else if (action.kind === 'reset') viewer.current?.reset();
      else if (action.kind === 'fit') viewer.current?.fit();
      else if (action.kind === 'preset') viewer.current?.applyPreset(action.index);
      else if (action.kind === 'zoom') viewer.current?.zoom(action.steps);
      else if (action.kind === 'pan') viewer.current?.pan(action.dx, action.dy);
      else if (action.kind === 'windowLevel') viewer.current?.adjustWindow(action.width, action.center);
    },
    telemetry.onInput,
  );

  const unsaved = pending.length;
  const keyFor = (id: string) => {
    const binding = keys.bindings.find((h) => h.id === id);
    return binding ? ` (${describeKey(binding)})` : '';
  };
  const pauseKey = keys.bindings.find((h) => h.id === 'pause');
  const pausedText = `Paused. Press ${pauseKey ? `${describeKey(pauseKey)} or ` : ''}Resume to continue.`;
  // One live region for what appears without the reader asking: the pause and practice feedback.
  const announcement = isPaused
    ? pausedText
    : feedback
      ? `${feedback.isCorrect ? 'Correct' : 'Not quite'}: this practice image is ${feedback.truth.toLowerCase()}.`
      : wasPaused
        ? 'Resumed.'
        : '';
  const isPractice = current?.phase === 'PRACTICE';

  if (!isBriefed) {
    return (
      <Briefing
        assignmentId={assignmentId}
        studyName={initialState.studyName}
        text={initialState.briefing}
        total={total}
        practiceTotal={initialState.practiceTotal}
        confidenceScale={confidenceScale}
        bindings={keys.bindings}
        onConfirmed={() => setBriefed(true)}
      />
    );
  }

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
      <ReadingBar
        studyName={initialState.studyName}
        position={position}
        total={total}
        isPractice={isPractice}
        unsaved={unsaved}
        connection={connection}
        isPaused={isPaused}
        isHelpOpen={isHelpOpen}
        onPause={togglePause}
        onHelp={() => setHelpOpen(true)}
      />
      <section className="reading-body">
        <div className="viewer-frame" data-painted={isPainted ? 'true' : 'false'} data-testid="viewer-frame">
          {current && display ? (
            <Viewer ref={viewer} imageKey={current.token} bytes={currentBytes} display={display} onPainted={onPainted} onEvent={telemetry.onViewerEvent} />
          ) : (
            <p className="muted waiting">{isFinished ? 'Saving your last answers…' : 'Waiting for the next image… (connection)'}</p>
          )}
          {isPaused ? (
            <div className="overlay" data-testid="paused">
              {pausedText}
            </div>
          ) : null}
        </div>
        <AnswerPanel
          isPractice={isPractice}
          isDisabled={!isPainted || Boolean(feedback) || Boolean(awaitingFeedbackKey) || isPaused}
          call={call}
          confidence={confidence}
          confidenceScale={confidenceScale}
          isAwaitingFeedback={Boolean(awaitingFeedbackKey)}
          feedback={feedback}
          problem={problem}
          presets={display ? presetsFor(display) : []}
          viewer={viewer}
          keyFor={keyFor}
          onCall={setCall}
          onConfidence={setConfidence}
          onSubmit={submit}
          onContinue={advance}
        />
      </section>
      <p className="visually-hidden" role="status" data-testid="announcer">
        {announcement}
      </p>
      {isHelpOpen ? <KeysDialog confidenceScale={confidenceScale} settings={keys.settings} onSettings={keys.save} onClose={() => setHelpOpen(false)} /> : null}
    </main>
  );
}
