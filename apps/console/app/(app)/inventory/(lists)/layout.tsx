import { type ReactNode } from "react";
import { InventoryTabs } from "@/features/inventory/inventory-tabs";

export default function InventoryListsLayout({ children }: { children: ReactNode }) {
  return (
    <div className="flex h-full min-h-0 flex-col gap-3 px-5 pb-3 pt-4">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <h1 className="text-lg font-semibold tracking-tight text-zinc-900 dark:text-zinc-50">Inventory</h1>
      </div>
      <InventoryTabs />
      {children}
    </div>
  );
}
