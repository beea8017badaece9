import type { Metadata } from "next";
import { TopologyView } from "@/features/topology/topology-view";
import { parseTopologySearchParams } from "@/features/topology/topology-url";
import { getQueryClient, HydrateClient, trpc } from "@/lib/trpc/server";
import { requireUser } from "@/server/session";

export const metadata: Metadata = { title: "Topology" };

type TProps = { searchParams: Promise<Record<string, string | string[] | undefined>> };

/**
 * `/topology` (the fleet) or `/topology?cluster=<name>&select=instance:<name>`: prefetched here,
 * not awaited: the page streams at once and the data follows in the same response (pending
 * queries are dehydrated with their promise), so the browser loads the scripts meanwhile.
 */
export default async function TopologyPage({ searchParams }: TProps) {
  await requireUser();
  const state = parseTopologySearchParams(await searchParams);
  const queryClient = getQueryClient();
  if (state.cluster) void queryClient.prefetchQuery(trpc.topology.clusterGraph.queryOptions({ cluster: state.cluster }));
  else {
    void queryClient.prefetchQuery(trpc.topology.fleetGraph.queryOptions(state.filter));
    void queryClient.prefetchQuery(trpc.inventory.filterOptions.queryOptions());
  }
  return (
    <HydrateClient>
      <TopologyView />
    </HydrateClient>
  );
}
