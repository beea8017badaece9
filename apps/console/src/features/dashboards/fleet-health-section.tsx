"use client";

import { Area, AreaChart, Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { TFleetHealth } from "@meridian/api/client";
import { HEALTH_META, HEALTH_ORDER, HealthIcon, HealthLegend, type THealth } from "@/components/ui/health";
import { formatCount } from "@/lib/format";
import { ChartCard } from "./chart-section";
import { axisColor, bucketLabel, gridColor, healthColor, isoUtc } from "./chart-theme";
import { type TColumn } from "./csv";
import { useDark } from "./use-dark";

const KEY: Record<THealth, "up" | "degraded" | "down" | "unknown"> = { UP: "up", DEGRADED: "degraded", DOWN: "down", UNKNOWN: "unknown" };

/** Patterns on top of colour, so the areas read without colour too (shape of the map's markers in the legend). */
function HealthPatterns({ dark }: { dark: boolean }) {
  return (
    <defs>
      <pattern id="pat-degraded" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
        <rect width="6" height="6" fill={healthColor("DEGRADED", dark)} />
        <line x1="0" y1="0" x2="0" y2="6" stroke={dark ? "#000" : "#fff"} strokeOpacity="0.35" strokeWidth="2" />
      </pattern>
      <pattern id="pat-down" width="6" height="6" patternUnits="userSpaceOnUse">
        <rect width="6" height="6" fill={healthColor("DOWN", dark)} />
        <path d="M0 0 L6 6 M6 0 L0 6" stroke={dark ? "#000" : "#fff"} strokeOpacity="0.35" strokeWidth="1" />
      </pattern>
    </defs>
  );
}

function fillOf(h: THealth, dark: boolean): string {
  if (h === "DEGRADED") return "url(#pat-degraded)";
  if (h === "DOWN") return "url(#pat-down)";
  return healthColor(h, dark);
}

export function FleetHealthSection({ data, csvSuffix }: { data: TFleetHealth; csvSuffix: string }) {
  const dark = useDark();
  const grain = data.window.grain;
  const series = data.series.filter((p) => p.minutes > 0);
  const seriesColumns: TColumn<(typeof series)[number]>[] = [
    { key: "at", label: "Bucket start (UTC)", value: (r) => isoUtc(r.at), format: (r) => bucketLabel(r.at, grain) },
    ...HEALTH_ORDER.map((h) => ({
      key: KEY[h],
      label: `${HEALTH_META[h].label} (% of instance-time)`,
      numeric: true,
      value: (r: (typeof series)[number]) => r[KEY[h]],
      format: (r: (typeof series)[number]) => `${r[KEY[h]].toFixed(2)} %`,
    })),
    { key: "hours", label: "Instance-hours observed", numeric: true, value: (r) => Math.round(r.minutes / 60), format: (r) => formatCount(Math.round(r.minutes / 60)) },
  ];
  const nowRows = data.nowByRegion;
  const nowColumns: TColumn<(typeof nowRows)[number]>[] = [
    { key: "region", label: "Region", value: (r) => r.code, format: (r) => `${r.name} (${r.code})` },
    ...HEALTH_ORDER.map((h) => ({
      key: KEY[h],
      label: `${HEALTH_META[h].label} (instances)`,
      numeric: true,
      value: (r: (typeof nowRows)[number]) => r[KEY[h]],
    })),
    { key: "total", label: "Instances", numeric: true, value: (r) => r.total },
  ];
  const dcRows = data.nowByDataCenter;
  const dcColumns: TColumn<(typeof dcRows)[number]>[] = [
    { key: "dc", label: "Data center", value: (r) => r.code, format: (r) => `${r.name} (${r.code})` },
    { key: "region", label: "Region", value: (r) => r.regionCode },
    ...HEALTH_ORDER.map((h) => ({ key: KEY[h], label: `${HEALTH_META[h].label} (instances)`, numeric: true, value: (r: (typeof dcRows)[number]) => r[KEY[h]] })),
    { key: "total", label: "Instances", numeric: true, value: (r) => r.total },
  ];
  const regionRows = data.byRegion;
  const regionColumns: TColumn<(typeof regionRows)[number]>[] = [
    { key: "region", label: "Region", value: (r) => r.regionCode, format: (r) => `${r.regionName} (${r.regionCode})` },
    ...HEALTH_ORDER.map((h) => ({ key: KEY[h], label: `${HEALTH_META[h].label} (% of instance-time)`, numeric: true, value: (r: (typeof regionRows)[number]) => r[KEY[h]], format: (r: (typeof regionRows)[number]) => `${r[KEY[h]].toFixed(2)} %` })),
    { key: "hours", label: "Instance-hours", numeric: true, value: (r) => r.instanceHours, format: (r) => formatCount(r.instanceHours) },
  ];
  const worstFirst = [...dcRows].sort((a, b) => b.down + b.degraded - (a.down + a.degraded) || a.code.localeCompare(b.code));

  return (
    <div className="grid gap-3 lg:grid-cols-2">
      <ChartCard
        testId="chart-fleet-health"
        className="lg:col-span-2"
        title="Fleet health over time"
        description={`Share of instance-time degraded, down or unknown, per ${grain} (percent, UTC, stacked); the rest of the time is up (in the table and CSV).`}
        legend={<HealthLegend />}
        columns={seriesColumns}
        rows={series}
        csvName={`fleet-health-${csvSuffix}`}
        empty={series.length === 0 ? { title: "No health samples in this range", reason: "The rollup has no hour or day in the selected range for these filters: the fleet may be new (history starts at the first sample), or the filters match no instance." } : null}
      >
        <div className="h-64">
          <ResponsiveContainer width="100%" height="100%">
            <AreaChart data={series} margin={{ top: 4, right: 8, bottom: 0, left: 0 }}>
              <HealthPatterns dark={dark} />
              <CartesianGrid stroke={gridColor(dark)} strokeDasharray="3 3" vertical={false} />
              <XAxis dataKey="at" tickFormatter={(v: Date) => bucketLabel(v, grain)} stroke={axisColor(dark)} fontSize={11} minTickGap={40} />
              <YAxis
                stroke={axisColor(dark)}
                fontSize={11}
                unit=" %"
                width={56}
                domain={[0, "auto"]}
                label={{ value: "% of instance-time not up", angle: -90, position: "insideLeft", fontSize: 11, fill: axisColor(dark), dy: 70 }}
              />
              <Tooltip
                formatter={(v, name) => [`${Number(v).toFixed(2)} %`, String(name)]}
                labelFormatter={(v) => bucketLabel(v as unknown as Date, grain)}
                contentStyle={{ background: dark ? "#18181b" : "#fff", borderColor: gridColor(dark), fontSize: 12 }}
              />
              {(["DOWN", "DEGRADED", "UNKNOWN"] as const).map((h) => (
                <Area
                  key={h}
                  type="monotone"
                  dataKey={KEY[h]}
                  name={HEALTH_META[h].label}
                  stackId="h"
                  stroke={healthColor(h, dark)}
                  fill={fillOf(h, dark)}
                  fillOpacity={0.85}
                  isAnimationActive={false}
                />
              ))}
            </AreaChart>
          </ResponsiveContainer>
        </div>
      </ChartCard>

      <ChartCard
        testId="chart-health-now-region"
        title="Health now, by region"
        description="Instances in each state right now (count), from the live inventory."
        legend={<HealthLegend />}
        columns={nowColumns}
        rows={nowRows}
        csvName={`health-now-by-region-${csvSuffix}`}
        empty={nowRows.length === 0 ? { title: "No instances", reason: "No instance matches the team and region filters." } : null}
      >
        <div className="h-64">
          <ResponsiveContainer width="100%" height="100%">
            <BarChart data={nowRows} layout="vertical" margin={{ top: 4, right: 8, bottom: 0, left: 0 }}>
              <HealthPatterns dark={dark} />
              <CartesianGrid stroke={gridColor(dark)} strokeDasharray="3 3" horizontal={false} />
              <XAxis type="number" stroke={axisColor(dark)} fontSize={11} allowDecimals={false} label={{ value: "instances", position: "insideBottomRight", fontSize: 11, fill: axisColor(dark), dy: 8 }} />
              <YAxis type="category" dataKey="code" stroke={axisColor(dark)} fontSize={11} width={84} interval={0} />
              <Tooltip contentStyle={{ background: dark ? "#18181b" : "#fff", borderColor: gridColor(dark), fontSize: 12 }} />
              {HEALTH_ORDER.map((h) => (
                <Bar key={h} dataKey={KEY[h]} name={HEALTH_META[h].label} stackId="n" fill={fillOf(h, dark)} isAnimationActive={false} />
              ))}
            </BarChart>
          </ResponsiveContainer>
        </div>
      </ChartCard>

      <ChartCard
        testId="chart-health-region-range"
        title="Availability by region over the range"
        description="Share of instance-time in each state over the whole range (percent)."
        legend={<HealthLegend />}
        columns={regionColumns}
        rows={regionRows}
        csvName={`health-by-region-${csvSuffix}`}
      >
        <ul className="flex max-h-64 flex-col gap-1 overflow-auto text-xs">
          {regionRows.map((r) => (
            <li key={r.regionCode} className="grid grid-cols-[8rem_1fr_4.5rem] items-center gap-2">
              <span className="truncate" title={r.regionName}>{r.regionCode}</span>
              <span className="flex h-2.5 overflow-hidden rounded-sm bg-zinc-100 dark:bg-zinc-800">
                {(["DOWN", "DEGRADED", "UNKNOWN"] as const).map((h) => (
                  <span key={h} style={{ width: `${Math.min(100, r[KEY[h]] * 10)}%`, background: healthColor(h, dark) }} />
                ))}
              </span>
              <span className="text-right tabular-nums">{r.up.toFixed(2)} % up</span>
            </li>
          ))}
        </ul>
        <p className="mt-1 text-[11px] text-zinc-500 dark:text-zinc-400">Bars show time not up, magnified ten times (1 % fills a tenth).</p>
      </ChartCard>

      <ChartCard
        testId="chart-health-now-dc"
        className="lg:col-span-2"
        title="Health now, by data center"
        description="Instances per state in each data center right now; the ones needing attention first."
        columns={dcColumns}
        rows={worstFirst}
        csvName={`health-now-by-data-center-${csvSuffix}`}
      >
        <ul className="grid grid-cols-2 gap-x-4 gap-y-1 text-xs sm:grid-cols-3 xl:grid-cols-4">
          {worstFirst.slice(0, 12).map((d) => (
            <li key={d.code} className="flex items-center justify-between gap-2 border-b border-zinc-100 py-0.5 dark:border-zinc-800">
              <span className="truncate">{d.code}</span>
              <span className="flex items-center gap-2 tabular-nums">
                {(["DOWN", "DEGRADED", "UNKNOWN"] as const).map((h) =>
                  d[KEY[h]] > 0 ? (
                    <span key={h} className="inline-flex items-center gap-0.5" title={`${d[KEY[h]]} ${HEALTH_META[h].label.toLowerCase()}`}>
                      <HealthIcon health={h} className="size-2.5" />
                      {d[KEY[h]]}
                      <span className="sr-only">{HEALTH_META[h].label}</span>
                    </span>
                  ) : null,
                )}
                <span className="inline-flex items-center gap-0.5" title={`${d.up} up`}>
                  <HealthIcon health="UP" className="size-2.5" />
                  {d.up}
                  <span className="sr-only">up</span>
                </span>
              </span>
            </li>
          ))}
        </ul>
      </ChartCard>
    </div>
  );
}
