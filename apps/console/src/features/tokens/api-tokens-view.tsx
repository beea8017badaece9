"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@meridian/api/client";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { RelativeTime } from "@/components/ui/relative-time";
import { Table, TableScroller, Td, Th, Tr } from "@/components/ui/table";
import { useTRPC } from "@/lib/trpc/react";
import { ConfirmDialog } from "@/features/changes/confirm-dialog";
import { inputClass } from "@/features/changes/form-field";
import { QueryError } from "@/features/inventory/query-error";

type TOutputs = inferRouterOutputs<AppRouter>;
type TToken = TOutputs["tokens"]["list"][number];
type TCreated = TOutputs["tokens"]["create"];

function fieldErrorsOf(error: unknown): Record<string, string[]> {
  const data = (error as { data?: { fieldErrors?: Record<string, string[]> | null } } | null)?.data;
  return data?.fieldErrors ?? {};
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : "Something went wrong";
}

/** Team API tokens: create (the secret shown once), list with last use, revoke at once. */
export function ApiTokensView() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const list = useQuery(trpc.tokens.list.queryOptions({}));
  const options = useQuery(trpc.tokens.formOptions.queryOptions());
  const revoke = useMutation(trpc.tokens.revoke.mutationOptions());
  const [revoking, setRevoking] = useState<TToken | null>(null);
  const [created, setCreated] = useState<TCreated | null>(null);
  const refresh = () => queryClient.invalidateQueries(trpc.tokens.list.queryFilter());

  return (
    <div className="flex flex-col gap-6">
      {created ? <SecretOnce created={created} onDone={() => setCreated(null)} /> : null}
      {options.data ? (
        options.data.teams.length === 0 ? (
          <p className="text-sm text-zinc-600 dark:text-zinc-400">You approve for no team: only a team&apos;s approvers and administrators create its tokens.</p>
        ) : (
          <CreateTokenForm
            teams={options.data.teams}
            scopes={options.data.scopes}
            onCreated={(c) => {
              setCreated(c);
              void refresh();
            }}
          />
        )
      ) : null}
      {list.error ? <QueryError error={list.error} onRetry={() => void list.refetch()} /> : null}
      <TableScroller busy={list.isFetching}>
        <Table>
          <thead>
            <tr>
              <Th>Name</Th>
              <Th>Team</Th>
              <Th>Scopes</Th>
              <Th>Clusters</Th>
              <Th>Prefix</Th>
              <Th>Created</Th>
              <Th>Last used</Th>
              <Th>Expires</Th>
              <Th>Status</Th>
              <Th>
                <span className="sr-only">Actions</span>
              </Th>
            </tr>
          </thead>
          <tbody>
            {(list.data ?? []).map((t) => (
              <Tr key={t.id}>
                <Td className="font-medium">{t.name}</Td>
                <Td>{t.team.name}</Td>
                <Td>{t.scopes.join(", ")}</Td>
                <Td>{t.clusters.length === 0 ? "all of the team's" : t.clusters.map((c) => c.name).join(", ")}</Td>
                <Td className="font-mono text-xs">mrd_{t.prefix}_…</Td>
                <Td>
                  <RelativeTime date={t.createdAt} />
                  {t.createdBy ? <span className="text-zinc-500"> by {t.createdBy.name}</span> : null}
                </Td>
                <Td>{t.lastUsedAt ? <RelativeTime date={t.lastUsedAt} /> : <span className="text-zinc-500">never</span>}</Td>
                <Td>{t.expiresAt ? <RelativeTime date={t.expiresAt} /> : <span className="text-zinc-500">never</span>}</Td>
                <Td>
                  <Badge tone={t.status === "ACTIVE" ? "active" : t.status === "REVOKED" ? "failed" : "waiting"}>{t.status.toLowerCase()}</Badge>
                </Td>
                <Td>
                  {t.status !== "REVOKED" ? (
                    <Button variant="danger" onClick={() => setRevoking(t)}>
                      Revoke
                    </Button>
                  ) : null}
                </Td>
              </Tr>
            ))}
            {list.data && list.data.length === 0 ? (
              <Tr>
                <Td colSpan={10} className="text-zinc-500">
                  No API tokens yet.
                </Td>
              </Tr>
            ) : null}
          </tbody>
        </Table>
      </TableScroller>
      <ConfirmDialog
        open={revoking !== null}
        title={`Revoke ${revoking?.name ?? ""}?`}
        confirmLabel="Revoke now"
        variant="danger"
        busy={revoke.isPending}
        error={revoke.error ? messageOf(revoke.error) : null}
        onClose={() => {
          setRevoking(null);
          revoke.reset();
        }}
        onConfirm={() =>
          revoking &&
          revoke.mutate(
            { id: revoking.id },
            {
              onSuccess: () => {
                setRevoking(null);
                void refresh();
              },
            },
          )
        }
      >
        The next request with this token is refused. Pipelines using it stop working at once.
      </ConfirmDialog>
    </div>
  );
}

