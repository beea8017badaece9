import { cn } from "@/lib/cn";

export type THealth = "UP" | "DEGRADED" | "DOWN" | "UNKNOWN";

/**
 * Health encoding used everywhere (tables, badges, later map markers and graph nodes): colour
 * AND shape AND word, never colour alone. Emerald/amber/rose/slate are told apart by people
 * with the common colour-vision deficiencies; the shapes carry it anyway.
 */
export const HEALTH_META: Record<THealth, { label: string; shape: string; iconClass: string }> = {
  UP: { label: "Up", shape: "filled circle", iconClass: "text-emerald-600 dark:text-emerald-400" },
  DEGRADED: { label: "Degraded", shape: "half circle", iconClass: "text-amber-600 dark:text-amber-400" },
  DOWN: { label: "Down", shape: "cross", iconClass: "text-rose-600 dark:text-rose-400" },
  UNKNOWN: { label: "Unknown", shape: "hollow circle", iconClass: "text-slate-500 dark:text-slate-400" },
};

export const HEALTH_ORDER: readonly THealth[] = ["UP", "DEGRADED", "DOWN", "UNKNOWN"];

export function HealthIcon({ health, className }: { health: THealth; className?: string }) {
  const common = cn("inline-block size-3 shrink-0", HEALTH_META[health].iconClass, className);
  switch (health) {
    case "UP":
      return (
        <svg viewBox="0 0 12 12" className={common} aria-hidden="true">
          <circle cx="6" cy="6" r="5" fill="currentColor" />
        </svg>
      );
    case "DEGRADED":
      return (
        <svg viewBox="0 0 12 12" className={common} aria-hidden="true">
          <circle cx="6" cy="6" r="4.25" fill="none" stroke="currentColor" strokeWidth="1.5" />
          <path d="M6 1.75 A4.25 4.25 0 0 0 6 10.25 Z" fill="currentColor" />
        </svg>
      );
    case "DOWN":
      return (
        <svg viewBox="0 0 12 12" className={common} aria-hidden="true">
          <path d="M2.5 2.5 L9.5 9.5 M9.5 2.5 L2.5 9.5" stroke="currentColor" strokeWidth="2.2" strokeLinecap="round" />
        </svg>
      );
    default:
      return (
        <svg viewBox="0 0 12 12" className={common} aria-hidden="true">
          <circle cx="6" cy="6" r="4.25" fill="none" stroke="currentColor" strokeWidth="1.5" />
        </svg>
      );
  }
}

/** Icon + word. `hideLabel` keeps the word for screen readers only (dense cells). */
export function HealthIndicator({
  health,
  hideLabel = false,
  className,
}: {
  health: THealth;
  hideLabel?: boolean;
  className?: string;
}) {
  const meta = HEALTH_META[health];
  return (
    <span className={cn("inline-flex items-center gap-1.5 whitespace-nowrap", className)} title={hideLabel ? meta.label : undefined}>
      <HealthIcon health={health} />
      <span className={hideLabel ? "sr-only" : undefined}>{meta.label}</span>
    </span>
  );
}

export interface THealthCounts {
  up: number;
  degraded: number;
  down: number;
  unknown: number;
}

/**
 * The states that need attention, as icon + count ("✕ 3  ◐ 2"), with the words for screen
 * readers and on hover; "all up" when nothing needs attention.
 */
export function HealthCountsText({ counts, className }: { counts: THealthCounts; className?: string }) {
  const parts: { health: THealth; n: number }[] = [
    { health: "DOWN" as const, n: counts.down },
    { health: "DEGRADED" as const, n: counts.degraded },
    { health: "UNKNOWN" as const, n: counts.unknown },
  ].filter((p) => p.n > 0);
  const total = counts.up + counts.degraded + counts.down + counts.unknown;
  const muted = cn("text-zinc-500 dark:text-zinc-400", className);
  if (total === 0) return <span className={muted}>no instances</span>;
  if (parts.length === 0) return <span className="sr-only">all {total} up</span>;
  const words = parts.map((p) => `${p.n} ${HEALTH_META[p.health].label.toLowerCase()}`).join(", ");
  return (
    <span className={cn("inline-flex items-center gap-2.5 text-zinc-700 dark:text-zinc-300", className)} title={`${words} of ${total}`}>
      {parts.map((p) => (
        <span key={p.health} className="inline-flex items-center gap-1 tabular-nums" aria-hidden="true">
          <HealthIcon health={p.health} className="size-2.5" />
          {p.n}
        </span>
      ))}
      <span className="sr-only">
        {words} of {total}
      </span>
    </span>
  );
}

/** The legend for every view that shows health. */
export function HealthLegend({ rollup = false, className }: { rollup?: boolean; className?: string }) {
  return (
    <div className={cn("flex flex-wrap items-center gap-x-4 gap-y-1 text-xs text-zinc-600 dark:text-zinc-400", className)}>
      <span className="font-medium text-zinc-700 dark:text-zinc-300">Health</span>
      {HEALTH_ORDER.map((h) => (
        <span key={h} className="inline-flex items-center gap-1.5">
          <HealthIcon health={h} />
          {HEALTH_META[h].label}
          <span className="sr-only">({HEALTH_META[h].shape})</span>
        </span>
      ))}
      {rollup ? (
        <span className="text-zinc-500 dark:text-zinc-400">
          Roll-up: down when nothing serves or the primary is down; degraded when any instance is down or degraded.
        </span>
      ) : null}
    </div>
  );
}
