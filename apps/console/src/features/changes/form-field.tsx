import { type ReactNode } from "react";
import { cn } from "@/lib/cn";

/** A labelled form field with its hint and its error in words, next to it. */
export function FormField({
  id,
  label,
  hint,
  error,
  optional,
  children,
  className,
}: {
  id: string;
  label: string;
  hint?: ReactNode;
  error?: string[] | undefined;
  optional?: boolean;
  children: ReactNode;
  className?: string;
}) {
  return (
    <div className={cn("flex flex-col gap-1", className)}>
      <label htmlFor={id} className="text-sm font-medium text-zinc-900 dark:text-zinc-100">
        {label}
        {optional ? <span className="font-normal text-zinc-500 dark:text-zinc-400"> (optional)</span> : null}
      </label>
      {children}
      {hint ? (
        <p id={`${id}-hint`} className="text-xs text-zinc-600 dark:text-zinc-400">
          {hint}
        </p>
      ) : null}
      {error && error.length > 0 ? (
        <p id={`${id}-error`} className="text-sm text-rose-700 dark:text-rose-400" data-testid={`error-${id}`}>
          {error.join(" ")}
        </p>
      ) : null}
    </div>
  );
}

export function describedBy(id: string, hint: boolean, error: string[] | undefined): string | undefined {
  const ids = [hint ? `${id}-hint` : null, error?.length ? `${id}-error` : null].filter(Boolean);
  return ids.length ? ids.join(" ") : undefined;
}

export const inputClass =
  "w-full rounded-md border border-zinc-300 bg-white px-2 py-1.5 text-sm text-zinc-900 shadow-xs focus-visible:border-sky-500 focus-visible:outline-2 focus-visible:outline-offset-0 focus-visible:outline-sky-500/40 aria-[invalid=true]:border-rose-500 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100";
