import type { Metadata } from "next";
import { can } from "@meridian/policy";
import { PageHeader } from "@/components/ui/page-header";
import { PoliciesView } from "@/features/admin/policies-view";
import { getQueryClient, HydrateClient, trpc } from "@/lib/trpc/server";
import { requireUser } from "@/server/session";

export const metadata: Metadata = { title: "Approval policies" };

export default async function PoliciesPage() {
  const user = await requireUser();
  await getQueryClient().prefetchQuery(trpc.policies.list.queryOptions());
  const canManage = can(user.roles, "approvalPolicy.manage");
  return (
    <div className="flex flex-col gap-4 px-6 py-5">
      <PageHeader
        crumbs={[{ label: "Admin", href: "/admin" }, { label: "Approval policies" }]}
        title="Approval policies"
        description={canManage ? "Every change to a policy is recorded in the audit trail." : "Read-only: administrators edit the policies."}
      />
      <HydrateClient>
        <PoliciesView canManage={canManage} />
      </HydrateClient>
    </div>
  );
}
