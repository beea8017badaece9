import { type ReactNode } from "react";
import Link from "next/link";
import { can } from "@meridian/policy";
import { InventoryTabs } from "@/features/inventory/inventory-tabs";
import { buttonClass } from "@/components/ui/button";
import { requireUser } from "@/server/session";

export default async function InventoryListsLayout({ children }: { children: ReactNode }) {
  const user = await requireUser();
  return (
    <div className="flex h-full min-h-0 flex-col gap-3 px-5 pb-3 pt-4">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <h1 className="text-lg font-semibold tracking-tight text-zinc-900 dark:text-zinc-50">Inventory</h1>
        {can(user.roles, "instance.register") ? (
          <Link href="/inventory/register-instance" className={buttonClass("secondary")}>
            Register instance
          </Link>
        ) : null}
      </div>
      <InventoryTabs />
      {children}
    </div>
  );
}
