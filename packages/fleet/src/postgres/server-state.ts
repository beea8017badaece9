import { randomBytes } from "node:crypto";
import type pg from "pg";
import { ActionError, abortReason, type TSql } from "../driver";
import { connectInstance, describePgError, loadInstanceTarget, type TPostgresAccess } from "./connect";
import { publicationName, replicationRoleName, slotName, subscriptionName } from "./names";

/**
 * Reading what a managed server really has (publications, subscriptions, slots, roles) and
 * small SQL helpers shared by the link actions. Names of Meridian's objects come from names.ts.
 */

/** A quoted identifier ("my table" -> "\"my table\""). */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** A quoted string literal for statements that take no parameters (CREATE ROLE ... PASSWORD, CONNECTION). */
export function quoteLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** schema.table, both quoted. */
export function qualified(table: TTableRef): string {
  return `${quoteIdent(table.schema)}.${quoteIdent(table.name)}`;
}

export interface TTableRef {
  schema: string;
  name: string;
}

export const tableKey = (t: TTableRef) => `${t.schema}.${t.name}`;

/** "public.orders" or "orders" (public) -> ref. */
export function parseTableName(text: string): TTableRef {
  const trimmed = text.trim();
  const dot = trimmed.indexOf(".");
  return dot < 0 ? { schema: "public", name: trimmed } : { schema: trimmed.slice(0, dot), name: trimmed.slice(dot + 1) };
}

/** A password for a replication role: 32 random bytes, base64url (no quoting issues). */
export function generatePassword(): string {
  return randomBytes(32).toString("base64url");
}

export function linkObjectNames(linkId: string) {
  return {
    publication: publicationName(linkId),
    subscription: subscriptionName(linkId),
    slot: slotName(linkId),
    role: replicationRoleName(linkId),
  };
}

/**
 * Runs `fn` with a client to the instance, always ended; aborts with the step. The session turns
 * the write fence off for itself (switchover-server.ts: a fenced member's database defaults to
 * read-only): Meridian builds and drops links on fenced replicas too.
 */
export async function withInstance<T>(
  sql: TSql,
  instanceId: string,
  access: TPostgresAccess,
  signal: AbortSignal | undefined,
  fn: (client: pg.Client) => Promise<T>,
): Promise<T> {
  if (signal?.aborted) throw abortReason(signal);
  const client = await connectInstance(sql, instanceId, access);
  const onAbort = () => {
    // Ends the connection: the running query fails and the step gives up.
    void client.end().catch(() => {});
  };
  signal?.addEventListener("abort", onAbort, { once: true });
  try {
    await serverQuery(client, instanceId, "Opening a Meridian session", "SET default_transaction_read_only = off");
    return await fn(client);
  } catch (error) {
    if (signal?.aborted) throw abortReason(signal);
    throw error;
  } finally {
    signal?.removeEventListener("abort", onAbort);
    await client.end().catch(() => {});
  }
}

/** A query on a managed server; SQL errors become ActionErrors that name the server and say what failed. */
export async function serverQuery<R extends pg.QueryResultRow = pg.QueryResultRow>(
  client: pg.Client,
  server: string,
  what: string,
  text: string,
  values: unknown[] = [],
): Promise<R[]> {
  try {
    const result = await client.query<R>(text, values);
    return result.rows;
  } catch (error) {
    throw serverError(error, server, what);
  }
}

/** A pg error on a managed server as an ActionError (privilege errors are not retryable). */
export function serverError(error: unknown, server: string, what: string): ActionError {
  if (error instanceof ActionError) return error;
  const code = (error as { code?: string } | null)?.code ?? "";
  const message = `${what} on ${server} failed: ${describePgError(error)}`;
  if (code === "42501")
    return new ActionError(message, {
      retryable: false,
      humanAction: `Give the role Meridian connects to ${server} with the privileges the fleet README lists (superuser, or REPLICATION + CREATEROLE + CREATE on the database + ownership of the published tables), then retry the step`,
    });
  if (code.startsWith("08") || code === "57P01" || code === "57P03")
    return new ActionError(message, { retryable: true, humanAction: `Check that ${server} is running and reachable, then retry` });
  return new ActionError(message, { retryable: true, humanAction: `Read the error above; fix it on ${server} and retry the step` });
}

