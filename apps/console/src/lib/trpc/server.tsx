import { dehydrate, HydrationBoundary } from "@tanstack/react-query";
import { createTRPCOptionsProxy } from "@trpc/tanstack-react-query";
import { TRPCError } from "@trpc/server";
import { cache, type ReactNode } from "react";
import { appRouter, createContext } from "@meridian/api";
import { getPrisma } from "@meridian/db";
import { getCurrentUser } from "@/server/session";
import { makeQueryClient } from "./query-client";

/**
 * Server components prefetch through the router in-process (no HTTP hop), with the same
 * context as the route handler; <HydrateClient> hands the results to the browser cache so the
 * client components' useQuery calls find them.
 */
export const getQueryClient = cache(makeQueryClient);

export const trpc = createTRPCOptionsProxy({
  router: appRouter,
  queryClient: getQueryClient,
  ctx: async () => createContext({ prisma: getPrisma(), user: await getCurrentUser() }),
});

export function HydrateClient({ children }: { children: ReactNode }) {
  return <HydrationBoundary state={dehydrate(getQueryClient())}>{children}</HydrationBoundary>;
}

export function isNotFound(error: unknown): boolean {
  return error instanceof TRPCError && error.code === "NOT_FOUND";
}
