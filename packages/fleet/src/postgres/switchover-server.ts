import { createHash, randomBytes } from "node:crypto";
import pg from "pg";
import { ActionError, abortReason, type TSql } from "../driver";
import { clientConfig, describePgError, loadInstanceTarget, type TPostgresAccess } from "./connect";
import { scramVerifier } from "./link-actions";
import { publicationName, replicationRoleName, slotName, subscriptionName } from "./names";

/**
 * What the switchover and schema actions do on managed servers, in SQL only.
 *
 * Write fence. A logical replica is a writable server, so "never two writable primaries" means
 * every member but the primary refuses application writes. Meridian fences a database with
 *   ALTER DATABASE <db> SET default_transaction_read_only = on
 * and then ends its client sessions (pg_terminate_backend, waiting for each to exit): every new
 * session starts read-only, so an application write fails with SQLSTATE 25006
 * (read_only_sql_transaction). What is left alone: walsenders and logical replication workers
 * (they are not client backends) and Meridian's own sessions (application_name "meridian...").
 * Meridian's sessions turn the default off for themselves (SET default_transaction_read_only =
 * off) so they can still create subscriptions and apply schema changes on a fenced member.
 *
 * The logical replication apply worker is NOT affected by the setting (PostgreSQL 17): it
 * applies changes through the executor's simple-relation paths (ExecSimpleRelationInsert...),
 * which do not go through ExecutorStart's read-only check; orchestrator's postgres-switchover.test.ts proves
 * it on real servers (a fenced subscriber keeps applying). The fence is a cooperative one: a
 * client that runs `SET default_transaction_read_only = off` or `BEGIN READ WRITE` itself, or
 * names itself "meridian...", can still write. It stops applications, not a hostile superuser.
 *
 * Concurrency: every action that changes a server holds a session advisory lock per server
 * (pg_advisory_lock(MERIDIAN, hashtext(instance id))), taken in id order. A worker killed with
 * SIGKILL leaves its backend running until its statement ends; the next worker's attempt waits
 * for that backend's lock instead of racing it.
 */
const LOCK_CLASS = 1296388681; // "MERI"

/** A Meridian session on a managed server: writes allowed even when the database is fenced. */
export interface TAdminSession {
  instanceId: string;
  name: string;
  database: string;
  host: string;
  port: number;
  client: pg.Client;
}

/**
 * Idle Meridian sessions kept per server for a few seconds: the steps of one switchover follow
 * each other within milliseconds, and a new session costs a TCP handshake plus SCRAM (PBKDF2 on
 * both ends), which dominated a switchover's time. A session goes back idle only after a step
 * that succeeded, outside any transaction and without Meridian's lock; the key includes the
 * endpoint and a digest of the stored credential, so a changed credential or endpoint never
 * reuses an old session.
 */
const IDLE_MS = 10_000;
const MAX_IDLE_PER_SERVER = 2;
const idle = new Map<string, { client: pg.Client; timer: NodeJS.Timeout }[]>();
const dead = new WeakSet<pg.Client>();

async function checkout(sql: TSql, id: string, access: TPostgresAccess): Promise<{ session: TAdminSession; key: string }> {
  const target = await loadInstanceTarget(sql, id);
  const digest = createHash("sha256")
    .update(target.credentialCiphertext ?? "")
    .digest("hex")
    .slice(0, 16);
  const key = `${id}|${target.host}|${target.port}|${target.database}|${digest}`;
  const base = { instanceId: id, name: target.name, database: target.database, host: target.host, port: target.port };
  for (let entry = idle.get(key)?.pop(); entry; entry = idle.get(key)?.pop()) {
    clearTimeout(entry.timer);
    if (!dead.has(entry.client)) return { session: { ...base, client: entry.client }, key };
  }
  const client = new pg.Client(clientConfig(target, access));
  client.on("error", () => dead.add(client));
  client.on("end", () => dead.add(client));
  try {
    await client.connect();
  } catch (error) {
    dead.add(client);
    await client.end().catch(() => {});
    throw new ActionError(`Cannot connect to ${target.name} at ${target.host}:${target.port}: ${describePgError(error)}`, {
      retryable: true,
      humanAction: `Check that ${target.name} is running and reachable, and that its credential is right`,
    });
  }
  const s = { ...base, client };
  // Writes allowed on a fenced member; commits flushed before they return (see flushedLsn).
  await run(s, "Opening a Meridian session", "SET default_transaction_read_only = off; SET synchronous_commit = on");
  return { session: s, key };
}

