import { cn } from "@/lib/cn";

/** Capacity used as a thin bar; amber from 85 %, rose when over capacity. Text sits beside it. */
export function CapacityBar({ ratio, className }: { ratio: number | null; className?: string }) {
  const r = ratio ?? 0;
  const width = Math.min(1, Math.max(0, r)) * 100;
  const tone = r > 1 ? "bg-rose-500" : r >= 0.85 ? "bg-amber-500" : "bg-sky-500/80 dark:bg-sky-400/80";
  return (
    <span aria-hidden="true" className={cn("inline-block h-1.5 overflow-hidden rounded-full bg-zinc-200 dark:bg-zinc-700", className ?? "w-16")}>
      <span className={cn("block h-full rounded-full", tone)} style={{ width: `${width}%` }} />
    </span>
  );
}
