"use client";

import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import type { TChangeRequestDetail } from "@meridian/api/client";
import { Button, buttonClass } from "@/components/ui/button";
import { useTRPC } from "@/lib/trpc/react";
import { ConfirmDialog } from "./confirm-dialog";
import { inputClass } from "./form-field";
import { crNumber, RiskBadge } from "./labels";
import { useRefreshChange } from "./use-change-mutations";

/** Submit, edit and cancel, shown only to those allowed (the server checks again). */
export function ChangeActions({ detail }: { detail: TChangeRequestDetail }) {
  const trpc = useTRPC();
  const refresh = useRefreshChange(detail.number);
  const [dialog, setDialog] = useState<"submit" | "cancel" | null>(null);
  const [reason, setReason] = useState("");
  const [error, setError] = useState<string | null>(null);
  const submit = useMutation(trpc.changes.submit.mutationOptions());
  const cancel = useMutation(trpc.changes.cancel.mutationOptions());
  const a = detail.actions;
  const cr = crNumber(detail.number);

  const onError = async (err: { message: string; data?: { code?: string } | null }) => {
    setError(err.message);
    if (err.data?.code === "CONFLICT") await refresh();
  };
  const done = async () => {
    setDialog(null);
    setError(null);
    await refresh();
  };

  return (
    <>
      {a.canSubmit ? (
        <Button variant="primary" onClick={() => { setError(null); setDialog("submit"); }} data-testid="submit-change">
          Submit for approval
        </Button>
      ) : null}
      {a.canEdit ? (
        <Link href={`/changes/${detail.number}/edit`} className={buttonClass("secondary")} data-testid="edit-change">
          Edit
        </Link>
      ) : null}
      {a.canCancel ? (
        <Button variant="ghost" onClick={() => { setError(null); setReason(""); setDialog("cancel"); }} data-testid="cancel-change">
          Cancel request
        </Button>
      ) : null}
      <ConfirmDialog
        open={dialog === "submit"}
        title={`Submit ${cr} for approval?`}
        confirmLabel={`Submit ${cr}`}
        busy={submit.isPending}
        error={error}
        onClose={() => setDialog(null)}
        onConfirm={() => submit.mutate({ number: detail.number, expectedVersion: detail.version }, { onSuccess: done, onError })}
      >
        <p className="text-sm text-zinc-700 dark:text-zinc-300">
          {detail.title}. The plan is computed again against the fleet as it is now and routed to its approvers.
        </p>
        <p className="flex items-center gap-2 text-sm">
          Current risk: <RiskBadge level={detail.riskLevel} />
        </p>
      </ConfirmDialog>
      <ConfirmDialog
        open={dialog === "cancel"}
        title={`Cancel ${cr}?`}
        confirmLabel={`Cancel ${cr}`}
        variant="danger"
        busy={cancel.isPending}
        error={error}
        onClose={() => setDialog(null)}
        onConfirm={() => cancel.mutate({ number: detail.number, expectedVersion: detail.version, reason: reason.trim() }, { onSuccess: done, onError })}
      >
        <p className="text-sm text-zinc-700 dark:text-zinc-300">
          {detail.title}. A cancelled request is final: file a new one to do this later.
        </p>
        <label className="flex flex-col gap-1 text-sm">
          <span className="font-medium">
            Reason <span className="font-normal text-zinc-500">(optional, added to the discussion)</span>
          </span>
          <textarea value={reason} onChange={(e) => setReason(e.target.value)} rows={2} maxLength={2000} className={inputClass} />
        </label>
      </ConfirmDialog>
    </>
  );
}

/** The after-the-fact review of a break-glass change. */
export function BreakGlassReview({ detail }: { detail: TChangeRequestDetail }) {
  const trpc = useTRPC();
  const refresh = useRefreshChange(detail.number);
  const [note, setNote] = useState("");
  const [error, setError] = useState<string | null>(null);
  const review = useMutation(trpc.changes.review.mutationOptions());
  if (!detail.review.required) return null;
  return (
    <section className="flex flex-col gap-2 rounded-md border border-rose-200 bg-rose-50/50 p-3 text-sm dark:border-rose-900 dark:bg-rose-950/30" aria-label="Break-glass review">
      <p className="font-medium text-rose-900 dark:text-rose-200">Break-glass change: reviewed after the fact</p>
      {detail.review.reviewedAt ? (
        <p className="text-zinc-700 dark:text-zinc-300">
          Reviewed by {detail.review.reviewedBy?.name}: “{detail.review.note}”
        </p>
      ) : detail.actions.canReview ? (
        <form
          className="flex flex-col gap-2"
          onSubmit={(e) => {
            e.preventDefault();
            review.mutate(
              { number: detail.number, note: note.trim() },
              { onSuccess: async () => { setError(null); await refresh(); }, onError: (err) => setError(err.data?.fieldErrors?.note?.join(" ") ?? err.message) },
            );
          }}
        >
          <label className="flex flex-col gap-1">
            <span>What did the review find?</span>
            <textarea value={note} onChange={(e) => setNote(e.target.value)} rows={2} className={inputClass} />
          </label>
          {error ? <p className="text-rose-700 dark:text-rose-400">{error}</p> : null}
          <div>
            <Button type="submit" disabled={review.isPending}>
              Record the review
            </Button>
          </div>
        </form>
      ) : (
        <p className="text-zinc-700 dark:text-zinc-300">Not reviewed yet.</p>
      )}
    </section>
  );
}
