"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { CHANGE_KIND_LABELS } from "@meridian/policy";
import type { TChangeRequestDetail } from "@meridian/api/client";
import { Badge, JurisdictionPill } from "@/components/ui/badge";
import { PageHeader } from "@/components/ui/page-header";
import { RelativeTime } from "@/components/ui/relative-time";
import { cn } from "@/lib/cn";
import { formatUtc } from "@/lib/format";
import { useTRPC } from "@/lib/trpc/react";
import { QueryError } from "@/features/inventory/query-error";
import { EXECUTION_STATUSES, ExecutionPanel } from "@/features/executions/execution-panel";
import { ApprovalPanel } from "./approval-panel";
import { BlastRadius } from "./blast-radius";
import { BreakGlassReview, ChangeActions } from "./change-actions";
import { CommentThread } from "./comment-thread";
import { ChangeStatusBadge, crNumber, ResidencyBadge, RiskBadge } from "./labels";
import { PlanSteps } from "./plan-steps";

const TABS = [
  { id: "plan", label: "Plan" },
  { id: "blast", label: "Blast radius" },
  { id: "details", label: "Parameters & checks" },
] as const;
type TTab = (typeof TABS)[number]["id"];

function ResidencyCallout({ detail }: { detail: TChangeRequestDetail }) {
  const r = detail.preview?.residency;
  if (detail.residencyVerdict === "BLOCKED")
    return (
      <div role="note" className="rounded-md border border-violet-300 bg-violet-50 px-4 py-3 text-sm text-violet-950 dark:border-violet-800 dark:bg-violet-950/40 dark:text-violet-100" data-testid="residency-blocked">
        <p className="font-semibold">Blocked by the residency policy: no approval can allow this change.</p>
        <p className="mt-1 font-mono text-xs" data-testid="residency-rule">
          {detail.residencyRule}
        </p>
        <p className="mt-1">Edit the request to target an allowed jurisdiction, or cancel it.</p>
      </div>
    );
  if (detail.residencyVerdict === "CROSSES_WITHIN_POLICY" && r)
    return (
      <div role="note" className="rounded-md border border-amber-300 bg-amber-50 px-4 py-3 text-sm text-amber-950 dark:border-amber-800 dark:bg-amber-950/40 dark:text-amber-100">
        {r.perCluster.map((c) => (
          <p key={c.clusterId}>{c.summary}</p>
        ))}
      </div>
    );
  return null;
}

