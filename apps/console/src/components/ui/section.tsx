import { type ReactNode } from "react";
import { cn } from "@/lib/cn";

/** A titled block of a detail page. */
export function Section({
  title,
  id,
  actions,
  description,
  children,
  className,
}: {
  title: string;
  id: string;
  actions?: ReactNode;
  description?: ReactNode;
  children: ReactNode;
  className?: string;
}) {
  return (
    <section aria-labelledby={id} className={cn("flex flex-col gap-2", className)}>
      <div className="flex flex-wrap items-end justify-between gap-2">
        <div>
          <h2 id={id} className="text-sm font-semibold text-zinc-900 dark:text-zinc-100">
            {title}
          </h2>
          {description ? <p className="text-xs text-zinc-500 dark:text-zinc-400">{description}</p> : null}
        </div>
        {actions}
      </div>
      {children}
    </section>
  );
}

/** Label/value pairs in a responsive grid. */
export function FactList({ items, className }: { items: { label: string; value: ReactNode; wide?: boolean }[]; className?: string }) {
  return (
    <dl
      className={cn(
        "grid grid-cols-2 gap-x-6 gap-y-3 rounded-md border border-zinc-200 bg-white p-4 sm:grid-cols-3 lg:grid-cols-4 xl:grid-cols-6 dark:border-zinc-800 dark:bg-zinc-900",
        className,
      )}
    >
      {items.map((item) => (
        <div key={item.label} className={cn("flex min-w-0 flex-col gap-0.5", item.wide && "col-span-2")}>
          <dt className="text-[11px] font-medium uppercase tracking-wide text-zinc-500 dark:text-zinc-400">{item.label}</dt>
          <dd className="min-w-0 text-sm text-zinc-900 dark:text-zinc-100">{item.value}</dd>
        </div>
      ))}
    </dl>
  );
}
