"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import {
  APPROVER_ROLES,
  CHANGE_KIND_LABELS,
  CHANGE_KINDS,
  DATA_CLASSIFICATIONS,
  ROLE_LABELS,
  RISK_LEVELS,
  fieldErrorsOf,
  ZApprovalPolicySchema,
  type TApprovalPolicyInput,
  type TRole,
} from "@meridian/policy";
import type { TApprovalPolicyView } from "@meridian/api/client";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { RelativeTime } from "@/components/ui/relative-time";
import { Table, TableScroller, Td, Th, Tr } from "@/components/ui/table";
import { useTRPC } from "@/lib/trpc/react";
import { ConfirmDialog } from "@/features/changes/confirm-dialog";
import { inputClass } from "@/features/changes/form-field";
import { QueryError } from "@/features/inventory/query-error";

type TStageDraft = { name: string; role: TRole; owner: boolean; quorum: string; parallelGroup: string };
type TDraft = {
  id: string | null;
  updatedAt: Date | null;
  name: string;
  description: string;
  priority: string;
  kinds: string[];
  minRisk: string;
  classifications: string[];
  crosses: "" | "yes" | "no";
  enabled: boolean;
  stages: TStageDraft[];
};

const EMPTY: TDraft = {
  id: null,
  updatedAt: null,
  name: "",
  description: "",
  priority: "100",
  kinds: [],
  minRisk: "",
  classifications: [],
  crosses: "",
  enabled: true,
  stages: [{ name: "dba", role: "DBA", owner: false, quorum: "1", parallelGroup: "0" }],
};

function draftOf(p: TApprovalPolicyView): TDraft {
  return {
    id: p.id,
    updatedAt: p.updatedAt,
    name: p.name,
    description: p.description,
    priority: String(p.priority),
    kinds: [...p.kinds],
    minRisk: p.minRisk ?? "",
    classifications: [...p.classifications],
    crosses: p.crossesJurisdiction === null ? "" : p.crossesJurisdiction ? "yes" : "no",
    enabled: p.enabled,
    stages: p.stages.map((s) => ({ name: s.name, role: s.role, owner: s.team === "owner", quorum: String(s.quorum), parallelGroup: String(s.parallelGroup) })),
  };
}

function policyOf(d: TDraft): TApprovalPolicyInput {
  return {
    name: d.name,
    description: d.description,
    priority: Number(d.priority),
    kinds: d.kinds as TApprovalPolicyInput["kinds"],
    minRisk: (d.minRisk || null) as TApprovalPolicyInput["minRisk"],
    classifications: d.classifications as TApprovalPolicyInput["classifications"],
    crossesJurisdiction: d.crosses === "" ? null : d.crosses === "yes",
    enabled: d.enabled,
    stages: d.stages.map((s) => ({ name: s.name, role: s.role, team: s.owner ? "owner" : null, quorum: Number(s.quorum), parallelGroup: Number(s.parallelGroup) })),
  };
}

function matchText(p: TApprovalPolicyView): string {
  const parts = [
    p.kinds.length ? p.kinds.map((k) => CHANGE_KIND_LABELS[k].toLowerCase()).join(", ") : "any kind",
    p.minRisk ? `${p.minRisk} risk or worse` : "any risk",
    p.classifications.length ? p.classifications.join(", ") : "any data",
    p.crossesJurisdiction === null ? null : p.crossesJurisdiction ? "crossing a border" : "not crossing a border",
  ];
  return parts.filter(Boolean).join(" · ");
}