function checkin(key: string, client: pg.Client): void {
  const list = idle.get(key) ?? [];
  if (dead.has(client) || list.length >= MAX_IDLE_PER_SERVER) {
    void client.end().catch(() => {});
    return;
  }
  const timer = setTimeout(() => {
    const l = idle.get(key);
    if (l) idle.set(key, l.filter((e) => e.client !== client));
    void client.end().catch(() => {});
  }, IDLE_MS);
  timer.unref();
  list.push({ client, timer });
  idle.set(key, list);
}

/** Ends every idle Meridian session (tests, shutdown). */
export async function closeIdleSessions(): Promise<void> {
  const all = [...idle.values()].flat();
  idle.clear();
  for (const e of all) clearTimeout(e.timer);
  await Promise.all(all.map((e) => e.client.end().catch(() => {})));
}

/**
 * Meridian sessions to the instances (in id order, each holding Meridian's advisory lock on its
 * server unless `lock: false`), runs fn; sessions go back idle after success, are closed otherwise.
 */
export async function withServers<T>(
  sql: TSql,
  access: TPostgresAccess,
  signal: AbortSignal,
  instanceIds: string[],
  fn: (servers: Map<string, TAdminSession>) => Promise<T>,
  options: { lock?: boolean } = {},
): Promise<T> {
  if (signal.aborted) throw abortReason(signal);
  const ids = [...new Set(instanceIds)].sort();
  const servers = new Map<string, TAdminSession>();
  const keys = new Map<string, string>();
  const lock = options.lock !== false;
  const onAbort = () => {
    for (const s of servers.values()) {
      dead.add(s.client);
      void s.client.end().catch(() => {});
    }
  };
  signal.addEventListener("abort", onAbort, { once: true });
  let ok = false;
  try {
    for (const id of ids) {
      const { session: s, key } = await checkout(sql, id, access);
      servers.set(id, s);
      keys.set(id, key);
      if (lock) await run(s, "Taking Meridian's lock", "SELECT pg_advisory_lock($1, hashtext($2))", [LOCK_CLASS, id]);
    }
    const result = await fn(servers);
    if (lock) for (const s of servers.values()) await run(s, "Releasing Meridian's lock", "SELECT pg_advisory_unlock_all()");
    ok = true;
    return result;
  } catch (error) {
    if (signal.aborted) throw abortReason(signal);
    throw error;
  } finally {
    signal.removeEventListener("abort", onAbort);
    for (const [id, s] of servers) {
      if (ok && !signal.aborted) checkin(keys.get(id)!, s.client);
      else {
        dead.add(s.client);
        await s.client.end().catch(() => {});
      }
    }
  }
}

export function session(servers: Map<string, TAdminSession>, id: string): TAdminSession {
  const s = servers.get(id);
  if (!s) throw new Error(`no session to ${id}`);
  return s;
}

/** A query on a managed server; failures become ActionErrors naming the server and what failed (never a credential). */
export async function run<R extends pg.QueryResultRow = pg.QueryResultRow>(
  server: TAdminSession,
  what: string,
  text: string,
  values: unknown[] = [],
): Promise<R[]> {
  try {
    return (await server.client.query<R>(text, values)).rows;
  } catch (error) {
    throw sqlError(error, server.name, what);
  }
}

export function sqlError(error: unknown, server: string, what: string): ActionError {
  if (error instanceof ActionError) return error;
  const code = (error as { code?: string } | null)?.code ?? "";
  const message = `${what} on ${server} failed: ${describePgError(error)}`;
  if (code === "42501")
    return new ActionError(message, {
      retryable: false,
      humanAction: `Give the role Meridian connects to ${server} with superuser (or the database's ownership, REPLICATION and CREATEROLE), then retry the step`,
    });
  return new ActionError(message, {
    retryable: true,
    humanAction: `Check that ${server} is running and reachable; read the error, fix it on ${server}, then retry the step`,
  });
}

