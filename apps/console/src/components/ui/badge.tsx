import { type ReactNode } from "react";
import { cn } from "@/lib/cn";

/**
 * One badge, one colour per state family (ui.md): active, in progress, waiting, done,
 * failed, blocked; plus neutral for plain labels (engine, tier, jurisdiction).
 */
export type TBadgeTone = "neutral" | "active" | "progress" | "waiting" | "done" | "failed" | "blocked" | "emphasis";

const TONES: Record<TBadgeTone, string> = {
  neutral: "bg-zinc-100 text-zinc-700 ring-zinc-500/20 dark:bg-zinc-800 dark:text-zinc-300 dark:ring-zinc-400/20",
  emphasis: "bg-zinc-900 text-white ring-zinc-900 dark:bg-zinc-100 dark:text-zinc-900 dark:ring-zinc-100",
  active: "bg-emerald-50 text-emerald-800 ring-emerald-600/25 dark:bg-emerald-500/10 dark:text-emerald-300 dark:ring-emerald-400/25",
  progress: "bg-sky-50 text-sky-800 ring-sky-600/25 dark:bg-sky-500/10 dark:text-sky-300 dark:ring-sky-400/25",
  waiting: "bg-amber-50 text-amber-900 ring-amber-600/30 dark:bg-amber-500/10 dark:text-amber-300 dark:ring-amber-400/25",
  done: "bg-slate-100 text-slate-700 ring-slate-500/25 dark:bg-slate-500/15 dark:text-slate-300 dark:ring-slate-400/25",
  failed: "bg-rose-50 text-rose-800 ring-rose-600/25 dark:bg-rose-500/10 dark:text-rose-300 dark:ring-rose-400/25",
  blocked: "bg-violet-50 text-violet-800 ring-violet-600/25 dark:bg-violet-500/10 dark:text-violet-300 dark:ring-violet-400/25",
};

const DOTS: Record<TBadgeTone, string> = {
  neutral: "bg-zinc-400",
  emphasis: "bg-white dark:bg-zinc-900",
  active: "bg-emerald-500",
  progress: "bg-sky-500",
  waiting: "bg-amber-500",
  done: "bg-slate-400",
  failed: "bg-rose-500",
  blocked: "bg-violet-500",
};

export function Badge({
  tone = "neutral",
  dot = false,
  mono = false,
  title,
  className,
  children,
}: {
  tone?: TBadgeTone;
  dot?: boolean;
  mono?: boolean;
  title?: string;
  className?: string;
  children: ReactNode;
}) {
  return (
    <span
      title={title}
      className={cn(
        "inline-flex items-center gap-1 whitespace-nowrap rounded px-1.5 py-px text-xs font-medium ring-1 ring-inset",
        mono && "font-mono tracking-tight",
        TONES[tone],
        className,
      )}
    >
      {dot ? <span aria-hidden="true" className={cn("size-1.5 rounded-full", DOTS[tone])} /> : null}
      {children}
    </span>
  );
}

/** Jurisdiction as a short code in a neutral pill. */
export function JurisdictionPill({ code, name }: { code: string; name?: string }) {
  return (
    <Badge mono title={name ? `${name} (${code})` : code}>
      {code}
    </Badge>
  );
}
