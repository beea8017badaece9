"use client";

import Link from "next/link";
import { usePathname, useSearchParams } from "next/navigation";
import { useCallback, useMemo } from "react";
import { FleetFilters } from "@/features/map/fleet-filters";
import { type TFleetFilter } from "@/features/map/fleet-filter";
import { cn } from "@/lib/cn";
import "@xyflow/react/dist/style.css";
import { ClusterTopology } from "./cluster-topology";
import { FleetTopology } from "./fleet-topology";
import { TopologySearch } from "./topology-search";
import { parseTopologyUrl, topologyQueryString, type TTopologyUrlState } from "./topology-url";
import { type TSearchHit } from "./types";

/**
 * `/topology`: the fleet (data centers with their clusters) or, with `?cluster=`, one cluster's
 * replication graph. The URL holds the view; it changes through the History API (no reload).
 */
export function TopologyView() {
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const state = useMemo(() => parseTopologyUrl((k) => searchParams.get(k)), [searchParams]);

  const navigate = useCallback(
    (next: TTopologyUrlState) => {
      const query = topologyQueryString(next);
      window.history.pushState(null, "", query ? `${pathname}?${query}` : pathname);
    },
    [pathname],
  );
  const current = () => parseTopologyUrl((k) => new URLSearchParams(window.location.search).get(k));

  const onSelect = useCallback((select: TTopologyUrlState["select"]) => navigate({ ...current(), select }), [navigate]);
  const onFilter = useCallback((filter: TFleetFilter) => navigate({ ...current(), filter, select: undefined }), [navigate]);
  const openCluster = useCallback((cluster: string) => navigate({ ...current(), cluster, select: undefined }), [navigate]);

  function onPick(hit: TSearchHit) {
    const now = current();
    if (hit.kind === "cluster") navigate({ ...now, cluster: hit.key, select: undefined });
    else if (hit.kind === "instance") navigate({ ...now, cluster: hit.clusterName ?? undefined, select: { kind: "instance", key: hit.key } });
    else navigate({ ...now, cluster: undefined, select: { kind: "dc", key: hit.key } });
  }

  const fleetHref = (() => {
    const q = topologyQueryString({ filter: state.filter });
    return q ? `/topology?${q}` : "/topology";
  })();

  return (
    <div className="flex h-full min-h-0 flex-col">
      <div className="flex flex-col gap-3 border-b border-zinc-200 bg-white px-5 py-3 dark:border-zinc-800 dark:bg-zinc-900">
        <div className="flex flex-wrap items-center gap-x-4 gap-y-2">
          <h1 className="text-lg font-semibold tracking-tight text-zinc-900 dark:text-zinc-50">Topology</h1>
          <nav aria-label="Topology views" className="flex items-center gap-1 rounded-md bg-zinc-100 p-0.5 text-sm dark:bg-zinc-800">
            <Link
              href={fleetHref}
              onClick={(e) => {
                e.preventDefault();
                navigate({ filter: state.filter });
              }}
              aria-current={state.cluster ? undefined : "page"}
              className={cn("rounded px-2.5 py-1", state.cluster ? "text-zinc-600 hover:text-zinc-900 dark:text-zinc-400 dark:hover:text-zinc-100" : "bg-white font-medium shadow-sm dark:bg-zinc-900")}
            >
              Fleet
            </Link>
            <span aria-current={state.cluster ? "page" : undefined} className={cn("rounded px-2.5 py-1", state.cluster ? "bg-white font-medium shadow-sm dark:bg-zinc-900" : "text-zinc-400 dark:text-zinc-500")}>
              {state.cluster ? "Cluster" : "Cluster (search or double click one)"}
            </span>
          </nav>
          <div className="ml-auto">
            <TopologySearch onPick={onPick} />
          </div>
        </div>
        {state.cluster ? null : <FleetFilters filter={state.filter} onChange={onFilter} />}
      </div>
      {state.cluster ? (
        <ClusterTopology key={state.cluster} cluster={state.cluster} select={state.select} onSelect={onSelect} />
      ) : (
        <FleetTopology filter={state.filter} select={state.select} onSelect={onSelect} onOpenCluster={openCluster} />
      )}
    </div>
  );
}
