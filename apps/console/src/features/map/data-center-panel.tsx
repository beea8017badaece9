"use client";

import { keepPreviousData, useInfiniteQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useEffect, useId, useMemo, useState } from "react";
import { Badge, JurisdictionPill } from "@/components/ui/badge";
import { controlClass } from "@/components/ui/field";
import { HealthCountsText, HealthIcon, HealthIndicator } from "@/components/ui/health";
import { CapacityBar } from "@/features/inventory/capacity-bar";
import { ClassificationLabel, DataCenterStatusBadge, ENGINE_LABELS, LinkStatusBadge, TierBadge } from "@/features/inventory/labels";
import { QueryError } from "@/features/inventory/query-error";
import { cn } from "@/lib/cn";
import { formatBytes, formatCount, formatLag, formatPercent } from "@/lib/format";
import { useTRPC } from "@/lib/trpc/react";
import { LAG_BG, lagBucket } from "./encodings";
import { type TFleetFilter } from "./fleet-filter";
import { type TDataCenterPanel } from "./types";

export const LIVE_REFRESH_MS = 2_500;
/** How long the cluster filter waits for the user to stop typing before asking the server. */
const FILTER_DEBOUNCE_MS = 250;

const linkClass = "text-sky-700 hover:underline focus-visible:outline-2 focus-visible:outline-sky-500 dark:text-sky-400";

/**
 * The map's side panel for one data center: facts, capacity, links to and from other data
 * centers, and the clusters and instances there, each linked to its detail page. Refreshes
 * with the map.
 */
