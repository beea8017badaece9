import type { Metadata } from "next";
import { dashboardQuery, getterOf, parseDashboardUrl } from "@/features/dashboards/dashboard-url";
import { DashboardsView } from "@/features/dashboards/dashboards-view";
import { getQueryClient, HydrateClient, trpc } from "@/lib/trpc/server";
import { requireUser } from "@/server/session";

export const metadata: Metadata = { title: "Dashboards" };

type TProps = { searchParams: Promise<Record<string, string | string[] | undefined>> };

/** `/dashboards?range=30d&team=payments&region=eu-west`: the view is in the URL, prefetched here. */
export default async function DashboardsPage({ searchParams }: TProps) {
  await requireUser();
  const input = dashboardQuery(parseDashboardUrl(getterOf(await searchParams)));
  const queryClient = getQueryClient();
  await Promise.all([
    queryClient.prefetchQuery(trpc.dashboards.fleetHealth.queryOptions(input)),
    queryClient.prefetchQuery(trpc.dashboards.replicationLag.queryOptions(input)),
    queryClient.prefetchQuery(trpc.dashboards.changeDelivery.queryOptions(input)),
    queryClient.prefetchQuery(trpc.dashboards.residencyPosture.queryOptions(input)),
    queryClient.prefetchQuery(trpc.dashboards.capacity.queryOptions(input)),
    queryClient.prefetchQuery(trpc.inventory.filterOptions.queryOptions()),
  ]);
  return (
    <HydrateClient>
      <DashboardsView />
    </HydrateClient>
  );
}
