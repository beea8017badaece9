import pg from "pg";
import { type TJsonObject, type TSql } from "../driver";
import { readTableDefs, readTargetTables, targetConflicts, type TTableDef } from "./catalog-copy";
import { clientConfig, describePgError, loadInstanceTarget, type TPostgresAccess } from "./connect";
import { subscriptionName } from "./names";
import { parseTableName, tableKey } from "./server-state";

/**
 * What is checked before a link is built (and before a change request is approved): both
 * servers answer with their stored credential, the source runs with wal_level=logical and has a
 * free replication slot, the roles Meridian connects with may do what the link needs, every
 * replicated table has a primary key, and the target has no conflicting table. Each problem is
 * a sentence a person can act on; nothing is changed on either server.
 */
export type TPreflightCode =
  | "UNREACHABLE"
  | "WRONG_PASSWORD"
  | "NO_CREDENTIAL"
  | "MISSING_PRIVILEGE"
  | "WAL_LEVEL"
  | "NO_FREE_SLOT"
  | "NO_PRIMARY_KEY"
  | "CONFLICTING_TABLE"
  | "NO_TABLES"
  | "ERROR";

export interface TPreflightProblem extends TJsonObject {
  code: TPreflightCode;
  side: "source" | "target";
  instance: string;
  message: string;
}

export interface TPreflightInput {
  linkId: string;
  sourceInstanceId: string;
  targetInstanceId: string;
  /** Tables to replicate ("schema.table" or "table" in public); null or empty: all of them. */
  tables?: readonly string[] | null;
}

export interface TPreflightResult {
  ok: boolean;
  problems: TPreflightProblem[];
  /** Tables the link would replicate. */
  tables: string[];
}

const CONNECTION_CODES = new Set(["ECONNREFUSED", "ETIMEDOUT", "EHOSTUNREACH", "ENOTFOUND", "ECONNRESET", "EAI_AGAIN"]);

/** Connects, or says in words why not (wrong password, unreachable, ...). */
async function tryConnect(
  sql: TSql,
  instanceId: string,
  access: TPostgresAccess,
  side: "source" | "target",
): Promise<{ client: pg.Client; name: string } | { problem: TPreflightProblem }> {
  let target;
  try {
    target = await loadInstanceTarget(sql, instanceId);
  } catch (error) {
    return { problem: { code: "ERROR", side, instance: instanceId, message: error instanceof Error ? error.message : String(error) } };
  }
  const name = target.name;
  if (!target.credentialCiphertext)
    return {
      problem: {
        code: "NO_CREDENTIAL",
        side,
        instance: name,
        message: `${name} has no credential: set one on its page (Inventory -> Instances -> ${name} -> Credential)`,
      },
    };
  let config: pg.ClientConfig;
  try {
    config = clientConfig(target, access);
  } catch (error) {
    return { problem: { code: "NO_CREDENTIAL", side, instance: name, message: `${name}: ${error instanceof Error ? error.message : String(error)}` } };
  }
  const client = new pg.Client(config);
  client.on("error", () => {});
  try {
    await client.connect();
    return { client, name };
  } catch (error) {
    await client.end().catch(() => {});
    const code = (error as { code?: string }).code ?? "";
    const where = `${target.host}:${target.port}`;
    if (code === "28P01")
      return {
        problem: { code: "WRONG_PASSWORD", side, instance: name, message: `${name} refused the stored credential (wrong password): set the right one on its page` },
      };
    if (code === "28000")
      return {
        problem: {
          code: "WRONG_PASSWORD",
          side,
          instance: name,
          message: `${name} refused the login (${describePgError(error)}): check the user and pg_hba.conf`,
        },
      };
    if (CONNECTION_CODES.has(code) || /timeout|terminated/i.test(String((error as Error).message)))
      return { problem: { code: "UNREACHABLE", side, instance: name, message: `${name} is unreachable at ${where} (${describePgError(error)})` } };
    return { problem: { code: "ERROR", side, instance: name, message: `Cannot connect to ${name} at ${where}: ${describePgError(error)}` } };
  }
}

interface TRoleFacts {
  superuser: boolean;
  replication: boolean;
  createRole: boolean;
  canCreate: boolean;
  walLevel: string;
  freeSlots: number;
  canSubscribe: boolean;
  user: string;
}

async function roleFacts(client: pg.Client): Promise<TRoleFacts> {
  const { rows } = await client.query<{
    rolsuper: boolean;
    rolreplication: boolean;
    rolcreaterole: boolean;
    can_create: boolean;
    wal_level: string;
    free_slots: number;
    can_subscribe: boolean;
    usr: string;
  }>(
    `SELECT r.rolsuper, r.rolreplication, r.rolcreaterole, has_database_privilege(current_database(), 'CREATE') AS can_create,
            current_setting('wal_level') AS wal_level,
            current_setting('max_replication_slots')::int - (SELECT count(*)::int FROM pg_replication_slots) AS free_slots,
            r.rolsuper OR (to_regrole('pg_create_subscription') IS NOT NULL AND pg_has_role(current_user, 'pg_create_subscription', 'USAGE')) AS can_subscribe,
            current_user::text AS usr
       FROM pg_roles r WHERE r.rolname = current_user`,
  );
  const r = rows[0]!;
  return {
    superuser: r.rolsuper,
    replication: r.rolreplication,
    createRole: r.rolcreaterole,
    canCreate: r.can_create,
    walLevel: r.wal_level,
    freeSlots: r.free_slots,
    canSubscribe: r.can_subscribe,
    user: r.usr,
  };
}

