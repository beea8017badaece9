import type { Metadata } from "next";
import { parseMapSearchParams } from "@/features/map/map-url";
import { MapView } from "@/features/map/map-view";
import { getQueryClient, HydrateClient, trpc } from "@/lib/trpc/server";
import { requireUser } from "@/server/session";

export const metadata: Metadata = { title: "Map" };

type TProps = { searchParams: Promise<Record<string, string | string[] | undefined>> };

/** `/map?jurisdiction=EU&dc=fra1&z=3&at=8.68,50.11`: the view is in the URL, prefetched here. */
export default async function MapPage({ searchParams }: TProps) {
  await requireUser();
  const state = parseMapSearchParams(await searchParams);
  const queryClient = getQueryClient();
  await Promise.all([
    queryClient.prefetchQuery(trpc.topology.mapOverview.queryOptions(state.filter)),
    queryClient.prefetchQuery(trpc.inventory.filterOptions.queryOptions()),
    // The panel's first page of clusters, as the panel asks for it (an infinite query, paged by cursor).
    state.dc ? queryClient.prefetchInfiniteQuery(trpc.topology.dataCenterPanel.infiniteQueryOptions({ code: state.dc, ...state.filter }, { getNextPageParam: (last) => last.nextCursor ?? undefined })) : null,
  ]);
  return (
    <HydrateClient>
      <MapView />
    </HydrateClient>
  );
}
