"use client";

import Link from "next/link";
import { Bar, BarChart, CartesianGrid, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { TReplicationLag } from "@meridian/api/client";
import { formatBytes, formatLag } from "@/lib/format";
import { ChartCard, LegendItem, Stat, Swatch } from "./chart-section";
import { axisColor, bucketLabel, gridColor, isoUtc, seriesColor } from "./chart-theme";
import { type TColumn } from "./csv";
import { useDark } from "./use-dark";

const TIERS = ["T0", "T1", "T2", "T3"] as const;
const tooltipStyle = (dark: boolean) => ({ background: dark ? "#18181b" : "#fff", borderColor: gridColor(dark), fontSize: 12 });
/** Log axes cannot show 0: lag is clamped to 10 ms for drawing only (tables show the value). */
const floor = (v: number | null) => (v === null ? null : Math.max(0.01, v));

export function LagSection({ data, csvSuffix }: { data: TReplicationLag; csvSuffix: string }) {
  const dark = useDark();
  const grain = data.window.grain;
  const points = data.series.filter((p) => p.p50 !== null);
  const drawn = points.map((p) => ({
    at: p.at,
    p50: floor(p.p50),
    p95: floor(p.p95),
    ...Object.fromEntries(TIERS.map((t) => [t, floor(p.tiers[t])])),
  }));
  const slo = Object.fromEntries(data.slos.map((s) => [s.tier, s.seconds])) as Record<(typeof TIERS)[number], number>;

  const seriesColumns: TColumn<(typeof points)[number]>[] = [
    { key: "at", label: "Bucket start (UTC)", value: (r) => isoUtc(r.at), format: (r) => bucketLabel(r.at, grain) },
    { key: "p50", label: "p50 lag (s)", numeric: true, value: (r) => r.p50, format: (r) => formatLag(r.p50) },
    { key: "p95", label: "p95 lag (s)", numeric: true, value: (r) => r.p95, format: (r) => formatLag(r.p95) },
    ...TIERS.map((t) => ({
      key: `p95_${t}`,
      label: `${t} p95 lag (s; SLO ${slo[t]} s)`,
      numeric: true,
      value: (r: (typeof points)[number]) => r.tiers[t],
      format: (r: (typeof points)[number]) => formatLag(r.tiers[t]),
    })),
  ];
  type TRow = TReplicationLag["byRegion"][number];
  const summaryColumns = (what: string): TColumn<TRow>[] => [
    { key: "key", label: what, value: (r) => r.key, format: (r) => (r.name !== r.key ? `${r.name} (${r.key})` : r.key) },
    { key: "p50", label: "p50 lag (s)", numeric: true, value: (r) => r.p50, format: (r) => formatLag(r.p50) },
    { key: "p95", label: "p95 lag (s)", numeric: true, value: (r) => r.p95, format: (r) => formatLag(r.p95) },
    { key: "above", label: "Time above SLO (%)", numeric: true, value: (r) => r.shareAboveSlo, format: (r) => (r.shareAboveSlo === null ? "—" : `${r.shareAboveSlo.toFixed(2)} %`) },
    { key: "aboveHours", label: "Link-hours above SLO", numeric: true, value: (r) => Math.round(r.minutesAboveSlo / 6) / 10 },
  ];
  type TLink = TReplicationLag["worstLinks"][number];
  const linkColumns: TColumn<TLink>[] = [
    { key: "cluster", label: "Cluster", value: (r) => r.clusterName },
    { key: "tier", label: "Tier", value: (r) => r.tier },
    { key: "link", label: "Link", value: (r) => `${r.source} -> ${r.target}` },
    { key: "dcs", label: "Data centers", value: (r) => `${r.sourceDataCenter} -> ${r.targetDataCenter}` },
    { key: "status", label: "Status", value: (r) => r.status },
    { key: "lag", label: "Lag (s)", numeric: true, value: (r) => r.lagSeconds, format: (r) => formatLag(r.lagSeconds) },
    { key: "bytes", label: "Lag (bytes)", numeric: true, value: (r) => r.lagBytes, format: (r) => formatBytes(r.lagBytes) },
    { key: "slo", label: "SLO (s)", numeric: true, value: (r) => r.sloSeconds, format: (r) => formatLag(r.sloSeconds) },
    { key: "ratio", label: "Lag / SLO", numeric: true, value: (r) => r.sloRatio, format: (r) => `${r.sloRatio.toFixed(2)}×` },
  ];
  const worstTier = [...data.byTier].sort((a, b) => (b.shareAboveSlo ?? 0) - (a.shareAboveSlo ?? 0))[0];

  return (
    <div className="grid gap-3 lg:grid-cols-2">
      <div className="grid grid-cols-2 gap-2 sm:grid-cols-4 lg:col-span-2">
        {data.byTier.map((t) => (
          <Stat
            key={t.key}
            testId={`stat-slo-${t.key}`}
            label={`${t.key} · SLO ${formatLag(slo[t.key as (typeof TIERS)[number]])}`}
            value={t.shareAboveSlo === null ? "—" : `${t.shareAboveSlo.toFixed(2)} %`}
            hint={`of link-time above SLO · p95 ${formatLag(t.p95)}`}
            tone={(t.shareAboveSlo ?? 0) > 1 ? "bad" : "neutral"}
          />
        ))}
      </div>

      <ChartCard
        testId="chart-lag-percentiles"
        title="Replication lag, p50 and p95"
        description={`Across links, per ${grain}: p50 of the links' mean lag, p95 of their p95 (seconds, log scale). Dashed lines: each tier's SLO.`}
        legend={
          <div className="flex flex-wrap gap-x-4 gap-y-1">
            <LegendItem glyph={<Swatch color={seriesColor(0, dark)} />} label="p50" />
            <LegendItem glyph={<Swatch color={seriesColor(5, dark)} />} label="p95" />
            <LegendItem glyph={<Swatch color={axisColor(dark)} dashed />} label="tier SLO (T0 tightest)" />
          </div>
        }
        columns={seriesColumns}
        rows={points}
        csvName={`lag-percentiles-${csvSuffix}`}
        empty={points.length === 0 ? { title: "No lag samples in this range", reason: "No replication link under these filters reported lag in the selected range." } : null}
      >
        <div className="h-64">
          <ResponsiveContainer width="100%" height="100%">
            <LineChart data={drawn} margin={{ top: 4, right: 40, bottom: 0, left: 0 }}>
              <CartesianGrid stroke={gridColor(dark)} strokeDasharray="3 3" vertical={false} />
              <XAxis dataKey="at" tickFormatter={(v: Date) => bucketLabel(v, grain)} stroke={axisColor(dark)} fontSize={11} minTickGap={40} />
              <YAxis scale="log" domain={[0.01, 1000]} allowDataOverflow stroke={axisColor(dark)} fontSize={11} width={56} tickFormatter={(v: number) => formatLag(v)} ticks={[0.1, 1, 10, 60, 600]} />
              <Tooltip formatter={(v, name) => [formatLag(Number(v)), String(name)]} labelFormatter={(v) => bucketLabel(v as unknown as Date, grain)} contentStyle={tooltipStyle(dark)} />
              {TIERS.map((t) => (
                <ReferenceLine key={t} y={slo[t]} stroke={axisColor(dark)} strokeDasharray="4 3" label={{ value: `${t} SLO`, position: "right", fontSize: 10, fill: axisColor(dark) }} />
              ))}
              <Line type="monotone" dataKey="p50" name="p50" stroke={seriesColor(0, dark)} dot={false} strokeWidth={1.5} isAnimationActive={false} />
              <Line type="monotone" dataKey="p95" name="p95" stroke={seriesColor(5, dark)} dot={false} strokeWidth={1.5} isAnimationActive={false} />
            </LineChart>
          </ResponsiveContainer>
        </div>
      </ChartCard>

      <ChartCard
        testId="chart-lag-tiers"
        title="p95 lag by tier against its SLO"
        description={`p95 of each tier's links per ${grain} (seconds, log scale); the dashed line of the same colour is that tier's SLO.`}
        legend={
          <div className="flex flex-wrap gap-x-4 gap-y-1">
            {TIERS.map((t, i) => (
              <LegendItem key={t} glyph={<Swatch color={seriesColor(i + 1, dark)} />} label={`${t} (SLO ${formatLag(slo[t])})`} />
            ))}
          </div>
        }
        columns={seriesColumns}
        rows={points}
        csvName={`lag-by-tier-${csvSuffix}`}
        empty={points.length === 0 ? { title: "No lag samples in this range", reason: "No replication link under these filters reported lag in the selected range." } : null}
      >
        <div className="h-64">
          <ResponsiveContainer width="100%" height="100%">
            <LineChart data={drawn} margin={{ top: 4, right: 8, bottom: 0, left: 0 }}>
              <CartesianGrid stroke={gridColor(dark)} strokeDasharray="3 3" vertical={false} />
              <XAxis dataKey="at" tickFormatter={(v: Date) => bucketLabel(v, grain)} stroke={axisColor(dark)} fontSize={11} minTickGap={40} />
              <YAxis scale="log" domain={[0.01, 1000]} allowDataOverflow stroke={axisColor(dark)} fontSize={11} width={56} tickFormatter={(v: number) => formatLag(v)} ticks={[0.1, 1, 10, 60, 600]} />
              <Tooltip formatter={(v, name) => [formatLag(Number(v)), String(name)]} labelFormatter={(v) => bucketLabel(v as unknown as Date, grain)} contentStyle={tooltipStyle(dark)} />
              {TIERS.map((t, i) => (
                <ReferenceLine key={t} y={slo[t]} stroke={seriesColor(i + 1, dark)} strokeDasharray="4 3" />
              ))}
              {TIERS.map((t, i) => (
                <Line key={t} type="monotone" dataKey={t} name={`${t} p95`} stroke={seriesColor(i + 1, dark)} dot={false} strokeWidth={1.5} isAnimationActive={false} connectNulls />
              ))}
            </LineChart>
          </ResponsiveContainer>
        </div>
      </ChartCard>

      <ChartCard
        testId="chart-lag-regions"
        title="Time above SLO, by region"
        description="Share of link-time each region's links spent above their tier's SLO over the range (percent; the region of the replica)."
        legend={worstTier ? <span className="text-zinc-500 dark:text-zinc-400">Most time above SLO by tier: {worstTier.key} ({worstTier.shareAboveSlo?.toFixed(2) ?? "—"} %).</span> : null}
        columns={summaryColumns("Region")}
        rows={data.byRegion}
        csvName={`lag-time-above-slo-by-region-${csvSuffix}`}
      >
        <div className="h-64">
          <ResponsiveContainer width="100%" height="100%">
            <BarChart data={data.byRegion} layout="vertical" margin={{ top: 4, right: 8, bottom: 0, left: 0 }}>
              <CartesianGrid stroke={gridColor(dark)} strokeDasharray="3 3" horizontal={false} />
              <XAxis type="number" unit=" %" stroke={axisColor(dark)} fontSize={11} />
              <YAxis type="category" dataKey="key" stroke={axisColor(dark)} fontSize={11} width={96} interval={0} />
              <Tooltip formatter={(v) => [`${Number(v).toFixed(2)} %`, "time above SLO"]} contentStyle={tooltipStyle(dark)} />
              <Bar dataKey="shareAboveSlo" name="Time above SLO" fill={seriesColor(5, dark)} isAnimationActive={false} />
            </BarChart>
          </ResponsiveContainer>
        </div>
      </ChartCard>

      <ChartCard
        testId="chart-worst-links"
        title="Ten worst links now"
        description="Live lag against the SLO of the source cluster's tier, worst ratio first. Each opens the cluster's topology with the replica selected."
        columns={linkColumns}
        rows={data.worstLinks}
        csvName={`worst-links-${csvSuffix}`}
        empty={data.worstLinks.length === 0 ? { title: "No replication links", reason: "No link matches the team and region filters." } : null}
      >
        <ol className="flex flex-col text-xs">
          {data.worstLinks.map((l) => (
            <li key={l.id} className="grid grid-cols-[1fr_auto_auto] items-center gap-3 border-b border-zinc-100 py-1 dark:border-zinc-800">
              <Link
                href={`/topology?cluster=${encodeURIComponent(l.clusterName)}&select=${encodeURIComponent(`instance:${l.target}`)}`}
                className="truncate text-sky-700 underline-offset-2 hover:underline focus-visible:outline-2 focus-visible:outline-sky-500 dark:text-sky-400"
                title={`${l.source} → ${l.target}`}
              >
                {l.clusterName} · {l.sourceDataCenter} → {l.targetDataCenter}
              </Link>
              <span className="tabular-nums">
                {formatLag(l.lagSeconds)} <span className="text-zinc-500">/ {formatLag(l.sloSeconds)} ({l.tier})</span>
              </span>
              <span className={l.sloRatio > 1 ? "font-semibold tabular-nums text-rose-700 dark:text-rose-400" : "tabular-nums text-zinc-500"}>{l.sloRatio.toFixed(2)}×</span>
            </li>
          ))}
        </ol>
      </ChartCard>
    </div>
  );
}