function SecretOnce({ created, onDone }: { created: TCreated; onDone: () => void }) {
  const [copied, setCopied] = useState(false);
  return (
    <div role="status" className="rounded-md border border-emerald-300 bg-emerald-50 p-4 text-sm dark:border-emerald-800 dark:bg-emerald-950">
      <p className="font-medium">Token {created.token.name} created. Copy it now: it is shown only once.</p>
      <div className="mt-2 flex items-center gap-2">
        <code className="rounded bg-white px-2 py-1 font-mono text-xs break-all dark:bg-zinc-900" data-testid="token-secret">
          {created.secret}
        </code>
        <Button
          onClick={() => {
            void navigator.clipboard?.writeText(created.secret).then(() => setCopied(true));
          }}
        >
          {copied ? "Copied" : "Copy"}
        </Button>
        <Button variant="ghost" onClick={onDone}>
          Done
        </Button>
      </div>
      <p className="mt-2 text-zinc-600 dark:text-zinc-400">
        Use it as <code>Authorization: Bearer …</code>, or <code>meridian login --url {typeof window === "undefined" ? "" : window.location.origin} --token …</code>
      </p>
    </div>
  );
}

function CreateTokenForm({
  teams,
  scopes,
  onCreated,
}: {
  teams: TOutputs["tokens"]["formOptions"]["teams"];
  scopes: TOutputs["tokens"]["formOptions"]["scopes"];
  onCreated: (c: TCreated) => void;
}) {
  const trpc = useTRPC();
  const create = useMutation(trpc.tokens.create.mutationOptions());
  const id = useId();
  const [teamId, setTeamId] = useState(teams[0]?.id ?? "");
  const [name, setName] = useState("");
  const [chosen, setChosen] = useState<string[]>(["read"]);
  const [expires, setExpires] = useState("90");
  const [clusterIds, setClusterIds] = useState<string[]>([]);
  const team = teams.find((t) => t.id === teamId);
  const errors = fieldErrorsOf(create.error);

  function submit(e: FormEvent) {
    e.preventDefault();
    create.mutate(
      {
        teamId,
        name,
        scopes: chosen as ("read" | "changes:write")[],
        expiresInDays: expires === "" ? null : Number(expires),
        clusterIds,
      },
      {
        onSuccess: (c) => {
          setName("");
          setClusterIds([]);
          onCreated(c);
        },
      },
    );
  }

  const err = (field: string) =>
    errors[field] ? (
      <p className="text-xs text-rose-700 dark:text-rose-300" id={`${id}-${field}-error`}>
        {errors[field]!.join(" ")}
      </p>
    ) : null;

  return (
    <form onSubmit={submit} className="grid max-w-3xl grid-cols-1 gap-3 rounded-md border border-zinc-200 p-4 sm:grid-cols-2 dark:border-zinc-800" aria-label="New API token">
      <label className="flex flex-col gap-1 text-sm">
        Team
        <select className={inputClass} value={teamId} onChange={(e) => (setTeamId(e.target.value), setClusterIds([]))}>
          {teams.map((t) => (
            <option key={t.id} value={t.id}>
              {t.name}
            </option>
          ))}
        </select>
        {err("teamId")}
      </label>
      <label className="flex flex-col gap-1 text-sm">
        Name
        <input className={inputClass} value={name} onChange={(e) => setName(e.target.value)} placeholder="deploy-pipeline" required minLength={3} maxLength={64} />
        {err("name")}
      </label>
      <fieldset className="flex flex-col gap-1 text-sm">
        <legend>Scopes</legend>
        {scopes.map((s) => (
          <label key={s.value} className="flex items-start gap-2">
            <input
              type="checkbox"
              checked={chosen.includes(s.value)}
              onChange={(e) => setChosen((c) => (e.target.checked ? [...c, s.value] : c.filter((x) => x !== s.value)))}
            />
            <span>{s.label}</span>
          </label>
        ))}
        <p className="text-xs text-zinc-500">A token never approves: approving stays with people.</p>
        {err("scopes")}
      </fieldset>
      <label className="flex flex-col gap-1 text-sm">
        Expires after (days; empty: never)
        <input className={inputClass} inputMode="numeric" value={expires} onChange={(e) => setExpires(e.target.value.replace(/[^0-9]/g, ""))} />
        {err("expiresInDays")}
      </label>
      <fieldset className="flex flex-col gap-1 text-sm sm:col-span-2">
        <legend>Clusters (none checked: every cluster of the team)</legend>
        <div className="flex max-h-40 flex-wrap gap-x-4 gap-y-1 overflow-auto">
          {(team?.clusters ?? []).map((c) => (
            <label key={c.id} className="flex items-center gap-1.5">
              <input
                type="checkbox"
                checked={clusterIds.includes(c.id)}
                onChange={(e) => setClusterIds((ids) => (e.target.checked ? [...ids, c.id] : ids.filter((x) => x !== c.id)))}
              />
              {c.name}
            </label>
          ))}
        </div>
        {err("clusterIds")}
      </fieldset>
      <div className="flex items-center gap-3 sm:col-span-2">
        <Button type="submit" variant="primary" disabled={create.isPending || chosen.length === 0}>
          Create token
        </Button>
        {create.error && Object.keys(errors).length === 0 ? (
          <p role="alert" className="text-sm text-rose-700 dark:text-rose-300">
            {messageOf(create.error)}
          </p>
        ) : null}
      </div>
    </form>
  );
}
