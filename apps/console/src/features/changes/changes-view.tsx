"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import type { inferRouterInputs } from "@trpc/server";
import type { AppRouter } from "@meridian/api/client";
import {
  CHANGE_KIND_LABELS,
  CHANGE_KINDS,
  CHANGE_STATUS_LABELS,
  CHANGE_STATUSES,
  RISK_LEVELS,
  STATUS_FAMILIES,
  STATUS_FAMILY_LABELS,
} from "@meridian/policy";
import { Badge } from "@/components/ui/badge";
import { buttonClass } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { SelectField } from "@/components/ui/field";
import { Pagination } from "@/components/ui/pagination";
import { RelativeTime } from "@/components/ui/relative-time";
import { SortableTh, Table, TableScroller, Td, Th, Tr } from "@/components/ui/table";
import { FilterBar } from "@/features/inventory/filter-bar";
import { ListFrame } from "@/features/inventory/list-frame";
import { QueryError } from "@/features/inventory/query-error";
import { useListUrl } from "@/features/inventory/use-list-url";
import { useTRPC } from "@/lib/trpc/react";
import { ChangeStatusBadge, crNumber, FAMILY_TONES, KindLabel, ResidencyBadge, RiskBadge } from "./labels";

type TInput = inferRouterInputs<AppRouter>["changes"]["list"];

