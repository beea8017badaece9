import type { Metadata } from "next";
import { auditSchemas } from "@meridian/api";
import { can } from "@meridian/policy";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { AuditView } from "@/features/audit/audit-view";
import { parseListSearchParams, type TSearchParams } from "@/features/inventory/search-params";
import { getQueryClient, HydrateClient, trpc } from "@/lib/trpc/server";
import { requireUser } from "@/server/session";

export const metadata: Metadata = { title: "Audit" };

export default async function AuditPage({ searchParams }: { searchParams: Promise<TSearchParams> }) {
  const user = await requireUser();
  if (!can(user.roles, "audit.read"))
    return (
      <div className="px-6 py-5">
        <PageHeader title="Audit" />
        <EmptyState title="Your roles do not read the audit trail">Administrators, DBAs and compliance officers do.</EmptyState>
      </div>
    );
  const input = parseListSearchParams(auditSchemas.ZListAuditEventsRequestSchema, await searchParams);
  const queryClient = getQueryClient();
  await Promise.all([
    queryClient.prefetchQuery(trpc.audit.list.queryOptions(input)),
    queryClient.prefetchQuery(trpc.audit.filterOptions.queryOptions()),
  ]);
  return (
    <div className="flex h-full min-h-0 flex-col gap-3 px-5 pb-3 pt-4">
      <PageHeader
        title="Audit trail"
        description="Append-only: the database refuses to update or delete an event, and each event carries the hash of the one before it."
      />
      <HydrateClient>
        <AuditView input={input} canVerify={can(user.roles, "audit.verify")} />
      </HydrateClient>
    </div>
  );
}
