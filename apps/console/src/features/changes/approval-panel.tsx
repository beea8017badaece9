"use client";

import { useMutation } from "@tanstack/react-query";
import { useId, useState } from "react";
import { ROLE_LABELS, type TApprovalDecision, type TRole } from "@meridian/policy";
import type { TChangeRequestDetail } from "@meridian/api/client";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { RelativeTime } from "@/components/ui/relative-time";
import { cn } from "@/lib/cn";
import { useTRPC } from "@/lib/trpc/react";
import { ConfirmDialog } from "./confirm-dialog";
import { inputClass } from "./form-field";
import { crNumber } from "./labels";
import { useRefreshChange } from "./use-change-mutations";

function StageMark({ satisfied, rejected, open }: { satisfied: boolean; rejected: boolean; open: boolean }) {
  if (rejected)
    return (
      <span className="inline-flex items-center gap-1 text-xs font-medium text-rose-700 dark:text-rose-400">
        <span aria-hidden="true">✕</span> rejected
      </span>
    );
  if (satisfied)
    return (
      <span className="inline-flex items-center gap-1 text-xs font-medium text-emerald-700 dark:text-emerald-400">
        <span aria-hidden="true">✓</span> satisfied
      </span>
    );
  return (
    <span className="inline-flex items-center gap-1 text-xs text-amber-800 dark:text-amber-300">
      <span aria-hidden="true">◌</span> {open ? "waiting" : "opens later"}
    </span>
  );
}

/**
 * Each approval stage with who acted, what is still missing, and the approve / reject buttons
 * for the stages the viewer may act on now (the server checks again).
 */
