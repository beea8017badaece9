import { type ReactNode } from "react";

/** Filters on top, the table filling the height (its header sticks), legend and pager below. */
export function ListFrame({ filters, children, footer }: { filters: ReactNode; children: ReactNode; footer: ReactNode }) {
  return (
    <div className="flex min-h-0 flex-1 flex-col gap-3">
      {filters}
      <div className="flex min-h-0 flex-1 flex-col">{children}</div>
      <div className="flex flex-wrap items-center justify-between gap-x-6 gap-y-2">{footer}</div>
    </div>
  );
}
