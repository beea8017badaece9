"use client";

import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useId, useState, type FormEvent, type ReactNode } from "react";
import {
  CHANGE_KIND_DESCRIPTIONS,
  CHANGE_KIND_LABELS,
  REPLICATION_MODES,
  fieldErrorsOf,
  ZChangeParamsSchema,
  type TChangeKind,
} from "@meridian/policy";
import type { TChangeFormOptions, TFormDataCenter, TFormInstance } from "@meridian/api/client";
import { Button, buttonClass } from "@/components/ui/button";
import { formatLag, formatUtc } from "@/lib/format";
import { useTRPC } from "@/lib/trpc/react";
import { describedBy, FormField, inputClass } from "./form-field";
import { type TPrefillValues } from "./form-prefill";
import { crNumber } from "./labels";

type TValues = Record<string, string | boolean>;
type TErrors = Record<string, string[]>;

export interface TChangeFormInitial {
  number: number;
  version: number;
  title: string;
  description: string;
  params: Record<string, unknown>;
  maintenanceWindowId: string | null;
  /** Approvals that an edit changing the plan would void. */
  liveApprovals: number;
}

const NUMBER_FIELDS = new Set(["maxLagSeconds"]);
const BOOLEAN_FIELDS = new Set(["allowLastReplica", "allowDrop"]);
/** Comma- or space-separated lists (ADD_LINK's tables). */
const LIST_FIELDS = new Set(["tables"]);

function initialValues(initial: TChangeFormInitial | undefined): TValues {
  const out: TValues = {};
  for (const [k, v] of Object.entries(initial?.params ?? {})) {
    if (k === "kind") continue;
    out[k] = typeof v === "boolean" ? v : v === undefined || v === null ? "" : String(v);
  }
  return out;
}

/** Form values to the kind's parameters (empty optional fields left out). */
function paramsOf(kind: TChangeKind, values: TValues): Record<string, unknown> {
  const params: Record<string, unknown> = { kind };
  for (const [k, v] of Object.entries(values)) {
    if (BOOLEAN_FIELDS.has(k)) params[k] = v === true;
    else if (typeof v === "string" && v.trim() !== "" && LIST_FIELDS.has(k)) params[k] = v.split(/[\s,]+/).filter(Boolean);
    else if (typeof v === "string" && v.trim() !== "") params[k] = NUMBER_FIELDS.has(k) ? Number(v) : v;
  }
  return params;
}

function dcLabel(d: TFormDataCenter): string {
  return `${d.code} · ${d.city} · ${d.jurisdiction} · ${d.freeSlots} free slot${d.freeSlots === 1 ? "" : "s"}`;
}

function instanceLabel(i: TFormInstance): string {
  const lag = i.lagSeconds !== null ? ` · lag ${formatLag(i.lagSeconds)}` : "";
  return `${i.name} · ${i.role.toLowerCase()} · ${i.dataCenterCode} (${i.jurisdiction}) · ${i.health.toLowerCase()}${lag}`;
}

/**
 * One keyboard-friendly form per change kind: native controls with labels, helpful choices
 * (only data centers with free slots; only healthy replicas), the kind's zod schema checked
 * before sending, and the server's field messages shown next to the fields.
 */
