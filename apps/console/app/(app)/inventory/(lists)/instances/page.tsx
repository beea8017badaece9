import type { Metadata } from "next";
import { inventorySchemas } from "@meridian/api";
import { InstancesView } from "@/features/inventory/instances-view";
import { parseListSearchParams, type TSearchParams } from "@/features/inventory/search-params";
import { getQueryClient, HydrateClient, trpc } from "@/lib/trpc/server";
import { requireUser } from "@/server/session";

export const metadata: Metadata = { title: "Instances" };

export default async function InstancesPage({ searchParams }: { searchParams: Promise<TSearchParams> }) {
  await requireUser();
  const input = parseListSearchParams(inventorySchemas.ZListInstancesRequestSchema, await searchParams);
  const queryClient = getQueryClient();
  await Promise.all([
    queryClient.prefetchQuery(trpc.inventory.listInstances.queryOptions(input)),
    queryClient.prefetchQuery(trpc.inventory.filterOptions.queryOptions()),
  ]);
  return (
    <HydrateClient>
      <InstancesView input={input} />
    </HydrateClient>
  );
}
