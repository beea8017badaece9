import { type ReactNode, type ThHTMLAttributes, type TdHTMLAttributes, type HTMLAttributes } from "react";
import { cn } from "@/lib/cn";

/**
 * Dense data tables: the header sticks to the top of the scrolling region, numbers are
 * right-aligned with tabular figures, rows are 32 px high.
 */
export function TableScroller({ children, busy, className }: { children: ReactNode; busy?: boolean; className?: string }) {
  return (
    <div
      className={cn(
        "relative min-h-0 overflow-auto rounded-md border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900",
        className,
      )}
      aria-busy={busy || undefined}
    >
      {busy ? (
        <div aria-hidden="true" className="pointer-events-none absolute inset-x-0 top-0 z-20 h-0.5 overflow-hidden">
          <div className="h-full w-1/3 animate-[meridian-progress_1s_ease-in-out_infinite] bg-sky-500" />
        </div>
      ) : null}
      {children}
    </div>
  );
}

export function Table({ children, className, ...rest }: HTMLAttributes<HTMLTableElement>) {
  return (
    <table className={cn("w-full border-separate border-spacing-0 text-[13px] leading-5", className)} {...rest}>
      {children}
    </table>
  );
}

const headerCell =
  "sticky top-0 z-10 border-b border-zinc-200 bg-zinc-50/95 px-2 py-2 text-left text-xs font-medium text-zinc-600 backdrop-blur dark:border-zinc-800 dark:bg-zinc-900/95 dark:text-zinc-400";

export function Th({
  numeric,
  className,
  children,
  ...rest
}: ThHTMLAttributes<HTMLTableCellElement> & { numeric?: boolean }) {
  return (
    <th scope="col" className={cn(headerCell, numeric && "text-right", "whitespace-nowrap", className)} {...rest}>
      {children}
    </th>
  );
}

export type TSortState = { sort: string; order: "asc" | "desc" };

/**
 * A header that sorts its column: a button inside the <th>, with aria-sort on the <th>
 * (the WAI-ARIA sortable table pattern).
 */
export function SortableTh({
  column,
  label,
  state,
  onSort,
  numeric,
  firstOrder = "asc",
  className,
  title,
}: {
  column: string;
  label: string;
  state: TSortState;
  onSort: (column: string, order: "asc" | "desc") => void;
  numeric?: boolean;
  /** Direction of the first click: numbers and health usually read best largest/worst first. */
  firstOrder?: "asc" | "desc";
  className?: string;
  title?: string;
}) {
  const active = state.sort === column;
  const ariaSort = active ? (state.order === "asc" ? "ascending" : "descending") : "none";
  const next: "asc" | "desc" = active ? (state.order === "asc" ? "desc" : "asc") : firstOrder;
  return (
    <th scope="col" aria-sort={ariaSort} className={cn(headerCell, "p-0", className)} title={title}>
      <button
        type="button"
        onClick={() => onSort(column, next)}
        className={cn(
          "group flex w-full items-center gap-1 whitespace-nowrap px-2 py-2 text-xs font-medium outline-none hover:text-zinc-900 focus-visible:bg-sky-50 focus-visible:ring-2 focus-visible:ring-inset focus-visible:ring-sky-500 dark:hover:text-zinc-100 dark:focus-visible:bg-sky-950",
          numeric && "flex-row-reverse",
          active && "text-zinc-900 dark:text-zinc-100",
        )}
      >
        <span>{label}</span>
        <SortArrow direction={active ? state.order : null} />
        <span className="sr-only">{active ? `, sorted ${ariaSort}; activate to sort ${next === "asc" ? "ascending" : "descending"}` : ", activate to sort"}</span>
      </button>
    </th>
  );
}

function SortArrow({ direction }: { direction: "asc" | "desc" | null }) {
  return (
    <svg
      viewBox="0 0 10 10"
      aria-hidden="true"
      className={cn("size-2.5 shrink-0", direction ? "opacity-100" : "opacity-0 group-hover:opacity-40 group-focus-visible:opacity-40")}
    >
      {direction === "desc" ? (
        <path d="M5 8 L1.5 3 H8.5 Z" fill="currentColor" />
      ) : (
        <path d="M5 2 L8.5 7 H1.5 Z" fill="currentColor" />
      )}
    </svg>
  );
}

export function Tr({ className, children, ...rest }: HTMLAttributes<HTMLTableRowElement>) {
  return (
    <tr className={cn("group/row hover:bg-zinc-50 dark:hover:bg-zinc-800/50", className)} {...rest}>
      {children}
    </tr>
  );
}

export function Td({
  numeric,
  muted,
  className,
  children,
  ...rest
}: TdHTMLAttributes<HTMLTableCellElement> & { numeric?: boolean; muted?: boolean }) {
  return (
    <td
      className={cn(
        "whitespace-nowrap border-b border-zinc-100 px-2 py-1.5 align-middle dark:border-zinc-800/70",
        numeric && "text-right tabular-nums",
        muted && "text-zinc-500 dark:text-zinc-400",
        className,
      )}
      {...rest}
    >
      {children}
    </td>
  );
}