export interface TSubscriptionState {
  name: string;
  enabled: boolean;
  slotName: string | null;
  publications: string[];
  /** From the connection string, without the password. Null when this role cannot read it. */
  host: string | null;
  port: number | null;
  dbname: string | null;
  user: string | null;
}

/** Parses a libpq key=value connection string, keeping only the keys Meridian compares (never the password). */
export function conninfoEndpoint(conninfo: string): { host: string | null; port: number | null; dbname: string | null; user: string | null } {
  const values: Record<string, string> = {};
  const re = /(\w+)\s*=\s*('(?:[^'\\]|\\.)*'|\S+)/g;
  for (let m = re.exec(conninfo); m; m = re.exec(conninfo)) {
    const key = m[1]!;
    if (key === "password") continue;
    let v = m[2]!;
    if (v.startsWith("'")) v = v.slice(1, -1).replace(/\\(.)/g, "$1");
    values[key] = v;
  }
  return {
    host: values.host ?? values.hostaddr ?? null,
    port: values.port ? Number(values.port) : null,
    dbname: values.dbname ?? null,
    user: values.user ?? null,
  };
}

export async function findSubscription(client: pg.Client, server: string, name: string): Promise<TSubscriptionState | null> {
  const rows = await serverQuery<{ subname: string; subenabled: boolean; subslotname: string | null; subpublications: string[] }>(
    client,
    server,
    "Reading pg_subscription",
    `SELECT subname, subenabled, subslotname, subpublications FROM pg_subscription
      WHERE subname = $1 AND subdbid = (SELECT oid FROM pg_database WHERE datname = current_database())`,
    [name],
  );
  const row = rows[0];
  if (!row) return null;
  let endpoint: ReturnType<typeof conninfoEndpoint> = { host: null, port: null, dbname: null, user: null };
  try {
    // subconninfo is readable by superusers only; it holds the password, which never leaves this function.
    const info = await client.query<{ subconninfo: string }>(`SELECT subconninfo FROM pg_subscription WHERE subname = $1`, [name]);
    if (info.rows[0]) endpoint = conninfoEndpoint(info.rows[0].subconninfo);
  } catch {
    // Not readable by this role: the name (derived from the link id) is what identifies it.
  }
  return {
    name: row.subname,
    enabled: row.subenabled,
    slotName: row.subslotname,
    publications: row.subpublications,
    ...endpoint,
  };
}

export async function exists(client: pg.Client, server: string, what: string, text: string, values: unknown[]): Promise<boolean> {
  const rows = await serverQuery(client, server, what, text, values);
  return rows.length > 0;
}

export const publicationExists = (client: pg.Client, server: string, name: string) =>
  exists(client, server, "Reading pg_publication", `SELECT 1 FROM pg_publication WHERE pubname = $1`, [name]);

export const roleExists = (client: pg.Client, server: string, name: string) =>
  exists(client, server, "Reading pg_roles", `SELECT 1 FROM pg_roles WHERE rolname = $1`, [name]);

export async function findSlot(
  client: pg.Client,
  server: string,
  name: string,
): Promise<{ active: boolean; activePid: number | null; confirmedFlushLsn: string | null } | null> {
  const rows = await serverQuery<{ active: boolean; active_pid: number | null; confirmed_flush_lsn: string | null }>(
    client,
    server,
    "Reading pg_replication_slots",
    `SELECT active, active_pid, confirmed_flush_lsn::text AS confirmed_flush_lsn FROM pg_replication_slots WHERE slot_name = $1`,
    [name],
  );
  const row = rows[0];
  return row ? { active: row.active, activePid: row.active_pid, confirmedFlushLsn: row.confirmed_flush_lsn } : null;
}

/** The endpoint a target uses to reach the source: the source's inventory endpoint (127.0.0.1:port in the lab). */
export async function sourceConnectionFor(
  sql: TSql,
  sourceInstanceId: string,
): Promise<{ host: string; port: number; database: string; name: string }> {
  const t = await loadInstanceTarget(sql, sourceInstanceId);
  return { host: t.host, port: t.port, database: t.database, name: t.name };
}

/** Names of the instances (for messages) from the metadata database. */
export async function instanceName(sql: TSql, instanceId: string): Promise<string> {
  const { rows } = await sql.query<{ name: string }>(`SELECT name FROM instance WHERE id = $1`, [instanceId]);
  return rows[0]?.name ?? instanceId;
}
