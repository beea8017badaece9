"use client";

import { useId, useState, type ReactNode } from "react";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { cn } from "@/lib/cn";
import { downloadCsv, toCsv, type TColumn } from "./csv";

/**
 * One chart of a dashboard: title and units, a legend, the chart, and behind it the same
 * numbers as a table (always in the page for screen readers; shown on demand) and as CSV.
 * With no rows, an empty state says why instead of an empty plot.
 */
export function ChartCard<R>({
  title,
  description,
  legend,
  columns,
  rows,
  csvName,
  empty,
  children,
  className,
  testId,
}: {
  title: string;
  /** What is plotted and in which unit. */
  description: ReactNode;
  legend?: ReactNode;
  columns: readonly TColumn<R>[];
  rows: readonly R[];
  /** File name without extension. */
  csvName: string;
  /** Shown instead of the chart when there are no rows: why it is empty. */
  empty?: { title: string; reason: ReactNode } | null;
  children: ReactNode;
  className?: string;
  testId?: string;
}) {
  const id = useId();
  const [showTable, setShowTable] = useState(false);
  const isEmpty = rows.length === 0 || Boolean(empty);
  return (
    <figure
      aria-labelledby={`${id}-title`}
      data-testid={testId}
      className={cn(
        "flex min-w-0 flex-col gap-2 rounded-md border border-zinc-200 bg-white p-3 break-inside-avoid dark:border-zinc-800 dark:bg-zinc-900",
        className,
      )}
    >
      <div className="flex flex-wrap items-start justify-between gap-2">
        <div className="min-w-0">
          <h3 id={`${id}-title`} className="text-sm font-semibold text-zinc-900 dark:text-zinc-100">
            {title}
          </h3>
          <p className="text-xs text-zinc-500 dark:text-zinc-400">{description}</p>
        </div>
        <div className="flex items-center gap-1.5 print:hidden">
          <Button
            variant="ghost"
            className="px-2 text-xs"
            aria-expanded={showTable}
            aria-controls={`${id}-table`}
            onClick={() => setShowTable((v) => !v)}
            disabled={isEmpty}
          >
            {showTable ? "Hide table" : "Table"}
          </Button>
          <Button
            variant="secondary"
            className="px-2 text-xs"
            disabled={isEmpty}
            onClick={() => downloadCsv(`${csvName}.csv`, toCsv(columns, rows))}
            aria-label={`Download CSV: ${title}`}
          >
            CSV
          </Button>
        </div>
      </div>
      {legend && !isEmpty ? <div className="text-xs">{legend}</div> : null}
      {isEmpty ? (
        <EmptyState compact title={empty?.title ?? "No data in this range"}>
          {empty?.reason ?? "Nothing was recorded for the selected range and filters. Widen the range or clear the filters."}
        </EmptyState>
      ) : (
        <div role="img" aria-label={`${title}: chart (the same numbers are in the data table)`}>{children}</div>
      )}
      {!isEmpty ? (
        <div id={`${id}-table`} className={cn(showTable ? "max-h-80 overflow-auto rounded border border-zinc-200 dark:border-zinc-800" : "sr-only", "print:hidden")}>
          <DataTable caption={title} columns={columns} rows={rows} />
        </div>
      ) : null}
    </figure>
  );
}

export function DataTable<R>({ caption, columns, rows }: { caption: string; columns: readonly TColumn<R>[]; rows: readonly R[] }) {
  return (
    <table className="w-full border-separate border-spacing-0 text-xs">
      <caption className="sr-only">{caption}: data table</caption>
      <thead>
        <tr>
          {columns.map((c) => (
            <th
              key={c.key}
              scope="col"
              className={cn(
                "sticky top-0 border-b border-zinc-200 bg-zinc-50 px-2 py-1 font-medium text-zinc-600 dark:border-zinc-800 dark:bg-zinc-900 dark:text-zinc-400",
                c.numeric ? "text-right" : "text-left",
              )}
            >
              {c.label}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((r, i) => (
          <tr key={i} className="odd:bg-zinc-50/60 dark:odd:bg-zinc-800/30">
            {columns.map((c) => (
              <td key={c.key} className={cn("px-2 py-0.5 whitespace-nowrap", c.numeric && "text-right tabular-nums")}>
                {c.format ? c.format(r) : String(c.value(r) ?? "—")}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** A legend entry: a swatch (or any glyph) and a label. */
export function LegendItem({ glyph, label }: { glyph: ReactNode; label: string }) {
  return (
    <span className="inline-flex items-center gap-1.5 text-zinc-600 dark:text-zinc-400">
      {glyph}
      {label}
    </span>
  );
}

export function Swatch({ color, dashed = false }: { color: string; dashed?: boolean }) {
  return (
    <svg viewBox="0 0 16 8" className="h-2 w-4" aria-hidden="true">
      <line x1="0" y1="4" x2="16" y2="4" stroke={color} strokeWidth="2.5" strokeDasharray={dashed ? "4 2" : undefined} />
    </svg>
  );
}

/** A headline number with its unit and what it means. */
export function Stat({ label, value, hint, tone = "neutral", testId }: { label: string; value: string; hint?: string; tone?: "neutral" | "good" | "bad"; testId?: string }) {
  return (
    <div className="flex min-w-0 flex-col gap-0.5 rounded-md border border-zinc-200 bg-white px-3 py-2 dark:border-zinc-800 dark:bg-zinc-900" data-testid={testId}>
      <span className="text-[11px] font-medium uppercase tracking-wide text-zinc-500 dark:text-zinc-400">{label}</span>
      <span
        className={cn(
          "text-lg font-semibold tabular-nums",
          tone === "good" && "text-emerald-700 dark:text-emerald-400",
          tone === "bad" && "text-rose-700 dark:text-rose-400",
        )}
      >
        {value}
      </span>
      {hint ? <span className="text-xs text-zinc-500 dark:text-zinc-400">{hint}</span> : null}
    </div>
  );
}
