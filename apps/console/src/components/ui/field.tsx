import { type ReactNode, type SelectHTMLAttributes } from "react";
import { cn } from "@/lib/cn";

export const controlClass =
  "h-8 rounded-md border border-zinc-300 bg-white px-2 text-sm text-zinc-900 shadow-xs focus-visible:border-sky-500 focus-visible:outline-2 focus-visible:outline-offset-0 focus-visible:outline-sky-500/40 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100";

/** A labelled native select: keyboard and screen-reader friendly for free. */
export function SelectField({
  label,
  children,
  className,
  ...rest
}: SelectHTMLAttributes<HTMLSelectElement> & { label: string; children: ReactNode }) {
  return (
    <label className={cn("flex flex-col gap-0.5", className)}>
      <span className="text-[11px] font-medium uppercase tracking-wide text-zinc-500 dark:text-zinc-400">{label}</span>
      <select className={cn(controlClass, "w-full min-w-0 truncate pr-7")} {...rest}>
        {children}
      </select>
    </label>
  );
}
