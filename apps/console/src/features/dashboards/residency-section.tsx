"use client";

import Link from "next/link";
import type { TResidencyPosture } from "@meridian/api/client";
import { RESIDENCY_FIX_TITLES, residencyFixHref } from "@/features/changes/form-prefill";
import { cn } from "@/lib/cn";
import { formatCount } from "@/lib/format";
import { ChartCard, Stat } from "./chart-section";
import { isoUtc } from "./chart-theme";
import { type TColumn } from "./csv";

/** A jurisdiction code in a neutral pill (ui.md). */
function Pill({ code }: { code: string }) {
  return <span className="rounded-full border border-zinc-300 px-1.5 py-px text-[10px] font-semibold tracking-wide text-zinc-700 dark:border-zinc-600 dark:text-zinc-300">{code}</span>;
}

export function ResidencySection({ data, csvSuffix }: { data: TResidencyPosture; csvSuffix: string }) {
  type TFinding = TResidencyPosture["openFindings"][number];
  const findingColumns: TColumn<TFinding>[] = [
    { key: "cluster", label: "Cluster", value: (r) => r.clusterName },
    { key: "team", label: "Team", value: (r) => r.teamSlug },
    { key: "subject", label: "What", value: (r) => (r.subject === "INSTANCE" ? "Instance" : "Link") },
    { key: "name", label: "Instance or link", value: (r) => r.subjectName },
    { key: "dc", label: "Data center", value: (r) => r.dataCenterCode },
    { key: "jurisdiction", label: "Jurisdiction", value: (r) => r.jurisdictionCode },
    { key: "allowed", label: "Allowed jurisdictions", value: (r) => r.allowedJurisdictions.join(" ") },
    { key: "rule", label: "Rule", value: (r) => r.rule },
    { key: "since", label: "Open since (UTC)", value: (r) => isoUtc(r.firstSeenAt) },
  ];
  type TPair = TResidencyPosture["matrix"][number];
  const pairColumns: TColumn<TPair>[] = [
    { key: "from", label: "From jurisdiction", value: (r) => r.from },
    { key: "to", label: "To jurisdiction", value: (r) => r.to },
    { key: "links", label: "Links", numeric: true, value: (r) => r.links },
    { key: "out", label: "Out of policy", numeric: true, value: (r) => r.outOfPolicy },
  ];
  type TBlocked = TResidencyPosture["blocked"][number];
  const blockedColumns: TColumn<TBlocked>[] = [
    { key: "number", label: "Request", value: (r) => `CR-${r.number}` },
    { key: "title", label: "Title", value: (r) => r.title },
    { key: "cluster", label: "Cluster", value: (r) => r.clusterName },
    { key: "rule", label: "Rule that blocked it", value: (r) => r.rule },
    { key: "filed", label: "Filed (UTC)", value: (r) => isoUtc(r.createdAt) },
  ];
  const cells = new Map(data.matrix.map((m) => [`${m.from}>${m.to}`, m]));
  const max = Math.max(1, ...data.matrix.map((m) => m.links));
  const js = data.jurisdictions;

  return (
    <div className="grid gap-3 lg:grid-cols-2">
      <div className="grid grid-cols-2 gap-2 sm:grid-cols-4 lg:col-span-2">
        <Stat
          testId="stat-residency-findings"
          label="Clusters out of policy"
          value={formatCount(data.clustersOutOfPolicy)}
          hint={data.openFindingCount === 0 ? "none: every placement is within policy" : `${data.openFindingCount} open finding(s)`}
          tone={data.openFindingCount === 0 ? "good" : "bad"}
        />
        <Stat label="Cross-jurisdiction links" value={formatCount(data.matrix.reduce((s, m) => s + m.links, 0))} hint={`${js.length} jurisdictions involved`} />
        <Stat label="Blocked requests" value={formatCount(data.blockedCount)} hint="in the range, by residency or policy" />
        <Stat label="Rules that blocked" value={formatCount(data.blockedByRule.length)} hint={data.blockedByRule[0]?.rule ?? "none"} />
      </div>

      <ChartCard
        testId="chart-residency-findings"
        className="lg:col-span-2"
        title="Data outside its allowed jurisdictions"
        description="Open residency findings: instances in, and links replicating into, a data center outside the cluster's allowed jurisdictions. Should be empty."
        columns={findingColumns}
        rows={data.openFindings}
        csvName={`residency-findings-${csvSuffix}`}
        empty={
          data.openFindings.length === 0
            ? { title: "No cluster holds data outside its allowed jurisdictions", reason: "The residency sweep (every minute and after relevant writes) found every instance and link within policy." }
            : null
        }
      >
        <ul className="flex max-h-72 flex-col overflow-auto text-xs">
          {data.openFindings.map((f) => (
            <li key={f.id} className="flex flex-wrap items-center gap-x-3 gap-y-0.5 border-b border-zinc-100 py-1 dark:border-zinc-800">
              <span aria-hidden="true" className="font-bold text-rose-600 dark:text-rose-400" title="residency finding">
                ⚑
              </span>
              <Link href={`/inventory/clusters/${encodeURIComponent(f.clusterName)}`} className="font-medium text-sky-700 hover:underline dark:text-sky-400">
                {f.clusterName}
              </Link>
              <span>{f.subject === "INSTANCE" ? "instance" : "link"} {f.subjectName}</span>
              <span className="inline-flex items-center gap-1">
                in {f.dataCenterCode} <Pill code={f.jurisdictionCode} />
              </span>
              <span className="inline-flex items-center gap-1 text-zinc-500">
                allowed: {f.allowedJurisdictions.map((j) => <Pill key={j} code={j} />)}
              </span>
              <Link href={`/admin/residency?cluster=${encodeURIComponent(f.clusterName)}`} className="text-sky-700 hover:underline dark:text-sky-400">
                residency policy
              </Link>
              <Link
                href={residencyFixHref(f)}
                className="text-sky-700 hover:underline dark:text-sky-400"
                title={RESIDENCY_FIX_TITLES[f.fixKind]}
              >
                file a change to fix it
              </Link>
            </li>
          ))}
        </ul>
      </ChartCard>

      <ChartCard
        testId="chart-jurisdiction-matrix"
        title="Cross-jurisdiction links, by jurisdiction pair"
        description="Replication links now from the source's jurisdiction (rows) to the target's (columns), count. Darker: more links; a dashed outline: some are out of policy."
        legend={<span className="text-zinc-500 dark:text-zinc-400">Cells with a dashed rose outline hold links outside the source cluster&apos;s allowed jurisdictions.</span>}
        columns={pairColumns}
        rows={data.matrix}
        csvName={`jurisdiction-pairs-${csvSuffix}`}
        empty={data.matrix.length === 0 ? { title: "No link crosses a jurisdiction", reason: "Every replication link under these filters stays within one jurisdiction." } : null}
      >
        <div className="overflow-auto">
          <table className="text-xs">
            <thead>
              <tr>
                <th scope="col" className="px-1 py-1 text-left text-[10px] font-medium text-zinc-500">from ↓ to →</th>
                {js.map((j) => (
                  <th key={j} scope="col" className="px-1 py-1 text-center">
                    <Pill code={j} />
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {js.map((from) => (
                <tr key={from}>
                  <th scope="row" className="px-1 py-0.5 text-left">
                    <Pill code={from} />
                  </th>
                  {js.map((to) => {
                    const c = cells.get(`${from}>${to}`);
                    const alpha = c ? 0.12 + 0.75 * (c.links / max) : 0;
                    return (
                      <td key={to} className="p-0.5">
                        <span
                          className={cn(
                            "flex h-7 min-w-9 items-center justify-center rounded-sm tabular-nums",
                            c?.outOfPolicy ? "outline-2 outline-dashed outline-rose-600 dark:outline-rose-400" : "",
                            from === to ? "bg-zinc-100 text-zinc-400 dark:bg-zinc-800" : "",
                          )}
                          style={c ? { background: `rgba(0, 114, 178, ${alpha})`, color: alpha > 0.5 ? "#fff" : undefined } : undefined}
                          title={c ? `${from} → ${to}: ${c.links} link(s)${c.outOfPolicy ? `, ${c.outOfPolicy} out of policy` : ""}` : `${from} → ${to}: none`}
                        >
                          {c ? c.links : from === to ? "·" : ""}
                        </span>
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </ChartCard>

      <ChartCard
        testId="chart-blocked"
        title="Blocked requests and the rules that blocked them"
        description="Change requests refused before approval in the range, newest first, with the rule (residency or policy) named."
        legend={
          data.blockedByRule.length ? (
            <span className="text-zinc-500 dark:text-zinc-400">
              By rule: {data.blockedByRule.map((r) => `${r.rule} (${r.count})`).join(", ")}
            </span>
          ) : null
        }
        columns={blockedColumns}
        rows={data.blocked}
        csvName={`blocked-requests-${csvSuffix}`}
        empty={data.blocked.length === 0 ? { title: "No request was blocked in this range", reason: "No change request under these filters hit a residency or policy rule." } : null}
      >
        <ul className="flex max-h-72 flex-col overflow-auto text-xs">
          {data.blocked.map((b) => (
            <li key={b.number} className="flex flex-col border-b border-zinc-100 py-1 dark:border-zinc-800">
              <Link href={`/changes/${b.number}`} className="truncate text-sky-700 hover:underline dark:text-sky-400">
                CR-{b.number} · {b.title}
              </Link>
              <span className="truncate text-zinc-500 dark:text-zinc-400" title={b.rule ?? undefined}>
                {b.rule ?? "no rule recorded"}
              </span>
            </li>
          ))}
        </ul>
      </ChartCard>
    </div>
  );
}
