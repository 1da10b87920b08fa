'use client';
import { useCallback, useEffect, useRef } from 'react';
import type { ViewerEvent } from '@/components/viewer/viewer';

/** Viewing telemetry kept with each answer: viewer actions, focus changes and idle gaps. */
export type Telemetry = { windowLevel: number; presets: string[]; zoom: number; pan: number; invert: number; reset: number; fit: number; blur: number; fullscreen: number; idleGapsMs: number[] };

const IDLE_GAP_MS = 5000;
const newTelemetry = (): Telemetry => ({ windowLevel: 0, presets: [], zoom: 0, pan: 0, invert: 0, reset: 0, fit: 0, blur: 0, fullscreen: 0, idleGapsMs: [] });

/** Counts what the reader does with the current image; `take` hands the counts over and starts afresh. */
export function useTelemetry() {
  const telemetry = useRef<Telemetry>(newTelemetry());
  const lastInput = useRef(0);

  const onViewerEvent = useCallback((event: ViewerEvent) => {
    const t = telemetry.current;
    if (event.kind === 'preset' && event.detail) t.presets.push(event.detail);
    else if (event.kind === 'windowLevel') t.windowLevel++;
    else if (event.kind === 'zoom' || event.kind === 'pan' || event.kind === 'invert' || event.kind === 'reset' || event.kind === 'fit') t[event.kind]++;
  }, []);

  /** Any key press: a pause longer than IDLE_GAP_MS since the last one is recorded. */
  const onInput = useCallback(() => {
    const now = performance.now();
    if (lastInput.current && now - lastInput.current > IDLE_GAP_MS) telemetry.current.idleGapsMs.push(Math.round(now - lastInput.current));
    lastInput.current = now;
  }, []);

  const snapshot = useCallback((): Telemetry => ({ ...telemetry.current }), []);
  const restart = useCallback(() => {
    telemetry.current = newTelemetry();
  }, []);

  useEffect(() => {
    lastInput.current = performance.now();
    const onBlur = () => telemetry.current.blur++;
    const onFullscreen = () => telemetry.current.fullscreen++;
    window.addEventListener('blur', onBlur);
    document.addEventListener('fullscreenchange', onFullscreen);
    return () => {
      window.removeEventListener('blur', onBlur);
      document.removeEventListener('fullscreenchange', onFullscreen);
    };
  }, []);

  return { onViewerEvent, onInput, snapshot, restart };
}
