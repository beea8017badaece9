"use client";

import { keepPreviousData, useMutation, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useId, useState, type FormEvent } from "react";
import type { inferRouterInputs } from "@trpc/server";
import type { AppRouter, TChainVerification } from "@meridian/api/client";
import { Button, buttonClass } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { controlClass, SelectField } from "@/components/ui/field";
import { Pagination } from "@/components/ui/pagination";
import { RelativeTime } from "@/components/ui/relative-time";
import { Table, TableScroller, Td, Th, Tr } from "@/components/ui/table";
import { cn } from "@/lib/cn";
import { formatCount, formatUtc } from "@/lib/format";
import { useTRPC } from "@/lib/trpc/react";
import { ListFrame } from "@/features/inventory/list-frame";
import { QueryError } from "@/features/inventory/query-error";
import { useListUrl } from "@/features/inventory/use-list-url";

type TInput = inferRouterInputs<AppRouter>["audit"]["list"];

/** `datetime-local` value (UTC) from a Date, and back. */
function toLocalInput(d: Date | string | undefined): string {
  if (!d) return "";
  const x = new Date(d);
  return Number.isNaN(x.getTime()) ? "" : x.toISOString().slice(0, 16);
}
function fromLocalInput(v: string): string | null {
  return v ? `${v}:00.000Z` : null;
}

function targetHref(type: string, id: string | null, after: unknown): string | null {
  if (!id) return null;
  const number = (after as { number?: number } | null)?.number;
  if (type === "changeRequest" && number) return `/changes/${number}`;
  if (type === "dataCenter") {
    const code = (after as { code?: string } | null)?.code;
    return code ? `/inventory/data-centers/${encodeURIComponent(code)}` : null;
  }
  return null;
}

