"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { usePathname, useSearchParams } from "next/navigation";
import { useCallback, useMemo, useState, type ReactNode } from "react";
import { Button } from "@/components/ui/button";
import { QueryError } from "@/features/inventory/query-error";
import { cn } from "@/lib/cn";
import { formatUtc } from "@/lib/format";
import { useTRPC } from "@/lib/trpc/react";
import { CapacitySection } from "./capacity-section";
import { DeliverySection } from "./delivery-section";
import { FleetHealthSection } from "./fleet-health-section";
import { LagSection } from "./lag-section";
import { ResidencySection } from "./residency-section";
import {
  RANGES,
  RANGE_LABELS,
  dashboardQuery,
  dashboardQueryString,
  parseDashboardUrl,
  rangeSlug,
  type TDashboardUrlState,
  type TRange,
} from "./dashboard-url";

const REFRESH_MS = 60_000;

/** Print: drop the console's chrome, let the page flow, one section per page. */
const PRINT_CSS = `
@media print {
  aside, header, nav, [data-print-hide] { display: none !important; }
  html, body, body > div, main { height: auto !important; overflow: visible !important; }
  .h-dvh { height: auto !important; }
  [data-dashboard-section] { break-before: page; }
  [data-dashboard-section]:first-of-type { break-before: auto; }
  figure { break-inside: avoid; }
}`;

/**
 * `/dashboards`: the leadership view. Read-only; the range and the team/region filters live in
 * the URL so a view can be shared. Each section loads on its own (one procedure each).
 */
export function DashboardsView() {
  const trpc = useTRPC();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const state = useMemo(() => parseDashboardUrl((k) => searchParams.get(k)), [searchParams]);
  const input = useMemo(() => dashboardQuery(state), [state]);
  const csvSuffix = [rangeSlug(state), state.team, state.region].filter(Boolean).join("-");

  const navigate = useCallback(
    (next: TDashboardUrlState) => {
      const query = dashboardQueryString(next);
      window.history.pushState(null, "", query ? `${pathname}?${query}` : pathname);
    },
    [pathname],
  );

  const opts = { placeholderData: keepPreviousData, refetchInterval: REFRESH_MS, staleTime: 30_000 } as const;
  const health = useQuery({ ...trpc.dashboards.fleetHealth.queryOptions(input), ...opts });
  const lag = useQuery({ ...trpc.dashboards.replicationLag.queryOptions(input), ...opts });
  const delivery = useQuery({ ...trpc.dashboards.changeDelivery.queryOptions(input), ...opts });
  const residency = useQuery({ ...trpc.dashboards.residencyPosture.queryOptions(input), ...opts });
  const capacity = useQuery({ ...trpc.dashboards.capacity.queryOptions(input), ...opts });
  const shown = health.data?.window;

  return (
    <div className="flex flex-col gap-6 px-5 py-4">
      <style>{PRINT_CSS}</style>
      <div className="flex flex-col gap-3">
        <div className="flex flex-wrap items-baseline justify-between gap-2">
          <div>
            <h1 className="text-lg font-semibold tracking-tight text-zinc-900 dark:text-zinc-50">Dashboards</h1>
            <p className="text-sm text-zinc-600 dark:text-zinc-400" data-testid="dashboard-window">
              {shown ? (
                <>
                  {formatUtc(shown.from)} – {formatUtc(shown.to)} · per {shown.grain}
                  {state.team ? ` · team ${state.team}` : ""}
                  {state.region ? ` · region ${state.region}` : ""}
                </>
              ) : (
                "Fleet health, replication lag against SLOs, change delivery, residency and capacity."
              )}
            </p>
          </div>
          <Button variant="secondary" onClick={() => globalThis.print()} data-print-hide>
            Print / PDF
          </Button>
        </div>
        <DashboardControls state={state} onChange={navigate} />
      </div>

      <DashboardSection id="fleet-health" title="Fleet health" query={health}>
        {health.data ? <FleetHealthSection data={health.data} csvSuffix={csvSuffix} /> : null}
      </DashboardSection>
      <DashboardSection id="replication-lag" title="Replication lag and SLOs" query={lag}>
        {lag.data ? <LagSection data={lag.data} csvSuffix={csvSuffix} /> : null}
      </DashboardSection>
      <DashboardSection id="change-delivery" title="Change delivery" query={delivery} note={state.region ? "Changes belong to teams, not places: the region filter does not apply here." : undefined}>
        {delivery.data ? <DeliverySection data={delivery.data} csvSuffix={csvSuffix} /> : null}
      </DashboardSection>
      <DashboardSection id="residency" title="Residency posture" query={residency}>
        {residency.data ? <ResidencySection data={residency.data} csvSuffix={csvSuffix} /> : null}
      </DashboardSection>
      <DashboardSection id="capacity" title="Capacity" query={capacity} note="Capacity is now, whatever the range.">
        {capacity.data ? <CapacitySection data={capacity.data} csvSuffix={csvSuffix} /> : null}
      </DashboardSection>
    </div>
  );
}

