import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/components/ui/page-header";
import { InboxView } from "@/features/approvals/inbox-view";
import { getQueryClient, HydrateClient, trpc } from "@/lib/trpc/server";
import { requireUser } from "@/server/session";

export const metadata: Metadata = { title: "Approvals" };

export default async function ApprovalsPage() {
  await requireUser();
  await getQueryClient().prefetchQuery(trpc.approvals.inbox.queryOptions());
  return (
    <div className="flex flex-col gap-4 px-6 py-5">
      <PageHeader
        title="Approvals"
        description={
          <>
            Your inbox: what you can decide now, and where your own requests stand. Stages come from the{" "}
            <Link href="/admin/policies" className="underline">approval policies</Link>.
          </>
        }
      />
      <HydrateClient>
        <InboxView />
      </HydrateClient>
    </div>
  );
}