export function AuditView({ input, canVerify }: { input: TInput; canVerify: boolean }) {
  const trpc = useTRPC();
  const url = useListUrl();
  const id = useId();
  const list = useQuery({ ...trpc.audit.list.queryOptions(input), placeholderData: keepPreviousData });
  const options = useQuery(trpc.audit.filterOptions.queryOptions());
  const [actor, setActor] = useState(input.actor ?? "");
  const [targetId, setTargetId] = useState(input.targetId ?? "");
  const [expanded, setExpanded] = useState<string | null>(null);

  const exportQuery = new URLSearchParams();
  for (const key of ["actor", "action", "targetType", "targetId"] as const) if (input[key]) exportQuery.set(key, String(input[key]));
  const from = input.from as Date | string | undefined;
  const to = input.to as Date | string | undefined;
  if (from) exportQuery.set("from", new Date(from).toISOString());
  if (to) exportQuery.set("to", new Date(to).toISOString());

  function onText(e: FormEvent) {
    e.preventDefault();
    url.update({ actor: actor.trim() || null, targetId: targetId.trim() || null });
  }

  return (
    <div className="flex min-h-0 flex-1 flex-col gap-3">
      {canVerify ? <VerifyChain /> : null}
      <ListFrame
        filters={
          <form onSubmit={onText} className="flex flex-wrap items-end gap-2" role="search" aria-label="Audit filters">
            <label className="flex w-44 flex-col gap-0.5" htmlFor={`${id}-actor`}>
              <span className="text-[11px] font-medium uppercase tracking-wide text-zinc-500 dark:text-zinc-400">Actor</span>
              <input id={`${id}-actor`} value={actor} onChange={(e) => setActor(e.target.value)} onBlur={onText} placeholder="email or user id" className={cn(controlClass, "w-full")} />
            </label>
            <SelectField label="Action" value={input.action ?? ""} onChange={(e) => url.update({ action: e.target.value || null })} className="w-48">
              <option value="">Any</option>
              {[...new Set((options.data?.actions ?? []).map((a) => `${a.split(".")[0]}.`))].map((prefix) => (
                <option key={prefix} value={prefix}>
                  {prefix}* (all)
                </option>
              ))}
              {(options.data?.actions ?? []).map((a) => (
                <option key={a} value={a}>
                  {a}
                </option>
              ))}
            </SelectField>
            <SelectField label="Target" value={input.targetType ?? ""} onChange={(e) => url.update({ targetType: e.target.value || null })} className="w-36">
              <option value="">Any</option>
              {(options.data?.targetTypes ?? []).map((t) => (
                <option key={t} value={t}>
                  {t}
                </option>
              ))}
            </SelectField>
            <label className="flex w-40 flex-col gap-0.5" htmlFor={`${id}-target`}>
              <span className="text-[11px] font-medium uppercase tracking-wide text-zinc-500 dark:text-zinc-400">Target id</span>
              <input id={`${id}-target`} value={targetId} onChange={(e) => setTargetId(e.target.value)} onBlur={onText} className={cn(controlClass, "w-full")} />
            </label>
            <label className="flex flex-col gap-0.5" htmlFor={`${id}-from`}>
              <span className="text-[11px] font-medium uppercase tracking-wide text-zinc-500 dark:text-zinc-400">From (UTC)</span>
              <input id={`${id}-from`} type="datetime-local" value={toLocalInput(from)} onChange={(e) => url.update({ from: fromLocalInput(e.target.value) })} className={controlClass} />
            </label>
            <label className="flex flex-col gap-0.5" htmlFor={`${id}-to`}>
              <span className="text-[11px] font-medium uppercase tracking-wide text-zinc-500 dark:text-zinc-400">To (UTC)</span>
              <input id={`${id}-to`} type="datetime-local" value={toLocalInput(to)} onChange={(e) => url.update({ to: fromLocalInput(e.target.value) })} className={controlClass} />
            </label>
            <button type="submit" className="sr-only">Apply</button>
            <button type="button" className={buttonClass("ghost", "h-8 text-xs")} onClick={() => { setActor(""); setTargetId(""); url.clear(["pageSize"]); }}>
              Clear filters
            </button>
            <span className="ml-auto flex items-end gap-2">
              <a href={`/audit/export?format=csv&${exportQuery.toString()}`} className={buttonClass("secondary", "h-8")} data-testid="export-csv" download>
                Export CSV
              </a>
              <a href={`/audit/export?format=ndjson&${exportQuery.toString()}`} className={buttonClass("secondary", "h-8")} data-testid="export-ndjson" download>
                Export NDJSON
              </a>
            </span>
          </form>
        }
        footer={
          list.data ? (
            <Pagination
              noun="events"
              page={list.data.page}
              pageSize={list.data.pageSize}
              total={list.data.total}
              hrefFor={(page) => url.hrefWith({ page })}
              onPage={(page) => url.update({ page })}
              onPageSize={(pageSize) => url.update({ pageSize })}
            />
          ) : null
        }
      >
        {list.isError && !list.data ? (
          <QueryError error={list.error} onRetry={() => void list.refetch()} />
        ) : (
          <TableScroller busy={url.isPending || (list.isFetching && list.isPlaceholderData)} className="flex-1">
            <Table aria-label="Audit events">
              <thead>
                <tr>
                  <Th numeric>#</Th>
                  <Th>When</Th>
                  <Th>Actor</Th>
                  <Th>Action</Th>
                  <Th>Target</Th>
                  <Th>Change</Th>
                  <Th>Hash</Th>
                </tr>
              </thead>
              <tbody>
                {(list.data?.items ?? []).map((e) => {
                  const href = targetHref(e.targetType, e.targetId, e.after);
                  const open = expanded === e.id;
                  return (
                    <Tr key={e.id} data-testid="audit-row" className="align-top">
                      <Td numeric className="font-mono text-xs">{e.id}</Td>
                      <Td muted><RelativeTime date={e.occurredAt} /></Td>
                      <Td className="max-w-52 truncate" title={e.actorId ?? "system"}>{e.actorEmail ?? <span className="text-zinc-500">system</span>}</Td>
                      <Td className="font-mono text-xs">{e.action}</Td>
                      <Td className="max-w-56 truncate text-xs">
                        {e.targetType}
                        {e.targetId ? (
                          href ? (
                            <Link href={href} className="ml-1 text-sky-700 hover:underline dark:text-sky-400">{(e.after as { number?: number } | null)?.number ? `CR-${(e.after as { number: number }).number}` : e.targetId.slice(0, 8)}</Link>
                          ) : (
                            <span className="ml-1 font-mono text-zinc-500" title={e.targetId}>{e.targetId.slice(0, 8)}</span>
                          )
                        ) : null}
                      </Td>
                      <Td className="max-w-md whitespace-normal! text-xs">
                        {e.before !== null || e.after !== null ? (
                          <button type="button" className="text-sky-700 hover:underline dark:text-sky-400" aria-expanded={open} onClick={() => setExpanded(open ? null : e.id)}>
                            {open ? "Hide" : "Before / after"}
                          </button>
                        ) : null}
                        {open ? (
                          <div className="mt-1 grid gap-1">
                            {e.before !== null ? <pre className="max-h-48 overflow-auto rounded bg-zinc-50 p-1.5 text-[11px] dark:bg-zinc-800">before {JSON.stringify(e.before, null, 1)}</pre> : null}
                            {e.after !== null ? <pre className="max-h-48 overflow-auto rounded bg-zinc-50 p-1.5 text-[11px] dark:bg-zinc-800">after {JSON.stringify(e.after, null, 1)}</pre> : null}
                          </div>
                        ) : null}
                      </Td>
                      <Td className="font-mono text-[11px] text-zinc-500" title={`hash ${e.hash}\nprev ${e.prevHash}`}>{e.hash.slice(0, 10)}…</Td>
                    </Tr>
                  );
                })}
              </tbody>
            </Table>
            {list.data && list.data.items.length === 0 ? (
              <EmptyState title="No audit event matches">Widen the time range or clear the filters. Every sign-in, state change, approval and policy edit is recorded here.</EmptyState>
            ) : null}
          </TableScroller>
        )}
      </ListFrame>
    </div>
  );
}

