"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import type { AppRouter } from "@meridian/api/client";
import type { inferRouterOutputs } from "@trpc/server";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { RelativeTime } from "@/components/ui/relative-time";
import { useTRPC } from "@/lib/trpc/react";

type TLinkDetail = inferRouterOutputs<AppRouter>["links"]["get"];
type TTableCheck = NonNullable<TLinkDetail["verification"]>["tables"][number];

/**
 * Data sync of one link between real servers: Pause / Resume (the target's subscription stops
 * or restarts applying) and Verify data (row count and checksum per table on both servers,
 * differing tables named). Shown to everyone; the buttons only to those allowed (the server
 * checks again and audits each action). Simulated links have none of this.
 */
export function LinkSyncPanel({ linkId }: { linkId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const link = useQuery(trpc.links.get.queryOptions({ linkId }));
  const me = useQuery(trpc.me.get.queryOptions());
  const [error, setError] = useState<string | null>(null);
  const refresh = () => queryClient.invalidateQueries(trpc.links.get.queryFilter({ linkId }));
  const options = { onSuccess: async () => { setError(null); await refresh(); }, onError: (e: { message: string }) => setError(e.message) };
  const pause = useMutation(trpc.links.pause.mutationOptions(options));
  const resume = useMutation(trpc.links.resume.mutationOptions(options));
  const verify = useMutation(trpc.links.verify.mutationOptions(options));

  if (link.isPending) return <p className="text-xs text-zinc-500">Loading the link…</p>;
  if (link.error) return <p className="text-xs text-rose-700 dark:text-rose-400">{link.error.message}</p>;
  const d = link.data;
  if (!d.real) return <p className="text-xs text-zinc-500 dark:text-zinc-400">Simulated link: no data sync controls.</p>;
  const permissions: readonly string[] = me.data?.permissions ?? [];
  const canOperate = permissions.includes("link.operate");
  const canVerify = permissions.includes("link.verify");
  const busy = pause.isPending || resume.isPending || verify.isPending;
  const v = d.verification;

  return (
    <div className="flex flex-col gap-2 text-xs" data-testid="link-sync">
      <p className="text-zinc-600 dark:text-zinc-300">
        {d.tables.length > 0 ? `${d.tables.length} table(s): ${d.tables.join(", ")}` : "All tables of the source database"}
        {d.pausedAt ? (
          <>
            {" "}
            · paused <RelativeTime date={d.pausedAt} />
          </>
        ) : null}
      </p>
      {canOperate || canVerify ? (
        <div className="flex flex-wrap gap-2">
          {canOperate && d.status !== "PAUSED" ? (
            <Button disabled={busy} onClick={() => pause.mutate({ linkId })} data-testid="link-pause">
              {pause.isPending ? "Pausing…" : "Pause"}
            </Button>
          ) : null}
          {canOperate && d.status === "PAUSED" ? (
            <Button disabled={busy} onClick={() => resume.mutate({ linkId })} data-testid="link-resume">
              {resume.isPending ? "Resuming…" : "Resume"}
            </Button>
          ) : null}
          {canVerify ? (
            <Button disabled={busy || d.status === "PAUSED"} onClick={() => verify.mutate({ linkId })} data-testid="link-verify">
              {verify.isPending ? "Verifying…" : "Verify data"}
            </Button>
          ) : null}
        </div>
      ) : null}
      {error ? (
        <p role="alert" className="text-rose-700 dark:text-rose-400">
          {error}
        </p>
      ) : null}
      {v ? <VerificationResult verification={v} verifiedAt={d.verifiedAt} /> : <p className="text-zinc-500 dark:text-zinc-400">Not verified yet.</p>}
    </div>
  );
}

function VerificationResult({ verification, verifiedAt }: { verification: NonNullable<TLinkDetail["verification"]>; verifiedAt: Date | null }) {
  return (
    <div className="flex flex-col gap-1" data-testid="link-verification">
      <p className="flex items-center gap-2">
        <Badge tone={verification.ok ? "done" : "failed"}>{verification.ok ? "data matches" : "data differs"}</Badge>
        {verifiedAt ? <RelativeTime date={verifiedAt} /> : null}
      </p>
      {!verification.ok ? <p className="font-medium text-rose-700 dark:text-rose-400">Differs: {verification.differing.join(", ")}</p> : null}
      <table className="w-full text-left" aria-label="Verification per table">
        <thead className="text-zinc-500 dark:text-zinc-400">
          <tr>
            <th className="font-normal">Table</th>
            <th className="text-right font-normal">Source rows</th>
            <th className="text-right font-normal">Target rows</th>
            <th className="text-right font-normal">Checksum</th>
          </tr>
        </thead>
        <tbody>
          {verification.tables.map((t: TTableCheck) => (
            <tr key={t.table} className={t.match ? "" : "text-rose-700 dark:text-rose-400"}>
              <td className="font-mono">{t.table}</td>
              <td className="text-right tabular-nums">{t.sourceRows}</td>
              <td className="text-right tabular-nums">{t.targetRows}</td>
              <td className="text-right" title={`source ${t.sourceChecksum}, target ${t.targetChecksum}`}>
                {t.match ? "same" : "differs"}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** A "Data sync" button that opens the panel in place (the link is only fetched when opened). */
export function LinkSyncToggle({ linkId }: { linkId: string }) {
  const [open, setOpen] = useState(false);
  return (
    <div className="flex flex-col items-start gap-1">
      <button
        type="button"
        aria-expanded={open}
        onClick={() => setOpen((o) => !o)}
        className="text-xs text-sky-700 hover:underline focus-visible:outline-2 focus-visible:outline-sky-500 dark:text-sky-400"
        data-testid="link-sync-toggle"
      >
        {open ? "Hide data sync" : "Data sync"}
      </button>
      {open ? <LinkSyncPanel linkId={linkId} /> : null}
    </div>
  );
}
