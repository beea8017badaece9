import { cn } from "@/lib/cn";
import { HEALTH_FILL, HEALTH_STROKE, STATUS_RING, type TDataCenterStatus, type THealth } from "./encodings";

/**
 * A data center's marker, centred on (0, 0): the health glyph (filled circle = up, half
 * circle = degraded, cross = down, hollow = unknown; the same shapes as everywhere else) in the
 * health colour, sized by `r`, inside a ring that tells the status (thin = active, dashed =
 * draining, dotted = maintenance, double and faded = offline).
 */
export function MarkerGlyph({
  health,
  status,
  r,
  selected = false,
  highlighted = false,
}: {
  health: THealth;
  status: TDataCenterStatus;
  r: number;
  selected?: boolean;
  highlighted?: boolean;
}) {
  const ring = STATUS_RING[status];
  return (
    <g className={status === "OFFLINE" ? "opacity-60" : undefined}>
      {selected ? <circle r={r + 7} className="fill-sky-500/15 stroke-sky-500" strokeWidth={2} /> : null}
      {highlighted && !selected ? <circle r={r + 6} className="fill-none stroke-sky-400/80" strokeWidth={1.5} /> : null}
      {/* Status ring. */}
      {status === "ACTIVE" ? null : (
        <circle
          r={r + 3}
          className="fill-none stroke-zinc-700 dark:stroke-zinc-200"
          strokeWidth={1.4}
          strokeDasharray={ring.dash}
          strokeLinecap="round"
        />
      )}
      {ring.double ? <circle r={r + 5.5} className="fill-none stroke-zinc-700 dark:stroke-zinc-200" strokeWidth={1} /> : null}
      <HealthShape health={health} r={r} />
    </g>
  );
}

function HealthShape({ health, r }: { health: THealth; r: number }) {
  // A light halo separates the marker from the land and from its neighbours.
  const halo = "stroke-white dark:stroke-zinc-950";
  switch (health) {
    case "UP":
      return <circle r={r} className={cn(HEALTH_FILL.UP, halo)} strokeWidth={1.5} />;
    case "DEGRADED":
      return (
        <g>
          <circle r={r} className={cn("fill-white dark:fill-zinc-900", halo)} strokeWidth={1.5} />
          <circle r={r - 1} className={cn("fill-none", HEALTH_STROKE.DEGRADED)} strokeWidth={2} />
          <path d={`M0 ${-r + 1} A${r - 1} ${r - 1} 0 0 0 0 ${r - 1} Z`} className={HEALTH_FILL.DEGRADED} />
        </g>
      );
    case "DOWN": {
      const a = Math.max(2, r * 0.45);
      return (
        <g>
          <circle r={r} className={cn(HEALTH_FILL.DOWN, halo)} strokeWidth={1.5} />
          <path d={`M${-a} ${-a}L${a} ${a}M${a} ${-a}L${-a} ${a}`} className="stroke-white" strokeWidth={Math.max(1.5, r * 0.22)} strokeLinecap="round" />
        </g>
      );
    }
    default:
      return (
        <g>
          <circle r={r} className={cn("fill-white/70 dark:fill-zinc-900/70", halo)} strokeWidth={1.5} />
          <circle r={r - 1} className={cn("fill-none", HEALTH_STROKE.UNKNOWN)} strokeWidth={2} />
        </g>
      );
  }
}

/** A small standalone marker for legends and lists. */
export function MarkerSwatch({
  health = "UP",
  status = "ACTIVE",
  r = 6,
  className,
}: {
  health?: THealth;
  status?: TDataCenterStatus;
  r?: number;
  className?: string;
}) {
  const size = (r + 7) * 2;
  return (
    <svg width={size} height={size} viewBox={`${-size / 2} ${-size / 2} ${size} ${size}`} className={cn("shrink-0", className)} aria-hidden="true">
      <MarkerGlyph health={health} status={status} r={r} />
    </svg>
  );
}