export function ApprovalPanel({ detail }: { detail: TChangeRequestDetail }) {
  const trpc = useTRPC();
  const refresh = useRefreshChange(detail.number);
  const id = useId();
  const [dialog, setDialog] = useState<{ decision: TApprovalDecision; stage: string } | null>(null);
  const [comment, setComment] = useState("");
  const [error, setError] = useState<string | null>(null);
  const decide = useMutation(trpc.approvals.decide.mutationOptions());
  const a = detail.actions;
  const high = detail.riskLevel === "HIGH" || detail.riskLevel === "CRITICAL";

  function open(decision: TApprovalDecision, stage: string) {
    setDialog({ decision, stage });
    setComment("");
    setError(null);
  }

  function confirm() {
    if (!dialog || !detail.planHash) return;
    if (dialog.decision === "REJECT" && comment.trim().length < 3) {
      setError("Say why you reject the request (at least 3 characters).");
      return;
    }
    decide.mutate(
      { number: detail.number, stage: dialog.stage, decision: dialog.decision, comment: comment.trim(), planHash: detail.planHash },
      {
        onSuccess: async () => {
          setDialog(null);
          await refresh();
        },
        onError: async (err) => {
          setError(err.data?.fieldErrors?.comment?.join(" ") ?? err.message);
          if (err.data?.code === "CONFLICT") await refresh();
        },
      },
    );
  }

  return (
    <section aria-labelledby={`${id}-title`} className="flex flex-col gap-3 rounded-md border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900" data-testid="approval-panel">
      <div>
        <h2 id={`${id}-title`} className="text-sm font-semibold">
          Approvals
        </h2>
        {detail.approvalPolicyName ? (
          <p className="text-xs text-zinc-600 dark:text-zinc-400" title={detail.routingNotes.join("\n")}>
            {detail.routingNotes[0] ?? `Policy ${detail.approvalPolicyName}`}
          </p>
        ) : (
          <p className="text-xs text-zinc-600 dark:text-zinc-400">Stages are routed when the request is submitted.</p>
        )}
      </div>
      {detail.routingNotes.length > 1 ? (
        <ul className="list-disc pl-4 text-xs text-zinc-600 dark:text-zinc-400">
          {detail.routingNotes.slice(1).map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      ) : null}
      <ol className="flex flex-col gap-2">
        {detail.stages.map((s) => {
          const canApprove = a.approvableStages.includes(s.name);
          const canReject = a.rejectableStages.includes(s.name);
          return (
            <li
              key={s.name}
              className={cn("flex flex-col gap-1.5 rounded border px-3 py-2", s.satisfied ? "border-emerald-200 dark:border-emerald-900" : "border-zinc-200 dark:border-zinc-700")}
              data-testid="approval-stage"
              data-stage={s.name}
              data-satisfied={s.satisfied}
            >
              <div className="flex flex-wrap items-center justify-between gap-2">
                <span className="text-sm font-medium">
                  {s.name}{" "}
                  <span className="font-normal text-zinc-600 dark:text-zinc-400">
                    · {ROLE_LABELS[s.role as TRole]}
                    {s.team === "owner" ? " of the owning team" : ""} · {s.approvedBy.length}/{s.quorum}
                    {s.parallelGroup > 0 ? ` · step ${s.parallelGroup + 1}` : ""}
                  </span>
                </span>
                <StageMark satisfied={s.satisfied} rejected={s.rejectedBy !== null} open={s.open} />
              </div>
              {s.approvers.length || s.rejectedBy ? (
                <ul className="text-xs text-zinc-700 dark:text-zinc-300">
                  {s.approvers.map((p) => (
                    <li key={p.id}>
                      <span aria-hidden="true">✓ </span>
                      {p.name} approved
                    </li>
                  ))}
                  {s.rejectedBy ? (
                    <li className="text-rose-700 dark:text-rose-400">
                      <span aria-hidden="true">✕ </span>
                      {s.rejectedBy.name} rejected: “{s.rejectedBy.comment}”
                    </li>
                  ) : null}
                </ul>
              ) : null}
              {canApprove || canReject ? (
                <div className="flex gap-2">
                  {canApprove ? (
                    <Button variant="primary" onClick={() => open("APPROVE", s.name)} data-testid={`approve-${s.name}`}>
                      Approve
                    </Button>
                  ) : null}
                  {canReject ? (
                    <Button variant="danger" onClick={() => open("REJECT", s.name)} data-testid={`reject-${s.name}`}>
                      Reject
                    </Button>
                  ) : null}
                </div>
              ) : null}
            </li>
          );
        })}
      </ol>
      {detail.waitingFor.length ? (
        <div className="text-xs text-zinc-700 dark:text-zinc-300">
          <p className="font-medium">Waiting for</p>
          <ul className="list-disc pl-4">
            {detail.waitingFor.map((w) => (
              <li key={w}>{w}</li>
            ))}
          </ul>
        </div>
      ) : null}
      {a.decisionBlockedReason ? (
        <p className="rounded border border-zinc-200 bg-zinc-50 px-2 py-1.5 text-xs text-zinc-700 dark:border-zinc-700 dark:bg-zinc-800 dark:text-zinc-300" data-testid="decision-blocked">
          You cannot decide on this request: {a.decisionBlockedReason}.
        </p>
      ) : null}
      {detail.approvals.length ? (
        <details className="text-xs">
          <summary className="cursor-pointer text-zinc-600 dark:text-zinc-400">Every decision ({detail.approvals.length})</summary>
          <ul className="mt-1 flex flex-col gap-1">
            {detail.approvals.map((r) => (
              <li key={r.id} className={cn(!r.counts && "text-zinc-500 line-through decoration-zinc-400")}>
                {r.approver.name} {r.decision === "APPROVE" ? "approved" : "rejected"} in {r.stage} <RelativeTime date={r.createdAt} />
                {r.comment ? `: “${r.comment}”` : ""}
                {r.ignoredBecause ? (
                  <Badge className="ml-1 no-underline" tone="neutral">
                    {r.ignoredBecause}
                  </Badge>
                ) : null}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
      <ConfirmDialog
        open={dialog !== null}
        title={dialog ? `${dialog.decision === "APPROVE" ? "Approve" : "Reject"} ${crNumber(detail.number)}?` : ""}
        confirmLabel={dialog ? `${dialog.decision === "APPROVE" ? "Approve" : "Reject"} ${crNumber(detail.number)}` : ""}
        variant={dialog?.decision === "REJECT" ? "danger" : "primary"}
        busy={decide.isPending}
        error={error}
        onConfirm={confirm}
        onClose={() => setDialog(null)}
      >
        <p className="text-sm text-zinc-700 dark:text-zinc-300">
          {detail.title}
          {detail.cluster ? ` on ${detail.cluster.name}` : ""}, stage <span className="font-medium">{dialog?.stage}</span>.{" "}
          {dialog?.decision === "REJECT" ? "A rejection ends the request." : "You approve this exact plan; a changed plan voids your approval."}
        </p>
        {high && dialog?.decision === "APPROVE" ? (
          <p className="rounded-md border border-orange-300 bg-orange-50 px-3 py-2 text-sm text-orange-900 dark:border-orange-800 dark:bg-orange-950 dark:text-orange-200">
            {detail.riskLevel} risk: {detail.riskReasons.slice(0, 3).join("; ")}
          </p>
        ) : null}
        <label className="flex flex-col gap-1 text-sm">
          <span className="font-medium">
            Comment{dialog?.decision === "REJECT" ? "" : <span className="font-normal text-zinc-500"> (optional)</span>}
          </span>
          <textarea value={comment} onChange={(e) => setComment(e.target.value)} rows={3} maxLength={4000} className={inputClass} data-testid="decision-comment" />
        </label>
      </ConfirmDialog>
    </section>
  );
}
