/**
 * Window/level presets as data (values as in OHIF's defaultWindowLevelPresets). CT presets are in
 * Hounsfield units and apply only to pools that store HU; every pool has the full range.
 */
export type WindowPreset = { id: string; label: string; windowWidth: number; windowCenter: number };

export const CT_HU_PRESETS: WindowPreset[] = [
  { id: 'brain', label: 'Brain', windowWidth: 80, windowCenter: 40 },
  { id: 'subdural', label: 'Subdural', windowWidth: 200, windowCenter: 80 },
  { id: 'stroke', label: 'Stroke', windowWidth: 40, windowCenter: 40 },
  { id: 'bone', label: 'Bone', windowWidth: 2500, windowCenter: 480 },
];

export const FULL_RANGE: WindowPreset = { id: 'full', label: 'Full range', windowWidth: 0, windowCenter: 0 };

/** Presets for one image's pool: full range first, then HU presets for CT pools stored in HU. */
export function presetsFor(display: { modality: string; huOffset: number | null }): WindowPreset[] {
  return display.modality === 'CT_HEAD' && display.huOffset !== null ? [FULL_RANGE, ...CT_HU_PRESETS] : [FULL_RANGE];
}
