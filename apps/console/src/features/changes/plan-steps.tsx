import type { TChangeRequestDetail } from "@meridian/api/client";
import { Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { formatDuration } from "@/lib/format";

type TPlan = NonNullable<TChangeRequestDetail["plan"]>;

function inputSummary(input: Record<string, unknown>): string {
  return Object.entries(input)
    .filter(([, v]) => v !== null && v !== undefined && typeof v !== "object")
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(" ")
    .slice(0, 240);
}

/** The ordered, named steps of the plan, each with what undoes it. */
export function PlanSteps({ plan, planHash }: { plan: TPlan | null; planHash: string | null }) {
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
                <span className="font-mono" title={JSON.stringify(step.input)}>
                  {inputSummary(step.input)}
                </span>
                {step.compensation ? (
                  <span>
                    <span aria-hidden="true">↩ </span>Undo: <span className="font-mono">{step.compensation.action}</span>{" "}
                    <span className="font-mono text-zinc-500">{inputSummary(step.compensation.input)}</span>
                  </span>
                ) : (
                  <span className="text-zinc-500">Changes nothing: no compensation needed</span>
                )}
              </div>
            </li>
          );
        })}
      </ol>
    </div>
  );
}
