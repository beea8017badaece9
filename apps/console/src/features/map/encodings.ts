/**
 * Visual encodings shared by the map and the topology graph (ui.md): health by colour AND
 * shape, lag by a light-to-dark ramp (readable in greyscale), jurisdiction crossings by a dash.
 * Pure data: components pick classes or hex values from here, never invent their own.
 */
import { type THealth } from "@/components/ui/health";

export type { THealth };

/** Tailwind fill/stroke/text classes per health, light and dark. */
export const HEALTH_FILL: Record<THealth, string> = {
  UP: "fill-emerald-500 dark:fill-emerald-400",
  DEGRADED: "fill-amber-500 dark:fill-amber-400",
  DOWN: "fill-rose-600 dark:fill-rose-500",
  UNKNOWN: "fill-slate-400 dark:fill-slate-500",
};

export const HEALTH_STROKE: Record<THealth, string> = {
  UP: "stroke-emerald-600 dark:stroke-emerald-300",
  DEGRADED: "stroke-amber-600 dark:stroke-amber-300",
  DOWN: "stroke-rose-700 dark:stroke-rose-400",
  UNKNOWN: "stroke-slate-500 dark:stroke-slate-400",
};

/** Border + tint for graph nodes. */
export const HEALTH_NODE: Record<THealth, string> = {
  UP: "border-emerald-500/70 dark:border-emerald-400/60",
  DEGRADED: "border-amber-500 bg-amber-50/80 dark:border-amber-400 dark:bg-amber-500/10",
  DOWN: "border-rose-600 bg-rose-50/80 dark:border-rose-500 dark:bg-rose-500/10",
  UNKNOWN: "border-dashed border-slate-400 dark:border-slate-500",
};

/** Hex colours for canvas drawing (the mosaic of the fleet view). */
export const HEALTH_HEX: Record<THealth, { light: string; dark: string }> = {
  UP: { light: "#10b981", dark: "#34d399" },
  DEGRADED: { light: "#f59e0b", dark: "#fbbf24" },
  DOWN: { light: "#e11d48", dark: "#f43f5e" },
  UNKNOWN: { light: "#94a3b8", dark: "#64748b" },
};

export const HEALTH_RANK: Record<THealth, number> = { UP: 0, UNKNOWN: 1, DEGRADED: 2, DOWN: 3 };

export function worstHealth(values: Iterable<THealth>): THealth {
  let worst: THealth = "UP";
  let any = false;
  for (const v of values) {
    any = true;
    if (HEALTH_RANK[v] > HEALTH_RANK[worst]) worst = v;
  }
  return any ? worst : "UNKNOWN";
}

// ---- lag ---------------------------------------------------------------------------------

export type TLagBucket = "fresh" | "slow" | "lagging" | "stale";

export const LAG_BUCKETS: readonly { bucket: TLagBucket; label: string; upTo: number }[] = [
  { bucket: "fresh", label: "under 1 s", upTo: 1 },
  { bucket: "slow", label: "1–10 s", upTo: 10 },
  { bucket: "lagging", label: "10–60 s", upTo: 60 },
  { bucket: "stale", label: "1 min or more", upTo: Number.POSITIVE_INFINITY },
];

export function lagBucket(seconds: number | null | undefined): TLagBucket {
  const s = seconds ?? 0;
  if (s < 1) return "fresh";
  if (s < 10) return "slow";
  if (s < 60) return "lagging";
  return "stale";
}

/**
 * Lag has its own ramp, apart from the health colours (a slow link is not a down instance):
 * light blue when fresh, darkening through blue and violet to rose when stale. Lightness
 * falls with lag, so the order survives greyscale and colour-vision deficiencies.
 */
export const LAG_STROKE: Record<TLagBucket, string> = {
  fresh: "stroke-sky-400 dark:stroke-sky-300",
  slow: "stroke-blue-600 dark:stroke-blue-400",
  lagging: "stroke-violet-700 dark:stroke-violet-400",
  stale: "stroke-rose-700 dark:stroke-rose-500",
};

/** The same, for React Flow edges (their stylesheet sets the stroke through this variable). */
export const LAG_EDGE_STROKE: Record<TLagBucket, string> = {
  fresh: "[--xy-edge-stroke:var(--color-sky-400)] dark:[--xy-edge-stroke:var(--color-sky-300)]",
  slow: "[--xy-edge-stroke:var(--color-blue-600)] dark:[--xy-edge-stroke:var(--color-blue-400)]",
  lagging: "[--xy-edge-stroke:var(--color-violet-700)] dark:[--xy-edge-stroke:var(--color-violet-400)]",
  stale: "[--xy-edge-stroke:var(--color-rose-700)] dark:[--xy-edge-stroke:var(--color-rose-500)]",
};

export const LAG_FILL: Record<TLagBucket, string> = {
  fresh: "fill-sky-400 dark:fill-sky-300",
  slow: "fill-blue-600 dark:fill-blue-400",
  lagging: "fill-violet-700 dark:fill-violet-400",
  stale: "fill-rose-700 dark:fill-rose-500",
};

export const LAG_TEXT: Record<TLagBucket, string> = {
  fresh: "text-sky-700 dark:text-sky-300",
  slow: "text-blue-700 dark:text-blue-300",
  lagging: "text-violet-700 dark:text-violet-300",
  stale: "text-rose-700 dark:text-rose-400",
};

export const LAG_BG: Record<TLagBucket, string> = {
  fresh: "bg-sky-400 dark:bg-sky-300",
  slow: "bg-blue-600 dark:bg-blue-400",
  lagging: "bg-violet-700 dark:bg-violet-400",
  stale: "bg-rose-700 dark:bg-rose-500",
};

/** Dash pattern for anything that crosses jurisdictions (arcs and edges). */
export const CROSSING_DASH = "6 4";

// ---- sizes -------------------------------------------------------------------------------

/** Marker radius by instance count: area grows with the count (sqrt), 4..15 px. */
export function markerRadius(count: number, max: number): number {
  if (count <= 0 || max <= 0) return 4;
  return 4.5 + 10.5 * Math.sqrt(Math.min(count, max) / max);
}

/** Stroke width by number of links: 1..7 px on a log scale. */
export function linkWidth(count: number): number {
  if (count <= 1) return 1.25;
  return Math.min(7, 1.25 + 1.6 * Math.log2(count));
}

// ---- data center status ------------------------------------------------------------------

export type TDataCenterStatus = "ACTIVE" | "DRAINING" | "MAINTENANCE" | "OFFLINE";

/** Ring around a marker by data center status: none, dashed, dotted, double. */
export const STATUS_RING: Record<TDataCenterStatus, { dash?: string; double?: boolean; label: string; help: string }> = {
  ACTIVE: { label: "Active", help: "thin outline" },
  DRAINING: { dash: "3 2.5", label: "Draining", help: "dashed ring" },
  MAINTENANCE: { dash: "0.5 2.5", label: "Maintenance", help: "dotted ring" },
  OFFLINE: { double: true, label: "Offline", help: "double ring, faded" },
};