function DashboardSection({
  id,
  title,
  note,
  query,
  children,
}: {
  id: string;
  title: string;
  note?: string;
  query: { isPending: boolean; isError: boolean; error: unknown; isFetching: boolean; isPlaceholderData: boolean; refetch: () => unknown };
  children: ReactNode;
}) {
  return (
    <section aria-labelledby={`${id}-title`} data-dashboard-section id={id} className="flex flex-col gap-2" aria-busy={query.isFetching && query.isPlaceholderData}>
      <div className="flex flex-wrap items-baseline gap-x-3 border-b border-zinc-200 pb-1 dark:border-zinc-800">
        <h2 id={`${id}-title`} className="text-base font-semibold text-zinc-900 dark:text-zinc-100">
          {title}
        </h2>
        {note ? <span className="text-xs text-zinc-500 dark:text-zinc-400">{note}</span> : null}
        {query.isFetching && query.isPlaceholderData ? <span className="text-xs text-zinc-500">updating…</span> : null}
      </div>
      {query.isError ? (
        <QueryError error={query.error} onRetry={() => void query.refetch()} />
      ) : query.isPending ? (
        <div className="grid gap-3 lg:grid-cols-2" aria-label={`Loading ${title}`}>
          <div className="h-72 animate-pulse rounded-md bg-zinc-100 dark:bg-zinc-800/60" />
          <div className="h-72 animate-pulse rounded-md bg-zinc-100 dark:bg-zinc-800/60" />
        </div>
      ) : (
        children
      )}
    </section>
  );
}

function DashboardControls({ state, onChange }: { state: TDashboardUrlState; onChange: (s: TDashboardUrlState) => void }) {
  const trpc = useTRPC();
  const options = useQuery({ ...trpc.inventory.filterOptions.queryOptions(), staleTime: 5 * 60_000 });
  const [today] = useState(() => new Date().toISOString().slice(0, 10));
  const [from, setFrom] = useState(() => state.from ?? new Date(new Date().getTime() - 7 * 86_400_000).toISOString().slice(0, 10));
  const [to, setTo] = useState(state.to ?? today);
  const [customOpen, setCustomOpen] = useState(state.range === "custom");
  const customError = from && to && from > to ? "The start must be on or before the end." : null;

  const pick = (range: TRange) => {
    if (range === "custom") {
      setCustomOpen(true);
      return;
    }
    setCustomOpen(false);
    onChange({ ...state, range, from: undefined, to: undefined });
  };

  return (
    <div className="flex flex-wrap items-end gap-x-5 gap-y-2 print:hidden" data-print-hide>
      <div role="group" aria-label="Time range" className="flex overflow-hidden rounded-md border border-zinc-300 dark:border-zinc-700">
        {RANGES.map((r) => {
          const active = r === "custom" ? customOpen || state.range === "custom" : !customOpen && state.range === r;
          return (
            <button
              key={r}
              type="button"
              aria-pressed={active}
              onClick={() => pick(r)}
              className={cn(
                "border-r border-zinc-300 px-2.5 py-1 text-sm last:border-r-0 focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-sky-500 dark:border-zinc-700",
                active ? "bg-zinc-900 text-white dark:bg-zinc-100 dark:text-zinc-900" : "bg-white text-zinc-700 hover:bg-zinc-50 dark:bg-zinc-900 dark:text-zinc-300 dark:hover:bg-zinc-800",
              )}
            >
              {RANGE_LABELS[r]}
            </button>
          );
        })}
      </div>
      {customOpen ? (
        <form
          className="flex flex-wrap items-end gap-2"
          onSubmit={(e) => {
            e.preventDefault();
            if (!customError) onChange({ ...state, range: "custom", from, to });
          }}
        >
          <label className="flex flex-col text-xs text-zinc-600 dark:text-zinc-400">
            From (UTC)
            <input type="date" value={from} max={today} onChange={(e) => setFrom(e.target.value)} required className="rounded-md border border-zinc-300 bg-white px-2 py-1 text-sm dark:border-zinc-700 dark:bg-zinc-900" aria-invalid={Boolean(customError)} aria-describedby={customError ? "custom-range-error" : undefined} />
          </label>
          <label className="flex flex-col text-xs text-zinc-600 dark:text-zinc-400">
            To (UTC, inclusive)
            <input type="date" value={to} max={today} onChange={(e) => setTo(e.target.value)} required className="rounded-md border border-zinc-300 bg-white px-2 py-1 text-sm dark:border-zinc-700 dark:bg-zinc-900" aria-invalid={Boolean(customError)} />
          </label>
          <Button type="submit" variant="secondary" disabled={Boolean(customError)}>
            Apply
          </Button>
          {customError ? (
            <span id="custom-range-error" className="text-xs text-rose-700 dark:text-rose-400">
              {customError}
            </span>
          ) : null}
        </form>
      ) : null}
      <div className="flex flex-col text-xs text-zinc-600 dark:text-zinc-400">
        <label htmlFor="dashboard-team">Team</label>
        <select
          id="dashboard-team"
          value={state.team ?? ""}
          onChange={(e) => onChange({ ...state, team: e.target.value || undefined })}
          className="rounded-md border border-zinc-300 bg-white px-2 py-1 text-sm dark:border-zinc-700 dark:bg-zinc-900"
        >
          <option value="">All teams</option>
          {(options.data?.teams ?? []).map((t) => (
            <option key={t.slug} value={t.slug}>
              {t.name}
            </option>
          ))}
        </select>
      </div>
      <div className="flex flex-col text-xs text-zinc-600 dark:text-zinc-400">
        <label htmlFor="dashboard-region">Region</label>
        <select
          id="dashboard-region"
          value={state.region ?? ""}
          onChange={(e) => onChange({ ...state, region: e.target.value || undefined })}
          className="rounded-md border border-zinc-300 bg-white px-2 py-1 text-sm dark:border-zinc-700 dark:bg-zinc-900"
        >
          <option value="">All regions</option>
          {(options.data?.regions ?? []).map((r) => (
            <option key={r.code} value={r.code}>
              {r.name} ({r.code})
            </option>
          ))}
        </select>
      </div>
      {state.team || state.region ? (
        <Button variant="ghost" onClick={() => onChange({ ...state, team: undefined, region: undefined })}>
          Clear filters
        </Button>
      ) : null}
    </div>
  );
}
