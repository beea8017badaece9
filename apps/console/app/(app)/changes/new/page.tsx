import type { Metadata } from "next";
import { can, CHANGE_KIND_LABELS, ZChangeKindSchema } from "@meridian/policy";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { ChangeForm } from "@/features/changes/change-form";
import { prefillFromSearchParams } from "@/features/changes/form-prefill";
import { KindPicker } from "@/features/changes/kind-picker";
import { requireUser } from "@/server/session";

export const metadata: Metadata = { title: "New change" };

type TProps = { searchParams: Promise<Record<string, string | string[] | undefined>> };

/** `/changes/new` picks a kind; `/changes/new?kind=ADD_REPLICA` is that kind's form; `&clusterId=…` and the kind's other parameters pre-fill it. */
export default async function NewChangePage({ searchParams }: TProps) {
  const user = await requireUser();
  const query = await searchParams;
  const raw = query.kind;
  const kind = ZChangeKindSchema.safeParse(Array.isArray(raw) ? raw[0] : raw);
  const fleetWide = user.roles.includes("DBA") || user.roles.includes("ADMIN");
  const crumbs = [{ label: "Changes", href: "/changes" }, { label: "New" }];
  if (!can(user.roles, "changeRequest.create"))
    return (
      <div className="px-6 py-6">
        <PageHeader title="New change" crumbs={crumbs} />
        <EmptyState title="Your roles do not file changes">
          Engineers, team approvers, DBAs and administrators file change requests. You can follow every request on the Changes page.
        </EmptyState>
      </div>
    );
  return (
    <div className="flex flex-col gap-4 px-6 py-6">
      <PageHeader
        title={kind.success ? `New change: ${CHANGE_KIND_LABELS[kind.data].toLowerCase()}` : "New change"}
        crumbs={kind.success ? [...crumbs.slice(0, 1), { label: "New", href: "/changes/new" }, { label: CHANGE_KIND_LABELS[kind.data] }] : crumbs}
        description={kind.success ? "The draft is planned at once: you see the plan, its blast radius, risk and residency before you submit it for approval." : "What kind of change?"}
      />
      {kind.success && (kind.data !== "DRAIN_DATACENTER" || fleetWide) ? <ChangeForm kind={kind.data} prefill={prefillFromSearchParams(kind.data, query)} /> : <KindPicker fleetWide={fleetWide} />}
    </div>
  );
}
