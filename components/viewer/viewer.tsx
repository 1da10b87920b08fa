'use client';
import { forwardRef, useEffect, useImperativeHandle, useRef } from 'react';
import type { CornerstoneImage, Viewport } from 'cornerstone-core';
import { presetsFor, type WindowPreset } from './presets';
import { pngToCornerstoneImage } from './png-image';

/**
 * The medical image viewer: the only module that touches cornerstone-core (loaded in the browser
 * only). Left-drag: window/level; right- or Ctrl-drag: pan; wheel: zoom. Everything else (the
 * keyboard's zoom, pan and window/level included) through the handle. A window resize (fullscreen
 * included) keeps zoom, pan, window/level and invert.
 */
export type ViewerDisplay = { modality: 'CXR' | 'CT_HEAD'; bitDepth: number; huOffset: number | null };
export type ViewerEvent = { kind: 'windowLevel' | 'preset' | 'zoom' | 'pan' | 'invert' | 'reset' | 'fit'; detail?: string };
export type ViewerHandle = {
  invert(): void;
  reset(): void;
  fit(): void;
  applyPreset(index: number): void;
  /** One zoom step in (1) or out (-1), as one wheel notch. */
  zoom(steps: number): void;
  /** Moves the image by a tenth of the view per step. */
  pan(dx: number, dy: number): void;
  /** Widens (+) or narrows (−) the window and raises or lowers the level, by 1/32 of the image's range per step. */
  adjustWindow(width: number, center: number): void;
  presets(): WindowPreset[];
};

type Props = {
  /** An opaque key (the item token); only used to tell images apart. */
  imageKey: string;
  bytes: ArrayBuffer | null;
  display: ViewerDisplay;
  /** Called after each render with the key of the image on screen. */
  onPainted?: (imageKey: string) => void;
  onEvent?: (event: ViewerEvent) => void;
};

type Cornerstone = typeof import('cornerstone-core');

const ZOOM_STEP = 1.1;
const clampScale = (scale: number) => Math.min(20, Math.max(0.1, scale));