export const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;
export const quoteLiteral = (value: string) => `'${value.replace(/'/g, "''")}'`;

// ---------------------------------------------------------------------------
// Write fence
// ---------------------------------------------------------------------------

export async function isFenced(server: TAdminSession): Promise<boolean> {
  const rows = await run<{ fenced: boolean }>(
    server,
    "Reading the write fence",
    `SELECT EXISTS (
       SELECT 1 FROM pg_db_role_setting s JOIN pg_database d ON d.oid = s.setdatabase
        WHERE d.datname = current_database() AND s.setrole = 0
          AND s.setconfig && ARRAY['default_transaction_read_only=on', 'default_transaction_read_only=true']
     ) AS fenced`,
  );
  return rows[0]?.fenced === true;
}

/** Ends the client sessions of the managed database but Meridian's own and replication; returns how many ended. */
export async function endClientSessions(server: TAdminSession): Promise<number> {
  const rows = await run<{ n: number }>(
    server,
    "Ending client sessions",
    `SELECT count(*) FILTER (WHERE pg_terminate_backend(pid, 5000))::int AS n
       FROM pg_stat_activity
      WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'
        AND COALESCE(application_name, '') NOT LIKE 'meridian%'`,
  );
  return rows[0]?.n ?? 0;
}

/**
 * Fences writes: the database default becomes read-only, then every client session is ended
 * (twice: a session that was starting during the first sweep may have read the old default).
 * Always sweeps, even when the setting was already there (a crash between the two leaves
 * writable sessions behind). Returns the LSN after the fence: every write committed before the
 * fence is at or below it.
 */
export async function fence(server: TAdminSession): Promise<{ alreadyFenced: boolean; endedSessions: number; lsn: string }> {
  const alreadyFenced = await isFenced(server);
  if (!alreadyFenced)
    await run(server, "Fencing writes", `ALTER DATABASE ${quoteIdent(server.database)} SET default_transaction_read_only = on`);
  let ended = await endClientSessions(server);
  ended += await endClientSessions(server);
  return { alreadyFenced, endedSessions: ended, lsn: await flushedLsn(server) };
}

/**
 * A member that must refuse writes (a replica, or a new primary not yet opened): fenced, and
 * its client sessions ended only when it was not fenced yet (sessions opened since the fence
 * are read-only already).
 */
export async function ensureFenced(server: TAdminSession): Promise<boolean> {
  if (await isFenced(server)) return false;
  await fence(server);
  return true;
}

/** Opens writes again, then ends the client sessions that started read-only so that they reconnect writable. */
export async function unfence(server: TAdminSession): Promise<{ alreadyOpen: boolean; endedSessions: number }> {
  const fenced = await isFenced(server);
  if (fenced) await run(server, "Opening writes", `ALTER DATABASE ${quoteIdent(server.database)} RESET default_transaction_read_only`);
  const ended = fenced ? await endClientSessions(server) : 0;
  return { alreadyOpen: !fenced, endedSessions: ended };
}

// ---------------------------------------------------------------------------
// LSNs and slots
// ---------------------------------------------------------------------------

export function lsnToBigInt(lsn: string): bigint {
  const [hi, lo] = lsn.split("/");
  return (BigInt(`0x${hi ?? "0"}`) << 32n) + BigInt(`0x${lo ?? "0"}`);
}

/**
 * The WAL position every transaction committed so far is below, flushed. pg_current_wal_lsn()
 * alone is not that: it is the position WAL has been written to, and with
 * synchronous_commit = off a commit returns before its record is written, so an LSN read right
 * after the fence could be below the last commits (and a switchover waiting for it would drop
 * the subscription before they are applied: rows lost; seen in the benchmark). So: a
 * transactional logical message (inserted after every earlier commit) committed with
 * synchronous_commit = on (its commit flushes WAL up to it), then the write position.
 */
