"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useEffect, useRef, useState } from "react";
import type { TExecutionItem, TExecutionStatus, TExecutionStepItem, TRequestExecutions, TStepStatus } from "@meridian/api/client";
import type { TChangeStatus } from "@meridian/policy";
import { Badge, type TBadgeTone } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { RelativeTime } from "@/components/ui/relative-time";
import { cn } from "@/lib/cn";
import { formatLag } from "@/lib/format";
import { useTRPC } from "@/lib/trpc/react";
import { ConfirmDialog } from "@/features/changes/confirm-dialog";
import { inputClass } from "@/features/changes/form-field";
import { useRefreshChange } from "@/features/changes/use-change-mutations";

/** Request statuses whose page shows the execution section (approved or later). */
export const EXECUTION_STATUSES: readonly TChangeStatus[] = ["APPROVED", "SCHEDULED", "RUNNING", "SUCCEEDED", "FAILED", "ROLLED_BACK", "CANCELLED"];

const EXECUTION_LABEL: Record<TExecutionStatus, { label: string; tone: TBadgeTone }> = {
  QUEUED: { label: "Queued", tone: "waiting" },
  RUNNING: { label: "Running", tone: "progress" },
  PAUSED: { label: "Paused", tone: "waiting" },
  COMPENSATING: { label: "Rolling back", tone: "progress" },
  SUCCEEDED: { label: "Succeeded", tone: "done" },
  FAILED: { label: "Failed", tone: "failed" },
  ROLLED_BACK: { label: "Rolled back", tone: "failed" },
  CANCELLED: { label: "Cancelled", tone: "done" },
};

/** Step statuses: a glyph as well as a colour (never colour alone). */
const STEP_LABEL: Record<TStepStatus, { label: string; tone: TBadgeTone; glyph: string }> = {
  PENDING: { label: "Pending", tone: "neutral", glyph: "○" },
  RUNNING: { label: "Running", tone: "progress", glyph: "◐" },
  SUCCEEDED: { label: "Succeeded", tone: "active", glyph: "●" },
  FAILED: { label: "Failed", tone: "failed", glyph: "✕" },
  SKIPPED: { label: "Skipped", tone: "neutral", glyph: "–" },
  COMPENSATING: { label: "Undoing", tone: "progress", glyph: "↩" },
  COMPENSATED: { label: "Undone", tone: "done", glyph: "↩" },
  COMPENSATION_FAILED: { label: "Undo failed", tone: "failed", glyph: "✕" },
};

/** Milliseconds as the console writes step durations: "1.4 s", then "3 m 10 s". */
export function formatStepDuration(ms: number | null): string {
  return ms === null ? "—" : formatLag(ms / 1000);
}

function ExecutionBadge({ status }: { status: TExecutionStatus }) {
  const s = EXECUTION_LABEL[status];
  return (
    <Badge tone={s.tone} dot title={`Execution: ${s.label}`}>
      <span data-testid="execution-status" data-status={status}>
        {s.label}
      </span>
    </Badge>
  );
}

/** The client's clock corrected by the server's, ticking every second while `live`. */
function useServerClock(serverNow: Date | undefined, fetchedAt: number, live: boolean): number {
  const offset = serverNow ? new Date(serverNow).getTime() - fetchedAt : 0;
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!live) return;
    const t = setInterval(() => setNow(Date.now()), 1_000);
    return () => clearInterval(t);
  }, [live]);
  return Math.max(now, fetchedAt) + offset;
}

function ProgressBar({ execution, now }: { execution: TExecutionItem; now: number }) {
  const { progress } = execution;
  const start = execution.startedAt ? new Date(execution.startedAt).getTime() : null;
  const end = execution.finishedAt ? new Date(execution.finishedAt).getTime() : now;
  const elapsed = start === null ? null : Math.max(0, end - start);
  const rollback = progress.direction === "rollback";
  const label = rollback
    ? `Rolling back: ${progress.done} of ${progress.total} undone`
    : `Step ${progress.step} of ${progress.of}`;
  const percent = execution.status === "SUCCEEDED" ? 100 : progress.percent;
  return (
    <div className="flex flex-col gap-1" data-testid="execution-progress">
      <div className="flex flex-wrap items-baseline justify-between gap-2 text-sm">
        <span className="font-medium" data-testid="execution-step-of">
          {label}
        </span>
        <span className="tabular-nums text-zinc-600 dark:text-zinc-400" data-testid="execution-elapsed">
          {elapsed === null ? "not started" : `elapsed ${formatStepDuration(elapsed)}`}
        </span>
      </div>
      <div
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
        aria-valuetext={`${label}, ${percent}%`}
        className="h-2 overflow-hidden rounded-full bg-zinc-200 dark:bg-zinc-800"
      >
        <div
          className={cn(
            "h-full rounded-full transition-[width] duration-500",
            execution.status === "FAILED" || execution.status === "ROLLED_BACK" || rollback ? "bg-rose-500" : execution.status === "SUCCEEDED" ? "bg-emerald-500" : "bg-sky-500",
          )}
          style={{ width: `${percent}%` }}
        />
      </div>
    </div>
  );
}

