"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import type { inferRouterInputs } from "@trpc/server";
import type { AppRouter } from "@meridian/api/client";
import { Badge, JurisdictionPill } from "@/components/ui/badge";
import { buttonClass } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { HealthCountsText, HealthIndicator, HealthLegend } from "@/components/ui/health";
import { Pagination } from "@/components/ui/pagination";
import { SortableTh, Table, TableScroller, Td, Tr } from "@/components/ui/table";
import { formatBytes, formatCount } from "@/lib/format";
import { useTRPC } from "@/lib/trpc/react";
import { FilterBar } from "./filter-bar";
import {
  CLASSIFICATION_LABELS,
  ClassificationLabel,
  ENGINE_LABELS,
  HEALTH_FILTER_LABELS,
  TIER_HELP,
  TierBadge,
} from "./labels";
import { Lag } from "./lag";
import { ListFrame } from "./list-frame";
import { QueryError } from "./query-error";
import { useListUrl } from "./use-list-url";

type TInput = inferRouterInputs<AppRouter>["inventory"]["listClusters"];

export function ClustersView({ input }: { input: TInput }) {
  const trpc = useTRPC();
  const url = useListUrl();
  const list = useQuery({ ...trpc.inventory.listClusters.queryOptions(input), placeholderData: keepPreviousData });
  const options = useQuery(trpc.inventory.filterOptions.queryOptions());
  const sortState = { sort: input.sort ?? "name", order: input.order ?? "asc" };
  const onSort = (sort: string, order: "asc" | "desc") => url.update({ sort, order });
  const filtered = Boolean(
    input.q || input.team || input.engine || input.tier || input.classification || input.jurisdiction || input.dataCenter || input.region || input.health,
  );
  const o = options.data;

  return (
    <ListFrame
      filters={
        <FilterBar
          q={input.q}
          searchLabel="Search"
          searchPlaceholder="Cluster name or team…"
          onChange={url.update}
          onClear={() => url.clear()}
          chips={[
            { name: "dataCenter", label: "Runs in", value: input.dataCenter },
            { name: "region", label: "Region", value: input.region },
          ]}
          selects={[
            {
              name: "team",
              label: "Team",
              value: input.team,
              allLabel: "All",
              options: (o?.teams ?? []).map((t) => ({ value: t.slug, label: t.name })),
            },
            {
              name: "engine",
              label: "Engine",
              value: input.engine,
              allLabel: "Any",
              options: (o?.engines ?? []).map((e) => ({ value: e, label: ENGINE_LABELS[e] })),
            },
            {
              name: "tier",
              label: "Tier",
              value: input.tier,
              allLabel: "Any",
              options: (o?.tiers ?? []).map((t) => ({ value: t, label: TIER_HELP[t] })),
            },
            {
              name: "classification",
              label: "Data",
              value: input.classification,
              allLabel: "Any",
              options: (o?.classifications ?? []).map((c) => ({ value: c, label: CLASSIFICATION_LABELS[c] })),
            },
            {
              name: "jurisdiction",
              label: "Home",
              value: input.jurisdiction,
              allLabel: "Any",
              options: (o?.jurisdictions ?? []).map((j) => ({ value: j.code, label: `${j.code} · ${j.name}` })),
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
              noun="clusters"
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
          <Table aria-label="Clusters">
            <thead>
              <tr>
                <SortableTh column="name" label="Cluster" state={sortState} onSort={onSort} />
                <SortableTh column="health" label="Health" state={sortState} onSort={onSort} firstOrder="desc" />
                <SortableTh column="team" label="Team" state={sortState} onSort={onSort} />
                <SortableTh column="engine" label="Engine" state={sortState} onSort={onSort} className="hidden min-[1400px]:table-cell" />
                <SortableTh column="tier" label="Tier" state={sortState} onSort={onSort} />
                <SortableTh column="classification" label="Data" state={sortState} onSort={onSort} firstOrder="desc" className="hidden min-[1400px]:table-cell" />
                <SortableTh column="jurisdiction" label="Home" state={sortState} onSort={onSort} />
                <SortableTh column="primaryDataCenter" label="Primary in" state={sortState} onSort={onSort} />
                <SortableTh column="instances" label="Instances" state={sortState} onSort={onSort} numeric firstOrder="desc" />
                <SortableTh column="lag" label="Worst lag" state={sortState} onSort={onSort} numeric firstOrder="desc" />
              </tr>
            </thead>
            <tbody>
              {(list.data?.items ?? []).map((c) => (
                <Tr key={c.id} data-testid="cluster-row">
                  <Td>
                    <Link
                      prefetch={false}
                      href={`/inventory/clusters/${encodeURIComponent(c.name)}`}
                      className="font-medium text-sky-700 hover:underline dark:text-sky-400"
                    >
                      {c.name}
                    </Link>
                  </Td>
                  <Td>
                    <span className="inline-flex items-center gap-3">
                      <HealthIndicator health={c.health} className="min-w-[5.25rem]" />
                      <HealthCountsText counts={c.healthCounts} className="text-xs" />
                    </span>
                  </Td>
                  <Td muted className="max-w-36 truncate" title={c.teamName}>
                    {c.teamName}
                  </Td>
                  <Td className="hidden min-[1400px]:table-cell" title={`${ENGINE_LABELS[c.engine]} ${c.engineVersion}`}>
                    {ENGINE_LABELS[c.engine]} <span className="text-xs text-zinc-500 dark:text-zinc-400">{c.engineVersion.split(".").slice(0, 2).join(".")}</span>
                  </Td>
                  <Td>
                    <TierBadge tier={c.tier} />
                  </Td>
                  <Td className="hidden min-[1400px]:table-cell">
                    <ClassificationLabel classification={c.classification} />
                  </Td>
                  <Td>
                    <JurisdictionPill code={c.homeJurisdictionCode} />
                    {c.allowedJurisdictions.length > 1 ? (
                      <span className="ml-1 text-xs text-zinc-500 dark:text-zinc-400" title={`May live in ${c.allowedJurisdictions.join(", ")}`}>
                        +{c.allowedJurisdictions.length - 1}
                      </span>
                    ) : null}
                  </Td>
                  <Td className="font-mono text-xs">
                    {c.primaryDataCenterCode ? (
                      <Link
                        prefetch={false}
                        href={`/inventory/data-centers/${encodeURIComponent(c.primaryDataCenterCode)}`}
                        title={c.primaryDataCenterName ?? undefined}
                        className="hover:underline"
                      >
                        {c.primaryDataCenterCode}
                      </Link>
                    ) : (
                      <Badge tone="failed">no primary</Badge>
                    )}
                  </Td>
                  <Td numeric title={`${formatCount(c.instanceCount)} instances in ${formatCount(c.dataCenterCount)} data centers`}>
                    {formatCount(c.instanceCount)}
                  </Td>
                  <Td numeric>
                    <span className="inline-flex items-center gap-2">
                      {c.brokenLinkCount > 0 ? (
                        <Badge tone="failed" title={`${c.brokenLinkCount} of ${c.linkCount} replication links are broken`}>
                          {c.brokenLinkCount} broken
                        </Badge>
                      ) : null}
                      <span title={c.maxLagBytes !== null ? `${formatBytes(c.maxLagBytes)} behind` : undefined}>
                        <Lag seconds={c.maxLagSeconds} showBytes={false} />
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
                title="No cluster matches these filters"
                action={
                  <button type="button" className={buttonClass("secondary")} onClick={() => url.clear()}>
                    Clear filters
                  </button>
                }
              >
                Nothing matches{input.q ? <> “{input.q}”</> : null} with the filters above. Widen the search or clear the filters.
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
              <EmptyState title="No clusters yet">
                The metadata database has no cluster. Load the demo fleet with <code className="font-mono">pnpm db:seed</code>.
              </EmptyState>
            )
          ) : null}
        </TableScroller>
      )}
    </ListFrame>
  );
}