export async function flushedLsn(server: TAdminSession): Promise<string> {
  // One round trip: the message, then the insert position just past it; the statement's commit
  // (synchronous_commit = on in Meridian's sessions) flushes WAL beyond that position.
  const rows = await run<{ lsn: string }>(
    server,
    "Flushing the WAL",
    "SELECT y.lsn FROM (SELECT pg_logical_emit_message(true, 'meridian', 'fence') AS m) x, LATERAL (SELECT pg_current_wal_insert_lsn()::text AS lsn WHERE x.m IS NOT NULL) y",
  );
  return rows[0]?.lsn ?? "0/0";
}

export async function currentLsn(server: TAdminSession): Promise<string> {
  const rows = await run<{ lsn: string }>(server, "Reading the WAL position", "SELECT pg_current_wal_lsn()::text AS lsn");
  return rows[0]?.lsn ?? "0/0";
}

export async function slotState(
  server: TAdminSession,
  slot: string,
): Promise<{ active: boolean; activePid: number | null; confirmed: string | null } | null> {
  const rows = await run<{ active: boolean; active_pid: number | null; confirmed: string | null }>(
    server,
    "Reading pg_replication_slots",
    "SELECT active, active_pid, confirmed_flush_lsn::text AS confirmed FROM pg_replication_slots WHERE slot_name = $1",
    [slot],
  );
  const r = rows[0];
  return r ? { active: r.active, activePid: r.active_pid, confirmed: r.confirmed } : null;
}

/** Bytes the subscriber of `linkId` still has to confirm on `source` to reach `lsn` (0 when it has; null without slot). */
export async function bytesBehind(source: TAdminSession, linkId: string, lsn: string): Promise<bigint | null> {
  const slot = await slotState(source, slotName(linkId));
  if (!slot?.confirmed) return null;
  const behind = lsnToBigInt(lsn) - lsnToBigInt(slot.confirmed);
  return behind > 0n ? behind : 0n;
}

// ---------------------------------------------------------------------------
// Links: a publication on the source, a subscription on the target (names from names.ts)
// ---------------------------------------------------------------------------

export interface TSubscriptionInfo {
  enabled: boolean;
  host: string | null;
  port: number | null;
  workerPid: number | null;
}

export async function subscriptionInfo(target: TAdminSession, linkId: string): Promise<TSubscriptionInfo | null> {
  const rows = await run<{ subenabled: boolean; conninfo: string | null; pid: number | null }>(
    target,
    "Reading pg_subscription",
    `SELECT s.subenabled, s.subconninfo AS conninfo,
            (SELECT pid FROM pg_stat_subscription st WHERE st.subid = s.oid AND st.relid IS NULL LIMIT 1) AS pid
       FROM pg_subscription s
      WHERE s.subname = $1 AND s.subdbid = (SELECT oid FROM pg_database WHERE datname = current_database())`,
    [subscriptionName(linkId)],
  );
  const row = rows[0];
  if (!row) return null;
  // The connection string holds the replication role's password: only host and port leave this function.
  const host = /(?:^|\s)host=('(?:[^'\\]|\\.)*'|\S+)/.exec(row.conninfo ?? "")?.[1]?.replace(/^'|'$/g, "") ?? null;
  const port = /(?:^|\s)port=(\d+)/.exec(row.conninfo ?? "")?.[1];
  return { enabled: row.subenabled, host, port: port ? Number(port) : null, workerPid: row.pid };
}

/** Drops the subscription of a link on its target, and its slot on the source (reachable or not). */
export async function dropSubscription(target: TAdminSession, source: TAdminSession | null, linkId: string): Promise<boolean> {
  const sub = subscriptionName(linkId);
  const existing = await subscriptionInfo(target, linkId);
  if (existing) {
    if (source) {
      // DROP SUBSCRIPTION connects to the source and drops the slot there too.
      await run(target, "Dropping the subscription", `DROP SUBSCRIPTION IF EXISTS ${quoteIdent(sub)}`);
    } else {
      await run(target, "Disabling the subscription", `ALTER SUBSCRIPTION ${quoteIdent(sub)} DISABLE`);
      await run(target, "Detaching the subscription from its slot", `ALTER SUBSCRIPTION ${quoteIdent(sub)} SET (slot_name = NONE)`);
      await run(target, "Dropping the subscription", `DROP SUBSCRIPTION IF EXISTS ${quoteIdent(sub)}`);
    }
  }
  if (source) await dropSlotIfIdle(source, linkId);
  return existing !== null;
}

