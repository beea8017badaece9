"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { cn } from "@/lib/cn";
import { ApprovalsNavBadge } from "@/features/approvals/approvals-nav-badge";
import { NAV_ITEMS } from "./nav-items";

export function SideNav() {
  const pathname = usePathname();
  return (
    <nav aria-label="Main" className="flex flex-col gap-0.5 px-2 py-3">
      {NAV_ITEMS.map((item) => {
        const active = pathname === item.href || pathname.startsWith(`${item.href}/`);
        return (
          <Link
            key={item.href}
            href={item.href}
            aria-current={active ? "page" : undefined}
            className={cn(
              "flex items-center gap-2.5 rounded-md px-2.5 py-1.5 text-sm outline-none focus-visible:ring-2 focus-visible:ring-sky-500",
              active
                ? "bg-zinc-900/5 font-medium text-zinc-900 dark:bg-white/10 dark:text-white"
                : "text-zinc-600 hover:bg-zinc-900/5 hover:text-zinc-900 dark:text-zinc-400 dark:hover:bg-white/5 dark:hover:text-zinc-100",
            )}
          >
            {item.icon}
            <span className="flex-1">{item.label}</span>
            {item.href === "/approvals" ? <ApprovalsNavBadge /> : null}
            {item.built ? null : (
              <span className="text-[10px] uppercase tracking-wide text-zinc-400 dark:text-zinc-500" title="Not built yet">
                soon
              </span>
            )}
          </Link>
        );
      })}
    </nav>
  );
}

/** The same links as a scrolling row, for screens too narrow for the side bar. */
export function CompactNav() {
  const pathname = usePathname();
  return (
    <nav aria-label="Main" className="flex gap-1 overflow-x-auto border-b border-zinc-200 bg-white px-2 py-1.5 md:hidden dark:border-zinc-800 dark:bg-zinc-900">
      {NAV_ITEMS.map((item) => {
        const active = pathname === item.href || pathname.startsWith(`${item.href}/`);
        return (
          <Link
            key={item.href}
            href={item.href}
            aria-current={active ? "page" : undefined}
            className={cn(
              "flex shrink-0 items-center gap-1.5 rounded-md px-2 py-1 text-sm",
              active ? "bg-zinc-900/5 font-medium dark:bg-white/10" : "text-zinc-600 dark:text-zinc-400",
            )}
          >
            {item.icon}
            {item.label}
          </Link>
        );
      })}
    </nav>
  );
}
