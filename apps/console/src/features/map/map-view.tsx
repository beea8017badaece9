"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { usePathname, useSearchParams } from "next/navigation";
import { useCallback, useMemo, useRef } from "react";
import { buttonClass } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { QueryError } from "@/features/inventory/query-error";
import { formatCount } from "@/lib/format";
import { useTRPC } from "@/lib/trpc/react";
import { DataCenterPanel, LIVE_REFRESH_MS } from "./data-center-panel";
import { DataCenterTable } from "./data-center-table";
import { FleetFilters } from "./fleet-filters";
import { LiveStatus } from "./live-status";
import { MapLegend } from "./map-legend";
import { mapQueryString, parseMapUrl, type TMapUrlState } from "./map-url";
import { type TFleetFilter } from "./fleet-filter";
import { useElementSize } from "./use-element-size";
import { type TMapView } from "./use-zoom-pan";
import { WorldMap } from "./world-map";

/**
 * `/map`: every data center on a world map, the replication between them as arcs, a side
 * panel for the selected one. The URL holds the whole view (filters, selection, zoom, centre);
 * changes go through the History API, so nothing reloads and the back button walks the views.
 */
export function MapView() {
  const trpc = useTRPC();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const state = useMemo(() => parseMapUrl((k) => searchParams.get(k)), [searchParams]);
  const containerRef = useRef<HTMLDivElement>(null);
  const size = useElementSize(containerRef);

  const overview = useQuery({
    ...trpc.topology.mapOverview.queryOptions(state.filter),
    refetchInterval: LIVE_REFRESH_MS,
    placeholderData: keepPreviousData,
  });

  const navigate = useCallback(
    (next: TMapUrlState, mode: "push" | "replace") => {
      const query = mapQueryString(next);
      const href = query ? `${pathname}?${query}` : pathname;
      if (mode === "push") window.history.pushState(null, "", href);
      else window.history.replaceState(null, "", href);
    },
    [pathname],
  );

  // Read the latest URL at call time: the view callback may fire after a filter change.
  const current = () => parseMapUrl((k) => new URLSearchParams(window.location.search).get(k));

  const onSelect = useCallback((dc: string | undefined) => navigate({ ...current(), dc }, "push"), [navigate]);
  const onFilter = useCallback((filter: TFleetFilter) => navigate({ ...current(), filter }, "push"), [navigate]);
  const onTable = useCallback(
    (table: boolean) => {
      const { table: _shown, ...rest } = current();
      navigate(table ? { ...rest, table: true } : rest, "push");
    },
    [navigate],
  );
  const onViewChange = useCallback((view: TMapView) => navigate({ ...current(), zoom: view.zoom, at: view.at }, "replace"), [navigate]);
  const view = useMemo<TMapView>(() => ({ zoom: state.zoom, at: state.at }), [state.zoom, state.at]);

  const data = overview.data;
  const maxInstances = Math.max(1, ...(data?.dataCenters ?? []).map((d) => d.instanceCount));

  return (
    <div className="flex h-full min-h-0 flex-col">
      <div className="flex flex-col gap-3 border-b border-zinc-200 bg-white px-5 py-3 dark:border-zinc-800 dark:bg-zinc-900">
        <div className="flex flex-wrap items-baseline justify-between gap-x-6 gap-y-1">
          <div className="flex flex-wrap items-baseline gap-x-4 gap-y-1">
            <h1 className="text-lg font-semibold tracking-tight text-zinc-900 dark:text-zinc-50">Map</h1>
            {data ? (
              <p className="text-sm tabular-nums text-zinc-600 dark:text-zinc-400" data-testid="map-summary">
                {formatCount(data.totals.dataCenters)} data centers · {formatCount(data.totals.instances)} instances ·{" "}
                {formatCount(data.totals.crossDataCenterLinks)} cross-DC links ({formatCount(data.totals.crossJurisdictionLinks)} cross-jurisdiction)
              </p>
            ) : null}
          </div>
          <div className="flex items-center gap-3">
            <div role="group" aria-label="Show the data centers as" className="inline-flex overflow-hidden rounded-md border border-zinc-300 text-sm dark:border-zinc-700">
              {([false, true] as const).map((table) => (
                <button
                  key={String(table)}
                  type="button"
                  aria-pressed={Boolean(state.table) === table}
                  data-testid={table ? "map-show-table" : "map-show-map"}
                  onClick={() => onTable(table)}
                  className="px-2.5 py-1 text-zinc-700 hover:bg-zinc-50 focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-sky-500 aria-pressed:bg-zinc-900 aria-pressed:text-white dark:text-zinc-200 dark:hover:bg-zinc-800 dark:aria-pressed:bg-zinc-100 dark:aria-pressed:text-zinc-900"
                >
                  {table ? "Table" : "Map"}
                </button>
              ))}
            </div>
            <LiveStatus updatedAt={data?.generatedAt} fetching={overview.isFetching} failed={overview.isError} />
          </div>
        </div>
        <FleetFilters filter={state.filter} onChange={onFilter} />
      </div>

      <div className="flex min-h-0 flex-1">
        <div ref={containerRef} className="relative min-w-0 flex-1" aria-busy={overview.isFetching && overview.isPlaceholderData}>
          {overview.isError && !data ? (
            <div className="p-5">
              <QueryError error={overview.error} onRetry={() => void overview.refetch()} />
            </div>
          ) : state.table ? (
            <div className="absolute inset-0 flex flex-col">
              <DataCenterTable
                dataCenters={data?.dataCenters ?? []}
                routes={data?.routes ?? []}
                selected={state.dc}
                onSelect={onSelect}
                busy={overview.isFetching && overview.isPlaceholderData}
              />
            </div>
          ) : size.width > 0 && size.height > 0 ? (
            <WorldMap
              width={size.width}
              height={size.height}
              dataCenters={data?.dataCenters ?? []}
              contextDataCenters={data?.contextDataCenters ?? []}
              routes={data?.routes ?? []}
              selected={state.dc}
              onSelect={onSelect}
              view={view}
              onViewChange={onViewChange}
            />
          ) : null}
          {overview.isFetching && overview.isPlaceholderData ? (
            <div aria-hidden="true" className="pointer-events-none absolute inset-x-0 top-0 h-0.5 overflow-hidden">
              <div className="h-full w-1/3 animate-[meridian-progress_1s_ease-in-out_infinite] bg-sky-500" />
            </div>
          ) : null}
          {data && data.dataCenters.length === 0 ? (
            <div className="absolute inset-x-0 top-16 mx-auto w-fit rounded-md border border-zinc-200 bg-white/95 shadow-sm dark:border-zinc-700 dark:bg-zinc-900/95">
              {data.filtered ? (
                <EmptyState
                  title="No data center matches these filters"
                  action={
                    <button type="button" className={buttonClass("secondary")} onClick={() => onFilter({})}>
                      Clear filters
                    </button>
                  }
                >
                  No instance runs anywhere with this combination. Widen or clear the filters.
                </EmptyState>
              ) : (
                <EmptyState title="No data centers yet">
                  The metadata database has no data center. Load the demo fleet with <code className="font-mono">pnpm db:seed</code>.
                </EmptyState>
              )}
            </div>
          ) : null}
          {state.table ? null : (
            <div className="pointer-events-none absolute bottom-3 left-3 right-16 top-3 flex flex-col items-start justify-end">
              <div className="pointer-events-auto min-h-0">
                <MapLegend maxInstances={maxInstances} />
              </div>
            </div>
          )}
        </div>
        {state.dc ? <DataCenterPanel key={state.dc} code={state.dc} filter={state.filter} onClose={() => onSelect(undefined)} onSelect={onSelect} /> : null}
      </div>
    </div>
  );
}
