"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import type { inferRouterInputs } from "@trpc/server";
import type { AppRouter } from "@meridian/api/client";
import { JurisdictionPill } from "@/components/ui/badge";
import { buttonClass } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { HealthIndicator, HealthLegend } from "@/components/ui/health";
import { Pagination } from "@/components/ui/pagination";
import { SortableTh, Table, TableScroller, Td, Tr } from "@/components/ui/table";
import { formatBytes } from "@/lib/format";
import { useTRPC } from "@/lib/trpc/react";
import { FilterBar } from "./filter-bar";
import { ENGINE_LABELS, HEALTH_FILTER_LABELS, ROLE_LABELS, RoleBadge } from "./labels";
import { Lag } from "./lag";
import { ListFrame } from "./list-frame";
import { QueryError } from "./query-error";
import { useListUrl } from "./use-list-url";

type TInput = inferRouterInputs<AppRouter>["inventory"]["listInstances"];

export function InstancesView({ input }: { input: TInput }) {
  const trpc = useTRPC();
  const url = useListUrl();
  const list = useQuery({ ...trpc.inventory.listInstances.queryOptions(input), placeholderData: keepPreviousData });
  const options = useQuery(trpc.inventory.filterOptions.queryOptions());
  const sortState = { sort: input.sort ?? "name", order: input.order ?? "asc" };
  const onSort = (sort: string, order: "asc" | "desc") => url.update({ sort, order });
  const filtered = Boolean(
    input.q ||
      input.cluster ||
      input.dataCenter ||
      input.region ||
      input.jurisdiction ||
      input.team ||
      input.engine ||
      input.tier ||
      input.classification ||
      input.role ||
      input.health,
  );
  const o = options.data;

  return (
    <ListFrame
      filters={
        <FilterBar
          q={input.q}
          searchLabel="Search"
          searchPlaceholder="Instance, endpoint or cluster…"
          onChange={url.update}
          onClear={() => url.clear()}
          chips={[
            { name: "cluster", label: "Cluster", value: input.cluster },
            { name: "region", label: "Region", value: input.region },
            { name: "classification", label: "Data", value: input.classification },
            { name: "tier", label: "Tier", value: input.tier },
          ]}
          selects={[
            {
              name: "dataCenter",
              label: "Data center",
              value: input.dataCenter,
              allLabel: "Any",
              options: (o?.dataCenters ?? []).map((d) => ({ value: d.code, label: `${d.code} · ${d.name}` })),
            },
            {
              name: "jurisdiction",
              label: "Jurisdiction",
              value: input.jurisdiction,
              allLabel: "Any",
              options: (o?.jurisdictions ?? []).map((j) => ({ value: j.code, label: `${j.code} · ${j.name}` })),
            },
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
              name: "role",
              label: "Role",
              value: input.role,
              allLabel: "Any",
              options: (o?.roles ?? []).map((r) => ({ value: r, label: ROLE_LABELS[r] })),
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
          <div className="flex flex-wrap items-center gap-x-4 gap-y-1">
            <HealthLegend />
            <span className="text-xs text-zinc-500 dark:text-zinc-400">Lag: worst link replicating into the instance; primaries have none.</span>
          </div>
          {list.data ? (
            <Pagination
              noun="instances"
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
          <Table aria-label="Instances">
            <thead>
              <tr>
                <SortableTh column="name" label="Instance" state={sortState} onSort={onSort} />
                <SortableTh column="health" label="Health" state={sortState} onSort={onSort} firstOrder="desc" />
                <SortableTh column="role" label="Role" state={sortState} onSort={onSort} />
                <SortableTh column="cluster" label="Cluster" state={sortState} onSort={onSort} />
                <SortableTh column="dataCenter" label="Data center" state={sortState} onSort={onSort} />
                <SortableTh column="jurisdiction" label="Jurisdiction" state={sortState} onSort={onSort} />
                <SortableTh column="engine" label="Engine" state={sortState} onSort={onSort} className="hidden min-[1400px]:table-cell" />
                <SortableTh column="lag" label="Lag" state={sortState} onSort={onSort} numeric firstOrder="desc" />
                <SortableTh column="lagBytes" label="Behind" state={sortState} onSort={onSort} numeric firstOrder="desc" />
              </tr>
            </thead>
            <tbody>
              {(list.data?.items ?? []).map((i) => (
                <Tr key={i.id} data-testid="instance-row">
                  <Td>
                    <Link
                      prefetch={false}
                      href={`/inventory/instances/${encodeURIComponent(i.name)}`}
                      className="font-medium text-sky-700 hover:underline dark:text-sky-400"
                    >
                      {i.name}
                    </Link>
                  </Td>
                  <Td>
                    <HealthIndicator health={i.health} />
                  </Td>
                  <Td>
                    <RoleBadge role={i.role} />
                  </Td>
                  <Td>
                    <Link prefetch={false} href={`/inventory/clusters/${encodeURIComponent(i.clusterName)}`} className="hover:underline">
                      {i.clusterName}
                    </Link>
                  </Td>
                  <Td title={`${i.dataCenterName}, ${i.dataCenterCity}`}>
                    <Link
                      prefetch={false}
                      href={`/inventory/data-centers/${encodeURIComponent(i.dataCenterCode)}`}
                      className="font-mono text-xs hover:underline"
                    >
                      {i.dataCenterCode}
                    </Link>{" "}
                    <span className="text-zinc-500 dark:text-zinc-400">{i.dataCenterCity}</span>
                  </Td>
                  <Td>
                    <JurisdictionPill code={i.jurisdictionCode} />
                  </Td>
                  <Td className="hidden min-[1400px]:table-cell">
                    {ENGINE_LABELS[i.engine]} <span className="text-xs text-zinc-500 dark:text-zinc-400">{i.version}</span>
                  </Td>
                  <Td numeric>
                    <Lag seconds={i.maxLagSeconds} showBytes={false} />
                  </Td>
                  <Td numeric muted>
                    {i.maxLagBytes === null ? "—" : formatBytes(i.maxLagBytes)}
                  </Td>
                </Tr>
              ))}
            </tbody>
          </Table>
          {list.data && list.data.items.length === 0 ? (
            filtered ? (
              <EmptyState
                title="No instance matches these filters"
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
              <EmptyState title="No instances yet">
                The metadata database has no instance. Load the demo fleet with <code className="font-mono">pnpm db:seed</code>.
              </EmptyState>
            )
          ) : null}
        </TableScroller>
      )}
    </ListFrame>
  );
}
