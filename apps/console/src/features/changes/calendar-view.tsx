"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useId, useState, type FormEvent } from "react";
import type { TMaintenanceWindowView } from "@meridian/api/client";
import { Badge } from "@/components/ui/badge";
import { Button, buttonClass } from "@/components/ui/button";
import { Table, TableScroller, Td, Th, Tr } from "@/components/ui/table";
import { cn } from "@/lib/cn";
import { formatUtc } from "@/lib/format";
import { useTRPC } from "@/lib/trpc/react";
import { QueryError } from "@/features/inventory/query-error";
import { ConfirmDialog } from "./confirm-dialog";
import { inputClass } from "./form-field";

const DAY = 86_400_000;
const WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

function ymd(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** Monday 00:00 UTC of the week holding the 1st of the month. */
function gridStart(month: Date): Date {
  const first = new Date(Date.UTC(month.getUTCFullYear(), month.getUTCMonth(), 1));
  const dow = (first.getUTCDay() + 6) % 7;
  return new Date(first.getTime() - dow * DAY);
}

function Kind({ w }: { w: TMaintenanceWindowView }) {
  return w.kind === "FREEZE" ? (
    <Badge tone="failed" title="No change may run">
      <span aria-hidden="true">❄</span> freeze
    </Badge>
  ) : (
    <Badge tone="active" title="Changes may run">
      <span aria-hidden="true">◷</span> window
    </Badge>
  );
}

/**
 * Maintenance windows (changes allowed) and change freezes (none allowed; a freeze beats a
 * window), per data center or fleet-wide, as a month grid in UTC and a list. DBAs and
 * administrators add and remove them.
 */
export function CalendarView({ month, canManage }: { month: string; canManage: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const m = new Date(`${month}-01T00:00:00.000Z`);
  const start = gridStart(m);
  const end = new Date(start.getTime() + 42 * DAY);
  const list = useQuery(trpc.schedules.list.queryOptions({ from: start, to: end }));
  const remove = useMutation(trpc.schedules.delete.mutationOptions());
  const [deleting, setDeleting] = useState<TMaintenanceWindowView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const refresh = () => queryClient.invalidateQueries(trpc.schedules.list.queryFilter());
  const prev = new Date(Date.UTC(m.getUTCFullYear(), m.getUTCMonth() - 1, 1));
  const next = new Date(Date.UTC(m.getUTCFullYear(), m.getUTCMonth() + 1, 1));
  const today = ymd(new Date());
  const windows = list.data?.windows ?? [];

  return (
    <div className="flex flex-col gap-4">
      <div className="flex items-center gap-2">
        <Link href={`/changes/calendar?month=${ymd(prev).slice(0, 7)}`} className={buttonClass("secondary")} aria-label="Previous month">
          ←
        </Link>
        <h2 className="min-w-40 text-center text-base font-semibold" aria-live="polite">
          {m.toLocaleString("en-GB", { month: "long", year: "numeric", timeZone: "UTC" })} (UTC)
        </h2>
        <Link href={`/changes/calendar?month=${ymd(next).slice(0, 7)}`} className={buttonClass("secondary")} aria-label="Next month">
          →
        </Link>
        <span className="ml-4 flex items-center gap-2 text-xs text-zinc-600 dark:text-zinc-400">
          Legend:
          <Badge tone="active"><span aria-hidden="true">◷</span> window: changes may run</Badge>
          <Badge tone="failed"><span aria-hidden="true">❄</span> freeze: no change runs, wins over windows</Badge>
        </span>
      </div>
      {list.isError ? <QueryError error={list.error} onRetry={() => void list.refetch()} /> : null}
      <div role="grid" aria-label="Calendar of windows and freezes" className="grid grid-cols-7 overflow-hidden rounded-md border border-zinc-200 dark:border-zinc-800">
        <div role="row" className="contents">
          {WEEKDAYS.map((d) => (
            <div key={d} role="columnheader" className="border-b border-zinc-200 bg-zinc-50 px-2 py-1 text-xs font-medium text-zinc-600 dark:border-zinc-800 dark:bg-zinc-900 dark:text-zinc-400">
              {d}
            </div>
          ))}
        </div>
        {Array.from({ length: 6 }, (_, week) => (
          <div role="row" key={week} className="contents">
            {Array.from({ length: 7 }, (_, dow) => {
              const day = new Date(start.getTime() + (week * 7 + dow) * DAY);
              const dayEnd = new Date(day.getTime() + DAY);
              const here = windows.filter((w) => new Date(w.startsAt) < dayEnd && new Date(w.endsAt) > day);
              const inMonth = day.getUTCMonth() === m.getUTCMonth();
              return (
                <div
                  role="gridcell"
                  key={dow}
                  aria-label={`${ymd(day)}: ${here.length ? here.map((w) => `${w.kind.toLowerCase()} ${w.dataCenter?.code ?? "fleet-wide"}`).join(", ") : "nothing planned"}`}
                  className={cn(
                    "min-h-20 border-b border-r border-zinc-100 p-1 text-xs dark:border-zinc-800",
                    !inMonth && "bg-zinc-50/60 text-zinc-400 dark:bg-zinc-900/40",
                    ymd(day) === today && "ring-2 ring-inset ring-sky-400",
                  )}
                >
                  <div className="mb-0.5 tabular-nums">{day.getUTCDate()}</div>
                  <ul className="flex flex-col gap-0.5">
                    {here.slice(0, 4).map((w) => (
                      <li
                        key={w.id}
                        className={cn(
                          "truncate rounded px-1",
                          w.kind === "FREEZE" ? "bg-rose-100 text-rose-900 dark:bg-rose-500/20 dark:text-rose-200" : "bg-emerald-100 text-emerald-900 dark:bg-emerald-500/20 dark:text-emerald-200",
                        )}
                        title={`${w.kind} ${w.dataCenter?.code ?? "fleet-wide"}: ${formatUtc(w.startsAt)} → ${formatUtc(w.endsAt)}${w.reason ? ` · ${w.reason}` : ""}`}
                      >
                        <span aria-hidden="true">{w.kind === "FREEZE" ? "❄ " : "◷ "}</span>
                        {w.dataCenter?.code ?? "all"} {w.reason}
                      </li>
                    ))}
                    {here.length > 4 ? <li className="text-zinc-500">+{here.length - 4} more</li> : null}
                  </ul>
                </div>
              );
            })}
          </div>
        ))}
      </div>
      {canManage ? <NewWindowForm dataCenters={list.data?.dataCenters ?? []} onCreated={refresh} /> : null}
      <TableScroller>
        <Table aria-label="Windows and freezes this period">
          <thead>
            <tr>
              <Th>Kind</Th>
              <Th>Where</Th>
              <Th>From (UTC)</Th>
              <Th>To (UTC)</Th>
              <Th>Reason</Th>
              <Th>Requests asking for it</Th>
              {canManage ? <Th>Actions</Th> : null}
            </tr>
          </thead>
          <tbody>
            {windows.map((w) => (
              <Tr key={w.id} data-testid="window-row">
                <Td><Kind w={w} /></Td>
                <Td>{w.dataCenter ? <span className="font-mono text-xs">{w.dataCenter.code}</span> : "fleet-wide"}</Td>
                <Td className="font-mono text-xs">{formatUtc(w.startsAt)}</Td>
                <Td className="font-mono text-xs">{formatUtc(w.endsAt)}</Td>
                <Td className="max-w-72 truncate">{w.reason}</Td>
                <Td className="text-xs">
                  {w.requestNumbers.map((n) => (
                    <Link key={n} href={`/changes/${n}`} className="mr-1 text-sky-700 hover:underline dark:text-sky-400">
                      CR-{n}
                    </Link>
                  ))}
                </Td>
                {canManage ? (
                  <Td>
                    <Button variant="ghost" onClick={() => { setError(null); setDeleting(w); }}>
                      Delete
                    </Button>
                  </Td>
                ) : null}
              </Tr>
            ))}
          </tbody>
        </Table>
        {windows.length === 0 && list.data ? <p className="p-3 text-sm text-zinc-500">No window or freeze in these six weeks.</p> : null}
      </TableScroller>
      <ConfirmDialog
        open={deleting !== null}
        title={deleting ? `Delete the ${deleting.kind === "FREEZE" ? "freeze" : "window"} ${deleting.dataCenter?.code ?? "fleet-wide"} ${formatUtc(deleting.startsAt)}?` : ""}
        confirmLabel={deleting ? `Delete ${deleting.kind === "FREEZE" ? "freeze" : "window"} ${deleting.dataCenter?.code ?? "fleet-wide"}` : ""}
        variant="danger"
        busy={remove.isPending}
        error={error}
        onClose={() => setDeleting(null)}
        onConfirm={() => deleting && remove.mutate({ id: deleting.id }, { onSuccess: async () => { setDeleting(null); await refresh(); }, onError: (e) => setError(e.message) })}
      >
        <p className="text-sm">{deleting?.requestNumbers.length ? `Requests ${deleting.requestNumbers.map((n) => `CR-${n}`).join(", ")} asked for it and keep its times.` : "No open request asked for it."}</p>
      </ConfirmDialog>
    </div>
  );
}

function NewWindowForm({ dataCenters, onCreated }: { dataCenters: { id: string; code: string; name: string }[]; onCreated: () => Promise<unknown> }) {
  const trpc = useTRPC();
  const id = useId();
  const create = useMutation(trpc.schedules.create.mutationOptions());
  const [kind, setKind] = useState<"WINDOW" | "FREEZE">("WINDOW");
  const [dc, setDc] = useState("");
  const [reason, setReason] = useState("");
  const [startsAt, setStartsAt] = useState("");
  const [endsAt, setEndsAt] = useState("");
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [formError, setFormError] = useState<string | null>(null);

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    create.mutate(
      { kind, dataCenterId: dc || null, reason, startsAt: startsAt ? `${startsAt}:00Z` : "", endsAt: endsAt ? `${endsAt}:00Z` : "" } as never,
      {
        onSuccess: async () => {
          setErrors({});
          setFormError(null);
          setReason("");
          await onCreated();
        },
        onError: (err) => {
          setErrors(err.data?.fieldErrors ?? {});
          setFormError(err.message);
        },
      },
    );
  }
  const label = "text-[11px] font-medium uppercase tracking-wide text-zinc-500 dark:text-zinc-400";
  const e = (k: string) => (errors[k]?.length ? <span className="text-xs text-rose-700 dark:text-rose-400">{errors[k]!.join(" ")}</span> : null);
  return (
    <form onSubmit={onSubmit} className="flex flex-wrap items-start gap-3 rounded-md border border-zinc-200 bg-white p-3 dark:border-zinc-800 dark:bg-zinc-900" aria-labelledby={`${id}-t`}>
      <h3 id={`${id}-t`} className="w-full text-sm font-semibold">Add a window or a freeze</h3>
      <label className="flex flex-col gap-0.5">
        <span className={label}>Kind</span>
        <select value={kind} onChange={(ev) => setKind(ev.target.value as "WINDOW" | "FREEZE")} className={inputClass}>
          <option value="WINDOW">Maintenance window</option>
          <option value="FREEZE">Change freeze</option>
        </select>
      </label>
      <label className="flex flex-col gap-0.5">
        <span className={label}>Where</span>
        <select value={dc} onChange={(ev) => setDc(ev.target.value)} className={inputClass}>
          <option value="">Fleet-wide</option>
          {dataCenters.map((d) => (
            <option key={d.id} value={d.id}>{d.code} · {d.name}</option>
          ))}
        </select>
        {e("dataCenterId")}
      </label>
      <label className="flex flex-col gap-0.5">
        <span className={label}>From (UTC)</span>
        <input type="datetime-local" value={startsAt} onChange={(ev) => setStartsAt(ev.target.value)} className={inputClass} aria-invalid={Boolean(errors.startsAt)} />
        {e("startsAt")}
      </label>
      <label className="flex flex-col gap-0.5">
        <span className={label}>To (UTC)</span>
        <input type="datetime-local" value={endsAt} onChange={(ev) => setEndsAt(ev.target.value)} className={inputClass} aria-invalid={Boolean(errors.endsAt)} />
        {e("endsAt")}
      </label>
      <label className="flex min-w-64 flex-1 flex-col gap-0.5">
        <span className={label}>Reason</span>
        <input value={reason} onChange={(ev) => setReason(ev.target.value)} maxLength={500} className={inputClass} placeholder="Black Friday, rack swap in hall B…" />
        {e("reason")}
      </label>
      <div className="flex w-full items-center gap-3">
        <Button type="submit" variant="primary" disabled={create.isPending}>
          {create.isPending ? "Saving…" : kind === "FREEZE" ? "Add freeze" : "Add window"}
        </Button>
        {formError ? <span role="alert" className="text-sm text-rose-700 dark:text-rose-400">{formError}</span> : null}
      </div>
    </form>
  );
}
