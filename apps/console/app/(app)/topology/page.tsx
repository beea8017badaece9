import type { Metadata } from "next";
import { TopologyView } from "@/features/topology/topology-view";
import { parseTopologySearchParams } from "@/features/topology/topology-url";
import { getQueryClient, HydrateClient, trpc } from "@/lib/trpc/server";
import { requireUser } from "@/server/session";

export const metadata: Metadata = { title: "Topology" };

type TProps = { searchParams: Promise<Record<string, string | string[] | undefined>> };

/** `/topology` (the fleet) or `/topology?cluster=<name>&select=instance:<name>`: prefetched here. */
export default async function TopologyPage({ searchParams }: TProps) {
  await requireUser();
  const state = parseTopologySearchParams(await searchParams);
  const queryClient = getQueryClient();
  await Promise.all([
    state.cluster
      ? queryClient.prefetchQuery(trpc.topology.clusterGraph.queryOptions({ cluster: state.cluster }))
      : queryClient.prefetchQuery(trpc.topology.fleetGraph.queryOptions(state.filter)),
    state.cluster ? null : queryClient.prefetchQuery(trpc.inventory.filterOptions.queryOptions()),
  ]);
  return (
    <HydrateClient>
      <TopologyView />
    </HydrateClient>
  );
}
