"use client";

import { type GeoProjection } from "d3-geo";
import { useCallback, useEffect, useRef, useState, type PointerEvent as ReactPointerEvent, type RefObject } from "react";
import { clampZoom } from "./map-url";

export interface TTransform {
  k: number;
  x: number;
  y: number;
}

export interface TMapView {
  zoom: number;
  at?: [number, number];
}

type TBounds = [[number, number], [number, number]];

/** Keeps the view's centre over the land: the map never slides out of sight. */
function clamp(t: TTransform, width: number, height: number, bounds: TBounds): TTransform {
  const k = clampZoom(t.k);
  const cx = Math.min(bounds[1][0], Math.max(bounds[0][0], (width / 2 - t.x) / k));
  const cy = Math.min(bounds[1][1], Math.max(bounds[0][1], (height / 2 - t.y) / k));
  return { k, x: width / 2 - cx * k, y: height / 2 - cy * k };
}

function fromView(view: TMapView, width: number, height: number, projection: GeoProjection, bounds: TBounds): TTransform {
  const k = clampZoom(view.zoom);
  const p = (view.at && projection(view.at)) ?? [(bounds[0][0] + bounds[1][0]) / 2, (bounds[0][1] + bounds[1][1]) / 2];
  return clamp({ k, x: width / 2 - p[0] * k, y: height / 2 - p[1] * k }, width, height, bounds);
}

function toView(t: TTransform, width: number, height: number, projection: GeoProjection): TMapView {
  if (t.k <= 1.001) return { zoom: 1 };
  const at = projection.invert?.([(width / 2 - t.x) / t.k, (height / 2 - t.y) / t.k]);
  return at ? { zoom: t.k, at: [at[0], at[1]] } : { zoom: t.k };
}

function sameView(a: TMapView, b: TMapView): boolean {
  if (Math.abs(a.zoom - b.zoom) > 0.01) return false;
  if (!a.at || !b.at) return !a.at && !b.at;
  return Math.abs(a.at[0] - b.at[0]) < 0.01 && Math.abs(a.at[1] - b.at[1]) < 0.01;
}

/**
 * Zoom (wheel, double click, +/- keys, buttons) and pan (drag, arrow keys) of the map's SVG.
 * The transform is local state for smooth interaction; the view (zoom + centre in lon/lat) is
 * reported `settleMs` after the last movement, for the URL. A view that arrives from outside
 * (back button, a shared link, "zoom to") replaces the transform.
 */
export function useZoomPan({
  svgRef,
  width,
  height,
  projection,
  bounds,
  view,
  onViewChange,
  settleMs = 300,
}: {
  svgRef: RefObject<SVGSVGElement | null>;
  width: number;
  height: number;
  projection: GeoProjection;
  bounds: TBounds;
  view: TMapView;
  onViewChange: (view: TMapView) => void;
  settleMs?: number;
}) {
  const [transform, setTransform] = useState<TTransform>(() => fromView(view, width, height, projection, bounds));
  const lastReported = useRef<TMapView>(view);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  // A new viewport size keeps the same place in the middle.
  const [size, setSize] = useState({ width, height, projection });
  if (size.width !== width || size.height !== height || size.projection !== projection) {
    setSize({ width, height, projection });
    setTransform(fromView(toView(transform, size.width, size.height, size.projection), width, height, projection, bounds));
  }
  // A view from outside (back button, shared link): adopt it unless it is where we already are.
  const [seenView, setSeenView] = useState(view);
  if (!sameView(seenView, view)) {
    setSeenView(view);
    if (!sameView(view, toView(transform, width, height, projection))) setTransform(fromView(view, width, height, projection, bounds));
  }

  const report = useCallback(
    (t: TTransform) => {
      clearTimeout(timer.current);
      timer.current = setTimeout(() => {
        const next = toView(t, width, height, projection);
        if (sameView(next, lastReported.current)) return;
        lastReported.current = next;
        onViewChange(next);
      }, settleMs);
    },
    [height, onViewChange, projection, settleMs, width],
  );
  useEffect(() => () => clearTimeout(timer.current), []);

  const apply = useCallback(
    (update: (t: TTransform) => TTransform) => {
      setTransform((t) => {
        const next = clamp(update(t), width, height, bounds);
        report(next);
        return next;
      });
    },
    [bounds, height, report, width],
  );

  /** Zooms by `factor` keeping the point (px, py) of the viewport still. */
  const zoomAt = useCallback(
    (factor: number, px = width / 2, py = height / 2) =>
      apply((t) => {
        const k = clampZoom(t.k * factor);
        const r = k / t.k;
        return { k, x: px - (px - t.x) * r, y: py - (py - t.y) * r };
      }),
    [apply, height, width],
  );

  const panBy = useCallback((dx: number, dy: number) => apply((t) => ({ ...t, x: t.x + dx, y: t.y + dy })), [apply]);

  const reset = useCallback(() => apply(() => fromView({ zoom: 1 }, width, height, projection, bounds)), [apply, bounds, height, projection, width]);

  /** Centres a place, zooming in to at least `minZoom`. */
  const focusOn = useCallback(
    (at: [number, number], minZoom = 3) =>
      apply((t) => fromView({ zoom: Math.max(t.k, minZoom), at }, width, height, projection, bounds)),
    [apply, bounds, height, projection, width],
  );

  // Wheel zoom needs a non-passive listener to keep the page from scrolling.
  useEffect(() => {
    const svg = svgRef.current;
    if (!svg) return;
    function onWheel(e: WheelEvent) {
      e.preventDefault();
      const rect = svg!.getBoundingClientRect();
      const delta = e.deltaMode === 1 ? e.deltaY * 16 : e.deltaY;
      zoomAt(Math.exp(-delta * 0.0022), e.clientX - rect.left, e.clientY - rect.top);
    }
    svg.addEventListener("wheel", onWheel, { passive: false });
    return () => svg.removeEventListener("wheel", onWheel);
  }, [svgRef, zoomAt]);

  // Drag to pan. A press that moves less than 4 px is a click, not a drag.
  const drag = useRef<{ x: number; y: number; moved: boolean; id: number } | null>(null);
  const justDragged = useRef(false);
  const onPointerDown = useCallback((e: ReactPointerEvent<SVGSVGElement>) => {
    if (e.button !== 0) return;
    drag.current = { x: e.clientX, y: e.clientY, moved: false, id: e.pointerId };
    justDragged.current = false;
  }, []);
  const onPointerMove = useCallback(
    (e: ReactPointerEvent<SVGSVGElement>) => {
      const d = drag.current;
      if (!d || d.id !== e.pointerId) return;
      const dx = e.clientX - d.x;
      const dy = e.clientY - d.y;
      if (!d.moved && Math.hypot(dx, dy) < 4) return;
      if (!d.moved) {
        d.moved = true;
        e.currentTarget.setPointerCapture(e.pointerId);
      }
      d.x = e.clientX;
      d.y = e.clientY;
      panBy(dx, dy);
    },
    [panBy],
  );
  const onPointerUp = useCallback((e: ReactPointerEvent<SVGSVGElement>) => {
    const d = drag.current;
    if (!d || d.id !== e.pointerId) return;
    justDragged.current = d.moved;
    drag.current = null;
  }, []);

  return {
    transform,
    zoomAt,
    panBy,
    reset,
    focusOn,
    /** True right after a drag ended: the click that follows is not a selection. */
    wasDrag: () => justDragged.current,
    dragging: () => drag.current?.moved === true,
    pointerHandlers: { onPointerDown, onPointerMove, onPointerUp, onPointerCancel: onPointerUp },
  };
}