function StepRow({ step, now }: { step: TExecutionStepItem; now: number }) {
  const [open, setOpen] = useState(false);
  const s = STEP_LABEL[step.status];
  const running = step.status === "RUNNING" || step.status === "COMPENSATING";
  const duration = step.durationMs ?? (running && step.startedAt ? Math.max(0, now - new Date(step.startedAt).getTime()) : null);
  const logId = `step-log-${step.index}`;
  return (
    <li className="flex flex-col gap-1 px-3 py-2" data-testid="execution-step" data-status={step.status} data-index={step.index}>
      <div className="flex flex-wrap items-center gap-2">
        <span className="w-7 shrink-0 text-right font-mono text-xs tabular-nums text-zinc-500">{step.index + 1}.</span>
        <Badge tone={s.tone} title={`Step: ${s.label}`}>
          <span aria-hidden="true">{s.glyph}</span>
          {s.label}
        </Badge>
        <span className="min-w-0 flex-1 text-sm text-zinc-900 dark:text-zinc-100">{step.name}</span>
        <span className="text-xs tabular-nums text-zinc-500" title="Attempts started / allowed">
          attempt {step.attempt}/{step.maxAttempts}
          {step.compensationAttempts > 0 ? ` · undo ${step.compensationAttempts}` : ""}
        </span>
        <span className="w-20 text-right text-xs tabular-nums text-zinc-700 dark:text-zinc-300" data-testid="step-duration">
          {formatStepDuration(duration)}
        </span>
        {step.log.length ? (
          <button
            type="button"
            aria-expanded={open}
            aria-controls={logId}
            onClick={() => setOpen((o) => !o)}
            className="rounded px-1.5 text-xs text-sky-700 hover:underline focus-visible:outline-2 focus-visible:outline-sky-500 dark:text-sky-400"
          >
            {open ? "Hide log" : `Log (${step.log.length})`}
          </button>
        ) : null}
      </div>
      {step.error ? (
        <p className="ml-9 text-xs text-rose-700 dark:text-rose-400" data-testid="step-error">
          <span aria-hidden="true">✕ </span>
          {step.error}
        </p>
      ) : null}
      {open ? (
        <pre id={logId} className="ml-9 max-h-48 overflow-auto whitespace-pre-wrap rounded bg-zinc-50 p-2 font-mono text-xs text-zinc-700 dark:bg-zinc-950 dark:text-zinc-300">
          {step.log.join("\n")}
        </pre>
      ) : null}
    </li>
  );
}

type TDialog = "pause" | "resume" | "cancel" | "retry" | null;