export function DataCenterPanel({
  code,
  filter,
  onClose,
  onSelect,
}: {
  code: string;
  filter: TFleetFilter;
  onClose: () => void;
  onSelect: (code: string) => void;
}) {
  const trpc = useTRPC();
  // The cluster list is paged and filtered on the server: the first page comes with the panel,
  // "Show more" fetches the next; every loaded page refreshes with the map. (The map keys the
  // panel by code: another data center starts with an empty filter.)
  const [q, setQ] = useState("");
  const [needle, setNeedle] = useState("");
  useEffect(() => {
    const timer = setTimeout(() => setNeedle(q.trim()), FILTER_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [q]);
  const panel = useInfiniteQuery({
    ...trpc.topology.dataCenterPanel.infiniteQueryOptions(
      { code, ...filter, ...(needle ? { q: needle } : {}) },
      { getNextPageParam: (last) => last.nextCursor ?? undefined },
    ),
    refetchInterval: LIVE_REFRESH_MS,
    placeholderData: keepPreviousData,
  });
  const first = panel.data?.pages[0];
  const d = first && first.code.toLowerCase() === code.toLowerCase() ? first : undefined;
  const clusters = useMemo(() => {
    const seen = new Set<string>();
    // A refresh can shift a page by a cluster that appeared or left: show each cluster once.
    return (panel.data?.pages ?? []).flatMap((p) => p.clusters).filter((c) => (seen.has(c.id) ? false : (seen.add(c.id), true)));
  }, [panel.data]);
  const titleId = useId();

  return (
    <aside
      aria-labelledby={titleId}
      data-testid="dc-panel"
      data-code={d?.code ?? code}
      className="flex h-full w-[380px] shrink-0 flex-col border-l border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900"
    >
      <div className="flex items-start justify-between gap-2 border-b border-zinc-200 px-4 py-3 dark:border-zinc-800">
        <div className="min-w-0">
          <h2 id={titleId} className="flex items-center gap-2 text-base font-semibold text-zinc-900 dark:text-zinc-50">
            <span className="font-mono">{d?.code ?? code}</span>
            {d ? <span className="truncate font-normal text-zinc-600 dark:text-zinc-300">{d.name}</span> : null}
          </h2>
          {d ? (
            <p className="mt-0.5 text-xs text-zinc-500 dark:text-zinc-400">
              {d.city}, {d.country} · {d.region.name} · {d.provider}
            </p>
          ) : null}
        </div>
        <button
          type="button"
          onClick={onClose}
          aria-label="Close the data center panel"
          title="Close (Esc)"
          className="rounded p-1 text-zinc-500 hover:bg-zinc-100 hover:text-zinc-900 focus-visible:outline-2 focus-visible:outline-sky-500 dark:hover:bg-zinc-800 dark:hover:text-zinc-100"
        >
          <svg viewBox="0 0 12 12" className="size-3.5" fill="none" stroke="currentColor" strokeWidth="1.6" aria-hidden="true">
            <path d="M3 3l6 6M9 3l-6 6" />
          </svg>
        </button>
      </div>

      {panel.isError && !d ? (
        <div className="p-4">
          <QueryError error={panel.error} onRetry={() => void panel.refetch()} />
        </div>
      ) : !d ? (
        <div className="flex flex-col gap-3 p-4" aria-busy="true">
          <p className="sr-only" role="status">
            Loading {code}…
          </p>
          {[0, 1, 2].map((i) => (
            <div key={i} className="h-16 animate-pulse rounded bg-zinc-100 dark:bg-zinc-800" />
          ))}
        </div>
      ) : (
        <PanelBody
          d={d}
          clusters={clusters}
          q={q}
          onFilter={setQ}
          filtering={needle !== q.trim() || (panel.isPlaceholderData && panel.isFetching)}
          hasMore={panel.hasNextPage}
          loadingMore={panel.isFetchingNextPage}
          onMore={() => void panel.fetchNextPage()}
          onSelect={onSelect}
        />
      )}
    </aside>
  );
}

function PanelBody({
  d,
  clusters,
  q,
  onFilter,
  filtering,
  hasMore,
  loadingMore,
  onMore,
  onSelect,
}: {
  d: TDataCenterPanel;
  /** The clusters of every page loaded so far. */
  clusters: TDataCenterPanel["clusters"];
  q: string;
  onFilter: (q: string) => void;
  /** The filter changed and its first page is still on its way. */
  filtering: boolean;
  /** Another page follows (`d.clusters`, the first page, is a full one then). */
  hasMore: boolean;
  loadingMore: boolean;
  onMore: () => void;
  onSelect: (code: string) => void;
}) {
  const searchId = useId();
  const out = d.links.filter((l) => l.direction === "out");
  const inbound = d.links.filter((l) => l.direction === "in");
  const shownOf = q.trim()
    ? `${formatCount(clusters.length)} of ${formatCount(d.matchingClusterCount)} matching`
    : `${formatCount(clusters.length)} of ${formatCount(d.matchingClusterCount)}`;

  return (
    <div className="flex min-h-0 flex-1 flex-col overflow-y-auto">
      <div className="flex flex-col gap-3 border-b border-zinc-200 px-4 py-3 dark:border-zinc-800">
        <div className="flex flex-wrap items-center gap-2">
          <DataCenterStatusBadge status={d.status} />
          <JurisdictionPill code={d.jurisdiction.code} name={d.jurisdiction.name} />
          <span className="text-xs text-zinc-500 dark:text-zinc-400">{d.jurisdiction.name}</span>
        </div>
        <div className="flex items-center gap-3 text-sm">
          <HealthIndicator health={d.health} className="font-medium" />
          <HealthCountsText counts={d.healthCounts} className="text-xs" />
          <span className="ml-auto text-xs tabular-nums text-zinc-500 dark:text-zinc-400">
            {formatCount(d.instanceCount)} {d.filtered ? "matching " : ""}instances
          </span>
        </div>
        <div className="flex flex-col gap-1">
          <div className="flex items-baseline justify-between text-xs">
            <span className="font-medium text-zinc-700 dark:text-zinc-300">Capacity</span>
            <span className="tabular-nums text-zinc-600 dark:text-zinc-400">
              {formatCount(d.capacityUsed)} used of {formatCount(d.capacitySlots)} ({formatPercent(d.utilisation)}) ·{" "}
              <span className={d.capacityFree < 0 ? "font-medium text-rose-700 dark:text-rose-400" : undefined}>{formatCount(d.capacityFree)} free</span>
            </span>
          </div>
          <CapacityBar ratio={d.utilisation} className="w-full" />
        </div>
        <div className="flex flex-wrap gap-x-4 gap-y-1 text-xs">
          <Link href={`/inventory/data-centers/${encodeURIComponent(d.code)}`} className={linkClass}>
            Data center page
          </Link>
          <Link href={`/topology?select=${encodeURIComponent(`dc:${d.code}`)}`} className={linkClass}>
            Show in topology
          </Link>
        </div>
      </div>

      <section aria-label="Replication links" className="flex flex-col gap-2 border-b border-zinc-200 px-4 py-3 dark:border-zinc-800">
        <LinkGroupList title="Replicates to" empty="Nothing replicates from here to another data center." groups={out} onSelect={onSelect} arrow="→" />
        <LinkGroupList title="Receives from" empty="Nothing replicates into here from another data center." groups={inbound} onSelect={onSelect} arrow="←" />
        {d.internalLinkCount > 0 ? (
          <p className="text-xs text-zinc-500 dark:text-zinc-400">
            {formatCount(d.internalLinkCount)} {d.internalLinkCount === 1 ? "link stays" : "links stay"} inside {d.code}.
          </p>
        ) : null}
      </section>

      <section aria-labelledby={`${searchId}-clusters`} className="flex flex-col gap-2 px-4 py-3">
        <div className="flex items-center justify-between gap-2">
          <h3 id={`${searchId}-clusters`} className="text-xs font-semibold uppercase tracking-wide text-zinc-500 dark:text-zinc-400">
            Clusters here ({formatCount(d.clusterCount)})
          </h3>
        </div>
        {d.clusterCount > 6 ? (
          <label className="flex flex-col gap-0.5">
            <span className="sr-only">Filter clusters in {d.code}</span>
            <input
              type="search"
              value={q}
              onChange={(e) => onFilter(e.target.value)}
              placeholder="Filter clusters and instances…"
              aria-busy={filtering}
              className={cn(controlClass, "w-full")}
            />
          </label>
        ) : null}
        {d.clusterCount === 0 ? (
          <p className="rounded-md border border-dashed border-zinc-300 px-3 py-2 text-sm text-zinc-600 dark:border-zinc-700 dark:text-zinc-400">
            {d.filtered ? "No instance here matches the filters." : "No instance runs here yet."}
          </p>
        ) : clusters.length === 0 && !filtering ? (
          <p className="text-sm text-zinc-600 dark:text-zinc-400">Nothing matches “{q}”.</p>
        ) : (
          <ul className="flex flex-col divide-y divide-zinc-100 dark:divide-zinc-800" data-testid="dc-panel-clusters">
            {clusters.map((c) => (
              <li key={c.id} className="py-2" data-testid="dc-panel-cluster" data-name={c.name}>
                <div className="flex items-center gap-2">
                  <HealthIcon health={c.health} />
                  <span className="sr-only">{c.health.toLowerCase()}</span>
                  <Link href={`/inventory/clusters/${encodeURIComponent(c.name)}`} className={cn(linkClass, "min-w-0 truncate text-sm font-medium")}>
                    {c.name}
                  </Link>
                  <span className="ml-auto flex shrink-0 items-center gap-1.5">
                    <TierBadge tier={c.tier} />
                    <Link
                      href={`/topology?cluster=${encodeURIComponent(c.name)}`}
                      className="rounded border border-zinc-200 px-1.5 py-px text-[11px] text-zinc-600 hover:border-sky-400 hover:text-sky-700 dark:border-zinc-700 dark:text-zinc-300 dark:hover:text-sky-300"
                      title={`Replication topology of ${c.name}`}
                    >
                      Topology
                    </Link>
                  </span>
                </div>
                <p className="mt-0.5 flex flex-wrap items-center gap-x-2 pl-5 text-[11px] text-zinc-500 dark:text-zinc-400">
                  <span>{c.teamName}</span>
                  <span>{ENGINE_LABELS[c.engine]}</span>
                  <ClassificationLabel classification={c.classification} />
                  <span>home {c.homeJurisdictionCode}</span>
                </p>
                <ul className="mt-1 flex flex-col gap-0.5 pl-5">
                  {c.instances.map((i) => (
                    <li key={i.id} className="flex items-center gap-2 text-xs" data-testid="dc-panel-instance">
                      <HealthIcon health={i.health} className="size-2.5" />
                      <span className="sr-only">{i.health.toLowerCase()}</span>
                      <Link href={`/inventory/instances/${encodeURIComponent(i.name)}`} className={cn(linkClass, "min-w-0 truncate font-mono")}>
                        {i.name}
                      </Link>
                      <span className={cn("shrink-0", i.role === "PRIMARY" ? "font-semibold text-zinc-900 dark:text-zinc-100" : "text-zinc-500 dark:text-zinc-400")}>
                        {i.role === "PRIMARY" ? "primary" : i.role.toLowerCase()}
                      </span>
                      <span className="ml-auto flex shrink-0 items-center gap-1.5 tabular-nums">
                        {i.linkStatus && i.linkStatus !== "ACTIVE" ? <LinkStatusBadge status={i.linkStatus} /> : null}
                        {i.lagSeconds !== null ? (
                          <span title={i.lagBytes !== null ? formatBytes(i.lagBytes) : undefined} className="text-zinc-600 dark:text-zinc-300">
                            {formatLag(i.lagSeconds)}
                          </span>
                        ) : null}
                      </span>
                    </li>
                  ))}
                </ul>
              </li>
            ))}
          </ul>
        )}
        {d.matchingClusterCount > 0 ? (
          <div className="flex items-center justify-between gap-2 text-xs text-zinc-500 dark:text-zinc-400">
            <span role="status" data-testid="dc-panel-shown">
              Showing {shownOf} clusters
            </span>
            {hasMore ? (
              <button
                type="button"
                onClick={onMore}
                disabled={loadingMore}
                data-testid="dc-panel-more"
                className="rounded border border-zinc-300 px-2 py-0.5 font-medium text-sky-700 hover:border-sky-400 focus-visible:outline-2 focus-visible:outline-sky-500 disabled:opacity-60 dark:border-zinc-700 dark:text-sky-400"
              >
                {loadingMore ? "Loading…" : `Show ${formatCount(Math.min(d.clusters.length, d.matchingClusterCount - clusters.length))} more`}
              </button>
            ) : null}
          </div>
        ) : null}
      </section>
    </div>
  );
}

function LinkGroupList({
  title,
  empty,
  groups,
  onSelect,
  arrow,
}: {
  title: string;
  empty: string;
  groups: TDataCenterPanel["links"];
  onSelect: (code: string) => void;
  arrow: string;
}) {
  const total = groups.reduce((sum, g) => sum + g.linkCount, 0);
  return (
    <div>
      <h3 className="mb-1 text-xs font-semibold uppercase tracking-wide text-zinc-500 dark:text-zinc-400">
        {title} {groups.length ? `(${formatCount(total)} links)` : ""}
      </h3>
      {groups.length === 0 ? (
        <p className="text-xs text-zinc-500 dark:text-zinc-400">{empty}</p>
      ) : (
        <ul className="flex flex-col gap-0.5" data-testid={`dc-panel-links-${arrow === "→" ? "out" : "in"}`}>
          {groups.map((g) => (
            <li key={`${g.direction}-${g.dataCenter.code}`} className="flex items-center gap-2 text-xs">
              <span aria-hidden="true" className={cn("h-1.5 w-4 shrink-0 rounded-full", LAG_BG[lagBucket(g.maxLagSeconds)])} />
              <span aria-hidden="true" className="text-zinc-400">
                {arrow}
              </span>
              <button
                type="button"
                onClick={() => onSelect(g.dataCenter.code)}
                className="font-mono font-medium text-sky-700 hover:underline focus-visible:outline-2 focus-visible:outline-sky-500 dark:text-sky-400"
                title={`${g.dataCenter.name}, ${g.dataCenter.city}: show on the map`}
              >
                {g.dataCenter.code}
              </button>
              {g.crossesJurisdiction ? (
                <Badge mono title="Crosses jurisdictions">
                  {g.dataCenter.jurisdictionCode}
                </Badge>
              ) : null}
              <span className="ml-auto tabular-nums text-zinc-600 dark:text-zinc-300">
                {formatCount(g.linkCount)} {g.linkCount === 1 ? "link" : "links"}
              </span>
              <span className="w-16 text-right tabular-nums text-zinc-600 dark:text-zinc-300" title="Worst lag">
                {formatLag(g.maxLagSeconds)}
              </span>
              {g.brokenCount > 0 ? (
                <Badge tone="failed" title={`${g.brokenCount} broken`}>
                  {g.brokenCount} broken
                </Badge>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
