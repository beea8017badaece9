"use client";

import { useId, useState } from "react";
import {
  CHANGE_KIND_LABELS,
  CHANGE_STATUS_LABELS,
  statusFamily,
  type TChangeKind,
  type TChangeStatus,
  type TResidencyVerdict,
  type TRiskLevel,
  type TStatusFamily,
} from "@meridian/policy";
import { Badge, type TBadgeTone } from "@/components/ui/badge";
import { cn } from "@/lib/cn";

/** One colour per status family (ui.md): active, waiting, in progress, done, failed, blocked. */
export const FAMILY_TONES: Record<TStatusFamily, TBadgeTone> = {
  active: "active",
  waiting: "waiting",
  in_progress: "progress",
  done: "done",
  failed: "failed",
  blocked: "blocked",
};

export function ChangeStatusBadge({ status }: { status: TChangeStatus }) {
  return (
    <Badge tone={FAMILY_TONES[statusFamily(status)]} dot title={`Status: ${CHANGE_STATUS_LABELS[status]}`}>
      <span data-testid="change-status" data-status={status}>
        {CHANGE_STATUS_LABELS[status]}
      </span>
    </Badge>
  );
}

const RISK_STYLE: Record<TRiskLevel, { className: string; bars: number }> = {
  LOW: { className: "bg-emerald-50 text-emerald-800 ring-emerald-600/25 dark:bg-emerald-500/10 dark:text-emerald-300", bars: 1 },
  MEDIUM: { className: "bg-amber-50 text-amber-900 ring-amber-600/30 dark:bg-amber-500/10 dark:text-amber-300", bars: 2 },
  HIGH: { className: "bg-orange-100 text-orange-900 ring-orange-600/30 dark:bg-orange-500/15 dark:text-orange-200", bars: 3 },
  CRITICAL: { className: "bg-rose-600 text-white ring-rose-700 dark:bg-rose-500 dark:text-white", bars: 4 },
};

/** Four bars, filled by level: the level reads without colour. */
function RiskBars({ level }: { level: TRiskLevel }) {
  const filled = RISK_STYLE[level].bars;
  return (
    <svg viewBox="0 0 14 10" className="h-2.5 w-3.5" aria-hidden="true">
      {[0, 1, 2, 3].map((i) => (
        <rect key={i} x={i * 3.5} y={8 - i * 2.5} width="2.5" height={2 + i * 2.5} fill="currentColor" opacity={i < filled ? 1 : 0.25} />
      ))}
    </svg>
  );
}

/**
 * Risk as a badge; with `reasons`, the badge is a button that shows why (one click away).
 */
export function RiskBadge({ level, reasons, score }: { level: TRiskLevel | null; reasons?: string[]; score?: number }) {
  const id = useId();
  const [open, setOpen] = useState(false);
  if (!level) return <span className="text-xs text-zinc-500">risk not scored</span>;
  const body = (
    <>
      <RiskBars level={level} />
      <span>{level.charAt(0) + level.slice(1).toLowerCase()} risk</span>
    </>
  );
  const cls = cn(
    "inline-flex items-center gap-1 whitespace-nowrap rounded px-1.5 py-px text-xs font-medium ring-1 ring-inset",
    RISK_STYLE[level].className,
  );
  if (!reasons) return <span className={cls} data-testid="risk-badge" data-risk={level}>{body}</span>;
  return (
    <span className="relative inline-block">
      <button
        type="button"
        className={cn(cls, "cursor-pointer focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-500")}
        aria-expanded={open}
        aria-controls={id}
        onClick={() => setOpen((o) => !o)}
        data-testid="risk-badge"
        data-risk={level}
        title="Why this risk level?"
      >
        {body}
        <svg viewBox="0 0 10 10" className="size-2.5" aria-hidden="true">
          <path d={open ? "M2 6.5 L5 3.5 L8 6.5" : "M2 3.5 L5 6.5 L8 3.5"} fill="none" stroke="currentColor" strokeWidth="1.5" />
        </svg>
      </button>
      {open ? (
        <div
          id={id}
          role="region"
          aria-label="Risk reasons"
          className="absolute left-0 top-full z-30 mt-1 w-80 rounded-md border border-zinc-200 bg-white p-3 text-sm shadow-lg dark:border-zinc-700 dark:bg-zinc-900"
          data-testid="risk-reasons"
        >
          <p className="mb-1 font-medium text-zinc-900 dark:text-zinc-100">
            {level} risk{score !== undefined ? ` (score ${score})` : ""} because:
          </p>
          <ul className="list-disc space-y-0.5 pl-4 text-zinc-700 dark:text-zinc-300">
            {reasons.map((r) => (
              <li key={r}>{r}</li>
            ))}
          </ul>
          <p className="mt-2 text-xs text-zinc-500 dark:text-zinc-400">LOW ≤ 3 &lt; MEDIUM ≤ 6 &lt; HIGH ≤ 9 &lt; CRITICAL</p>
        </div>
      ) : null}
    </span>
  );
}

export const RESIDENCY_LABELS: Record<TResidencyVerdict, string> = {
  WITHIN_HOME: "Stays in home jurisdiction",
  CROSSES_WITHIN_POLICY: "Crosses a border, within policy",
  BLOCKED: "Blocked by residency",
};

export function ResidencyBadge({ verdict }: { verdict: TResidencyVerdict | null }) {
  if (!verdict) return null;
  const tone: TBadgeTone = verdict === "BLOCKED" ? "blocked" : verdict === "CROSSES_WITHIN_POLICY" ? "waiting" : "neutral";
  return (
    <Badge tone={tone} title={RESIDENCY_LABELS[verdict]}>
      <span aria-hidden="true">{verdict === "BLOCKED" ? "⊘" : verdict === "CROSSES_WITHIN_POLICY" ? "⇢" : "⌂"}</span>
      <span data-testid="residency-verdict" data-verdict={verdict}>
        {RESIDENCY_LABELS[verdict]}
      </span>
    </Badge>
  );
}

export function KindLabel({ kind }: { kind: TChangeKind }) {
  return <span title={kind}>{CHANGE_KIND_LABELS[kind]}</span>;
}

export function crNumber(n: number): string {
  return `CR-${n}`;
}