function Controls({ data, execution, onDone }: { data: TRequestExecutions; execution: TExecutionItem; onDone: () => Promise<unknown> }) {
  const trpc = useTRPC();
  const [dialog, setDialog] = useState<TDialog>(null);
  const [reason, setReason] = useState("");
  const [error, setError] = useState<string | null>(null);
  const pause = useMutation(trpc.executions.pause.mutationOptions());
  const resume = useMutation(trpc.executions.resume.mutationOptions());
  const cancel = useMutation(trpc.executions.cancel.mutationOptions());
  const retry = useMutation(trpc.executions.retryStep.mutationOptions());
  const c = execution.controls;
  if (!data.canOperate) return null;
  const cr = `CR-${data.request.number}`;
  const base = { number: data.request.number, executionId: execution.id };
  const handlers = {
    onSuccess: async () => {
      setDialog(null);
      setError(null);
      await onDone();
    },
    onError: async (err: { message: string }) => {
      setError(err.message);
      await onDone();
    },
  };
  const open = (d: TDialog) => {
    setError(null);
    setReason("");
    setDialog(d);
  };
  const retryStep = c.retryStepIndex === null ? null : execution.steps[c.retryStepIndex];
  return (
    <div className="flex flex-wrap gap-2" aria-label="Execution controls">
      {c.canPause ? (
        <Button onClick={() => open("pause")} data-testid="execution-pause">
          Pause
        </Button>
      ) : null}
      {c.canResume ? (
        <Button variant="primary" onClick={() => open("resume")} data-testid="execution-resume">
          Resume
        </Button>
      ) : null}
      {c.canRetry ? (
        <Button onClick={() => open("retry")} data-testid="execution-retry">
          Retry step
        </Button>
      ) : null}
      {c.canCancel ? (
        <Button variant="danger" onClick={() => open("cancel")} data-testid="execution-cancel">
          Cancel and roll back
        </Button>
      ) : null}
      <ConfirmDialog
        open={dialog === "pause"}
        title={`Pause ${cr}?`}
        confirmLabel={`Pause ${cr}`}
        busy={pause.isPending}
        error={error}
        onClose={() => setDialog(null)}
        onConfirm={() => pause.mutate(base, handlers)}
      >
        <p className="text-sm text-zinc-700 dark:text-zinc-300">The step running now finishes; no further step starts until someone resumes {cr}.</p>
      </ConfirmDialog>
      <ConfirmDialog
        open={dialog === "resume"}
        title={`Resume ${cr}?`}
        confirmLabel={`Resume ${cr}`}
        busy={resume.isPending}
        error={error}
        onClose={() => setDialog(null)}
        onConfirm={() => resume.mutate(base, handlers)}
      >
        <p className="text-sm text-zinc-700 dark:text-zinc-300">A worker continues {cr} with its next step.</p>
      </ConfirmDialog>
      <ConfirmDialog
        open={dialog === "retry"}
        title={`Retry a step of ${cr}?`}
        confirmLabel={`Retry step ${retryStep ? retryStep.index + 1 : ""} of ${cr}`}
        busy={retry.isPending}
        error={error}
        onClose={() => setDialog(null)}
        onConfirm={() => retry.mutate({ ...base, ...(c.retryStepIndex === null ? {} : { stepIndex: c.retryStepIndex }) }, handlers)}
      >
        <p className="text-sm text-zinc-700 dark:text-zinc-300">
          {execution.status === "FAILED" ? "The compensation of" : "Step"} {retryStep ? `${retryStep.index + 1}. ${retryStep.name}` : "the failed step"} runs again
          {execution.status === "FAILED" ? ", then the rollback continues." : ", then the execution continues."}
        </p>
      </ConfirmDialog>
      <ConfirmDialog
        open={dialog === "cancel"}
        title={`Cancel ${cr} and roll it back?`}
        confirmLabel={`Cancel and roll back ${cr}`}
        variant="danger"
        busy={cancel.isPending}
        error={error}
        onClose={() => setDialog(null)}
        onConfirm={() => cancel.mutate({ ...base, reason: reason.trim() }, handlers)}
      >
        <p className="text-sm text-zinc-700 dark:text-zinc-300">
          {execution.startedAt
            ? `The steps of ${cr} already done are undone in reverse order; the request ends rolled back.`
            : `${cr} has not started: it is cancelled and nothing runs.`}
        </p>
        <label className="flex flex-col gap-1 text-sm">
          <span className="font-medium">
            Reason <span className="font-normal text-zinc-500">(optional, in the step log and the audit trail)</span>
          </span>
          <textarea value={reason} onChange={(e) => setReason(e.target.value)} rows={2} maxLength={2000} className={inputClass} />
        </label>
      </ConfirmDialog>
    </div>
  );
}

/**
 * The execution of a change request: steps with status, attempt, duration, log and error; a
 * progress bar "step n of m" with the elapsed time; live (refetched every second until the
 * execution ends); operator controls for those allowed (the server checks again).
 */
