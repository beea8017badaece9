"use client";

import { useEffect, useState } from "react";
import { cn } from "@/lib/cn";
import { formatLag, formatUtc } from "@/lib/format";

/**
 * "Live · updated 2 s ago": the views refresh themselves every few seconds; this says so
 * (ticking each second, the absolute UTC time on hover), and says when a refresh fails.
 */
export function LiveStatus({ updatedAt, fetching, failed }: { updatedAt: Date | undefined; fetching: boolean; failed: boolean }) {
  const [now, setNow] = useState<number | null>(null);
  useEffect(() => {
    const tick = () => setNow(Date.now());
    tick();
    const t = setInterval(tick, 1000);
    return () => clearInterval(t);
  }, []);
  const age = updatedAt && now !== null ? Math.max(0, Math.round((now - new Date(updatedAt).getTime()) / 1000)) : null;
  return (
    <p className="flex items-center gap-1.5 text-xs text-zinc-500 dark:text-zinc-400" data-testid="live-status">
      <span
        aria-hidden="true"
        className={cn("size-2 rounded-full", failed ? "bg-rose-500" : "bg-emerald-500", fetching && !failed ? "animate-pulse" : undefined)}
      />
      {failed ? (
        <span className="text-rose-700 dark:text-rose-400" role="status">
          Refresh failed; retrying
        </span>
      ) : (
        <span title={updatedAt ? `Data as of ${formatUtc(updatedAt)}` : undefined}>
          Live{age !== null ? ` · updated ${age < 2 ? "just now" : `${formatLag(age).replace(".0 s", " s")} ago`}` : null}
        </span>
      )}
    </p>
  );
}
