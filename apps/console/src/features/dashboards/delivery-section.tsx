"use client";

import Link from "next/link";
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { CHANGE_KINDS, CHANGE_KIND_LABELS } from "@meridian/policy";
import type { TChangeDelivery } from "@meridian/api/client";
import { formatCount, formatLag } from "@/lib/format";
import { ChartCard, LegendItem, Stat } from "./chart-section";
import { axisColor, gridColor, isoUtc, seriesColor } from "./chart-theme";
import { type TColumn } from "./csv";
import { useDark } from "./use-dark";

type TOutcome = keyof TChangeDelivery["weeks"][number]["byOutcome"];

/** One colour per state family (done / failed / rolled back / refused / cancelled / blocked / open), colour-blind safe. */
const OUTCOMES: { key: TOutcome; label: string; light: string; dark: string }[] = [
  { key: "SUCCEEDED", label: "Succeeded", light: "#009E73", dark: "#34d399" },
  { key: "FAILED", label: "Failed", light: "#D55E00", dark: "#fb923c" },
  { key: "ROLLED_BACK", label: "Rolled back", light: "#CC79A7", dark: "#f0abfc" },
  { key: "REJECTED", label: "Rejected", light: "#6b7280", dark: "#9ca3af" },
  { key: "CANCELLED", label: "Cancelled", light: "#cbd5e1", dark: "#475569" },
  { key: "BLOCKED", label: "Blocked (policy)", light: "#E69F00", dark: "#fbbf24" },
  { key: "OPEN", label: "Still open", light: "#56B4E9", dark: "#7dd3fc" },
];

const weekLabel = (d: Date | string) => `w/c ${new Date(d).toLocaleDateString("en-GB", { day: "2-digit", month: "short", timeZone: "UTC" })}`;
const tooltipStyle = (dark: boolean) => ({ background: dark ? "#18181b" : "#fff", borderColor: gridColor(dark), fontSize: 12 });

