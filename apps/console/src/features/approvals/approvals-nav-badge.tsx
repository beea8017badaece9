"use client";

import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/lib/trpc/react";

/** The number of decisions waiting for the signed-in user, on the Approvals navigation item. */
export function ApprovalsNavBadge() {
  const trpc = useTRPC();
  const count = useQuery({ ...trpc.approvals.count.queryOptions(), refetchInterval: 60_000, staleTime: 20_000 });
  const n = (count.data?.actionable ?? 0) + (count.data?.toReview ?? 0);
  if (n === 0) return null;
  return (
    <span
      className="ml-auto rounded-full bg-amber-500 px-1.5 text-[10px] font-semibold leading-4 text-white tabular-nums dark:bg-amber-400 dark:text-zinc-900"
      title={`${n} request${n > 1 ? "s" : ""} waiting for your decision`}
      data-testid="approvals-badge"
    >
      {n}
      <span className="sr-only"> waiting for you</span>
    </span>
  );
}
