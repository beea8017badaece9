import type { Metadata } from "next";
import { inventorySchemas } from "@meridian/api";
import { ClustersView } from "@/features/inventory/clusters-view";
import { parseListSearchParams, type TSearchParams } from "@/features/inventory/search-params";
import { getQueryClient, HydrateClient, trpc } from "@/lib/trpc/server";
import { requireUser } from "@/server/session";

export const metadata: Metadata = { title: "Clusters" };

export default async function ClustersPage({ searchParams }: { searchParams: Promise<TSearchParams> }) {
  await requireUser();
  const input = parseListSearchParams(inventorySchemas.ZListClustersRequestSchema, await searchParams);
  const queryClient = getQueryClient();
  await Promise.all([
    queryClient.prefetchQuery(trpc.inventory.listClusters.queryOptions(input)),
    queryClient.prefetchQuery(trpc.inventory.filterOptions.queryOptions()),
  ]);
  return (
    <HydrateClient>
      <ClustersView input={input} />
    </HydrateClient>
  );
}
