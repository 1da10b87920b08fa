// The part of cornerstone-core 2.x that components/viewer uses (the package ships no types).
declare module 'cornerstone-core' {
  export interface CornerstoneImage {
    imageId: string;
    minPixelValue: number;
    maxPixelValue: number;
    slope: number;
    intercept: number;
    windowCenter: number;
    windowWidth: number;
    getPixelData: () => Uint8Array | Uint16Array | Int16Array;
    rows: number;
    columns: number;
    height: number;
    width: number;
    color: boolean;
    columnPixelSpacing: number;
    rowPixelSpacing: number;
    invert: boolean;
    sizeInBytes: number;
  }
  export interface Viewport {
    scale: number;
    translation: { x: number; y: number };
    voi: { windowWidth: number; windowCenter: number };
    invert: boolean;
    pixelReplication: boolean;
    rotation: number;
    hflip: boolean;
    vflip: boolean;
  }
  export function enable(element: HTMLElement, options?: Record<string, unknown>): void;
  export function disable(element: HTMLElement): void;
  export function displayImage(element: HTMLElement, image: CornerstoneImage, viewport?: Partial<Viewport>): void;
  export function getViewport(element: HTMLElement): Viewport | undefined;
  export function setViewport(element: HTMLElement, viewport: Partial<Viewport>): void;
  export function reset(element: HTMLElement): void;
  export function fitToWindow(element: HTMLElement): void;
  export function resize(element: HTMLElement, forceFitToWindow?: boolean): void;
  export function getDefaultViewportForImage(element: HTMLElement, image: CornerstoneImage): Viewport;
  export const EVENTS: { IMAGE_RENDERED: string };
}