export function ExecutionPanel({ number, requestStatus }: { number: number; requestStatus: TChangeStatus }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const refreshChange = useRefreshChange(number);
  const query = useQuery({
    ...trpc.executions.forRequest.queryOptions({ number }),
    refetchInterval: (q) => {
      const d = q.state.data;
      if (!d) return 1_000;
      if (d.execution) return d.execution.terminal ? false : 1_000;
      // Approved, no execution yet: a worker picks it up within a second or two.
      if (d.request.status === "APPROVED" || d.request.status === "RUNNING") return 1_000;
      if (d.request.status === "SCHEDULED") return 5_000;
      return false;
    },
  });
  const data = query.data;
  const execution = data?.execution ?? null;
  const now = useServerClock(data?.serverNow, query.dataUpdatedAt, Boolean(execution && !execution.terminal));

  // The header's status badge follows the execution: refresh the request when its status moved.
  const seen = useRef<TChangeStatus>(requestStatus);
  useEffect(() => {
    seen.current = requestStatus;
  }, [requestStatus]);
  const liveStatus = data?.request.status;
  useEffect(() => {
    if (liveStatus && liveStatus !== seen.current) {
      seen.current = liveStatus;
      void refreshChange();
    }
  }, [liveStatus, refreshChange]);

  // A request cancelled (or failed) before it ever ran: nothing to show.
  if (data && !execution && !(["APPROVED", "SCHEDULED", "RUNNING"] as TChangeStatus[]).includes(data.request.status)) return null;

  const onDone = () => Promise.all([queryClient.invalidateQueries(trpc.executions.forRequest.queryFilter({ number })), refreshChange()]);

  return (
    <section aria-labelledby="execution-title" className="flex flex-col gap-3 rounded-md border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900" data-testid="execution-panel">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <div className="flex flex-wrap items-center gap-2">
          <h2 id="execution-title" className="text-sm font-semibold">
            Execution
          </h2>
          {execution ? <ExecutionBadge status={execution.status} /> : null}
          {execution && execution.attempt > 1 ? <span className="text-xs text-zinc-500">attempt {execution.attempt}</span> : null}
          {execution?.leaseOwner && !execution.terminal ? (
            <span className="font-mono text-xs text-zinc-500" title="Worker holding the lease">
              {execution.leaseOwner}
            </span>
          ) : null}
        </div>
        {data && execution ? <Controls data={data} execution={execution} onDone={onDone} /> : null}
      </div>
      {query.isError && !data ? <p className="text-sm text-rose-700 dark:text-rose-400">Could not load the execution: {query.error.message}</p> : null}
      {data && !execution ? (
        <p className="text-sm text-zinc-600 dark:text-zinc-400" data-testid="execution-waiting">
          {data.request.status === "SCHEDULED"
            ? "Scheduled: a worker starts it when its maintenance window opens."
            : data.request.status === "APPROVED"
              ? "Approved: waiting for a worker to pick it up…"
              : "A worker is starting it…"}
        </p>
      ) : null}
      {execution ? (
        <>
          <ProgressBar execution={execution} now={now} />
          {execution.waitingFor ? (
            <p role="status" className="rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:border-amber-900 dark:bg-amber-950/40 dark:text-amber-200" data-testid="execution-waiting">
              {execution.waitingFor}
            </p>
          ) : null}
          {execution.error ? (
            <p role="note" className="rounded-md border border-rose-200 bg-rose-50 px-3 py-2 text-sm text-rose-900 dark:border-rose-900 dark:bg-rose-950/40 dark:text-rose-200" data-testid="execution-error">
              {execution.error}
            </p>
          ) : null}
          {execution.status === "FAILED" ? (
            <p className="text-sm text-rose-800 dark:text-rose-300">
              A compensation failed: fix the step by hand, then retry it{data?.canOperate ? "" : " (a DBA or an administrator can)"}.
            </p>
          ) : null}
          {execution.status === "SUCCEEDED" && data?.request.clusterName ? (
            <p className="text-sm text-emerald-800 dark:text-emerald-300" data-testid="execution-result">
              <span aria-hidden="true">● </span>Done <RelativeTime date={execution.finishedAt ?? execution.updatedAt} />. See the new state of{" "}
              <Link href={`/inventory/clusters/${encodeURIComponent(data.request.clusterName)}`} className="font-medium text-sky-700 hover:underline dark:text-sky-400" data-testid="execution-cluster-link">
                {data.request.clusterName}
              </Link>{" "}
              in the inventory, or in its{" "}
              <Link href={`/topology?cluster=${encodeURIComponent(data.request.clusterName)}`} className="font-medium text-sky-700 hover:underline dark:text-sky-400">
                topology
              </Link>
              .
            </p>
          ) : null}
          <ol className="flex flex-col divide-y divide-zinc-100 rounded-md border border-zinc-200 dark:divide-zinc-800 dark:border-zinc-800" aria-label="Execution steps">
            {execution.steps.map((step) => (
              <StepRow key={step.index} step={step} now={now} />
            ))}
          </ol>
          {data && data.previous.length ? (
            <p className="text-xs text-zinc-500">
              Earlier attempts: {data.previous.map((p) => `#${p.attempt} ${EXECUTION_LABEL[p.status].label.toLowerCase()}`).join(", ")}
            </p>
          ) : null}
        </>
      ) : null}
    </section>
  );
}