/** Drops the link's slot on the source when nothing uses it (a leftover of an interrupted step). */
export async function dropSlotIfIdle(source: TAdminSession, linkId: string): Promise<void> {
  const slot = await slotState(source, slotName(linkId));
  if (!slot) return;
  if (slot.active && slot.activePid)
    await run(source, "Ending the walsender of a stale slot", "SELECT pg_terminate_backend($1, 5000)", [slot.activePid]);
  await run(
    source,
    "Dropping a stale replication slot",
    "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = $1 AND NOT active",
    [slotName(linkId)],
  );
}

/** Drops the link's publication and replication role on the source. */
export async function dropSourceObjects(source: TAdminSession, linkId: string): Promise<void> {
  await run(source, "Dropping the publication", `DROP PUBLICATION IF EXISTS ${quoteIdent(publicationName(linkId))}`);
  const role = replicationRoleName(linkId);
  const exists = await run(source, "Reading pg_roles", "SELECT 1 FROM pg_roles WHERE rolname = $1", [role]);
  if (exists.length) {
    await run(source, "Dropping the replication role's privileges", `DROP OWNED BY ${quoteIdent(role)}`);
    await run(source, "Dropping the replication role", `DROP ROLE IF EXISTS ${quoteIdent(role)}`);
  }
}

/** Tables of the link's publication on `source` ("schema.table"), null when there is no publication. */
export async function publicationTables(source: TAdminSession, linkId: string): Promise<string[] | null> {
  const rows = await run<{ has: boolean; tables: string[] }>(
    source,
    "Reading pg_publication",
    `SELECT EXISTS (SELECT 1 FROM pg_publication WHERE pubname = $1) AS has,
            ARRAY(SELECT schemaname || '.' || tablename FROM pg_publication_tables WHERE pubname = $1 ORDER BY 1)::text[] AS tables`,
    [publicationName(linkId)],
  );
  return rows[0]?.has ? rows[0].tables : null;
}

/** The user tables of a server ("schema.table"), Meridian's own schema excluded. */
export async function userTables(server: TAdminSession): Promise<string[]> {
  const rows = await run<{ t: string }>(
    server,
    "Listing tables",
    `SELECT n.nspname || '.' || c.relname AS t FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition
        AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'meridian') AND n.nspname NOT LIKE 'pg\\_%'
      ORDER BY 1`,
  );
  return rows.map((r) => r.t);
}

const qualifiedTable = (t: string) => {
  const dot = t.indexOf(".");
  return dot < 0 ? quoteIdent(t) : `${quoteIdent(t.slice(0, dot))}.${quoteIdent(t.slice(dot + 1))}`;
};

/**
 * Replication from `source` to `target` under the link's names, WITHOUT an initial copy: the
 * target already holds the source's data (both fenced, the target caught up). Creates what is
 * missing: the replication role (new password), the publication (the given tables, or every
 * user table), the subscription (copy_data = false, its slot created on the source now). A
 * subscription of this link that follows another server is replaced. Returns whether it acted.
 */
