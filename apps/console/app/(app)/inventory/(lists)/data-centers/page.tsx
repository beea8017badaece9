import type { Metadata } from "next";
import { inventorySchemas } from "@meridian/api";
import { DataCentersView } from "@/features/inventory/data-centers-view";
import { parseListSearchParams, type TSearchParams } from "@/features/inventory/search-params";
import { getQueryClient, HydrateClient, trpc } from "@/lib/trpc/server";
import { requireUser } from "@/server/session";

export const metadata: Metadata = { title: "Data centers" };

export default async function DataCentersPage({ searchParams }: { searchParams: Promise<TSearchParams> }) {
  await requireUser();
  const input = parseListSearchParams(inventorySchemas.ZListDataCentersRequestSchema, await searchParams);
  const queryClient = getQueryClient();
  await Promise.all([
    queryClient.prefetchQuery(trpc.inventory.listDataCenters.queryOptions(input)),
    queryClient.prefetchQuery(trpc.inventory.filterOptions.queryOptions()),
  ]);
  return (
    <HydrateClient>
      <DataCentersView input={input} />
    </HydrateClient>
  );
}