export function ChangeForm({ kind, initial, prefill }: { kind: TChangeKind; initial?: TChangeFormInitial; prefill?: TPrefillValues }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const id = useId();
  // An edit starts from the request's parameters; a new change from the URL's (already checked against the kind's schema).
  const [values, setValues] = useState<TValues>(() => (initial ? initialValues(initial) : { ...prefill }));
  const [title, setTitle] = useState(initial?.title ?? "");
  const [description, setDescription] = useState(initial?.description ?? "");
  const [windowId, setWindowId] = useState(initial?.maintenanceWindowId ?? "");
  const [breakGlass, setBreakGlass] = useState(false);
  const [errors, setErrors] = useState<TErrors>({});
  const [formError, setFormError] = useState<string | null>(null);

  const clusterId = typeof values.clusterId === "string" && values.clusterId ? values.clusterId : undefined;
  const options = useQuery({
    ...trpc.changes.formOptions.queryOptions({ kind, clusterId }),
    placeholderData: keepPreviousData,
  });
  const o = options.data;
  const create = useMutation(trpc.changes.create.mutationOptions());
  const update = useMutation(trpc.changes.update.mutationOptions());
  const pending = create.isPending || update.isPending;

  const set = (name: string, value: string | boolean) => {
    setValues((v) => {
      const next = { ...v, [name]: value };
      // A new cluster invalidates the choices that depended on the old one.
      if (name === "clusterId")
        for (const k of ["sourceInstanceId", "replicaInstanceId", "instanceId", "targetInstanceId", "linkId"]) delete next[k];
      if (name === "targetDataCenterId" || name === "dataCenterId") delete next.targetInstanceId;
      if (!next.targetInstanceId) delete next.tables;
      return next;
    });
    setErrors((e) => {
      const { [name]: _gone, ...rest } = e;
      return rest;
    });
  };

  function applyServerError(err: { message: string; data?: { fieldErrors?: Record<string, string[]> | null } | null }) {
    const fe = err.data?.fieldErrors ?? {};
    const mapped: TErrors = {};
    for (const [k, v] of Object.entries(fe)) mapped[k.startsWith("params.") ? k.slice(7) : k] = v;
    setErrors(mapped);
    setFormError(err.message);
  }

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    setFormError(null);
    const params = paramsOf(kind, values);
    const parsed = ZChangeParamsSchema.safeParse(params);
    const local: TErrors = parsed.success ? {} : fieldErrorsOf(parsed.error);
    if (title.trim() && title.trim().length < 3) local.title = ["Title is at least 3 characters"];
    if (Object.keys(local).length > 0) {
      setErrors(local);
      setFormError("Some fields need attention.");
      return;
    }
    setErrors({});
    const common = {
      ...(title.trim() ? { title: title.trim() } : {}),
      description: description.trim(),
      maintenanceWindowId: windowId || null,
    };
    if (initial) {
      update.mutate(
        { number: initial.number, expectedVersion: initial.version, params: params as never, ...common },
        {
          onSuccess: async (result) => {
            await queryClient.invalidateQueries(trpc.changes.get.queryFilter({ number: result.number }));
            router.push(`/changes/${result.number}`);
          },
          onError: applyServerError,
        },
      );
    } else {
      create.mutate(
        { params: params as never, breakGlass, ...common },
        {
          onSuccess: async (result) => {
            await queryClient.invalidateQueries(trpc.changes.list.queryFilter());
            router.push(`/changes/${result.number}`);
          },
          onError: applyServerError,
        },
      );
    }
  }

  const fid = (name: string) => `${id}-${name}`;
  // Fields on screen in this render: errors of the others are listed in the summary.
  const shown = new Set<string>();
  const field = (
    name: string,
    label: string,
    control: (props: { id: string; "aria-invalid": boolean; "aria-describedby"?: string }) => ReactNode,
    extra: { hint?: ReactNode; optional?: boolean } = {},
  ) => {
    shown.add(name);
    return (
    <FormField id={fid(name)} label={label} hint={extra.hint} error={errors[name]} optional={extra.optional}>
      {control({ id: fid(name), "aria-invalid": Boolean(errors[name]), "aria-describedby": describedBy(fid(name), Boolean(extra.hint), errors[name]) })}
    </FormField>
    );
  };
  const str = (name: string) => (typeof values[name] === "string" ? (values[name] as string) : "");
  const select = (name: string, label: string, choices: ReactNode, extra: { hint?: ReactNode; optional?: boolean; placeholder?: string } = {}) =>
    field(
      name,
      label,
      (p) => (
        <select {...p} name={name} value={str(name)} onChange={(e) => set(name, e.target.value)} className={inputClass}>
          <option value="">{extra.placeholder ?? (extra.optional ? "— none —" : "Choose…")}</option>
          {choices}
        </select>
      ),
      extra,
    );

  const cluster = o?.cluster && o.cluster.id === clusterId ? o.cluster : null;
  const instances = cluster?.instances ?? [];
  const healthy = (i: TFormInstance) => i.health === "UP";
  const active = (o?.dataCenters ?? []).filter((d) => d.status === "ACTIVE");
  const dcOptions = (dcs: TFormDataCenter[]) => {
    const allowed = dcs.filter((d) => d.allowedForCluster !== false);
    const outside = dcs.filter((d) => d.allowedForCluster === false);
    return (
      <>
        <optgroup label={cluster ? `Allowed for ${cluster.name} (${[cluster.homeJurisdiction, ...cluster.allowedJurisdictions.filter((j) => j !== cluster.homeJurisdiction)].join(", ")})` : "Data centers"}>
          {allowed.map((d) => (
            <option key={d.id} value={d.id}>
              {dcLabel(d)}
            </option>
          ))}
        </optgroup>
        {outside.length ? (
          <optgroup label="Outside the cluster's allowed jurisdictions: the request will be blocked">
            {outside.map((d) => (
              <option key={d.id} value={d.id}>
                {dcLabel(d)} · not allowed
              </option>
            ))}
          </optgroup>
        ) : null}
      </>
    );
  };
  const modeSelect = () =>
    select(
      "mode",
      "Replication mode",
      REPLICATION_MODES.map((m) => (
        <option key={m} value={m}>
          {m.toLowerCase()}
        </option>
      )),
      { optional: true, placeholder: "logical (default)" },
    );
  const lagField = () =>
    field(
      "maxLagSeconds",
      "Maximum lag before the switch (seconds)",
      (p) => (
        <input {...p} type="number" min={0} max={3600} step="0.1" inputMode="decimal" value={str("maxLagSeconds")} placeholder="5" onChange={(e) => set("maxLagSeconds", e.target.value)} className={inputClass} />
      ),
      { optional: true, hint: "The change refuses to start while the replica lags more than this." },
    );
  const needCluster = <p className="text-sm text-zinc-600 dark:text-zinc-400">Choose a cluster to see its instances and the data centers it may use.</p>;

  let kindFields: ReactNode = null;
  switch (kind) {
    case "ADD_REPLICA": {
      // Real servers are never provisioned: a registered empty STANDBY there becomes the replica.
      const standbys = instances.filter((i) => i.role === "STANDBY" && i.dataCenterId === str("dataCenterId"));
      const replicaDcs = active.filter((d) => d.freeSlots > 0 || instances.some((i) => i.role === "STANDBY" && i.dataCenterId === d.id));
      kindFields = cluster ? (
        <>
          {select("dataCenterId", "Data center of the new replica", dcOptions(replicaDcs), { hint: "Active data centers with a free slot, or with a standby of this cluster." })}
          {standbys.length
            ? select("targetInstanceId", "Instance that becomes the replica", standbys.map((i) => <option key={i.id} value={i.id}>{instanceLabel(i)}</option>), { optional: true, placeholder: "provision a new replica" })
            : null}
          {select(
            "sourceInstanceId",
            "Replicate from",
            instances.filter(healthy).map((i) => <option key={i.id} value={i.id}>{instanceLabel(i)}</option>),
            { optional: true, placeholder: "the primary (default)" },
          )}
          {modeSelect()}
        </>
      ) : needCluster;
      break;
    }
    case "REMOVE_REPLICA":
      kindFields = cluster ? (
        <>
          {select("instanceId", "Replica to remove", instances.filter((i) => i.role !== "PRIMARY").map((i) => <option key={i.id} value={i.id}>{instanceLabel(i)}</option>))}
          <Checkbox name="allowLastReplica" label="Allow removing the last replica of a T0/T1 cluster" values={values} set={set} error={errors.allowLastReplica} />
        </>
      ) : needCluster;
      break;
    case "ADD_LINK": {
      const sourceDc = instances.find((i) => i.id === str("sourceInstanceId"))?.dataCenterId;
      // Data-sync hosting: a registered standby of another cluster may receive this cluster's data.
      const syncTargets = (o?.syncTargets ?? []).filter((i) => i.dataCenterId === str("targetDataCenterId"));
      const targets = active.filter(
        (d) => d.id !== sourceDc && (d.freeSlots > 0 || d.clusterInstancesHere > 0 || (o?.syncTargets ?? []).some((i) => i.dataCenterId === d.id)),
      );
      const targetInstances = instances.filter((i) => i.dataCenterId === str("targetDataCenterId") && i.role !== "PRIMARY");
      kindFields = cluster ? (
        <>
          {select("sourceInstanceId", "Source instance", instances.filter(healthy).map((i) => <option key={i.id} value={i.id}>{instanceLabel(i)}</option>), { hint: "Only healthy instances can feed a new link." })}
          {select("targetDataCenterId", "Target data center", dcOptions(targets), {
            hint: "Active data centers with a free slot, with an instance of this cluster, or with a registered standby of another cluster.",
          })}
          {targetInstances.length || syncTargets.length
            ? select(
                "targetInstanceId",
                "Target instance",
                <>
                  {targetInstances.length ? (
                    <optgroup label={`In ${cluster?.name ?? "this cluster"}`}>
                      {targetInstances.map((i) => <option key={i.id} value={i.id}>{instanceLabel(i)}</option>)}
                    </optgroup>
                  ) : null}
                  {syncTargets.length ? (
                    <optgroup label="Registered standbys of other clusters (real servers; approvals stay with this cluster's team)">
                      {syncTargets.map((i) => <option key={i.id} value={i.id}>{`${instanceLabel(i)} · cluster ${i.clusterName}`}</option>)}
                    </optgroup>
                  ) : null}
                </>,
                { optional: true, placeholder: "provision a new sync target" },
              )
            : null}
          {str("targetInstanceId")
            ? field(
                "tables",
                "Tables to sync",
                (p) => <input {...p} type="text" value={str("tables")} placeholder="all tables" onChange={(e) => set("tables", e.target.value)} className={inputClass} />,
                { optional: true, hint: "Real servers only: schema.table names, separated by commas. Every table of the source database when empty." },
              )
            : null}
          {modeSelect()}
        </>
      ) : needCluster;
      break;
    }
    case "REMOVE_LINK":
      kindFields = cluster ? (
        select(
          "linkId",
          "Replication link",
          cluster.links.map((l) => (
            <option key={l.id} value={l.id}>
              {l.sourceName} ({l.sourceDataCenterCode}) → {l.targetName} ({l.targetDataCenterCode}) · {l.mode.toLowerCase()} · {l.status.toLowerCase()}
            </option>
          )),
        )
      ) : needCluster;
      break;
    case "SWITCHOVER": {
      const replicas = instances.filter((i) => i.role !== "PRIMARY" && healthy(i) && i.feedStatus !== "BROKEN");
      kindFields = cluster ? (
        <>
          {select(
            "replicaInstanceId",
            "Replica to promote",
            replicas.map((i) => <option key={i.id} value={i.id}>{instanceLabel(i)}</option>),
            { hint: replicas.length ? "Only healthy replicas with a working feed are listed." : "This cluster has no healthy replica: a switchover is not possible now." },
          )}
          {lagField()}
        </>
      ) : needCluster;
      break;
    }
    case "FAILOVER":
      kindFields = cluster ? (
        <>
          {select(
            "replicaInstanceId",
            "Replica to promote",
            instances.filter((i) => i.role !== "PRIMARY" && i.health !== "DOWN").map((i) => <option key={i.id} value={i.id}>{instanceLabel(i)}</option>),
            { optional: true, placeholder: "the healthiest, least-lagging replica" },
          )}
          {field("reason", "Why is this emergency needed?", (p) => (
            <textarea {...p} rows={3} value={str("reason")} onChange={(e) => set("reason", e.target.value)} className={inputClass} placeholder="The primary in fra1 lost its storage; writes are failing since 03:12 UTC" />
          ), { hint: "Shown to the approvers and the after-the-fact reviewers." })}
        </>
      ) : needCluster;
      break;
    case "MOVE_PRIMARY_REGION":
      kindFields = cluster ? (
        <>
          {select(
            "targetDataCenterId",
            "Target data center",
            dcOptions(active.filter((d) => d.freeSlots > 0 || d.clusterInstancesHere > 0)),
            { hint: "A replica is added there first when none is caught up." },
          )}
          {modeSelect()}
          {lagField()}
        </>
      ) : needCluster;
      break;
    case "SCHEMA_CHANGE":
      kindFields = cluster ? (
        <>
          {field("sql", "SQL", (p) => (
            <textarea {...p} rows={8} spellCheck={false} value={str("sql")} onChange={(e) => set("sql", e.target.value)} className={`${inputClass} font-mono text-xs`} placeholder={"ALTER TABLE payments ADD COLUMN settled_at timestamptz;\nCREATE INDEX CONCURRENTLY payments_settled_at ON payments (settled_at);"} />
          ), { hint: "Checked by the schema review rules: no DROP without the flag below, no TRUNCATE, no table rewrite on T0 outside a window…" })}
          <Checkbox name="allowDrop" label="I intend to DROP tables, columns or schemas (data is destroyed)" values={values} set={set} error={errors.allowDrop} />
          {field("rollbackSql", "Rollback SQL", (p) => (
            <textarea {...p} rows={4} spellCheck={false} value={str("rollbackSql")} onChange={(e) => set("rollbackSql", e.target.value)} className={`${inputClass} font-mono text-xs`} />
          ), { optional: true, hint: "Run as the compensation when a later step fails." })}
        </>
      ) : needCluster;
      break;
    case "DRAIN_DATACENTER":
      kindFields = (
        <>
          {select(
            "dataCenterId",
            "Data center to drain",
            (o?.dataCenters ?? []).map((d) => (
              <option key={d.id} value={d.id}>
                {d.code} · {d.city} · {d.jurisdiction} · {d.status.toLowerCase()}
              </option>
            )),
          )}
          {field("reason", "Reason", (p) => (
            <input {...p} value={str("reason")} onChange={(e) => set("reason", e.target.value)} className={inputClass} />
          ), { optional: true })}
        </>
      );
      break;
  }

  const clusterPicker =
    kind === "DRAIN_DATACENTER"
      ? null
      : select(
          "clusterId",
          "Cluster",
          (o?.clusters ?? []).map((c) => (
            <option key={c.id} value={c.id}>
              {c.name} · {c.tier} · {c.classification.toLowerCase()} · {c.team.name}
            </option>
          )),
          {
            hint: o && !o.fleetWide ? "Your teams' clusters. DBAs file for any cluster." : undefined,
          },
        );

  const windows = o?.windows ?? [];
  return (
    <form onSubmit={onSubmit} noValidate className="flex max-w-3xl flex-col gap-5" aria-describedby={`${id}-kind`} data-testid="change-form">
      <div id={`${id}-kind`} className="rounded-md border border-zinc-200 bg-zinc-50 px-3 py-2 text-sm text-zinc-700 dark:border-zinc-800 dark:bg-zinc-900 dark:text-zinc-300">
        <span className="font-medium">{CHANGE_KIND_LABELS[kind]}.</span> {CHANGE_KIND_DESCRIPTIONS[kind]}
      </div>
      {options.isError ? (
        <p role="alert" className="text-sm text-rose-700 dark:text-rose-400">
          Could not load the choices for this form: {options.error.message}
        </p>
      ) : null}
      <fieldset className="flex flex-col gap-4" disabled={pending}>
        <legend className="sr-only">What to change</legend>
        {initial ? (
          <p className="text-sm text-zinc-600 dark:text-zinc-400">
            Cluster: <span className="font-medium">{cluster?.name ?? "…"}</span> (the cluster and kind of a request do not change)
          </p>
        ) : (
          clusterPicker
        )}
        {kindFields}
      </fieldset>
      <fieldset className="flex flex-col gap-4 border-t border-zinc-200 pt-4 dark:border-zinc-800" disabled={pending}>
        <legend className="sr-only">About the request</legend>
        {field("title", "Title", (p) => (
          <input {...p} value={title} onChange={(e) => setTitle(e.target.value)} maxLength={200} className={inputClass} placeholder="Made up from the parameters when left empty" />
        ), { optional: true })}
        {field("description", "Why", (p) => (
          <textarea {...p} rows={3} value={description} onChange={(e) => setDescription(e.target.value)} maxLength={4000} className={inputClass} placeholder="Context for the approvers: ticket, incident, expected effect" />
        ), { optional: true })}
        {field("maintenanceWindowId", "Maintenance window", (p) => (
          <select {...p} value={windowId} onChange={(e) => setWindowId(e.target.value)} className={inputClass}>
            <option value="">Any time allowed (no window asked)</option>
            {windows.map((w) => (
              <option key={w.id} value={w.id}>
                {formatUtc(w.startsAt)} → {formatUtc(w.endsAt)} · {w.dataCenterCode ?? "fleet-wide"}
                {w.reason ? ` · ${w.reason}` : ""}
              </option>
            ))}
          </select>
        ), {
          optional: true,
          hint: (
            <>
              Upcoming windows of this cluster&apos;s data centers and fleet-wide ones. See the{" "}
              <Link href="/changes/calendar" className="underline">calendar of windows and freezes</Link>.
            </>
          ),
        })}
        {kind === "FAILOVER" && o?.canBreakGlass && !initial ? (
          <Checkbox
            name="breakGlass"
            label="Break-glass: one other DBA approves instead of the usual stages; the change is reviewed afterwards"
            values={{ breakGlass }}
            set={(_n, v) => setBreakGlass(v === true)}
            error={errors.breakGlass}
          />
        ) : null}
      </fieldset>
      {initial && initial.liveApprovals > 0 ? (
        <p className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-200">
          If your edit changes the plan, the {initial.liveApprovals} approval{initial.liveApprovals > 1 ? "s" : ""} given so far will be voided and {crNumber(initial.number)} goes back to waiting for approval.
        </p>
      ) : null}
      {formError ? (
        <div role="alert" className="rounded-md border border-rose-200 bg-rose-50 px-3 py-2 text-sm text-rose-800 dark:border-rose-900 dark:bg-rose-950 dark:text-rose-200" data-testid="form-error">
          <p>{formError}</p>
          {Object.entries(errors).some(([k]) => !shown.has(k) && !["allowDrop", "allowLastReplica", "breakGlass"].includes(k)) ? (
            <ul className="mt-1 list-disc pl-5">
              {Object.entries(errors)
                .filter(([k]) => !shown.has(k) && !["allowDrop", "allowLastReplica", "breakGlass"].includes(k))
                .map(([k, messages]) => (
                  <li key={k}>{messages.join(" ")}</li>
                ))}
            </ul>
          ) : null}
        </div>
      ) : null}
      <div className="flex items-center gap-2">
        <Button type="submit" variant="primary" disabled={pending} data-testid="save-change">
          {pending ? "Planning…" : initial ? `Save and re-plan ${crNumber(initial.number)}` : "Create draft and preview the plan"}
        </Button>
        <Link href={initial ? `/changes/${initial.number}` : "/changes"} className={buttonClass("ghost")}>
          Cancel
        </Link>
      </div>
    </form>
  );
}

function Checkbox({
  name,
  label,
  values,
  set,
  error,
}: {
  name: string;
  label: string;
  values: TValues;
  set: (name: string, value: boolean) => void;
  error?: string[];
}) {
  const id = useId();
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="flex items-start gap-2 text-sm text-zinc-800 dark:text-zinc-200">
        <input id={id} type="checkbox" checked={values[name] === true} onChange={(e) => set(name, e.target.checked)} className="mt-0.5 accent-sky-600" />
        <span>{label}</span>
      </label>
      {error?.length ? <p className="text-sm text-rose-700 dark:text-rose-400">{error.join(" ")}</p> : null}
    </div>
  );
}

export type { TChangeFormOptions };