export async function ensureLinkWithoutCopy(
  source: TAdminSession,
  target: TAdminSession,
  linkId: string,
  tables: string[] | null,
): Promise<{ created: boolean; tables: string[] }> {
  const [existing, pubTables] = await Promise.all([subscriptionInfo(target, linkId), publicationTables(source, linkId)]);
  if (existing && existing.host === source.host && existing.port === source.port && pubTables) {
    if (!existing.enabled) await run(target, "Enabling the subscription", `ALTER SUBSCRIPTION ${quoteIdent(subscriptionName(linkId))} ENABLE`);
    return { created: false, tables: pubTables };
  }
  if (existing) await dropSubscription(target, null, linkId); // follows another server: replaced

  const wanted = pubTables ?? (tables && tables.length ? tables : await userTables(source));
  const role = replicationRoleName(linkId);
  const password = randomBytes(24).toString("base64url");
  const roleExists = (await run(source, "Reading pg_roles", "SELECT 1 FROM pg_roles WHERE rolname = $1", [role])).length > 0;
  await run(
    source,
    roleExists ? "Setting the replication role's password" : "Creating the replication role",
    // The server gets only a SCRAM verifier: the password never appears in a statement (or its log).
    `${roleExists ? "ALTER" : "CREATE"} ROLE ${quoteIdent(role)} WITH LOGIN REPLICATION PASSWORD ${quoteLiteral(scramVerifier(password))}`,
  );
  const schemas = [...new Set(wanted.map((t) => t.slice(0, Math.max(0, t.indexOf("."))) || "public"))];
  for (const s of schemas) await run(source, "Granting schema usage", `GRANT USAGE ON SCHEMA ${quoteIdent(s)} TO ${quoteIdent(role)}`);
  if (wanted.length)
    await run(source, "Granting read access", `GRANT SELECT ON ${wanted.map(qualifiedTable).join(", ")} TO ${quoteIdent(role)}`);
  if (!pubTables)
    await run(
      source,
      "Creating the publication",
      `CREATE PUBLICATION ${quoteIdent(publicationName(linkId))}${wanted.length ? ` FOR TABLE ${wanted.map(qualifiedTable).join(", ")}` : ""}`,
    );
  await dropSlotIfIdle(source, linkId);
  const conninfo = `host=${source.host} port=${source.port} dbname=${quoteConnValue(source.database)} user=${role} password=${password}`;
  await run(
    target,
    "Creating the subscription",
    `CREATE SUBSCRIPTION ${quoteIdent(subscriptionName(linkId))} CONNECTION ${quoteLiteral(conninfo)}
       PUBLICATION ${quoteIdent(publicationName(linkId))}
       WITH (copy_data = false, create_slot = true, enabled = true, slot_name = ${quoteLiteral(slotName(linkId))})`,
  );
  return { created: true, tables: wanted };
}

function quoteConnValue(v: string): string {
  return /^[A-Za-z0-9_.-]+$/.test(v) ? v : `'${v.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
}

/** Polls until the subscriber of `linkId` has confirmed `lsn` on the source, or the step is aborted. */
export async function waitForConfirmed(
  source: TAdminSession,
  linkId: string,
  lsn: string,
  signal: AbortSignal,
  pollMs = 10,
  /** Gives up (with what a person should look at) after this long; the step's own timeout applies anyway. */
  maxWaitMs: number | null = null,
  subscriberName = "the subscriber",
): Promise<{ waitedMs: number }> {
  const started = Date.now();
  for (;;) {
    if (signal.aborted) throw abortReason(signal);
    const behind = await bytesBehind(source, linkId, lsn);
    if (behind !== null && behind > 0n && maxWaitMs !== null && Date.now() - started >= maxWaitMs)
      throw new ActionError(
        `${subscriberName} did not confirm ${source.name}'s last write (${lsn}) within ${Math.round(maxWaitMs / 100) / 10} s: ${behind} byte(s) behind`,
        {
          humanAction: `Look at ${subscriberName}: its subscription (pg_stat_subscription: is the apply worker running?), its server log (apply errors, locks held on replicated tables), and the slot on ${source.name}; once this step has given up, the switchover is rolled back and ${source.name} takes writes again`,
        },
      );
    if (behind === null)
      throw new ActionError(`${source.name} has no replication slot for link ${linkId}: its subscriber cannot catch up`, {
        retryable: false,
        humanAction: `Check the link on the instance page; recreate it (REMOVE_LINK then ADD_LINK) once the switchover has been rolled back`,
      });
    if (behind === 0n) return { waitedMs: Date.now() - started };
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

