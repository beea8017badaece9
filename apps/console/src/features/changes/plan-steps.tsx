"use client";

import { useState } from "react";
import type { TChangeRequestDetail, TPlanName } from "@meridian/api/client";
import { Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { formatDuration } from "@/lib/format";

type TPlan = NonNullable<TChangeRequestDetail["plan"]>;
type TNames = Record<string, TPlanName>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** "clusterId" -> "cluster", "targetDataCenterId" -> "target data center", "maxLagSeconds" -> "max lag seconds". */
function keyLabel(key: string): string {
  return key
    .replace(/Ids?$/, "")
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .toLowerCase();
}

interface TInputPart {
  key: string;
  label: string;
  /** What people read: a name or code, or the value itself. */
  text: string;
  /** The data center's full name, an instance's role and place... */
  detail: string | null;
  /** The raw id, when the value is one. */
  id: string | null;
}

function inputParts(input: Record<string, unknown>, names: TNames): TInputPart[] {
  return Object.entries(input)
    .filter(([, v]) => v !== null && v !== undefined && typeof v !== "object")
    .map(([key, v]) => {
      const value = String(v);
      if (typeof v === "string" && UUID.test(value)) {
        const named = names[value.toLowerCase()];
        return { key, label: keyLabel(key), text: named?.label ?? `${value.slice(0, 8)}…`, detail: named?.detail ?? null, id: value };
      }
      return { key, label: keyLabel(key), text: value.length > 120 ? `${value.slice(0, 120)}…` : value, detail: null, id: null };
    });
}

function InputSummary({ parts }: { parts: TInputPart[] }) {
  if (parts.length === 0) return <span className="text-zinc-500">no inputs</span>;
  return (
    <span className="flex flex-wrap gap-x-3 gap-y-0.5" data-testid="plan-step-inputs">
      {parts.map((p) => (
        <span key={p.key} title={p.detail ?? undefined}>
          <span className="text-zinc-500">{p.label}</span>{" "}
          <span className={p.id ? "font-medium text-zinc-800 dark:text-zinc-200" : "font-mono"}>{p.text}</span>
        </span>
      ))}
    </span>
  );
}

function CopyButton({ value, label }: { value: string; label: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <button
      type="button"
      className="rounded border border-zinc-300 px-1.5 text-[11px] text-zinc-600 hover:bg-zinc-100 focus-visible:outline focus-visible:outline-2 focus-visible:outline-blue-600 dark:border-zinc-700 dark:text-zinc-300 dark:hover:bg-zinc-800"
      aria-label={`Copy the id of ${label}`}
      onClick={() => {
        void navigator.clipboard?.writeText(value).then(() => {
          setCopied(true);
          setTimeout(() => setCopied(false), 1_500);
        });
      }}
    >
      {copied ? "copied" : "copy"}
    </button>
  );
}

/** The ids behind the names, one click away. */
function StepIds({ parts }: { parts: TInputPart[] }) {
  const withIds = parts.filter((p) => p.id);
  if (withIds.length === 0) return null;
  return (
    <details className="group text-xs" data-testid="plan-step-ids">
      <summary className="w-fit cursor-pointer select-none text-zinc-500 hover:text-zinc-800 dark:hover:text-zinc-200">
        ids ({withIds.length})
      </summary>
      <dl className="mt-1 grid grid-cols-[max-content_1fr] gap-x-3 gap-y-0.5">
        {withIds.map((p) => (
          <div key={p.key} className="contents">
            <dt className="text-zinc-500">
              {p.key} <span className="text-zinc-400">({p.text})</span>
            </dt>
            <dd className="flex items-center gap-2">
              <code className="break-all font-mono">{p.id}</code>
              <CopyButton value={p.id!} label={`${p.label} ${p.text}`} />
            </dd>
          </div>
        ))}
      </dl>
    </details>
  );
}

/** The ordered, named steps of the plan, each with what undoes it; ids shown by name and code. */
export function PlanSteps({ plan, planHash, planNames = {} }: { plan: TPlan | null; planHash: string | null; planNames?: TNames }) {
  if (!plan) return <EmptyState compact title="No plan">The request could not be planned yet.</EmptyState>;
  return (
    <div className="flex flex-col gap-2">
      <p className="text-xs text-zinc-600 dark:text-zinc-400">
        {plan.steps.length} steps, run in order; if one fails, the compensations of the steps already done run in reverse order. Plan hash{" "}
        <code className="font-mono" title={planHash ?? undefined} data-testid="plan-hash">
          {planHash?.slice(0, 16)}…
        </code>{" "}
        (what approvers approve; the executor re-checks it).
      </p>
      <ol className="flex flex-col divide-y divide-zinc-100 rounded-md border border-zinc-200 bg-white dark:divide-zinc-800 dark:border-zinc-800 dark:bg-zinc-900">
        {plan.steps.map((step, i) => {
          const header = step.group && step.group !== plan.steps[i - 1]?.group ? step.group : null;
          const parts = inputParts(step.input, planNames);
          const undoParts = step.compensation ? inputParts(step.compensation.input, planNames) : [];
          const allParts = [...parts, ...undoParts.filter((u) => !parts.some((p) => p.key === u.key && p.id === u.id))];
          return (
            <li key={step.id} className="flex flex-col gap-1 px-3 py-2" data-testid="plan-step">
              {header ? <p className="text-xs font-semibold uppercase tracking-wide text-zinc-500">{header}</p> : null}
              <div className="flex flex-wrap items-baseline gap-2">
                <span className="w-7 shrink-0 text-right font-mono text-xs tabular-nums text-zinc-500">{i + 1}.</span>
                <span className="text-sm font-medium text-zinc-900 dark:text-zinc-100">{step.name}</span>
                <Badge mono>{step.action}</Badge>
                <span className="text-xs text-zinc-500 dark:text-zinc-400">
                  up to {step.retry.maxAttempts} attempt{step.retry.maxAttempts > 1 ? "s" : ""} · timeout {formatDuration(step.timeoutMs / 1000)}
                </span>
              </div>
              <div className="ml-9 flex flex-col gap-0.5 text-xs text-zinc-600 dark:text-zinc-400">
                <InputSummary parts={parts} />
                {step.compensation ? (
                  <span className="flex flex-wrap items-baseline gap-x-1">
                    <span aria-hidden="true">↩ </span>Undo: <span className="font-mono">{step.compensation.action}</span>{" "}
                    <InputSummary parts={undoParts} />
                  </span>
                ) : (
                  <span className="text-zinc-500">Changes nothing: no compensation needed</span>
                )}
                <StepIds parts={allParts} />
              </div>
            </li>
          );
        })}
      </ol>
    </div>
  );
}
