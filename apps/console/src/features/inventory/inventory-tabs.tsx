"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { cn } from "@/lib/cn";

const TABS = [
  { href: "/inventory/data-centers", label: "Data centers" },
  { href: "/inventory/clusters", label: "Clusters" },
  { href: "/inventory/instances", label: "Instances" },
] as const;

/** Navigation between the three inventory tables (links: each is its own URL). */
export function InventoryTabs() {
  const pathname = usePathname();
  return (
    <nav aria-label="Inventory" className="border-b border-zinc-200 dark:border-zinc-800">
      <ul className="-mb-px flex gap-4">
        {TABS.map((tab) => {
          const active = pathname === tab.href;
          return (
            <li key={tab.href}>
              <Link
                href={tab.href}
                aria-current={active ? "page" : undefined}
                className={cn(
                  "inline-block border-b-2 px-1 pb-2 text-sm outline-none focus-visible:rounded-sm focus-visible:ring-2 focus-visible:ring-sky-500",
                  active
                    ? "border-sky-600 font-medium text-zinc-900 dark:border-sky-400 dark:text-zinc-50"
                    : "border-transparent text-zinc-600 hover:border-zinc-300 hover:text-zinc-900 dark:text-zinc-400 dark:hover:border-zinc-600 dark:hover:text-zinc-100",
                )}
              >
                {tab.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
