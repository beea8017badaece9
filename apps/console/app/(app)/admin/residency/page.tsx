import type { Metadata } from "next";
import { can } from "@meridian/policy";
import { PageHeader } from "@/components/ui/page-header";
import { ResidencyPolicyForm } from "@/features/dashboards/residency-policy-form";
import { HydrateClient } from "@/lib/trpc/server";
import { requireUser } from "@/server/session";

export const metadata: Metadata = { title: "Residency policy" };

type TProps = { searchParams: Promise<Record<string, string | string[] | undefined>> };

/** `/admin/residency?cluster=<name>`: a cluster's allowed jurisdictions, with a preview before saving. */
export default async function ResidencyPolicyPage({ searchParams }: TProps) {
  const user = await requireUser();
  const raw = (await searchParams).cluster;
  const cluster = (Array.isArray(raw) ? raw[0] : raw)?.trim() || null;
  const canManage = can(user.roles, "cluster.manageResidency");
  return (
    <div className="flex flex-col gap-4 px-6 py-5">
      <PageHeader
        crumbs={[{ label: "Admin", href: "/admin" }, { label: "Residency policy" }]}
        title="Residency policy"
        description={canManage ? "Changes are audited; the residency sweep runs right after saving." : "Read-only: administrators edit residency policies."}
      />
      <HydrateClient>
        <ResidencyPolicyForm cluster={cluster} canManage={canManage} />
      </HydrateClient>
    </div>
  );
}
