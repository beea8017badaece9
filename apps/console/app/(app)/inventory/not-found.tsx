import Link from "next/link";
import { EmptyState } from "@/components/ui/empty-state";

export default function InventoryNotFound() {
  return (
    <div className="px-5 py-8">
      <EmptyState
        title="Not in the inventory"
        action={
          <Link href="/inventory/data-centers" className="text-sm text-sky-700 hover:underline dark:text-sky-400">
            Back to the inventory
          </Link>
        }
      >
        No data center, cluster or instance has that name. It may have been renamed or removed; try the search at the top.
      </EmptyState>
    </div>
  );
}
