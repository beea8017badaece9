import { cn } from "@/lib/cn";

/**
 * Drift (the server and the inventory disagree: an object Meridian does not know, a link the
 * server lacks, a contradicted role): a hollow diamond with its count, in fuchsia, apart from
 * the health colours and the lag ramp. Shape + number + title, never colour alone.
 */
export function DriftGlyph({ className }: { className?: string }) {
  return (
    <svg viewBox="0 0 10 10" width="10" height="10" aria-hidden="true" className={cn("shrink-0", className)}>
      <path d="M5 0.8 9.2 5 5 9.2 0.8 5Z" className="fill-white stroke-fuchsia-600 dark:fill-zinc-900 dark:stroke-fuchsia-400" strokeWidth={1.8} />
    </svg>
  );
}

export function DriftMark({ count, className }: { count: number; className?: string }) {
  if (count <= 0) return null;
  return (
    <span
      data-testid="drift-mark"
      title={`${count} open drift finding${count === 1 ? "" : "s"}: the server and the inventory disagree`}
      className={cn("inline-flex items-center gap-0.5 text-[10.5px] font-semibold text-fuchsia-700 tabular-nums dark:text-fuchsia-300", className)}
    >
      <DriftGlyph />
      {count}
      <span className="sr-only"> drift</span>
    </span>
  );
}

export const DRIFT_KIND_LABELS: Record<string, string> = {
  UNKNOWN_SUBSCRIPTION: "Unknown subscription",
  UNKNOWN_PUBLICATION: "Unknown publication",
  UNKNOWN_SLOT: "Unknown replication slot",
  MISSING_LINK: "Link missing on the server",
  ROLE_MISMATCH: "Role contradicted",
};
