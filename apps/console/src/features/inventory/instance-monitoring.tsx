"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@meridian/api/client";
import { Button } from "@/components/ui/button";
import { RelativeTime } from "@/components/ui/relative-time";
import { FactList, Section } from "@/components/ui/section";
import { Table, TableScroller, Td, Th, Tr } from "@/components/ui/table";
import { useTRPC } from "@/lib/trpc/react";
import { describedBy, FormField, inputClass } from "@/features/changes/form-field";
import { DRIFT_KIND_LABELS, DriftGlyph, DriftMark } from "@/features/map/drift-mark";

type TInstance = inferRouterOutputs<AppRouter>["inventory"]["getInstance"];

/** The health collector's view of a postgres instance: last poll, what it saw, open drift, and the credential (write-only). */
export function InstanceMonitoring({ instance: i, canManageCredential }: { instance: TInstance; canManageCredential: boolean }) {
  const m = i.monitoring;
  return (
    <>
      <Section
        title="Health collector"
        id="instance-collector"
        description="Polled every few seconds: DEGRADED after 2 failed polls in a row, DOWN after 3, UP again after 2 good ones."
      >
        <FactList
          items={[
            { label: "Last good poll", value: m.lastSeenAt ? <RelativeTime date={m.lastSeenAt} /> : "never" },
            { label: "Server says", value: m.observedRole ? <span className="font-mono text-xs">{m.observedRole}</span> : "not polled yet" },
            { label: "Polls in a row", value: m.failureStreak > 0 ? `${m.failureStreak} failed` : `${m.successStreak} good` },
            { label: "Database", value: <span className="font-mono text-xs">{m.databaseName ?? "postgres"}</span> },
            { label: "Last poll", value: <span className="text-xs">{m.healthDetail ?? "not polled yet"}</span>, wide: true },
          ]}
        />
      </Section>

      <Section
        title="Drift"
        id="instance-drift"
        actions={<DriftMark count={i.drift.length} />}
        description="Objects on the server the inventory does not know, links the server does not have, or a role the server contradicts."
      >
        {i.drift.length === 0 ? (
          <p className="text-sm text-zinc-600 dark:text-zinc-400">No open drift: the server and the inventory agree.</p>
        ) : (
          <TableScroller className="max-h-80">
            <Table aria-label={`Open drift findings on ${i.name}`}>
              <thead>
                <tr>
                  <Th>Kind</Th>
                  <Th>Object</Th>
                  <Th>What was found</Th>
                  <Th>First seen</Th>
                  <Th>Last seen</Th>
                </tr>
              </thead>
              <tbody>
                {i.drift.map((d) => (
                  <Tr key={d.id}>
                    <Td>
                      <span className="inline-flex items-center gap-1">
                        <DriftGlyph />
                        {DRIFT_KIND_LABELS[d.kind] ?? d.kind}
                      </span>
                    </Td>
                    <Td className="font-mono text-xs">{d.objectName}</Td>
                    <Td className="text-xs">{d.detail}</Td>
                    <Td>
                      <RelativeTime date={d.firstSeenAt} />
                    </Td>
                    <Td>
                      <RelativeTime date={d.lastSeenAt} />
                    </Td>
                  </Tr>
                ))}
              </tbody>
            </Table>
          </TableScroller>
        )}
      </Section>

      <Section
        title="Credential"
        id="instance-credential"
        description="Stored encrypted (AES-256-GCM). Write-only: Meridian never shows it, logs it or puts it in the audit trail."
      >
        <p className="text-sm text-zinc-700 dark:text-zinc-300">{m.hasCredential ? "A credential is set." : "No credential is set: Meridian cannot reach this server."}</p>
        {canManageCredential ? <RotateCredentialForm instanceId={i.id} instanceName={i.name} /> : null}
      </Section>
    </>
  );
}

function RotateCredentialForm({ instanceId, instanceName }: { instanceId: string; instanceName: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const uid = useId();
  const [user, setUser] = useState("");
  const [password, setPassword] = useState("");
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [message, setMessage] = useState<string | null>(null);
  const mutation = useMutation(
    trpc.instancesRegistry.rotateCredential.mutationOptions({
      onSuccess: () => {
        setPassword("");
        setErrors({});
        setMessage(`Credential rotated: Meridian connects to ${instanceName} with the new one.`);
        void queryClient.invalidateQueries({ queryKey: trpc.inventory.getInstance.queryKey() });
      },
      onError: (e) => {
        setMessage(null);
        const fe = (e.data as { fieldErrors?: Record<string, string[]> | null } | undefined)?.fieldErrors ?? {};
        setErrors(Object.keys(fe).length ? fe : { password: [e.message] });
      },
    }),
  );
  const submit = (ev: FormEvent) => {
    ev.preventDefault();
    setMessage(null);
    mutation.mutate({ instanceId, user, password });
  };
  const id = (f: string) => `${uid}-${f}`;
  return (
    <form onSubmit={submit} className="flex max-w-xl flex-col gap-3 rounded-md border border-zinc-200 p-3 dark:border-zinc-800" aria-label="Rotate credential">
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-2">
        <FormField id={id("user")} label="User" error={errors.user}>
          <input id={id("user")} className={inputClass} value={user} onChange={(e) => setUser(e.target.value)} autoComplete="off" aria-invalid={Boolean(errors.user)} aria-describedby={describedBy(id("user"), false, errors.user)} />
        </FormField>
        <FormField id={id("password")} label="New password" error={errors.password ?? errors.host}>
          <input
            id={id("password")}
            type="password"
            className={inputClass}
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            autoComplete="new-password"
            aria-invalid={Boolean(errors.password ?? errors.host)}
            aria-describedby={describedBy(id("password"), false, errors.password ?? errors.host)}
          />
        </FormField>
      </div>
      <div className="flex items-center gap-3">
        <Button type="submit" variant="primary" disabled={mutation.isPending || !user || !password}>
          {mutation.isPending ? "Checking the connection…" : "Rotate credential"}
        </Button>
        {message ? (
          <p role="status" className="text-sm text-emerald-700 dark:text-emerald-400">
            {message}
          </p>
        ) : null}
      </div>
    </form>
  );
}
