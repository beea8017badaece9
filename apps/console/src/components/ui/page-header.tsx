import Link from "next/link";
import { type ReactNode } from "react";
import { cn } from "@/lib/cn";

export interface TCrumb {
  label: string;
  href?: string;
}

/** Title, badges and primary actions of a page, with breadcrumbs above. */
export function PageHeader({
  title,
  crumbs,
  badges,
  actions,
  description,
  className,
}: {
  title: ReactNode;
  crumbs?: TCrumb[];
  badges?: ReactNode;
  actions?: ReactNode;
  description?: ReactNode;
  className?: string;
}) {
  return (
    <header className={cn("flex flex-col gap-1", className)}>
      {crumbs && crumbs.length > 0 ? (
        <nav aria-label="Breadcrumb">
          <ol className="flex flex-wrap items-center gap-1 text-xs text-zinc-500 dark:text-zinc-400">
            {crumbs.map((c, i) => (
              <li key={`${c.label}-${i}`} className="flex items-center gap-1">
                {i > 0 ? <span aria-hidden="true">/</span> : null}
                {c.href ? (
                  <Link href={c.href} className="hover:text-zinc-900 hover:underline dark:hover:text-zinc-100">
                    {c.label}
                  </Link>
                ) : (
                  <span aria-current="page">{c.label}</span>
                )}
              </li>
            ))}
          </ol>
        </nav>
      ) : null}
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div className="flex min-w-0 flex-wrap items-center gap-2">
          <h1 className="truncate text-lg font-semibold tracking-tight text-zinc-900 dark:text-zinc-50">{title}</h1>
          {badges}
        </div>
        {actions ? <div className="flex items-center gap-2">{actions}</div> : null}
      </div>
      {description ? <p className="text-sm text-zinc-600 dark:text-zinc-400">{description}</p> : null}
    </header>
  );
}
