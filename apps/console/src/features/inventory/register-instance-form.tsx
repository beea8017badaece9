"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useId, useMemo, useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { PageHeader } from "@/components/ui/page-header";
import { useTRPC } from "@/lib/trpc/react";
import { describedBy, FormField, inputClass } from "@/features/changes/form-field";
import { QueryError } from "./query-error";

type TForm = {
  clusterId: string;
  dataCenterId: string;
  name: string;
  role: "PRIMARY" | "REPLICA" | "STANDBY";
  host: string;
  port: string;
  database: string;
  user: string;
  password: string;
};

const EMPTY: TForm = { clusterId: "", dataCenterId: "", name: "", role: "STANDBY", host: "", port: "5432", database: "", user: "", password: "" };

/**
 * Inventory -> Register instance: an existing PostgreSQL server into a cluster. Meridian
 * connects with the credential before saving (unreachable, wrong password, wal_level not
 * logical are refused next to the field); the password is stored encrypted and never shown again.
 */
export function RegisterInstanceForm() {
  const trpc = useTRPC();
  const router = useRouter();
  const uid = useId();
  const options = useQuery(trpc.instancesRegistry.options.queryOptions());
  const [form, setForm] = useState<TForm>(EMPTY);
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const mutation = useMutation(
    trpc.instancesRegistry.register.mutationOptions({
      onSuccess: (created) => router.push(`/inventory/instances/${encodeURIComponent(created.name)}`),
      onError: (e) => {
        const fe = (e.data as { fieldErrors?: Record<string, string[]> | null } | undefined)?.fieldErrors ?? {};
        setErrors(fe);
        setFormError(Object.keys(fe).length ? null : e.message);
      },
    }),
  );
  const cluster = options.data?.clusters.find((c) => c.id === form.clusterId);
  const dataCenters = useMemo(
    () => (options.data?.dataCenters ?? []).filter((d) => !cluster || cluster.allowedJurisdictions.includes(d.jurisdictionCode)),
    [options.data, cluster],
  );
  const set = <K extends keyof TForm>(key: K, value: TForm[K]) => setForm((f) => ({ ...f, [key]: value }));
  const id = (f: string) => `${uid}-${f}`;
  const submit = (ev: FormEvent) => {
    ev.preventDefault();
    setFormError(null);
    setErrors({});
    mutation.mutate({ ...form, port: Number(form.port) });
  };
  const field = (key: keyof TForm, label: string, props: { type?: string; hint?: string; autoComplete?: string; placeholder?: string } = {}) => (
    <FormField id={id(key)} label={label} hint={props.hint} error={errors[key]}>
      <input
        id={id(key)}
        type={props.type ?? "text"}
        className={inputClass}
        value={form[key]}
        placeholder={props.placeholder}
        autoComplete={props.autoComplete ?? "off"}
        onChange={(e) => set(key, e.target.value as never)}
        aria-invalid={Boolean(errors[key])}
        aria-describedby={describedBy(id(key), Boolean(props.hint), errors[key])}
      />
    </FormField>
  );

  return (
    <div className="flex flex-col gap-4 px-5 py-4">
      <PageHeader
        crumbs={[
          { label: "Inventory", href: "/inventory/data-centers" },
          { label: "Instances", href: "/inventory/instances" },
          { label: "Register instance" },
        ]}
        title="Register an existing PostgreSQL server"
      />
      {options.isError ? <QueryError error={options.error} onRetry={() => void options.refetch()} /> : null}
      <form onSubmit={submit} className="grid max-w-3xl grid-cols-1 gap-4 sm:grid-cols-2" aria-label="Register instance">
        <FormField id={id("clusterId")} label="Cluster" error={errors.clusterId}>
          <select id={id("clusterId")} className={inputClass} value={form.clusterId} onChange={(e) => set("clusterId", e.target.value)} aria-invalid={Boolean(errors.clusterId)}>
            <option value="">Choose a PostgreSQL cluster</option>
            {options.data?.clusters.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name} ({c.allowedJurisdictions.join(", ")})
              </option>
            ))}
          </select>
        </FormField>
        <FormField id={id("dataCenterId")} label="Data center" hint={cluster ? `Only the cluster's jurisdictions: ${cluster.allowedJurisdictions.join(", ")}` : undefined} error={errors.dataCenterId}>
          <select id={id("dataCenterId")} className={inputClass} value={form.dataCenterId} onChange={(e) => set("dataCenterId", e.target.value)} aria-invalid={Boolean(errors.dataCenterId)}>
            <option value="">Choose a data center</option>
            {dataCenters.map((d) => (
              <option key={d.id} value={d.id}>
                {d.code} · {d.name} ({d.jurisdictionCode})
              </option>
            ))}
          </select>
        </FormField>
        {field("name", "Instance name", { hint: "Lower-case letters, digits and dashes, e.g. orders-fra1-02", placeholder: "orders-fra1-02" })}
        <FormField id={id("role")} label="Role" error={errors.role}>
          <select id={id("role")} className={inputClass} value={form.role} onChange={(e) => set("role", e.target.value as TForm["role"])}>
            <option value="STANDBY">Standby (empty member a change request can target)</option>
            <option value="REPLICA">Replica</option>
            <option value="PRIMARY">Primary</option>
          </select>
        </FormField>
        {field("host", "Host", { placeholder: "db1.example.internal" })}
        {field("port", "Port", { type: "number" })}
        {field("database", "Database", { placeholder: "orders" })}
        {field("user", "User", { hint: "The role Meridian connects with (see the README for its privileges)" })}
        {field("password", "Password", { type: "password", autoComplete: "new-password", hint: "Stored encrypted; never shown again" })}
        <div className="flex items-center gap-3 sm:col-span-2">
          <Button type="submit" variant="primary" disabled={mutation.isPending}>
            {mutation.isPending ? "Checking the connection…" : "Check and register"}
          </Button>
          {formError ? (
            <p role="alert" className="text-sm text-rose-700 dark:text-rose-400">
              {formError}
            </p>
          ) : null}
        </div>
      </form>
    </div>
  );
}
