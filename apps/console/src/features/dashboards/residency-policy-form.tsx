"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useMemo, useState } from "react";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { ConfirmDialog } from "@/features/changes/confirm-dialog";
import { QueryError } from "@/features/inventory/query-error";
import { useTRPC } from "@/lib/trpc/react";

/**
 * An administrator edits a cluster's residency policy (the jurisdictions its data may live in).
 * Before saving, the form shows which instances and links the new list would put out of policy
 * (and which would come back within it); saving is conditional on the list the form loaded,
 * audited, and followed at once by the residency sweep.
 */
export function ResidencyPolicyForm({ cluster, canManage }: { cluster: string | null; canManage: boolean }) {
  const router = useRouter();
  const [name, setName] = useState(cluster ?? "");
  return (
    <div className="flex flex-col gap-4">
      <form
        className="flex flex-wrap items-end gap-2"
        onSubmit={(e) => {
          e.preventDefault();
          if (name.trim()) router.push(`/admin/residency?cluster=${encodeURIComponent(name.trim())}`);
        }}
      >
        <div className="flex flex-col text-xs text-zinc-600 dark:text-zinc-400">
          <label htmlFor="residency-cluster">Cluster name</label>
          <input
            id="residency-cluster"
            value={name}
            onChange={(e) => setName(e.target.value)}
            className="w-72 rounded-md border border-zinc-300 bg-white px-2 py-1 text-sm dark:border-zinc-700 dark:bg-zinc-900"
            placeholder="e.g. payments-ledger-eu-01"
          />
        </div>
        <Button type="submit" variant="secondary">
          Open
        </Button>
      </form>
      {cluster ? <PolicyEditor key={cluster} cluster={cluster} canManage={canManage} /> : <EmptyState compact title="No cluster chosen">Type a cluster name to see and edit its residency policy.</EmptyState>}
    </div>
  );
}

function PolicyEditor({ cluster, canManage }: { cluster: string; canManage: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const detail = useQuery(trpc.inventory.getCluster.queryOptions({ ref: cluster }));
  const options = useQuery({ ...trpc.inventory.filterOptions.queryOptions(), staleTime: 5 * 60_000 });
  const [picked, setPicked] = useState<string[] | null>(null);
  const [confirming, setConfirming] = useState(false);
  const current = useMemo(() => detail.data?.allowedJurisdictions ?? [], [detail.data]);
  const home = detail.data?.homeJurisdiction.code ?? "";
  const selected = picked ?? current;
  const changed = picked !== null && [...new Set([home, ...picked])].sort().join() !== [...new Set([home, ...current])].sort().join();
  const preview = useQuery({
    ...trpc.residency.previewClusterResidency.queryOptions({ cluster, allowedJurisdictions: selected }),
    enabled: canManage && changed && Boolean(detail.data),
  });
  const save = useMutation(trpc.residency.updateClusterResidency.mutationOptions());

  if (detail.isError) return <QueryError error={detail.error} />;
  if (!detail.data) return <p className="text-sm text-zinc-500">Loading {cluster}…</p>;

  const toggle = (code: string) => setPicked(selected.includes(code) ? selected.filter((c) => c !== code) : [...selected, code]);
  const newly = preview.data?.newlyOutOfPolicy ?? [];
  const back = preview.data?.backInPolicy ?? [];

  return (
    <div className="flex flex-col gap-3" data-testid="residency-policy-editor">
      <fieldset className="flex flex-col gap-2 rounded-md border border-zinc-200 p-3 dark:border-zinc-800" disabled={!canManage}>
        <legend className="px-1 text-sm font-semibold">Allowed jurisdictions of {detail.data.name}</legend>
        <p className="text-xs text-zinc-500">Home jurisdiction {home} is always allowed.{canManage ? "" : " Read-only: administrators edit residency policies."}</p>
        <div className="flex flex-wrap gap-x-4 gap-y-1">
          {(options.data?.jurisdictions ?? []).map((j) => (
            <label key={j.code} className="inline-flex items-center gap-1.5 text-sm">
              <input type="checkbox" checked={j.code === home || selected.includes(j.code)} disabled={j.code === home} onChange={() => toggle(j.code)} />
              {j.code} <span className="text-xs text-zinc-500">{j.name}</span>
            </label>
          ))}
        </div>
      </fieldset>
      {changed && canManage ? (
        <section aria-live="polite" className="flex flex-col gap-1 text-sm" data-testid="residency-preview">
          {preview.isError ? <QueryError error={preview.error} /> : null}
          {preview.data ? (
            <>
              <p>
                Saving would put <strong>{newly.length}</strong> placement(s) out of policy and bring <strong>{back.length}</strong> back within it.
              </p>
              {newly.length ? (
                <ul className="max-h-48 overflow-auto text-xs">
                  {newly.map((p) => (
                    <li key={`${p.subject}:${p.id}`}>
                      <span className="font-semibold text-rose-700 dark:text-rose-400">out of policy</span> · {p.subject === "INSTANCE" ? "instance" : "link"} {p.name} in {p.dataCenterCode} ({p.jurisdictionCode})
                    </li>
                  ))}
                </ul>
              ) : null}
            </>
          ) : preview.isFetching ? (
            <p className="text-zinc-500">Checking what the new list would put out of policy…</p>
          ) : null}
          <div className="flex gap-2">
            <Button variant={newly.length ? "danger" : "primary"} onClick={() => setConfirming(true)} disabled={!preview.data}>
              Save residency policy
            </Button>
            <Button variant="ghost" onClick={() => setPicked(null)}>
              Discard
            </Button>
          </div>
        </section>
      ) : null}
      {save.data ? (
        <p className="text-sm" role="status">
          Saved: {save.data.after.join(", ")}. Residency sweep: {save.data.sweep.opened} finding(s) opened, {save.data.sweep.closed} closed.
        </p>
      ) : null}
      <ConfirmDialog
        open={confirming}
        title={`Change the residency policy of ${detail.data.name}?`}
        confirmLabel={`Save policy of ${detail.data.name}`}
        variant={newly.length ? "danger" : "primary"}
        busy={save.isPending}
        error={save.error?.message ?? null}
        onClose={() => setConfirming(false)}
        onConfirm={() =>
          save.mutate(
            { cluster, allowedJurisdictions: selected, expectedAllowedJurisdictions: current },
            {
              onSuccess: async () => {
                setConfirming(false);
                setPicked(null);
                await queryClient.invalidateQueries({ queryKey: trpc.inventory.getCluster.queryKey({ ref: cluster }) });
                await queryClient.invalidateQueries({ queryKey: trpc.dashboards.residencyPosture.pathKey() });
              },
            },
          )
        }
      >
        <p className="text-sm">
          Allowed: {[home, ...selected.filter((c) => c !== home)].join(", ")}. {newly.length ? `${newly.length} placement(s) will be reported out of policy.` : "Nothing will be out of policy."} The change is recorded in the audit trail.
        </p>
      </ConfirmDialog>
    </div>
  );
}