/** Approval policies, in the order routing tries them; administrators edit them (audited). */
export function PoliciesView({ canManage }: { canManage: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const list = useQuery(trpc.policies.list.queryOptions());
  const [draft, setDraft] = useState<TDraft | null>(null);
  const [deleting, setDeleting] = useState<TApprovalPolicyView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const remove = useMutation(trpc.policies.delete.mutationOptions());
  const refresh = () => queryClient.invalidateQueries(trpc.policies.list.queryFilter());

  if (list.isError && !list.data) return <QueryError error={list.error} onRetry={() => void list.refetch()} />;
  return (
    <div className="flex flex-col gap-4">
      <p className="max-w-4xl text-sm text-zinc-600 dark:text-zinc-400">
        A request is routed by the enabled policy with the lowest priority number among those that match it. Whatever a
        policy says, HIGH and CRITICAL risk need two distinct DBAs, PII or regulated data crossing a border needs a
        compliance officer, and the requester never approves.
      </p>
      {canManage ? (
        <div>
          <Button variant="primary" onClick={() => setDraft({ ...EMPTY })} data-testid="new-policy">
            New policy
          </Button>
        </div>
      ) : null}
      {draft ? <PolicyEditor draft={draft} onClose={() => setDraft(null)} onSaved={async () => { setDraft(null); await refresh(); }} /> : null}
      <TableScroller>
        <Table aria-label="Approval policies">
          <thead>
            <tr>
              <Th numeric>Priority</Th>
              <Th>Policy</Th>
              <Th>Matches</Th>
              <Th>Stages</Th>
              <Th>Updated</Th>
              {canManage ? <Th>Actions</Th> : null}
            </tr>
          </thead>
          <tbody>
            {(list.data ?? []).map((p) => (
              <Tr key={p.id} data-testid="policy-row" className="align-top">
                <Td numeric>{p.priority}</Td>
                <Td className="max-w-72 whitespace-normal!">
                  <span className="font-medium">{p.name}</span> {p.enabled ? null : <Badge>disabled</Badge>}
                  {p.invalidStages ? <Badge tone="failed">invalid: {p.invalidStages}</Badge> : null}
                  <p className="text-xs text-zinc-600 dark:text-zinc-400">{p.description}</p>
                </Td>
                <Td className="max-w-72 whitespace-normal! text-xs">{matchText(p)}</Td>
                <Td className="whitespace-normal! text-xs">
                  <ul>
                    {p.stages.map((s) => (
                      <li key={s.name}>
                        <span className="font-medium">{s.name}</span>: {s.quorum} × {ROLE_LABELS[s.role]}
                        {s.team === "owner" ? " of the owning team" : ""}
                        {s.parallelGroup > 0 ? ` (step ${s.parallelGroup + 1})` : ""}
                      </li>
                    ))}
                  </ul>
                </Td>
                <Td muted><RelativeTime date={p.updatedAt} /></Td>
                {canManage ? (
                  <Td>
                    <span className="flex gap-1">
                      <Button onClick={() => setDraft(draftOf(p))}>Edit</Button>
                      <Button variant="ghost" onClick={() => { setError(null); setDeleting(p); }}>Delete</Button>
                    </span>
                  </Td>
                ) : null}
              </Tr>
            ))}
          </tbody>
        </Table>
      </TableScroller>
      <ConfirmDialog
        open={deleting !== null}
        title={`Delete the policy ${deleting?.name ?? ""}?`}
        confirmLabel={`Delete ${deleting?.name ?? ""}`}
        variant="danger"
        busy={remove.isPending}
        error={error}
        onClose={() => setDeleting(null)}
        onConfirm={() =>
          deleting &&
          remove.mutate({ id: deleting.id }, { onSuccess: async () => { setDeleting(null); await refresh(); }, onError: (e) => setError(e.message) })
        }
      >
        <p className="text-sm">Requests submitted from now on are routed without it. Requests already submitted keep their stages. The deletion is audited.</p>
      </ConfirmDialog>
    </div>
  );
}

function PolicyEditor({ draft: initial, onClose, onSaved }: { draft: TDraft; onClose: () => void; onSaved: () => Promise<unknown> }) {
  const trpc = useTRPC();
  const id = useId();
  const [d, setD] = useState<TDraft>(initial);
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const create = useMutation(trpc.policies.create.mutationOptions());
  const update = useMutation(trpc.policies.update.mutationOptions());
  const busy = create.isPending || update.isPending;
  const err = (key: string) => errors[key]?.join(" ");
  const toggle = (list: string[], v: string) => (list.includes(v) ? list.filter((x) => x !== v) : [...list, v]);

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    const policy = policyOf(d);
    const parsed = ZApprovalPolicySchema.safeParse(policy);
    if (!parsed.success) {
      setErrors(fieldErrorsOf(parsed.error));
      setFormError("Some fields need attention.");
      return;
    }
    const onError = (e: { message: string; data?: { fieldErrors?: Record<string, string[]> | null } | null }) => {
      const fe = e.data?.fieldErrors ?? {};
      setErrors(Object.fromEntries(Object.entries(fe).map(([k, v]) => [k.replace(/^policy\./, ""), v])));
      setFormError(e.message);
    };
    if (d.id && d.updatedAt) update.mutate({ id: d.id, expectedUpdatedAt: d.updatedAt, policy }, { onSuccess: onSaved, onError });
    else create.mutate(policy, { onSuccess: onSaved, onError });
  }

  const label = "text-[11px] font-medium uppercase tracking-wide text-zinc-500 dark:text-zinc-400";
  return (
    <form onSubmit={onSubmit} className="flex max-w-5xl flex-col gap-3 rounded-md border border-sky-300 bg-white p-4 dark:border-sky-800 dark:bg-zinc-900" aria-labelledby={`${id}-t`} data-testid="policy-editor">
      <h2 id={`${id}-t`} className="text-sm font-semibold">{d.id ? `Edit policy ${initial.name}` : "New approval policy"}</h2>
      <div className="grid gap-3 sm:grid-cols-[1fr_8rem]">
        <label className="flex flex-col gap-1 text-sm">
          <span className={label}>Name</span>
          <input value={d.name} onChange={(e) => setD({ ...d, name: e.target.value })} className={inputClass} aria-invalid={Boolean(err("name"))} />
          {err("name") ? <span className="text-rose-700">{err("name")}</span> : null}
        </label>
        <label className="flex flex-col gap-1 text-sm">
          <span className={label}>Priority</span>
          <input type="number" value={d.priority} onChange={(e) => setD({ ...d, priority: e.target.value })} className={inputClass} aria-invalid={Boolean(err("priority"))} />
          {err("priority") ? <span className="text-rose-700">{err("priority")}</span> : null}
        </label>
      </div>
      <label className="flex flex-col gap-1 text-sm">
        <span className={label}>Description</span>
        <input value={d.description} onChange={(e) => setD({ ...d, description: e.target.value })} className={inputClass} />
      </label>
      <fieldset className="flex flex-col gap-1 text-sm">
        <legend className={label}>Kinds (none: any)</legend>
        <div className="flex flex-wrap gap-x-4 gap-y-1">
          {CHANGE_KINDS.map((k) => (
            <label key={k} className="flex items-center gap-1.5">
              <input type="checkbox" checked={d.kinds.includes(k)} onChange={() => setD({ ...d, kinds: toggle(d.kinds, k) })} className="accent-sky-600" />
              {CHANGE_KIND_LABELS[k]}
            </label>
          ))}
        </div>
      </fieldset>
      <div className="grid gap-3 sm:grid-cols-3">
        <label className="flex flex-col gap-1 text-sm">
          <span className={label}>Minimum risk</span>
          <select value={d.minRisk} onChange={(e) => setD({ ...d, minRisk: e.target.value })} className={inputClass}>
            <option value="">Any</option>
            {RISK_LEVELS.map((r) => (
              <option key={r} value={r}>{r} or worse</option>
            ))}
          </select>
        </label>
        <label className="flex flex-col gap-1 text-sm">
          <span className={label}>Crosses a jurisdiction border</span>
          <select value={d.crosses} onChange={(e) => setD({ ...d, crosses: e.target.value as TDraft["crosses"] })} className={inputClass}>
            <option value="">Either way</option>
            <option value="yes">Yes</option>
            <option value="no">No</option>
          </select>
        </label>
        <label className="flex items-center gap-2 self-end text-sm">
          <input type="checkbox" checked={d.enabled} onChange={(e) => setD({ ...d, enabled: e.target.checked })} className="accent-sky-600" />
          Enabled
        </label>
      </div>
      <fieldset className="flex flex-col gap-1 text-sm">
        <legend className={label}>Data classifications (none: any)</legend>
        <div className="flex flex-wrap gap-x-4 gap-y-1">
          {DATA_CLASSIFICATIONS.map((c) => (
            <label key={c} className="flex items-center gap-1.5">
              <input type="checkbox" checked={d.classifications.includes(c)} onChange={() => setD({ ...d, classifications: toggle(d.classifications, c) })} className="accent-sky-600" />
              {c}
            </label>
          ))}
        </div>
      </fieldset>
      <fieldset className="flex flex-col gap-2 text-sm">
        <legend className={label}>Stages (the same step runs side by side; steps open in order)</legend>
        <div aria-hidden="true" className={`hidden gap-2 sm:grid sm:grid-cols-[10rem_12rem_auto_5rem_5rem_auto] ${label}`}>
          <span>Name</span>
          <span>Role</span>
          <span>Team</span>
          <span>Quorum</span>
          <span>Step</span>
          <span />
        </div>
        {d.stages.map((s, i) => {
          const set = (patch: Partial<TStageDraft>) => setD({ ...d, stages: d.stages.map((x, j) => (j === i ? { ...x, ...patch } : x)) });
          const e = (k: string) => err(`stages.${i}.${k}`);
          return (
            <div key={i} className="grid items-start gap-2 sm:grid-cols-[10rem_12rem_auto_5rem_5rem_auto]" data-testid="stage-row">
              <label className="flex flex-col gap-0.5">
                <span className="sr-only">Stage {i + 1} name</span>
                <input value={s.name} onChange={(ev) => set({ name: ev.target.value })} className={inputClass} placeholder="stage name" aria-invalid={Boolean(e("name"))} />
                {e("name") ? <span className="text-xs text-rose-700">{e("name")}</span> : null}
              </label>
              <label>
                <span className="sr-only">Stage {i + 1} role</span>
                <select value={s.role} onChange={(ev) => set({ role: ev.target.value as TRole })} className={inputClass}>
                  {APPROVER_ROLES.map((r) => (
                    <option key={r} value={r}>{ROLE_LABELS[r]}</option>
                  ))}
                </select>
              </label>
              <label className="flex items-center gap-1.5 pt-1.5">
                <input type="checkbox" checked={s.owner} onChange={(ev) => set({ owner: ev.target.checked })} className="accent-sky-600" />
                of the owning team
              </label>
              <label className="flex flex-col gap-0.5">
                <span className="sr-only">Stage {i + 1} quorum</span>
                <input type="number" min={1} max={10} value={s.quorum} onChange={(ev) => set({ quorum: ev.target.value })} className={inputClass} title="Quorum" aria-invalid={Boolean(e("quorum"))} />
                {e("quorum") ? <span className="text-xs text-rose-700">{e("quorum")}</span> : null}
              </label>
              <label>
                <span className="sr-only">Stage {i + 1} step</span>
                <input type="number" min={0} max={20} value={s.parallelGroup} onChange={(ev) => set({ parallelGroup: ev.target.value })} className={inputClass} title="Step (parallel group)" />
              </label>
              <Button variant="ghost" onClick={() => setD({ ...d, stages: d.stages.filter((_, j) => j !== i) })} aria-label={`Remove stage ${s.name || i + 1}`}>
                Remove
              </Button>
            </div>
          );
        })}
        {err("stages") ? <span className="text-rose-700">{err("stages")}</span> : null}
        <div>
          <Button onClick={() => setD({ ...d, stages: [...d.stages, { name: "", role: "DBA", owner: false, quorum: "1", parallelGroup: "0" }] })}>Add a stage</Button>
        </div>
      </fieldset>
      {formError ? <p role="alert" className="text-sm text-rose-700 dark:text-rose-400">{formError}</p> : null}
      <div className="flex gap-2">
        <Button type="submit" variant="primary" disabled={busy} data-testid="save-policy">
          {busy ? "Saving…" : d.id ? `Save ${initial.name}` : "Create policy"}
        </Button>
        <Button variant="ghost" onClick={onClose}>Cancel</Button>
      </div>
    </form>
  );
}
