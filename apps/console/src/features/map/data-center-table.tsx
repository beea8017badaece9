"use client";

import { HealthCountsText, HealthIndicator } from "@/components/ui/health";
import { Table, TableScroller, Td, Th, Tr } from "@/components/ui/table";
import { DataCenterStatusBadge } from "@/features/inventory/labels";
import { formatCount, formatLag, formatPercent } from "@/lib/format";
import { DriftGlyph } from "./drift-mark";
import { ResidencyGlyph } from "./residency-mark";
import { type TMapDataCenter, type TMapRoute } from "./types";

/**
 * The map's data centers as a table: the same data and filters as the map, for keyboard and
 * screen-reader users (and for anyone who wants to compare numbers). The code opens the same
 * side panel as a click on a marker.
 */
export function DataCenterTable({
  dataCenters,
  routes,
  selected,
  onSelect,
  busy,
}: {
  dataCenters: TMapDataCenter[];
  routes: TMapRoute[];
  selected: string | undefined;
  onSelect: (code: string | undefined) => void;
  busy?: boolean;
}) {
  const rows = [...dataCenters].sort((a, b) => a.jurisdictionCode.localeCompare(b.jurisdictionCode) || a.code.localeCompare(b.code));
  return (
    <TableScroller busy={busy} className="m-4 max-h-full">
      <Table data-testid="dc-table" aria-label="Data centers (the map as a table)">
        <caption className="sr-only">Data centers with their health, instances, capacity and cross-data-center replication; the filters above apply.</caption>
        <thead>
          <tr>
            <Th>Data center</Th>
            <Th>Place</Th>
            <Th>Jurisdiction</Th>
            <Th>Status</Th>
            <Th>Health</Th>
            <Th numeric>Instances</Th>
            <Th numeric>Clusters</Th>
            <Th numeric>Capacity used</Th>
            <Th numeric>Cross-DC links</Th>
            <Th numeric>Worst lag</Th>
            <Th numeric>Drift</Th>
            <Th numeric>Residency</Th>
          </tr>
        </thead>
        <tbody>
          {rows.map((d) => {
            const touching = routes.filter((r) => r.a === d.code || r.b === d.code);
            const links = touching.reduce((sum, r) => sum + r.linkCount, 0);
            const worst = touching.reduce((max, r) => Math.max(max, r.maxLagSeconds), 0);
            const isSelected = d.code === selected;
            return (
              <Tr key={d.code} data-testid="dc-row" data-code={d.code} aria-selected={isSelected} className={isSelected ? "bg-sky-50 dark:bg-sky-950/40" : undefined}>
                <Td>
                  <button
                    type="button"
                    className="font-mono font-semibold text-sky-700 underline-offset-2 hover:underline focus-visible:outline-2 focus-visible:outline-sky-500 dark:text-sky-300"
                    aria-pressed={isSelected}
                    aria-label={`${d.code}, ${d.name}: show its clusters, instances and links`}
                    onClick={() => onSelect(isSelected ? undefined : d.code)}
                  >
                    {d.code}
                  </button>{" "}
                  <span className="text-zinc-600 dark:text-zinc-400">{d.name}</span>
                </Td>
                <Td muted>
                  {d.city}, {d.country}
                </Td>
                <Td>{d.jurisdictionCode}</Td>
                <Td>
                  <DataCenterStatusBadge status={d.status} />
                </Td>
                <Td>
                  <span className="inline-flex items-center gap-2">
                    <HealthIndicator health={d.health} />
                    <HealthCountsText counts={d.healthCounts} className="text-xs text-zinc-500" />
                  </span>
                </Td>
                <Td numeric>{formatCount(d.instanceCount)}</Td>
                <Td numeric>{formatCount(d.clusterCount)}</Td>
                <Td numeric>
                  {formatCount(d.capacityUsed)} / {formatCount(d.capacitySlots)} ({formatPercent(d.utilisation)})
                </Td>
                <Td numeric>{formatCount(links)}</Td>
                <Td numeric>{touching.length ? formatLag(worst) : "—"}</Td>
                <Td numeric>
                  {d.driftCount > 0 ? (
                    <span className="inline-flex items-center gap-1 text-fuchsia-700 dark:text-fuchsia-300">
                      <DriftGlyph />
                      {formatCount(d.driftCount)}
                      <span className="sr-only"> open drift findings</span>
                    </span>
                  ) : (
                    "—"
                  )}
                </Td>
                <Td numeric>
                  {d.residencyCount > 0 ? (
                    <span className="inline-flex items-center gap-1 text-rose-700 dark:text-rose-300" data-testid="dc-table-residency">
                      <ResidencyGlyph />
                      {formatCount(d.residencyCount)}
                      <span className="sr-only"> open residency findings</span>
                    </span>
                  ) : (
                    "—"
                  )}
                </Td>
              </Tr>
            );
          })}
        </tbody>
      </Table>
    </TableScroller>
  );
}
