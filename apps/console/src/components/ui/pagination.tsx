"use client";

import Link from "next/link";
import { type MouseEvent, type ReactNode } from "react";
import { formatCount } from "@/lib/format";
import { cn } from "@/lib/cn";

export const PAGE_SIZES = [25, 50, 100, 200] as const;

/** "1–50 of 1,200", page size, previous / next. */
export function Pagination({
  page,
  pageSize,
  total,
  noun,
  hrefFor,
  onPage,
  onPageSize,
  className,
}: {
  page: number;
  pageSize: number;
  total: number;
  /** Plural noun for the summary: "data centers". */
  noun: string;
  /** The URL of a page: previous / next are real links (open in a new tab, copy). */
  hrefFor: (page: number) => string;
  /** Plain clicks go through here (a transition with a pending state) instead of the link. */
  onPage: (page: number) => void;
  onPageSize: (pageSize: number) => void;
  className?: string;
}) {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const first = total === 0 ? 0 : Math.min((page - 1) * pageSize + 1, total);
  const last = Math.min(page * pageSize, total);
  const beyond = total > 0 && page > pages;
  return (
    <nav aria-label="Pagination" className={cn("flex flex-wrap items-center justify-between gap-3 text-xs text-zinc-600 dark:text-zinc-400", className)}>
      <p
        data-testid="pagination-summary"
        data-first={first}
        data-last={last}
        data-total={total}
        aria-live="polite"
        className="tabular-nums"
      >
        {beyond ? (
          <>Page {page} is past the end: {formatCount(total)} {noun} in all</>
        ) : (
          <>
            {formatCount(first)}–{formatCount(last)} of {formatCount(total)} {noun}
          </>
        )}
      </p>
      <div className="flex items-center gap-3">
        <label className="flex items-center gap-1.5">
          <span>Rows per page</span>
          <select
            value={pageSize}
            onChange={(e) => onPageSize(Number(e.target.value))}
            className="rounded border border-zinc-300 bg-white px-1.5 py-0.5 text-xs text-zinc-900 focus-visible:outline-2 focus-visible:outline-sky-500 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100"
          >
            {PAGE_SIZES.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </label>
        <span className="tabular-nums">
          Page {formatCount(Math.min(page, pages))} of {formatCount(pages)}
        </span>
        <div className="flex items-center gap-1">
          <PagerLink label="Previous page" page={beyond ? pages : page - 1} disabled={page <= 1} hrefFor={hrefFor} onPage={onPage}>
            <path d="M7.5 2.5 L4 6 L7.5 9.5" />
          </PagerLink>
          <PagerLink label="Next page" page={page + 1} disabled={page >= pages} hrefFor={hrefFor} onPage={onPage}>
            <path d="M4.5 2.5 L8 6 L4.5 9.5" />
          </PagerLink>
        </div>
      </div>
    </nav>
  );
}

const pagerClass =
  "inline-flex size-7 items-center justify-center rounded border border-zinc-300 bg-white text-zinc-700 hover:bg-zinc-50 focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-sky-500 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-300 dark:hover:bg-zinc-800";

function PagerLink({
  label,
  page,
  disabled,
  hrefFor,
  onPage,
  children,
}: {
  label: string;
  page: number;
  disabled: boolean;
  hrefFor: (page: number) => string;
  onPage: (page: number) => void;
  children: ReactNode;
}) {
  const icon = (
    <svg viewBox="0 0 12 12" className="size-3" fill="none" stroke="currentColor" strokeWidth="1.75" aria-hidden="true">
      {children}
    </svg>
  );
  if (disabled) {
    return (
      <span role="link" aria-disabled="true" aria-label={label} title={label} className={cn(pagerClass, "cursor-not-allowed opacity-40")}>
        {icon}
      </span>
    );
  }
  function onClick(e: MouseEvent<HTMLAnchorElement>) {
    if (e.metaKey || e.ctrlKey || e.shiftKey || e.altKey || e.button !== 0) return;
    e.preventDefault();
    onPage(page);
  }
  return (
    <Link href={hrefFor(page)} aria-label={label} title={label} onClick={onClick} prefetch={false} className={pagerClass}>
      {icon}
    </Link>
  );
}
