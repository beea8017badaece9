import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { can } from "@meridian/policy";
import { DataCenterDetail } from "@/features/inventory/data-center-detail";
import { routeParam } from "@/features/inventory/route-param";
import { getQueryClient, HydrateClient, isNotFound, trpc } from "@/lib/trpc/server";
import { requireUser } from "@/server/session";

type TProps = { params: Promise<{ code: string }> };

export async function generateMetadata({ params }: TProps): Promise<Metadata> {
  return { title: `${routeParam((await params).code)} · Data center` };
}

export default async function DataCenterPage({ params }: TProps) {
  const user = await requireUser();
  const code = routeParam((await params).code);
  try {
    await getQueryClient().fetchQuery(trpc.inventory.getDataCenter.queryOptions({ code }));
  } catch (error) {
    if (isNotFound(error)) notFound();
    throw error;
  }
  return (
    <HydrateClient>
      <DataCenterDetail code={code} canChangeStatus={can(user.roles, "dataCenter.updateStatus")} />
    </HydrateClient>
  );
}
