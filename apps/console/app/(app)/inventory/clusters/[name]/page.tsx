import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { ClusterDetail } from "@/features/inventory/cluster-detail";
import { routeParam } from "@/features/inventory/route-param";
import { getQueryClient, HydrateClient, isNotFound, trpc } from "@/lib/trpc/server";
import { requireUser } from "@/server/session";

type TProps = { params: Promise<{ name: string }> };

export async function generateMetadata({ params }: TProps): Promise<Metadata> {
  return { title: `${routeParam((await params).name)} · Cluster` };
}

/** `/inventory/clusters/<name>` (or the cluster's id). */
export default async function ClusterPage({ params }: TProps) {
  await requireUser();
  const ref = routeParam((await params).name);
  try {
    await getQueryClient().fetchQuery(trpc.inventory.getCluster.queryOptions({ ref }));
  } catch (error) {
    if (isNotFound(error)) notFound();
    throw error;
  }
  return (
    <HydrateClient>
      <ClusterDetail refKey={ref} />
    </HydrateClient>
  );
}
