"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useRef, useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { controlClass } from "@/components/ui/field";
import { cn } from "@/lib/cn";
import { useTRPC } from "@/lib/trpc/react";
import { DATA_CENTER_STATUS_HELP, DATA_CENTER_STATUS_LABELS, DataCenterStatusBadge, type TDataCenterStatus } from "./labels";

const STATUSES = Object.keys(DATA_CENTER_STATUS_LABELS) as TDataCenterStatus[];
const DISRUPTIVE: ReadonlySet<TDataCenterStatus> = new Set(["DRAINING", "OFFLINE"]);

/**
 * "Change status" on a data center: a dialog that names the target in its confirm button.
 * Rendered only for users allowed `dataCenter.updateStatus`; the server refuses everyone else.
 * Sends the status the user saw, so a concurrent change is reported instead of overwritten.
 */
export function ChangeStatusControl({
  code,
  name,
  status,
  onChanged,
}: {
  code: string;
  name: string;
  status: TDataCenterStatus;
  onChanged: (message: string) => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const id = useId();
  const dialogRef = useRef<HTMLDialogElement>(null);
  const [next, setNext] = useState<TDataCenterStatus>(status);
  const [reason, setReason] = useState("");
  const [error, setError] = useState<string | null>(null);

  const mutation = useMutation(trpc.inventory.updateDataCenterStatus.mutationOptions());

  function open() {
    setNext(status);
    setReason("");
    setError(null);
    mutation.reset();
    dialogRef.current?.showModal();
  }

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    if (next === status) {
      setError(`${code} is already ${DATA_CENTER_STATUS_LABELS[status]}. Pick another status.`);
      return;
    }
    setError(null);
    mutation.mutate(
      { code, status: next, expectedStatus: status, reason: reason.trim() || undefined },
      {
        onSuccess: async (result) => {
          dialogRef.current?.close();
          // Show the new status at once; the refetch below brings the rest up to date.
          queryClient.setQueryData(trpc.inventory.getDataCenter.queryKey({ code }), (old) =>
            old ? { ...old, status: result.status, updatedAt: result.updatedAt } : old,
          );
          onChanged(
            `Status of ${result.code} changed from ${DATA_CENTER_STATUS_LABELS[result.previousStatus]} to ${DATA_CENTER_STATUS_LABELS[result.status]}.`,
          );
          await Promise.all([
            queryClient.invalidateQueries(trpc.inventory.getDataCenter.queryFilter()),
            queryClient.invalidateQueries(trpc.inventory.listDataCenters.queryFilter()),
          ]);
        },
        onError: async (err) => {
          setError(err.message);
          if (err.data?.code === "CONFLICT") await queryClient.invalidateQueries(trpc.inventory.getDataCenter.queryFilter());
        },
      },
    );
  }

  const disruptive = DISRUPTIVE.has(next) && next !== status;

  return (
    <>
      <Button onClick={open} data-testid="change-status">
        Change status
      </Button>
      <dialog
        ref={dialogRef}
        aria-labelledby={`${id}-title`}
        className="m-auto w-full max-w-md rounded-lg border border-zinc-200 bg-white p-0 text-zinc-900 shadow-xl backdrop:bg-zinc-950/40 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100"
      >
        <form onSubmit={onSubmit} className="flex flex-col gap-4 p-5">
          <div>
            <h2 id={`${id}-title`} className="text-base font-semibold">
              Change status of {code}
            </h2>
            <p className="mt-0.5 flex items-center gap-2 text-sm text-zinc-600 dark:text-zinc-400">
              {name} is now <DataCenterStatusBadge status={status} />
            </p>
          </div>
          <fieldset className="flex flex-col gap-1.5">
            <legend className="mb-1 text-sm font-medium">New status</legend>
            {STATUSES.map((s) => (
              <label
                key={s}
                className={cn(
                  "flex cursor-pointer items-start gap-2.5 rounded-md border px-3 py-2 text-sm",
                  next === s ? "border-sky-500 bg-sky-50 dark:bg-sky-950" : "border-zinc-200 dark:border-zinc-700",
                )}
              >
                <input
                  type="radio"
                  name="status"
                  value={s}
                  checked={next === s}
                  onChange={() => setNext(s)}
                  className="mt-0.5 accent-sky-600"
                />
                <span className="flex flex-col">
                  <span className="font-medium">
                    {DATA_CENTER_STATUS_LABELS[s]}
                    {s === status ? <span className="font-normal text-zinc-500"> (current)</span> : null}
                  </span>
                  <span className="text-xs text-zinc-600 dark:text-zinc-400">{DATA_CENTER_STATUS_HELP[s]}</span>
                </span>
              </label>
            ))}
          </fieldset>
          <label className="flex flex-col gap-1 text-sm">
            <span className="font-medium">
              Reason <span className="font-normal text-zinc-500">(optional)</span>
            </span>
            <textarea
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              maxLength={500}
              rows={2}
              className={cn(controlClass, "h-auto py-1.5")}
              placeholder="Power work in hall B, ticket OPS-1234"
            />
          </label>
          {disruptive ? (
            <p className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-200">
              {next === "OFFLINE"
                ? `${code} will be marked out of service. Nothing should run there.`
                : `${code} will stop taking new instances while its instances are moved out.`}
            </p>
          ) : null}
          {error ? (
            <p role="alert" className="rounded-md border border-rose-200 bg-rose-50 px-3 py-2 text-sm text-rose-800 dark:border-rose-900 dark:bg-rose-950 dark:text-rose-200">
              {error}
            </p>
          ) : null}
          <div className="flex justify-end gap-2">
            <Button variant="ghost" onClick={() => dialogRef.current?.close()}>
              Cancel
            </Button>
            <Button type="submit" variant={disruptive ? "danger" : "primary"} disabled={mutation.isPending || next === status}>
              {mutation.isPending ? "Saving…" : `Set ${code} to ${DATA_CENTER_STATUS_LABELS[next]}`}
            </Button>
          </div>
        </form>
      </dialog>
    </>
  );
}
