"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import type { TInboxItem } from "@meridian/api/client";
import { CHANGE_KIND_LABELS } from "@meridian/policy";
import { Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { RelativeTime } from "@/components/ui/relative-time";
import { Section } from "@/components/ui/section";
import { Table, TableScroller, Td, Th, Tr } from "@/components/ui/table";
import { useTRPC } from "@/lib/trpc/react";
import { ChangeStatusBadge, crNumber, ResidencyBadge, RiskBadge } from "@/features/changes/labels";
import { QueryError } from "@/features/inventory/query-error";

function InboxTable({ items, label, showStages, testId }: { items: TInboxItem[]; label: string; showStages?: boolean; testId: string }) {
  return (
    <TableScroller>
      <Table aria-label={label}>
        <thead>
          <tr>
            <Th>Request</Th>
            <Th>Title</Th>
            <Th>Status</Th>
            <Th>Risk</Th>
            <Th>Residency</Th>
            <Th>Cluster</Th>
            <Th>Requester</Th>
            <Th>{showStages ? "Your stage" : "Waiting for"}</Th>
            <Th>Updated</Th>
          </tr>
        </thead>
        <tbody>
          {items.map((i) => (
            <Tr key={i.id} data-testid={testId} data-number={i.number}>
              <Td className="font-mono text-xs">
                <Link href={`/changes/${i.number}`} className="font-medium text-sky-700 hover:underline dark:text-sky-400">
                  {crNumber(i.number)}
                </Link>
              </Td>
              <Td className="max-w-72 truncate" title={i.title}>
                {i.title} <span className="text-xs text-zinc-500">· {CHANGE_KIND_LABELS[i.kind]}</span>
                {i.breakGlass ? <Badge tone="failed" className="ml-1">break-glass</Badge> : null}
              </Td>
              <Td><ChangeStatusBadge status={i.status} /></Td>
              <Td><RiskBadge level={i.riskLevel} /></Td>
              <Td><ResidencyBadge verdict={i.residencyVerdict as "WITHIN_HOME" | "CROSSES_WITHIN_POLICY" | "BLOCKED" | null} /></Td>
              <Td muted>{i.clusterName ?? "fleet"}</Td>
              <Td muted>{i.requesterName}</Td>
              <Td className="max-w-72 truncate text-xs" title={showStages ? i.stages.join(", ") : i.waitingFor.join("\n")}>
                {showStages ? i.stages.join(", ") : (i.waitingFor[0] ?? "—")}
              </Td>
              <Td muted><RelativeTime date={i.updatedAt} /></Td>
            </Tr>
          ))}
        </tbody>
      </Table>
    </TableScroller>
  );
}

/** What the signed-in person can act on now, then what they wait for. */
export function InboxView() {
  const trpc = useTRPC();
  const inbox = useQuery({ ...trpc.approvals.inbox.queryOptions(), refetchInterval: 30_000 });
  if (inbox.isError && !inbox.data) return <QueryError error={inbox.error} onRetry={() => void inbox.refetch()} />;
  const d = inbox.data;
  if (!d) return null;
  return (
    <div className="flex flex-col gap-6">
      <Section id="inbox-actionable" title={`Waiting for your decision (${d.actionable.length})`} description="Requests in a stage you can approve now. Your own requests never appear here.">
        {d.actionable.length ? (
          <InboxTable items={d.actionable} label="Waiting for your decision" showStages testId="inbox-actionable" />
        ) : (
          <EmptyState compact title="Nothing waits for you">
            Requests appear here when a stage you qualify for (your role, your team) is open.
          </EmptyState>
        )}
      </Section>
      {d.toReview.length ? (
        <Section id="inbox-review" title={`Break-glass changes to review (${d.toReview.length})`} description="Emergency changes that ran with one DBA's approval and wait for their review.">
          <InboxTable items={d.toReview} label="Break-glass changes to review" testId="inbox-review" />
        </Section>
      ) : null}
      <Section id="inbox-mine" title={`Your requests waiting for others (${d.mineWaiting.length})`}>
        {d.mineWaiting.length ? (
          <InboxTable items={d.mineWaiting} label="Your requests waiting for approval" testId="inbox-mine" />
        ) : (
          <EmptyState compact title="None of your requests waits for approval" />
        )}
      </Section>
      {d.mineToFinish.length ? (
        <Section id="inbox-drafts" title={`Your drafts and blocked requests (${d.mineToFinish.length})`} description="Submit a draft when its plan looks right; change a blocked request so that the policy allows it.">
          <InboxTable items={d.mineToFinish} label="Your drafts and blocked requests" testId="inbox-drafts" />
        </Section>
      ) : null}
    </div>
  );
}
