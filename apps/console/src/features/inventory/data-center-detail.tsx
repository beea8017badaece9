"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { JurisdictionPill } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { HealthCountsText, HealthIndicator, HealthLegend } from "@/components/ui/health";
import { PageHeader } from "@/components/ui/page-header";
import { RelativeTime } from "@/components/ui/relative-time";
import { FactList, Section } from "@/components/ui/section";
import { Table, TableScroller, Td, Th, Tr } from "@/components/ui/table";
import { formatCount, formatPercent, formatUtc } from "@/lib/format";
import { useTRPC } from "@/lib/trpc/react";
import { CapacityBar } from "./capacity-bar";
import { ChangeStatusControl } from "./change-status-control";
import { ClassificationLabel, DataCenterStatusBadge, ENGINE_LABELS, TierBadge } from "./labels";
import { QueryError } from "./query-error";

export function DataCenterDetail({ code, canChangeStatus }: { code: string; canChangeStatus: boolean }) {
  const trpc = useTRPC();
  const query = useQuery(trpc.inventory.getDataCenter.queryOptions({ code }));
  const [notice, setNotice] = useState<string | null>(null);

  if (!query.data) {
    return (
      <div className="px-5 py-4">
        {query.isError ? <QueryError error={query.error} onRetry={() => void query.refetch()} /> : <p className="text-sm text-zinc-500">Loading…</p>}
      </div>
    );
  }
  const dc = query.data;
  const dcHref = encodeURIComponent(dc.code);

  return (
    <div className="flex flex-col gap-6 px-5 py-4">
      <PageHeader
        crumbs={[
          { label: "Inventory", href: "/inventory/data-centers" },
          { label: "Data centers", href: "/inventory/data-centers" },
          { label: dc.code },
        ]}
        title={
          <>
            <span className="font-mono">{dc.code}</span>
            <span className="font-normal text-zinc-500 dark:text-zinc-400"> · {dc.name}</span>
          </>
        }
        badges={
          <>
            <DataCenterStatusBadge status={dc.status} />
            <JurisdictionPill code={dc.jurisdiction.code} name={dc.jurisdiction.name} />
            <HealthIndicator health={dc.health} className="text-sm" />
          </>
        }
        actions={
          canChangeStatus ? (
            <ChangeStatusControl code={dc.code} name={dc.name} status={dc.status} onChanged={setNotice} />
          ) : null
        }
      />
      <div aria-live="polite" className={notice ? "-mt-2" : "sr-only"}>
        {notice ? (
          <p
            data-testid="status-notice"
            className="inline-flex items-center gap-2 rounded-md border border-emerald-200 bg-emerald-50 px-3 py-1.5 text-sm text-emerald-900 dark:border-emerald-900 dark:bg-emerald-950 dark:text-emerald-200"
          >
            <svg viewBox="0 0 12 12" className="size-3" fill="none" stroke="currentColor" strokeWidth="1.75" aria-hidden="true">
              <path d="m2.5 6.25 2.25 2.25 4.75-5" />
            </svg>
            {notice}
            <button
              type="button"
              onClick={() => setNotice(null)}
              className="ml-1 rounded px-1 text-xs text-emerald-800 hover:bg-emerald-100 focus-visible:outline-2 focus-visible:outline-sky-500 dark:text-emerald-300 dark:hover:bg-emerald-900"
            >
              Dismiss
            </button>
          </p>
        ) : null}
      </div>

      <FactList
        items={[
          { label: "Location", value: `${dc.city}, ${dc.country}` },
          { label: "Region", value: dc.region.name },
          { label: "Jurisdiction", value: `${dc.jurisdiction.name} (${dc.jurisdiction.code})` },
          { label: "Provider", value: dc.provider },
          {
            label: "Capacity",
            wide: true,
            value: (
              <span className="inline-flex items-center gap-2 tabular-nums">
                <CapacityBar ratio={dc.utilisation} />
                {formatCount(dc.instanceCount)} / {formatCount(dc.capacitySlots)} · {formatPercent(dc.utilisation)}
              </span>
            ),
          },
          {
            label: "Free slots",
            value: (
              <span className={dc.capacityFree < 0 ? "font-medium text-rose-700 dark:text-rose-400" : "tabular-nums"}>
                {formatCount(dc.capacityFree)}
                {dc.capacityFree < 0 ? " (over capacity)" : ""}
              </span>
            ),
          },
          {
            label: "Instances",
            value: (
              <span className="inline-flex items-center gap-2">
                <span className="tabular-nums">{formatCount(dc.instanceCount)}</span>
                <HealthCountsText counts={dc.healthCounts} className="text-xs" />
              </span>
            ),
          },
          {
            label: "Cross-DC links",
            value: (
              <span className="tabular-nums">
                {formatCount(dc.crossDataCenterLinks.outgoing)} out · {formatCount(dc.crossDataCenterLinks.incoming)} in
              </span>
            ),
          },
          {
            label: "Coordinates",
            value: (
              <span className="tabular-nums">
                {dc.latitude.toFixed(4)}, {dc.longitude.toFixed(4)}
              </span>
            ),
          },
          { label: "Last updated", value: <RelativeTime date={dc.updatedAt} /> },
        ]}
      />

      <Section title="Maintenance windows" id="dc-windows" description="Current and upcoming, for this data center and fleet-wide.">
        {dc.maintenanceWindows.length === 0 ? (
          <p className="text-sm text-zinc-600 dark:text-zinc-400">None scheduled.</p>
        ) : (
          <ul className="flex flex-col gap-1 text-sm">
            {dc.maintenanceWindows.map((w) => (
              <li key={w.id} className="flex flex-wrap items-center gap-2">
                <span className="font-medium">{w.kind === "FREEZE" ? "Change freeze" : "Maintenance window"}</span>
                <span className="tabular-nums text-zinc-600 dark:text-zinc-400">
                  {formatUtc(w.startsAt)} → {formatUtc(w.endsAt)}
                </span>
                {w.fleetWide ? <span className="text-xs text-zinc-500">fleet-wide</span> : null}
                {w.reason ? <span className="text-zinc-600 dark:text-zinc-400">— {w.reason}</span> : null}
              </li>
            ))}
          </ul>
        )}
      </Section>

      <Section
        title={`Clusters with instances in ${dc.code}`}
        id="dc-clusters"
        description={`${formatCount(dc.clusters.length)} clusters, ${formatCount(dc.instanceCount)} instances. Health is of the instances here.`}
        actions={
          <Link
            href={`/inventory/instances?dataCenter=${dcHref}`}
            className="text-sm text-sky-700 hover:underline dark:text-sky-400"
            data-testid="dc-instances-link"
          >
            All {formatCount(dc.instanceCount)} instances in {dc.code} →
          </Link>
        }
      >
        {dc.clusters.length === 0 ? (
          <EmptyState compact title={`Nothing runs in ${dc.code}`}>
            No instance is placed in this data center. Instances appear here once a change adds a replica or moves a primary to it.
          </EmptyState>
        ) : (
          <TableScroller className="max-h-[32rem]">
            <Table aria-label={`Clusters in ${dc.code}`}>
              <thead>
                <tr>
                  <Th>Cluster</Th>
                  <Th>Team</Th>
                  <Th>Engine</Th>
                  <Th>Tier</Th>
                  <Th>Data</Th>
                  <Th numeric>Here</Th>
                  <Th>Roles here</Th>
                  <Th>Health here</Th>
                </tr>
              </thead>
              <tbody>
                {dc.clusters.map((c) => (
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
                    <Td muted>{c.teamName}</Td>
                    <Td>{ENGINE_LABELS[c.engine]}</Td>
                    <Td>
                      <TierBadge tier={c.tier} />
                    </Td>
                    <Td>
                      <ClassificationLabel classification={c.classification} />
                    </Td>
                    <Td numeric>
                      <Link
                        prefetch={false}
                        href={`/inventory/instances?dataCenter=${dcHref}&cluster=${encodeURIComponent(c.name)}`}
                        className="hover:underline"
                        title={`Instances of ${c.name} in ${dc.code}`}
                      >
                        {formatCount(c.instancesHere)}
                      </Link>
                    </Td>
                    <Td muted>
                      {[
                        c.primaries ? `${c.primaries} primary` : null,
                        c.replicas ? `${c.replicas} ${c.replicas === 1 ? "replica" : "replicas"}` : null,
                        c.standbys ? `${c.standbys} ${c.standbys === 1 ? "standby" : "standbys"}` : null,
                      ]
                        .filter(Boolean)
                        .join(", ")}
                    </Td>
                    <Td>
                      <HealthIndicator health={c.health} />
                    </Td>
                  </Tr>
                ))}
              </tbody>
            </Table>
          </TableScroller>
        )}
        <HealthLegend />
      </Section>
    </div>
  );
}