export const Viewer = forwardRef<ViewerHandle, Props>(function Viewer({ imageKey, bytes, display, onPainted, onEvent }, ref) {
  const element = useRef<HTMLDivElement>(null);
  const cs = useRef<Cornerstone | null>(null);
  const image = useRef<CornerstoneImage | null>(null);
  const onPaintedRef = useRef(onPainted);
  const onEventRef = useRef(onEvent);
  onPaintedRef.current = onPainted;
  onEventRef.current = onEvent;

  const viewport = (): Viewport | undefined => (element.current && cs.current ? cs.current.getViewport(element.current) : undefined);
  const update = (change: Partial<Viewport>) => {
    if (element.current && cs.current && image.current) cs.current.setViewport(element.current, { ...viewport(), ...change });
  };

  useImperativeHandle(ref, () => ({
    invert() {
      const v = viewport();
      if (!v) return;
      update({ invert: !v.invert });
      onEventRef.current?.({ kind: 'invert' });
    },
    reset() {
      if (element.current && cs.current && image.current) cs.current.reset(element.current);
      onEventRef.current?.({ kind: 'reset' });
    },
    fit() {
      if (element.current && cs.current && image.current) cs.current.fitToWindow(element.current);
      onEventRef.current?.({ kind: 'fit' });
    },
    applyPreset(index: number) {
      const preset = presetsFor(display)[index];
      if (!preset || !image.current) return;
      const voi =
        preset.windowWidth > 0
          ? { windowWidth: preset.windowWidth, windowCenter: preset.windowCenter }
          : { windowWidth: image.current.windowWidth, windowCenter: image.current.windowCenter };
      update({ voi });
      onEventRef.current?.({ kind: 'preset', detail: preset.id });
    },
    zoom(steps: number) {
      const v = viewport();
      if (!v || !image.current) return;
      update({ scale: clampScale(v.scale * ZOOM_STEP ** steps) });
      onEventRef.current?.({ kind: 'zoom' });
    },
    pan(dx: number, dy: number) {
      const v = viewport();
      if (!v || !image.current || !element.current) return;
      const stepX = element.current.clientWidth / 10 / v.scale;
      const stepY = element.current.clientHeight / 10 / v.scale;
      update({ translation: { x: v.translation.x - dx * stepX, y: v.translation.y - dy * stepY } });
      onEventRef.current?.({ kind: 'pan' });
    },
    adjustWindow(width: number, center: number) {
      const v = viewport();
      if (!v || !image.current) return;
      const step = Math.max(image.current.maxPixelValue - image.current.minPixelValue, 1) / 32;
      update({ voi: { windowWidth: Math.max(1, v.voi.windowWidth + width * step), windowCenter: v.voi.windowCenter + center * step } });
      onEventRef.current?.({ kind: 'windowLevel' });
    },
    presets: () => presetsFor(display),
  }));

  useEffect(() => {
    let isCancelled = false;
    const node = element.current!;
    void import('cornerstone-core').then((module) => {
      if (isCancelled) return;
      cs.current = module;
      module.enable(node);
      const onRendered = () => {
        if (image.current) onPaintedRef.current?.(image.current.imageId);
      };
      node.addEventListener(module.EVENTS.IMAGE_RENDERED, onRendered);
      // false: a zoomed or panned image stays so (cornerstone rescales it to the new size); a fitted one refits.
      const onResize = () => module.resize(node, false);
      window.addEventListener('resize', onResize);
      (node as HTMLDivElement & { cleanup?: () => void }).cleanup = () => {
        node.removeEventListener(module.EVENTS.IMAGE_RENDERED, onRendered);
        window.removeEventListener('resize', onResize);
        module.disable(node);
      };
      node.dispatchEvent(new Event('viewer-ready'));
    });
    return () => {
      isCancelled = true;
      (node as HTMLDivElement & { cleanup?: () => void }).cleanup?.();
    };
  }, []);

  useEffect(() => {
    const node = element.current!;
    const show = () => {
      if (!cs.current || !bytes) return;
      image.current = pngToCornerstoneImage(imageKey, bytes, display);
      cs.current.displayImage(node, image.current, cs.current.getDefaultViewportForImage(node, image.current));
    };
    if (cs.current) show();
    else node.addEventListener('viewer-ready', show, { once: true });
    return () => node.removeEventListener('viewer-ready', show);
  }, [imageKey, bytes, display]);

  useEffect(() => {
    const node = element.current!;
    let drag: { x: number; y: number; mode: 'wl' | 'pan' } | null = null;
    const down = (event: MouseEvent) => {
      drag = { x: event.clientX, y: event.clientY, mode: event.button === 2 || event.ctrlKey ? 'pan' : 'wl' };
      event.preventDefault();
    };
    const move = (event: MouseEvent) => {
      const v = viewport();
      if (!drag || !v) return;
      const dx = event.clientX - drag.x;
      const dy = event.clientY - drag.y;
      drag.x = event.clientX;
      drag.y = event.clientY;
      if (drag.mode === 'wl') {
        const range = image.current ? Math.max(image.current.maxPixelValue - image.current.minPixelValue, 1) : 256;
        const step = range / 256;
        update({ voi: { windowWidth: Math.max(1, v.voi.windowWidth + dx * step), windowCenter: v.voi.windowCenter + dy * step } });
      } else {
        update({ translation: { x: v.translation.x + dx / v.scale, y: v.translation.y + dy / v.scale } });
      }
    };
    const up = () => {
      if (drag) onEventRef.current?.({ kind: drag.mode === 'wl' ? 'windowLevel' : 'pan' });
      drag = null;
    };
    const wheel = (event: WheelEvent) => {
      const v = viewport();
      if (!v) return;
      event.preventDefault();
      update({ scale: clampScale(v.scale * (event.deltaY < 0 ? ZOOM_STEP : 1 / ZOOM_STEP)) });
      onEventRef.current?.({ kind: 'zoom' });
    };
    const menu = (event: Event) => event.preventDefault();
    node.addEventListener('mousedown', down);
    window.addEventListener('mousemove', move);
    window.addEventListener('mouseup', up);
    node.addEventListener('wheel', wheel, { passive: false });
    node.addEventListener('contextmenu', menu);
    return () => {
      node.removeEventListener('mousedown', down);
      window.removeEventListener('mousemove', move);
      window.removeEventListener('mouseup', up);
      node.removeEventListener('wheel', wheel);
      node.removeEventListener('contextmenu', menu);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  return <div ref={element} className="viewer" data-testid="viewer" aria-label="Image viewer" role="img" />;
});
