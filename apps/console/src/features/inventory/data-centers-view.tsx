"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import type { inferRouterInputs } from "@trpc/server";
import type { AppRouter } from "@meridian/api/client";
import { JurisdictionPill } from "@/components/ui/badge";
import { buttonClass } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { HealthCountsText, HealthIndicator, HealthLegend } from "@/components/ui/health";
import { Pagination } from "@/components/ui/pagination";
import { SortableTh, Table, TableScroller, Td, Tr } from "@/components/ui/table";
import { formatCount, formatPercent } from "@/lib/format";
import { useTRPC } from "@/lib/trpc/react";
import { CapacityBar } from "./capacity-bar";
import { FilterBar } from "./filter-bar";
import { DATA_CENTER_STATUS_LABELS, DataCenterStatusBadge, HEALTH_FILTER_LABELS } from "./labels";
import { ListFrame } from "./list-frame";
import { QueryError } from "./query-error";
import { useListUrl } from "./use-list-url";

type TInput = inferRouterInputs<AppRouter>["inventory"]["listDataCenters"];

export function DataCentersView({ input }: { input: TInput }) {
  const trpc = useTRPC();
  const url = useListUrl();
  const list = useQuery({ ...trpc.inventory.listDataCenters.queryOptions(input), placeholderData: keepPreviousData });
  const options = useQuery(trpc.inventory.filterOptions.queryOptions());
  const sortState = { sort: input.sort ?? "code", order: input.order ?? "asc" };
  const onSort = (sort: string, order: "asc" | "desc") => url.update({ sort, order });
  const filtered = Boolean(input.q || input.jurisdiction || input.region || input.status || input.provider || input.health);

  const o = options.data;
  const regions = (o?.regions ?? []).filter((r) => !input.jurisdiction || r.jurisdictionCode === input.jurisdiction);

  return (
    <ListFrame
      filters={
        <FilterBar
          q={input.q}
          searchLabel="Search"
          searchPlaceholder="Code, name, city, country…"
          onChange={url.update}
          onClear={() => url.clear()}
          selects={[
            {
              name: "jurisdiction",
              label: "Jurisdiction",
              value: input.jurisdiction,
              allLabel: "All",
              options: (o?.jurisdictions ?? []).map((j) => ({ value: j.code, label: `${j.code} · ${j.name}` })),
            },
            {
              name: "region",
              label: "Region",
              value: input.region,
              allLabel: "All",
              options: regions.map((r) => ({ value: r.code, label: r.name })),
            },
            {
              name: "status",
              label: "Status",
              value: input.status,
              allLabel: "Any",
              options: (o?.statuses ?? []).map((s) => ({ value: s, label: DATA_CENTER_STATUS_LABELS[s] })),
            },
            {
              name: "provider",
              label: "Provider",
              value: input.provider,
              allLabel: "Any",
              options: (o?.providers ?? []).map((p) => ({ value: p, label: p })),
            },
            {
              name: "health",
              label: "Health",
              value: input.health,
              allLabel: "Any",
              options: (o?.healths ?? []).map((h) => ({ value: h, label: HEALTH_FILTER_LABELS[h] })),
            },
          ]}
        />
      }
      footer={
        <>
          <HealthLegend rollup />
          {list.data ? (
            <Pagination
              noun="data centers"
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
          <Table aria-label="Data centers">
            <thead>
              <tr>
                <SortableTh column="code" label="Code" state={sortState} onSort={onSort} />
                <SortableTh column="name" label="Name" state={sortState} onSort={onSort} />
                <SortableTh column="health" label="Health" state={sortState} onSort={onSort} firstOrder="desc" />
                <SortableTh column="status" label="Status" state={sortState} onSort={onSort} />
                <SortableTh column="city" label="Location" state={sortState} onSort={onSort} className="hidden min-[1400px]:table-cell" />
                <SortableTh column="jurisdiction" label="Jurisdiction" state={sortState} onSort={onSort} />
                <SortableTh column="provider" label="Provider" state={sortState} onSort={onSort} className="hidden min-[1400px]:table-cell" />
                <SortableTh column="instances" label="Instances" state={sortState} onSort={onSort} numeric firstOrder="desc" />
                <SortableTh column="free" label="Free slots" state={sortState} onSort={onSort} numeric firstOrder="desc" />
                <SortableTh column="utilisation" label="Capacity used" state={sortState} onSort={onSort} firstOrder="desc" />
              </tr>
            </thead>
            <tbody>
              {(list.data?.items ?? []).map((dc) => (
                <Tr key={dc.id} data-testid="dc-row">
                  <Td className="font-mono text-xs">
                    <Link
                      prefetch={false}
                      href={`/inventory/data-centers/${encodeURIComponent(dc.code)}`}
                      className="font-medium text-sky-700 hover:underline dark:text-sky-400"
                    >
                      {dc.code}
                    </Link>
                  </Td>
                  <Td title={`${dc.city}, ${dc.country} · ${dc.regionName}`}>{dc.name}</Td>
                  <Td>
                    <span className="inline-flex items-center gap-3">
                      <HealthIndicator health={dc.health} className="min-w-[5.25rem]" />
                      <HealthCountsText counts={dc.healthCounts} className="text-xs" />
                    </span>
                  </Td>
                  <Td>
                    <DataCenterStatusBadge status={dc.status} />
                  </Td>
                  <Td muted className="hidden min-[1400px]:table-cell" title={dc.regionName}>
                    {dc.city}, {dc.country}
                  </Td>
                  <Td>
                    <JurisdictionPill code={dc.jurisdictionCode} name={dc.jurisdictionName} />
                  </Td>
                  <Td muted className="hidden min-[1400px]:table-cell">
                    {dc.provider}
                  </Td>
                  <Td numeric>{formatCount(dc.instanceCount)}</Td>
                  <Td numeric className={dc.capacityFree < 0 ? "font-medium text-rose-700 dark:text-rose-400" : undefined}>
                    {formatCount(dc.capacityFree)}
                  </Td>
                  <Td title={`${formatCount(dc.instanceCount)} of ${formatCount(dc.capacitySlots)} slots`}>
                    <span className="inline-flex items-center gap-2">
                      <CapacityBar ratio={dc.utilisation} className="w-12 min-[1400px]:w-16" />
                      <span className="w-9 text-right tabular-nums text-zinc-600 dark:text-zinc-400">{formatPercent(dc.utilisation)}</span>
                      <span className="hidden text-xs tabular-nums text-zinc-500 min-[1400px]:inline dark:text-zinc-400">
                        of {formatCount(dc.capacitySlots)}
                      </span>
                    </span>
                  </Td>
                </Tr>
              ))}
            </tbody>
          </Table>
          {list.data && list.data.items.length === 0 ? (
            filtered ? (
              <EmptyState
                title="No data center matches these filters"
                action={
                  <button type="button" className={buttonClass("secondary")} onClick={() => url.clear()}>
                    Clear filters
                  </button>
                }
              >
                Nothing matches
                {input.q ? <> “{input.q}”</> : null} with the filters above. Widen the search or clear the filters.
              </EmptyState>
            ) : list.data.total > 0 ? (
              <EmptyState
                title="This page is past the end"
                action={
                  <button type="button" className={buttonClass("secondary")} onClick={() => url.update({ page: null })}>
                    Go to the first page
                  </button>
                }
              />
            ) : (
              <EmptyState title="No data centers yet">
                The metadata database has no data center. Load the demo fleet with <code className="font-mono">pnpm db:seed</code>, or
                add data centers through the API.
              </EmptyState>
            )
          ) : null}
        </TableScroller>
      )}
    </ListFrame>
  );
}
