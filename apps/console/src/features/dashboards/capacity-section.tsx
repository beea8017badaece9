"use client";

import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { TCapacity } from "@meridian/api/client";
import { formatCount } from "@/lib/format";
import { ChartCard, LegendItem, Stat } from "./chart-section";
import { axisColor, gridColor, seriesColor } from "./chart-theme";
import { type TColumn } from "./csv";
import { useDark } from "./use-dark";

export function CapacitySection({ data, csvSuffix }: { data: TCapacity; csvSuffix: string }) {
  const dark = useDark();
  type TRow = TCapacity["dataCenters"][number];
  const rows = data.dataCenters.map((d) => ({ ...d, freeShown: Math.max(0, d.free) }));
  const columns: TColumn<TRow>[] = [
    { key: "dc", label: "Data center", value: (r) => r.code, format: (r) => `${r.name} (${r.code})` },
    { key: "region", label: "Region", value: (r) => r.regionCode },
    { key: "status", label: "Status", value: (r) => r.status },
    { key: "slots", label: "Slots", numeric: true, value: (r) => r.slots },
    { key: "used", label: "Used (instances)", numeric: true, value: (r) => r.used },
    { key: "free", label: "Free slots", numeric: true, value: (r) => r.free },
    { key: "util", label: "Utilisation (%)", numeric: true, value: (r) => r.utilisation, format: (r) => (r.utilisation === null ? "—" : `${r.utilisation.toFixed(1)} %`) },
    { key: "near", label: "Near full", value: (r) => (r.nearFull ? "yes" : "no") },
  ];
  const near = data.dataCenters.filter((d) => d.nearFull);
  const threshold = Math.round(data.nearFullThreshold * 100);
  return (
    <div className="grid gap-3 lg:grid-cols-3">
      <div className="grid grid-cols-2 gap-2 sm:grid-cols-4 lg:col-span-3">
        <Stat label="Slots" value={formatCount(data.totals.slots)} hint="instance slots in these data centers" />
        <Stat label="Used" value={formatCount(data.totals.used)} hint={data.totals.slots ? `${((data.totals.used / data.totals.slots) * 100).toFixed(1)} % of slots` : undefined} />
        <Stat label="Free" value={formatCount(data.totals.free)} hint="negative when over capacity" />
        <Stat testId="stat-near-full" label="Near full" value={formatCount(data.totals.nearFull)} hint={`at ${threshold} % or more`} tone={data.totals.nearFull > 0 ? "bad" : "good"} />
      </div>
      <ChartCard
        testId="chart-capacity"
        className="lg:col-span-2"
        title="Used and free instance slots, per data center"
        description="Slots now (count), fullest first; every instance takes one slot."
        legend={
          <div className="flex flex-wrap gap-x-4">
            <LegendItem glyph={<span className="inline-block size-2.5 rounded-sm" style={{ background: seriesColor(0, dark) }} />} label="used" />
            <LegendItem glyph={<span className="inline-block size-2.5 rounded-sm border border-zinc-400" style={{ background: dark ? "#3f3f46" : "#e4e4e7" }} />} label="free" />
          </div>
        }
        columns={columns}
        rows={data.dataCenters}
        csvName={`capacity-${csvSuffix}`}
        empty={data.dataCenters.length === 0 ? { title: "No data center", reason: "No data center is in the selected region." } : null}
      >
        <div style={{ height: Math.max(160, rows.length * 18 + 40) }}>
          <ResponsiveContainer width="100%" height="100%">
            <BarChart data={rows} layout="vertical" margin={{ top: 4, right: 8, bottom: 0, left: 0 }} barCategoryGap={2}>
              <CartesianGrid stroke={gridColor(dark)} strokeDasharray="3 3" horizontal={false} />
              <XAxis type="number" stroke={axisColor(dark)} fontSize={11} allowDecimals={false} label={{ value: "instance slots", position: "insideBottomRight", fontSize: 11, fill: axisColor(dark), dy: 8 }} />
              <YAxis type="category" dataKey="code" stroke={axisColor(dark)} fontSize={10} width={72} interval={0} />
              <Tooltip contentStyle={{ background: dark ? "#18181b" : "#fff", borderColor: gridColor(dark), fontSize: 12 }} />
              <Bar dataKey="used" name="Used" stackId="c" fill={seriesColor(0, dark)} isAnimationActive={false} />
              <Bar dataKey="freeShown" name="Free" stackId="c" fill={dark ? "#3f3f46" : "#e4e4e7"} isAnimationActive={false} />
            </BarChart>
          </ResponsiveContainer>
        </div>
      </ChartCard>
      <ChartCard
        testId="chart-near-full"
        title="Data centers near full"
        description={`Utilisation at ${threshold} % of slots or more: where new replicas will not fit for long.`}
        columns={columns}
        rows={near}
        csvName={`near-full-${csvSuffix}`}
        empty={near.length === 0 ? { title: "No data center is near full", reason: `Every data center here uses less than ${threshold} % of its slots.` } : null}
      >
        <ul className="flex flex-col text-xs">
          {near.map((d) => (
            <li key={d.code} className="flex items-center justify-between border-b border-zinc-100 py-1 dark:border-zinc-800">
              <span>
                {d.code} <span className="text-zinc-500">· {d.status.toLowerCase()}</span>
              </span>
              <span className="tabular-nums">
                {d.used}/{d.slots} · {d.utilisation?.toFixed(1)} %
              </span>
            </li>
          ))}
        </ul>
      </ChartCard>
    </div>
  );
}
