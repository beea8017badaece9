import { type ReactFlowState } from "@xyflow/react";

/** The zoom in quarter-octave steps: nodes that scale their labels re-render a few times per zoom, not every frame. */
export const zoomStepSelector = (s: ReactFlowState): number => 2 ** (Math.round(Math.log2(s.transform[2]) * 4) / 4);

/** Scale that keeps a label readable (about its design size on screen) at any zoom, within limits. */
export function labelScale(zoom: number, max: number): number {
  return Math.max(1, Math.min(max, 0.9 / zoom));
}

/**
 * From this zoom on, data centers open up into cluster cards (level of detail); below it their
 * clusters are a mosaic (cluster text would be under 7 px on screen anyway).
 */
export const DETAIL_ZOOM = 0.6;

/** Zoomed in far enough for cluster cards. */
export const detailSelector = (s: ReactFlowState): boolean => s.transform[2] >= DETAIL_ZOOM;