export function ChangesView({ input }: { input: TInput }) {
  const trpc = useTRPC();
  const url = useListUrl();
  const list = useQuery({ ...trpc.changes.list.queryOptions(input), placeholderData: keepPreviousData });
  const sortState = { sort: input.sort ?? "number", order: input.order ?? "desc" };
  const onSort = (sort: string, order: "asc" | "desc") => url.update({ sort, order });
  const filtered = Boolean(input.q || input.status || input.family || input.kind || input.risk || input.cluster || (input.scope && input.scope !== "all"));

  return (
    <ListFrame
      filters={
        <div className="flex flex-wrap items-end gap-2">
          <SelectField
            label="Show"
            value={input.scope ?? "all"}
            onChange={(e) => url.update({ scope: e.target.value === "all" ? null : e.target.value })}
            className="w-36"
          >
            <option value="all">All requests</option>
            <option value="mine">Filed by me</option>
            <option value="my-teams">My teams&apos; clusters</option>
          </SelectField>
          <FilterBar
            q={input.q}
            searchLabel="Search"
            searchPlaceholder="CR-12, title or cluster…"
            onChange={url.update}
            onClear={() => url.clear()}
            chips={[{ name: "cluster", label: "Cluster", value: input.cluster }]}
            selects={[
              {
                name: "family",
                label: "State",
                value: input.family,
                allLabel: "Any",
                options: STATUS_FAMILIES.map((f) => ({ value: f, label: STATUS_FAMILY_LABELS[f] })),
              },
              {
                name: "status",
                label: "Status",
                value: input.status,
                allLabel: "Any",
                options: CHANGE_STATUSES.map((s) => ({ value: s, label: CHANGE_STATUS_LABELS[s] })),
              },
              {
                name: "kind",
                label: "Kind",
                value: input.kind,
                allLabel: "Any",
                options: CHANGE_KINDS.map((k) => ({ value: k, label: CHANGE_KIND_LABELS[k] })),
              },
              {
                name: "risk",
                label: "Risk",
                value: input.risk,
                allLabel: "Any",
                options: RISK_LEVELS.map((r) => ({ value: r, label: r.charAt(0) + r.slice(1).toLowerCase() })),
              },
            ]}
          />
        </div>
      }
      footer={
        <>
          <StatusLegend />
          {list.data ? (
            <Pagination
              noun="change requests"
              page={list.data.page}
              pageSize={list.data.pageSize}
              total={list.data.total}
              hrefFor={(page) => url.hrefWith({ page })}
              onPage={(page) => url.update({ page })}
              onPageSize={(pageSize) => url.update({ pageSize })}
            />
          ) : null}
        </>
      }
    >
      {list.isError && !list.data ? (
        <QueryError error={list.error} onRetry={() => void list.refetch()} />
      ) : (
        <TableScroller busy={url.isPending || (list.isFetching && list.isPlaceholderData)} className="flex-1">
          <Table aria-label="Change requests">
            <thead>
              <tr>
                <SortableTh column="number" label="Request" state={sortState} onSort={onSort} firstOrder="desc" />
                <Th>Title</Th>
                <SortableTh column="kind" label="Kind" state={sortState} onSort={onSort} />
                <SortableTh column="status" label="Status" state={sortState} onSort={onSort} />
                <SortableTh column="risk" label="Risk" state={sortState} onSort={onSort} firstOrder="desc" />
                <Th>Residency</Th>
                <Th>Cluster</Th>
                <Th>Requester</Th>
                <SortableTh column="updatedAt" label="Updated" state={sortState} onSort={onSort} firstOrder="desc" />
              </tr>
            </thead>
            <tbody>
              {(list.data?.items ?? []).map((r) => (
                <Tr key={r.id} data-testid="change-row">
                  <Td className="font-mono text-xs">
                    <Link href={`/changes/${r.number}`} prefetch={false} className="font-medium text-sky-700 hover:underline dark:text-sky-400">
                      {crNumber(r.number)}
                    </Link>
                  </Td>
                  <Td className="max-w-72 truncate" title={r.title}>
                    {r.title}
                    {r.breakGlass ? (
                      <Badge tone="failed" className="ml-1.5" title="Emergency change on the break-glass path">
                        break-glass{r.awaitingReview ? " · review due" : ""}
                      </Badge>
                    ) : null}
                  </Td>
                  <Td muted className="max-w-44 truncate">
                    <KindLabel kind={r.kind} />
                  </Td>
                  <Td>
                    <ChangeStatusBadge status={r.status} />
                  </Td>
                  <Td>
                    <RiskBadge level={r.riskLevel} />
                  </Td>
                  <Td>
                    <span title={r.residencyRule ?? undefined}>
                      <ResidencyBadge verdict={r.residencyVerdict} />
                    </span>
                  </Td>
                  <Td className="max-w-48 truncate">
                    {r.cluster ? (
                      <Link href={`/inventory/clusters/${encodeURIComponent(r.cluster.name)}`} prefetch={false} className="hover:underline">
                        {r.cluster.name}
                      </Link>
                    ) : (
                      <span className="text-zinc-500">fleet</span>
                    )}
                  </Td>
                  <Td muted className="max-w-36 truncate">
                    {r.requester.name}
                  </Td>
                  <Td muted>
                    <RelativeTime date={r.updatedAt} />
                  </Td>
                </Tr>
              ))}
            </tbody>
          </Table>
          {list.data && list.data.items.length === 0 ? (
            filtered ? (
              <EmptyState
                title="No change request matches these filters"
                action={
                  <button type="button" className={buttonClass("secondary")} onClick={() => url.clear()}>
                    Clear filters
                  </button>
                }
              >
                Widen the search or clear the filters.
              </EmptyState>
            ) : (
              <EmptyState
                title="No change requests yet"
                action={
                  <Link href="/changes/new" className={buttonClass("primary")}>
                    File a change
                  </Link>
                }
              >
                Changes to the fleet (a replica, a sync link, a switchover, a schema change) are filed here, planned, scored and approved before they run.
              </EmptyState>
            )
          ) : null}
        </TableScroller>
      )}
    </ListFrame>
  );
}

function StatusLegend() {
  return (
    <ul aria-label="Status colours" className="flex flex-wrap items-center gap-3 text-xs text-zinc-600 dark:text-zinc-400">
      {STATUS_FAMILIES.map((f) => (
        <li key={f} className="inline-flex items-center gap-1">
          <Badge tone={FAMILY_TONES[f]} dot>
            {STATUS_FAMILY_LABELS[f]}
          </Badge>
        </li>
      ))}
    </ul>
  );
}
