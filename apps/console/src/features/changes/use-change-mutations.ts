"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useCallback } from "react";
import { useTRPC } from "@/lib/trpc/react";

/** After a change request moved: refresh its page, the lists and the approvals inbox (targeted). */
export function useRefreshChange(number: number) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return useCallback(
    () =>
      Promise.all([
        queryClient.invalidateQueries(trpc.changes.get.queryFilter({ number })),
        queryClient.invalidateQueries(trpc.changes.list.queryFilter()),
        queryClient.invalidateQueries(trpc.approvals.inbox.queryFilter()),
        queryClient.invalidateQueries(trpc.approvals.count.queryFilter()),
      ]),
    [number, queryClient, trpc],
  );
}