export function ChangeDetail({ number }: { number: number }) {
  const trpc = useTRPC();
  const query = useQuery(trpc.changes.get.queryOptions({ number }));
  const [tab, setTab] = useState<TTab>("plan");
  if (query.isError && !query.data) return <div className="p-6"><QueryError error={query.error} onRetry={() => void query.refetch()} /></div>;
  const d = query.data;
  if (!d) return null;
  const p = d.preview;

  return (
    <div className="flex flex-col gap-5 px-6 py-5">
      <PageHeader
        crumbs={[{ label: "Changes", href: "/changes" }, { label: crNumber(d.number) }]}
        title={
          <>
            <span className="font-mono text-zinc-500 dark:text-zinc-400">{crNumber(d.number)}</span> {d.title}
          </>
        }
        badges={
          <>
            <ChangeStatusBadge status={d.status} />
            <RiskBadge level={d.riskLevel} reasons={d.riskReasons} score={p?.riskScore} />
            <ResidencyBadge verdict={d.residencyVerdict} />
            {d.breakGlass ? <Badge tone="failed">break-glass</Badge> : null}
          </>
        }
        actions={<ChangeActions detail={d} />}
        description={
          <>
            {CHANGE_KIND_LABELS[d.kind]}
            {d.cluster ? (
              <>
                {" "}on{" "}
                <Link href={`/inventory/clusters/${encodeURIComponent(d.cluster.name)}`} className="font-medium text-sky-700 hover:underline dark:text-sky-400">
                  {d.cluster.name}
                </Link>{" "}
                ({d.cluster.tier}, {d.cluster.classification.toLowerCase()}, team {d.cluster.team.name}, home <JurisdictionPill code={d.cluster.homeJurisdiction} />)
              </>
            ) : null}{" "}
            · filed by {d.requester.name}
            {d.filedByToken ? ` via API token ${d.filedByToken.name}` : ""} <RelativeTime date={d.createdAt} />
          </>
        }
      />
      <ResidencyCallout detail={d} />
      {p?.schedule.freezeNow ? (
        <p className="rounded-md border border-sky-300 bg-sky-50 px-3 py-2 text-sm text-sky-900 dark:border-sky-800 dark:bg-sky-950 dark:text-sky-200">
          {p.schedule.freezeNow}: the change cannot run until the freeze ends.
        </p>
      ) : null}
      {p?.warnings.length ? (
        <ul className="rounded-md border border-amber-300 bg-amber-50 px-4 py-2 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-200" aria-label="Warnings">
          {p.warnings.map((w) => (
            <li key={w}>⚠ {w}</li>
          ))}
        </ul>
      ) : null}
      {EXECUTION_STATUSES.includes(d.status) ? <ExecutionPanel number={d.number} requestStatus={d.status} /> : null}
      <div className="grid gap-5 xl:grid-cols-[minmax(0,1fr)_24rem]">
        <div className="flex min-w-0 flex-col gap-3">
          <div role="tablist" aria-label="Request details" className="flex gap-1 border-b border-zinc-200 dark:border-zinc-800">
            {TABS.map((t) => (
              <button
                key={t.id}
                role="tab"
                type="button"
                id={`tab-${t.id}`}
                aria-selected={tab === t.id}
                aria-controls={`panel-${t.id}`}
                onClick={() => setTab(t.id)}
                className={cn(
                  "-mb-px border-b-2 px-3 py-1.5 text-sm focus-visible:outline-2 focus-visible:outline-sky-500",
                  tab === t.id ? "border-zinc-900 font-medium text-zinc-900 dark:border-zinc-100 dark:text-zinc-100" : "border-transparent text-zinc-600 hover:text-zinc-900 dark:text-zinc-400",
                )}
              >
                {t.label}
                {t.id === "plan" && d.plan ? <span className="ml-1 text-xs text-zinc-500">({d.plan.steps.length})</span> : null}
              </button>
            ))}
          </div>
          <div role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`}>
            {tab === "plan" ? <PlanSteps plan={d.plan} planHash={d.planHash} planNames={d.planNames} /> : null}
            {tab === "blast" ? (p ? <BlastRadius preview={p} /> : <p className="text-sm text-zinc-500">No preview.</p>) : null}
            {tab === "details" ? <ParametersAndChecks detail={d} /> : null}
          </div>
        </div>
        <aside className="flex flex-col gap-4">
          {d.stages.length || d.status === "DRAFT" ? <ApprovalPanel detail={d} /> : null}
          <BreakGlassReview detail={d} />
          <dl className="grid grid-cols-[8rem_1fr] gap-x-3 gap-y-1.5 rounded-md border border-zinc-200 bg-white p-4 text-sm dark:border-zinc-800 dark:bg-zinc-900">
            <dt className="text-zinc-500">Requester</dt>
            <dd>
              {d.requester.name}
              {d.filedByToken ? (
                <span className="block text-xs text-zinc-500">
                  via API token {d.filedByToken.name} (mrd_{d.filedByToken.prefix}_…)
                </span>
              ) : null}
            </dd>
            <dt className="text-zinc-500">Window</dt>
            <dd>
              {d.window ? (
                <span title={d.window.reason}>
                  {formatUtc(d.window.startsAt)} → {formatUtc(d.window.endsAt)} {d.window.dataCenterCode ? `(${d.window.dataCenterCode})` : "(fleet-wide)"}
                </span>
              ) : (
                <span className="text-zinc-500">{p?.schedule.note ?? "none asked"}</span>
              )}
            </dd>
            <dt className="text-zinc-500">Created</dt>
            <dd><RelativeTime date={d.createdAt} /></dd>
            <dt className="text-zinc-500">Submitted</dt>
            <dd>{d.submittedAt ? <RelativeTime date={d.submittedAt} /> : "—"}</dd>
            <dt className="text-zinc-500">Decided</dt>
            <dd>{d.decidedAt ? <RelativeTime date={d.decidedAt} /> : "—"}</dd>
          </dl>
        </aside>
      </div>
      {d.description ? (
        <section aria-label="Why" className="max-w-3xl text-sm text-zinc-800 dark:text-zinc-200">
          <h2 className="mb-1 text-sm font-semibold">Why</h2>
          <p className="whitespace-pre-wrap">{d.description}</p>
        </section>
      ) : null}
      <div className="max-w-3xl">
        <CommentThread detail={d} />
      </div>
    </div>
  );
}

function ParametersAndChecks({ detail }: { detail: TChangeRequestDetail }) {
  const review = detail.preview?.schemaReview;
  return (
    <div className="flex flex-col gap-4">
      <dl className="grid grid-cols-[12rem_1fr] gap-x-3 gap-y-1 rounded-md border border-zinc-200 bg-white p-4 text-sm dark:border-zinc-800 dark:bg-zinc-900">
        {Object.entries(detail.params).map(([k, v]) => (
          <div key={k} className="contents">
            <dt className="text-zinc-500">{k}</dt>
            <dd className="break-all font-mono text-xs">{typeof v === "string" ? v : JSON.stringify(v)}</dd>
          </div>
        ))}
        <dt className="text-zinc-500">plan hash</dt>
        <dd className="break-all font-mono text-xs">{detail.planHash}</dd>
      </dl>
      {review ? (
        <section aria-label="Schema review" className="flex flex-col gap-1">
          <h3 className="text-sm font-semibold">Schema review: {review.ok ? "passes" : "fails"}</h3>
          {review.findings.length === 0 ? <p className="text-sm text-zinc-600">No finding.</p> : null}
          <ul className="flex flex-col gap-1 text-sm">
            {review.findings.map((f, i) => (
              <li key={i} className={f.severity === "error" ? "text-rose-700 dark:text-rose-400" : "text-amber-800 dark:text-amber-300"}>
                <span className="font-mono text-xs">{f.rule}</span> {f.statementIndex > 0 ? `(statement ${f.statementIndex})` : ""}: {f.message}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {detail.riskReasons.length ? (
        <section aria-label="Risk" className="text-sm">
          <h3 className="font-semibold">Risk: {detail.riskLevel}</h3>
          <ul className="list-disc pl-5 text-zinc-700 dark:text-zinc-300">
            {detail.riskReasons.map((r) => (
              <li key={r}>{r}</li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}