/** Runs every check; never throws for a problem it can name (only for a broken metadata database). */
export async function preflightLink(sql: TSql, access: TPostgresAccess, input: TPreflightInput): Promise<TPreflightResult> {
  const problems: TPreflightProblem[] = [];
  const add = (p: TPreflightProblem) => problems.push(p);
  const only = input.tables && input.tables.length > 0 ? input.tables.map(parseTableName) : null;
  const [src, tgt] = await Promise.all([
    tryConnect(sql, input.sourceInstanceId, access, "source"),
    tryConnect(sql, input.targetInstanceId, access, "target"),
  ]);
  let defs: TTableDef[] = [];
  try {
    if ("problem" in src) add(src.problem);
    else {
      const s = src.name;
      try {
        const f = await roleFacts(src.client);
        if (f.walLevel !== "logical")
          add({
            code: "WAL_LEVEL",
            side: "source",
            instance: s,
            message: `${s} runs with wal_level=${f.walLevel}: logical replication needs wal_level=logical (set it in postgresql.conf and restart ${s})`,
          });
        if (f.freeSlots < 1)
          add({ code: "NO_FREE_SLOT", side: "source", instance: s, message: `${s} has no free replication slot: raise max_replication_slots (restart) or drop an unused slot` });
        if (!f.superuser) {
          const missing: string[] = [];
          if (!f.replication) missing.push("REPLICATION");
          if (!f.createRole) missing.push("CREATEROLE");
          if (!f.canCreate) missing.push("CREATE on the database");
          if (missing.length > 0)
            add({
              code: "MISSING_PRIVILEGE",
              side: "source",
              instance: s,
              message: `The role ${f.user} on ${s} lacks ${missing.join(", ")}: it creates the link's replication role and publication`,
            });
        }
        try {
          defs = await readTableDefs(src.client, s, only);
        } catch (error) {
          add({ code: "NO_TABLES", side: "source", instance: s, message: error instanceof Error ? error.message : String(error) });
        }
        if (defs.length === 0 && !problems.some((p) => p.code === "NO_TABLES"))
          add({ code: "NO_TABLES", side: "source", instance: s, message: `${s} has no table to replicate` });
        const noKey = defs.filter((d) => d.primaryKey.length === 0).map(tableKey);
        if (noKey.length > 0)
          add({
            code: "NO_PRIMARY_KEY",
            side: "source",
            instance: s,
            message: `${noKey.length === 1 ? "Table" : "Tables"} ${noKey.join(", ")} on ${s} ${noKey.length === 1 ? "has" : "have"} no primary key: add one, or leave ${noKey.length === 1 ? "it" : "them"} out of the link's tables`,
          });
        if (!f.superuser && defs.length > 0) {
          const { rows } = await src.client.query<{ t: string }>(
            `SELECT n.nspname || '.' || c.relname AS t FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
              WHERE (n.nspname || '.' || c.relname) = ANY($1) AND NOT pg_has_role(c.relowner, 'USAGE') ORDER BY 1`,
            [defs.map(tableKey)],
          );
          if (rows.length > 0)
            add({
              code: "MISSING_PRIVILEGE",
              side: "source",
              instance: s,
              message: `The role ${f.user} on ${s} does not own ${rows.map((r) => r.t).join(", ")}: a publication needs the tables' owner`,
            });
        }
      } catch (error) {
        add({ code: "ERROR", side: "source", instance: s, message: `Checking ${s} failed: ${describePgError(error)}` });
      }
    }

    if ("problem" in tgt) add(tgt.problem);
    else {
      const t = tgt.name;
      try {
        const f = await roleFacts(tgt.client);
        if (!f.superuser) {
          const missing: string[] = [];
          if (!f.canSubscribe) missing.push("membership of pg_create_subscription");
          if (!f.canCreate) missing.push("CREATE on the database");
          if (missing.length > 0)
            add({
              code: "MISSING_PRIVILEGE",
              side: "target",
              instance: t,
              message: `The role ${f.user} on ${t} lacks ${missing.join(", ")}: it creates the tables and the subscription`,
            });
        }
        const own = await tgt.client.query(`SELECT 1 FROM pg_subscription WHERE subname = $1`, [subscriptionName(input.linkId)]);
        // A link that already exists (a retried step) has filled its own tables: no conflict.
        if (own.rows.length === 0 && defs.length > 0) {
          const existing = await readTargetTables(tgt.client, t, defs);
          for (const message of targetConflicts(defs, existing, t)) add({ code: "CONFLICTING_TABLE", side: "target", instance: t, message });
        }
      } catch (error) {
        add({ code: "ERROR", side: "target", instance: t, message: `Checking ${t} failed: ${describePgError(error)}` });
      }
    }
  } finally {
    if (!("problem" in src)) await src.client.end().catch(() => {});
    if (!("problem" in tgt)) await tgt.client.end().catch(() => {});
  }
  return { ok: problems.length === 0, problems, tables: defs.map(tableKey) };
}
