import { type ReactNode } from "react";
import { cn } from "@/lib/cn";

/** Says why a view is empty and what to do about it. */
export function EmptyState({
  title,
  children,
  action,
  compact = false,
  className,
}: {
  title: string;
  children?: ReactNode;
  action?: ReactNode;
  /** A one-line box for sections of a detail page. */
  compact?: boolean;
  className?: string;
}) {
  if (compact) {
    return (
      <div className={cn("rounded-md border border-dashed border-zinc-300 px-4 py-3 text-sm dark:border-zinc-700", className)} data-testid="empty-state">
        <span className="font-medium text-zinc-800 dark:text-zinc-200">{title}.</span>{" "}
        {children ? <span className="text-zinc-600 dark:text-zinc-400">{children}</span> : null}
        {action ? <span className="ml-2">{action}</span> : null}
      </div>
    );
  }
  return (
    <div className={cn("flex flex-col items-center justify-center gap-2 px-6 py-14 text-center", className)} data-testid="empty-state">
      <svg viewBox="0 0 24 24" className="size-8 text-zinc-300 dark:text-zinc-600" fill="none" stroke="currentColor" strokeWidth="1.5" aria-hidden="true">
        <ellipse cx="12" cy="5.5" rx="7.5" ry="2.75" />
        <path d="M4.5 5.5v6.5c0 1.5 3.4 2.75 7.5 2.75s7.5-1.25 7.5-2.75V5.5" />
        <path d="M4.5 12v6.5c0 1.5 3.4 2.75 7.5 2.75s7.5-1.25 7.5-2.75V12" />
      </svg>
      <p className="text-sm font-medium text-zinc-900 dark:text-zinc-100">{title}</p>
      {children ? <div className="max-w-md text-sm text-zinc-600 dark:text-zinc-400">{children}</div> : null}
      {action ? <div className="mt-2">{action}</div> : null}
    </div>
  );
}
