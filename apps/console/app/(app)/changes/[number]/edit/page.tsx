import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { CHANGE_KIND_LABELS } from "@meridian/policy";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { ChangeForm } from "@/features/changes/change-form";
import { parseRequestNumber } from "@/features/changes/route-number";
import { getQueryClient, isNotFound, trpc } from "@/lib/trpc/server";
import { requireUser } from "@/server/session";

type TProps = { params: Promise<{ number: string }> };

export const metadata: Metadata = { title: "Edit change request" };

export default async function EditChangeRequestPage({ params }: TProps) {
  await requireUser();
  const number = parseRequestNumber((await params).number);
  if (!number) notFound();
  let detail;
  try {
    detail = await getQueryClient().fetchQuery(trpc.changes.get.queryOptions({ number }));
  } catch (error) {
    if (isNotFound(error)) notFound();
    throw error;
  }
  const crumbs = [
    { label: "Changes", href: "/changes" },
    { label: `CR-${number}`, href: `/changes/${number}` },
    { label: "Edit" },
  ];
  if (!detail.actions.canEdit)
    return (
      <div className="px-6 py-6">
        <PageHeader title={`Edit CR-${number}`} crumbs={crumbs} />
        <EmptyState title="This request cannot be edited">Only its requester edits a request, and only until it runs.</EmptyState>
      </div>
    );
  return (
    <div className="flex flex-col gap-4 px-6 py-6">
      <PageHeader title={`Edit CR-${number}: ${CHANGE_KIND_LABELS[detail.kind].toLowerCase()}`} crumbs={crumbs} />
      <ChangeForm
        kind={detail.kind}
        initial={{
          number,
          version: detail.version,
          title: detail.title,
          description: detail.description,
          params: detail.params,
          maintenanceWindowId: detail.window?.id ?? null,
          liveApprovals: detail.approvals.filter((a) => a.counts).length,
        }}
      />
    </div>
  );
}