function VerifyChain() {
  const trpc = useTRPC();
  const verify = useMutation(trpc.audit.verify.mutationOptions());
  const [result, setResult] = useState<TChainVerification | null>(null);
  return (
    <div className="flex flex-wrap items-center gap-3 rounded-md border border-zinc-200 bg-white px-3 py-2 text-sm dark:border-zinc-800 dark:bg-zinc-900">
      <Button onClick={() => verify.mutate(undefined, { onSuccess: setResult })} disabled={verify.isPending} data-testid="verify-chain">
        {verify.isPending ? "Verifying…" : "Verify chain"}
      </Button>
      <span className="text-zinc-600 dark:text-zinc-400">Re-computes every event&apos;s hash and checks it links to the one before.</span>
      {verify.isError ? <span role="alert" className="text-rose-700">{verify.error.message}</span> : null}
      {result ? (
        result.ok ? (
          <p className="font-medium text-emerald-700 dark:text-emerald-400" data-testid="verify-result" data-ok="true" role="status">
            ✓ Chain intact: {formatCount(result.checked)} events, head {result.headHash?.slice(0, 12)}… (checked {formatUtc(result.verifiedAt)})
          </p>
        ) : (
          <p className="font-medium text-rose-700 dark:text-rose-400" data-testid="verify-result" data-ok="false" role="status">
            ✕ Broken at event #{result.firstBroken?.id} ({result.firstBroken?.action}, {result.firstBroken ? formatUtc(result.firstBroken.occurredAt) : ""}):{" "}
            {result.firstBroken?.problem === "hash-mismatch" ? "its content no longer matches its hash (altered)" : "it does not link to the event before it (removed or re-hashed)"}
          </p>
        )
      ) : null}
    </div>
  );
}