// ---------------------------------------------------------------------------
// Inventory (metadata database, in the step's transaction)
// ---------------------------------------------------------------------------

export interface TMember {
  id: string;
  name: string;
  role: string;
  driver: string;
  writesFenced: boolean;
}

export async function clusterMembers(sql: TSql, clusterId: string): Promise<TMember[]> {
  const { rows } = await sql.query<{ id: string; name: string; role: string; driver: string; writes_fenced: boolean }>(
    `SELECT i.id, i.name, i.role::text AS role, i.driver::text AS driver, COALESCE(s.writes_fenced, false) AS writes_fenced
       FROM instance i LEFT JOIN fleet_instance_state s ON s.instance_id = i.id
      WHERE i.cluster_id = $1 ORDER BY i.name`,
    [clusterId],
  );
  return rows.map((r) => ({ id: r.id, name: r.name, role: r.role, driver: r.driver, writesFenced: r.writes_fenced }));
}

export async function setInstanceState(
  sql: TSql,
  instanceId: string,
  fields: { writes_fenced?: boolean; detached_links?: unknown; schema_changes?: string[] },
): Promise<void> {
  const cols = Object.keys(fields) as (keyof typeof fields)[];
  const values = cols.map((c) => (c === "detached_links" ? JSON.stringify(fields[c]) : fields[c]));
  await sql.query(
    `INSERT INTO fleet_instance_state (instance_id, ${cols.join(", ")}) VALUES ($1, ${cols.map((_, i) => `$${i + 2}`).join(", ")})
     ON CONFLICT (instance_id) DO UPDATE SET ${cols.map((c) => `${c} = EXCLUDED.${c}`).join(", ")}, updated_at = now()`,
    [instanceId, ...values],
  );
}

export async function setRole(sql: TSql, instanceId: string, role: "PRIMARY" | "REPLICA"): Promise<void> {
  await sql.query(`UPDATE instance SET role = $2::"InstanceRole", updated_at = now() WHERE id = $1`, [instanceId, role]);
}

export interface TSavedLink {
  id: string;
  sourceId: string;
  targetId: string;
  mode: string;
  tables: string[] | null;
}

export async function linkRow(sql: TSql, linkId: string): Promise<TSavedLink | null> {
  const { rows } = await sql.query<{ id: string; source_id: string; target_id: string; mode: string; tables: string[] | null }>(
    `SELECT id, source_id, target_id, mode::text AS mode, tables FROM replication_link WHERE id = $1`,
    [linkId],
  );
  const r = rows[0];
  return r ? { id: r.id, sourceId: r.source_id, targetId: r.target_id, mode: r.mode, tables: r.tables } : null;
}

/** Links saved on an instance when it was promoted (the forward link's tables, to restore it). */
export async function savedLinks(sql: TSql, instanceId: string): Promise<TSavedLink[]> {
  const { rows } = await sql.query<{ detached_links: TSavedLink[] | null }>(
    `SELECT detached_links FROM fleet_instance_state WHERE instance_id = $1`,
    [instanceId],
  );
  return rows[0]?.detached_links ?? [];
}

/** Writes the link row as it is on the servers now (ACTIVE, caught up). */
export async function upsertLinkRow(sql: TSql, link: TSavedLink): Promise<void> {
  await sql.query(`DELETE FROM replication_link WHERE source_id = $1 AND target_id = $2 AND id <> $3`, [link.sourceId, link.targetId, link.id]);
  await sql.query(
    `INSERT INTO replication_link (id, source_id, target_id, mode, status, lag_bytes, lag_seconds, tables, last_error, updated_at)
     VALUES ($1, $2, $3, $4::"ReplicationMode", 'ACTIVE', 0, 0, $5, NULL, now())
     ON CONFLICT (id) DO UPDATE SET source_id = EXCLUDED.source_id, target_id = EXCLUDED.target_id, status = 'ACTIVE',
       lag_bytes = 0, lag_seconds = 0, tables = EXCLUDED.tables, last_error = NULL, updated_at = now()`,
    [link.id, link.sourceId, link.targetId, link.mode, link.tables ?? []],
  );
}

export { pg };
