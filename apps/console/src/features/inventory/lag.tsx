import { cn } from "@/lib/cn";
import { formatBytes, formatLag } from "@/lib/format";

/**
 * Replication lag: time first ("1.2 s", "3 m 10 s"), bytes after ("14.2 MiB"). Above the
 * cluster's RPO (when known) the time turns rose and says so, never by colour alone.
 */
export function Lag({
  seconds,
  bytes,
  rpoSeconds,
  showBytes = true,
  className,
}: {
  seconds: number | null;
  bytes?: number | null;
  rpoSeconds?: number;
  showBytes?: boolean;
  className?: string;
}) {
  if (seconds === null) return <span className="text-zinc-400 dark:text-zinc-500">—</span>;
  const overRpo = rpoSeconds !== undefined && seconds > rpoSeconds;
  return (
    <span className={cn("inline-flex items-baseline justify-end gap-2 tabular-nums", className)}>
      <span
        className={overRpo ? "font-medium text-rose-700 dark:text-rose-400" : undefined}
        title={overRpo ? `Above the cluster's RPO of ${formatLag(rpoSeconds)}` : undefined}
      >
        {overRpo ? (
          <span aria-hidden="true" className="mr-1">
            ▲
          </span>
        ) : null}
        {formatLag(seconds)}
        {overRpo ? <span className="sr-only"> (above RPO)</span> : null}
      </span>
      {showBytes && bytes !== undefined && bytes !== null ? (
        <span className="w-[4.5rem] text-xs text-zinc-500 dark:text-zinc-400">{formatBytes(bytes)}</span>
      ) : null}
    </span>
  );
}
