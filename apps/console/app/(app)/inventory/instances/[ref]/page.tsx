import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { InstanceDetail } from "@/features/inventory/instance-detail";
import { routeParam } from "@/features/inventory/route-param";
import { getQueryClient, HydrateClient, isNotFound, trpc } from "@/lib/trpc/server";
import { requireUser } from "@/server/session";
import { can } from "@meridian/policy";

type TProps = { params: Promise<{ ref: string }> };

export async function generateMetadata({ params }: TProps): Promise<Metadata> {
  return { title: `${routeParam((await params).ref)} · Instance` };
}

/** `/inventory/instances/<name>` (or the instance's id). */
export default async function InstancePage({ params }: TProps) {
  const user = await requireUser();
  const ref = routeParam((await params).ref);
  try {
    await getQueryClient().fetchQuery(trpc.inventory.getInstance.queryOptions({ ref }));
  } catch (error) {
    if (isNotFound(error)) notFound();
    throw error;
  }
  return (
    <HydrateClient>
      <InstanceDetail refKey={ref} canManageCredential={can(user.roles, "instance.rotateCredential")} />
    </HydrateClient>
  );
}