export function DeliverySection({ data, csvSuffix }: { data: TChangeDelivery; csvSuffix: string }) {
  const dark = useDark();
  const weeks = data.weeks.map((w) => ({ weekStart: w.weekStart, total: w.total, ...w.byOutcome, ...Object.fromEntries(Object.entries(w.byKind).map(([k, v]) => [`kind_${k}`, v])) }));
  type TWeek = (typeof weeks)[number];
  const outcomeColumns: TColumn<TWeek>[] = [
    { key: "week", label: "Week starting (UTC, Monday)", value: (r) => isoUtc(r.weekStart).slice(0, 10), format: (r) => weekLabel(r.weekStart) },
    ...OUTCOMES.map((o) => ({ key: o.key, label: `${o.label} (changes)`, numeric: true, value: (r: TWeek) => r[o.key] })),
    { key: "total", label: "Filed (changes)", numeric: true, value: (r) => r.total },
  ];
  const kinds = CHANGE_KINDS.filter((k) => data.weeks.some((w) => w.byKind[k] > 0));
  const kindColumns: TColumn<TWeek>[] = [
    { key: "week", label: "Week starting (UTC, Monday)", value: (r) => isoUtc(r.weekStart).slice(0, 10), format: (r) => weekLabel(r.weekStart) },
    ...kinds.map((k) => ({ key: k, label: `${CHANGE_KIND_LABELS[k]} (changes)`, numeric: true, value: (r: TWeek) => (r as unknown as Record<string, number>)[`kind_${k}`] ?? 0 })),
    { key: "total", label: "Filed (changes)", numeric: true, value: (r) => r.total },
  ];
  type TTeam = TChangeDelivery["byTeam"][number];
  const teamColumns: TColumn<TTeam>[] = [
    { key: "team", label: "Team", value: (r) => r.teamSlug, format: (r) => r.teamName },
    { key: "filed", label: "Filed", numeric: true, value: (r) => r.filed },
    { key: "finished", label: "Finished", numeric: true, value: (r) => r.failureRate.finished },
    { key: "failed", label: "Failed or rolled back", numeric: true, value: (r) => r.failureRate.failed },
    { key: "cfr", label: "Change failure rate (%)", numeric: true, value: (r) => (r.failureRate.rate === null ? null : Math.round(r.failureRate.rate * 1000) / 10), format: (r) => (r.failureRate.rate === null ? "—" : `${(r.failureRate.rate * 100).toFixed(1)} %`) },
    { key: "lead", label: "Lead time p50, filed → done (s)", numeric: true, value: (r) => (r.leadTimeP50 === null ? null : Math.round(r.leadTimeP50)), format: (r) => formatLag(r.leadTimeP50) },
    { key: "waiting", label: "Waiting for approval", numeric: true, value: (r) => r.waiting },
    { key: "oldest", label: "Oldest waiting (s)", numeric: true, value: (r) => r.oldestWaitingSeconds, format: (r) => formatLag(r.oldestWaitingSeconds) },
  ];
  type TWaiting = TChangeDelivery["waiting"][number];
  const waitingColumns: TColumn<TWaiting>[] = [
    { key: "number", label: "Request", value: (r) => `CR-${r.number}` },
    { key: "title", label: "Title", value: (r) => r.title },
    { key: "team", label: "Team", value: (r) => r.teamSlug },
    { key: "submitted", label: "Submitted (UTC)", value: (r) => isoUtc(r.submittedAt) },
    { key: "age", label: "Waiting (s)", numeric: true, value: (r) => r.ageSeconds, format: (r) => formatLag(r.ageSeconds) },
  ];
  const lt = data.leadTimes;
  const cfr = data.failureRate;
  const emptyWeeks = data.filed === 0 ? { title: "No change filed in this range", reason: "No change request was submitted in the selected range for this team; widen the range." } : null;

  return (
    <div className="grid gap-3 lg:grid-cols-2">
      <div className="grid grid-cols-2 gap-2 sm:grid-cols-3 xl:grid-cols-6 lg:col-span-2">
        <Stat testId="stat-filed" label="Changes filed" value={formatCount(data.filed)} hint="submitted in the range" />
        <Stat
          testId="stat-failure-rate"
          label="Change failure rate"
          value={cfr.rate === null ? "—" : `${(cfr.rate * 100).toFixed(1)} %`}
          hint={cfr.rate === null ? "nothing finished yet" : `${cfr.failed} of ${cfr.finished} finished failed or rolled back`}
          tone={cfr.rate !== null && cfr.rate > 0.15 ? "bad" : "neutral"}
        />
        <Stat label="Filed → approved" value={`${formatLag(lt.filedToApproved.p50)}`} hint={`median · p90 ${formatLag(lt.filedToApproved.p90)} · ${lt.filedToApproved.count} req.`} />
        <Stat label="Approved → done" value={`${formatLag(lt.approvedToDone.p50)}`} hint={`median · p90 ${formatLag(lt.approvedToDone.p90)} · ${lt.approvedToDone.count} req.`} />
        <Stat testId="stat-lead-time" label="Lead time, filed → done" value={`${formatLag(lt.filedToDone.p50)}`} hint={`median · p90 ${formatLag(lt.filedToDone.p90)}`} />
        <Stat label="Waiting for approval" value={formatCount(data.waiting.length)} hint={data.waiting[0] ? `oldest ${formatLag(data.waiting[0].ageSeconds)}` : "none now"} />
      </div>

      <ChartCard
        testId="chart-changes-outcome"
        title="Changes per week, by outcome"
        description="Change requests filed each week (count), coloured by where they ended. Weeks with none show as zero."
        legend={
          <div className="flex flex-wrap gap-x-4 gap-y-1">
            {OUTCOMES.map((o) => (
              <LegendItem key={o.key} glyph={<span className="inline-block size-2.5 rounded-sm" style={{ background: dark ? o.dark : o.light }} />} label={o.label} />
            ))}
          </div>
        }
        columns={outcomeColumns}
        rows={weeks}
        csvName={`changes-by-outcome-${csvSuffix}`}
        empty={emptyWeeks}
      >
        <div className="h-64">
          <ResponsiveContainer width="100%" height="100%">
            <BarChart data={weeks} margin={{ top: 4, right: 8, bottom: 0, left: 0 }}>
              <CartesianGrid stroke={gridColor(dark)} strokeDasharray="3 3" vertical={false} />
              <XAxis dataKey="weekStart" tickFormatter={(v: Date) => weekLabel(v)} stroke={axisColor(dark)} fontSize={11} minTickGap={20} />
              <YAxis stroke={axisColor(dark)} fontSize={11} allowDecimals={false} width={40} label={{ value: "changes", angle: -90, position: "insideLeft", fontSize: 11, fill: axisColor(dark), dy: 30 }} />
              <Tooltip labelFormatter={(v) => weekLabel(v as unknown as Date)} contentStyle={tooltipStyle(dark)} />
              {OUTCOMES.map((o) => (
                <Bar key={o.key} dataKey={o.key} name={o.label} stackId="o" fill={dark ? o.dark : o.light} isAnimationActive={false} />
              ))}
            </BarChart>
          </ResponsiveContainer>
        </div>
      </ChartCard>

      <ChartCard
        testId="chart-changes-kind"
        title="Changes per week, by kind"
        description="Change requests filed each week (count), by kind of change."
        legend={
          <div className="flex flex-wrap gap-x-4 gap-y-1">
            {kinds.map((k, i) => (
              <LegendItem key={k} glyph={<span className="inline-block size-2.5 rounded-sm" style={{ background: seriesColor(i, dark) }} />} label={CHANGE_KIND_LABELS[k]} />
            ))}
          </div>
        }
        columns={kindColumns}
        rows={weeks}
        csvName={`changes-by-kind-${csvSuffix}`}
        empty={emptyWeeks}
      >
        <div className="h-64">
          <ResponsiveContainer width="100%" height="100%">
            <BarChart data={weeks} margin={{ top: 4, right: 8, bottom: 0, left: 0 }}>
              <CartesianGrid stroke={gridColor(dark)} strokeDasharray="3 3" vertical={false} />
              <XAxis dataKey="weekStart" tickFormatter={(v: Date) => weekLabel(v)} stroke={axisColor(dark)} fontSize={11} minTickGap={20} />
              <YAxis stroke={axisColor(dark)} fontSize={11} allowDecimals={false} width={40} />
              <Tooltip labelFormatter={(v) => weekLabel(v as unknown as Date)} contentStyle={tooltipStyle(dark)} />
              {kinds.map((k, i) => (
                <Bar key={k} dataKey={`kind_${k}`} name={CHANGE_KIND_LABELS[k]} stackId="k" fill={seriesColor(i, dark)} isAnimationActive={false} />
              ))}
            </BarChart>
          </ResponsiveContainer>
        </div>
      </ChartCard>

      <ChartCard
        testId="chart-delivery-teams"
        className="lg:col-span-2"
        title="Delivery by team"
        description="Per owning team over the range: changes filed and finished, change failure rate ((failed + rolled back) / finished), median lead time, approvals waiting now."
        columns={teamColumns}
        rows={data.byTeam}
        csvName={`delivery-by-team-${csvSuffix}`}
        empty={data.byTeam.length === 0 ? emptyWeeks : null}
      >
        <div className="max-h-72 overflow-auto">
          <table className="w-full text-xs">
            <thead>
              <tr className="text-left text-zinc-500">
                {teamColumns.map((c) => (
                  <th key={c.key} scope="col" className={c.numeric ? "px-2 py-1 text-right font-medium" : "px-2 py-1 font-medium"}>
                    {c.label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {data.byTeam.map((r) => (
                <tr key={r.teamSlug} className="border-t border-zinc-100 dark:border-zinc-800">
                  {teamColumns.map((c) => (
                    <td key={c.key} className={c.numeric ? "px-2 py-0.5 text-right tabular-nums" : "px-2 py-0.5"}>
                      {c.format ? c.format(r) : String(c.value(r) ?? "—")}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </ChartCard>

      <ChartCard
        testId="chart-waiting"
        className="lg:col-span-2"
        title="Approvals waiting, oldest first"
        description="Requests waiting for approval right now and how long they have waited (not bound to the range)."
        columns={waitingColumns}
        rows={data.waiting}
        csvName={`approvals-waiting-${csvSuffix}`}
        empty={data.waiting.length === 0 ? { title: "Nothing is waiting for approval", reason: "Every submitted request has been approved, rejected or cancelled." } : null}
      >
        <ul className="flex flex-col text-xs">
          {data.waiting.slice(0, 10).map((w) => (
            <li key={w.number} className="flex items-center justify-between gap-3 border-b border-zinc-100 py-1 dark:border-zinc-800">
              <Link href={`/changes/${w.number}`} className="truncate text-sky-700 hover:underline dark:text-sky-400">
                CR-{w.number} · {w.title}
              </Link>
              <span className="shrink-0 tabular-nums text-zinc-600 dark:text-zinc-400">
                {w.teamSlug ?? "—"} · {formatLag(w.ageSeconds)}
              </span>
            </li>
          ))}
        </ul>
      </ChartCard>
    </div>
  );
}
