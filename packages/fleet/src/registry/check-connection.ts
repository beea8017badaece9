import pg from "pg";
import { describePgError } from "../postgres/connect";

/**
 * Before Meridian stores a credential for a server: connect with it and check what the
 * postgres driver and the collector need. Failures come back as one readable sentence with the
 * form field it concerns; never with the password (pg's messages name the user at most).
 */
export interface TConnectionCheckInput {
  host: string;
  port: number;
  database: string;
  user: string;
  password: string;
  timeoutMs?: number;
}

export type TConnectionCheck =
  | { ok: true; version: string; versionNum: number; superuser: boolean; canMonitor: boolean }
  | { ok: false; field: "host" | "port" | "database" | "user" | "password" | "server"; message: string };

export async function checkPostgresConnection(input: TConnectionCheckInput): Promise<TConnectionCheck> {
  const where = `${input.host}:${input.port}`;
  const timeoutMs = input.timeoutMs ?? 5_000;
  const client = new pg.Client({
    host: input.host,
    port: input.port,
    database: input.database,
    user: input.user,
    password: input.password,
    connectionTimeoutMillis: timeoutMs,
    query_timeout: timeoutMs,
    application_name: "meridian-registration",
  });
  client.on("error", () => {});
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => {});
    const e = error as { code?: string; message?: string };
    switch (e.code) {
      case "28P01":
        return { ok: false, field: "password", message: `Wrong password for user "${input.user}" on ${where}` };
      case "28000":
        return {
          ok: false,
          field: "user",
          message: `${where} refused user "${input.user}" (no such role, or no pg_hba.conf entry for Meridian's address)`,
        };
      case "3D000":
        return { ok: false, field: "database", message: `Database "${input.database}" does not exist on ${where}` };
      case "ECONNREFUSED":
      case "ENOTFOUND":
      case "EAI_AGAIN":
      case "EHOSTUNREACH":
      case "ENETUNREACH":
      case "ETIMEDOUT":
        return { ok: false, field: "host", message: `${where} is unreachable (${e.code}): check the host, the port and the firewall` };
      default:
        if (/timeout/i.test(e.message ?? ""))
          return { ok: false, field: "host", message: `${where} did not answer within ${timeoutMs / 1000} s: check the host, the port and the firewall` };
        return { ok: false, field: "server", message: `Cannot connect to ${where}: ${describePgError(error)}` };
    }
  }
  try {
    const { rows } = await client.query<{ wal_level: string; version: string; version_num: string; superuser: boolean; monitor: boolean }>(
      `SELECT current_setting('wal_level') AS wal_level, current_setting('server_version') AS version,
              current_setting('server_version_num') AS version_num,
              (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) AS superuser,
              pg_has_role(current_user, 'pg_monitor', 'USAGE') AS monitor`,
    );
    const row = rows[0];
    if (!row) return { ok: false, field: "server", message: `${where} returned no settings` };
    if (Number(row.version_num) < 100000)
      return { ok: false, field: "server", message: `${where} runs PostgreSQL ${row.version}: logical replication needs 10 or newer` };
    if (row.wal_level !== "logical")
      return {
        ok: false,
        field: "server",
        message: `${where} has wal_level=${row.wal_level}: set wal_level = logical in postgresql.conf and restart the server`,
      };
    return { ok: true, version: (row.version.split(" ")[0] ?? row.version).slice(0, 32), versionNum: Number(row.version_num), superuser: row.superuser, canMonitor: row.superuser || row.monitor };
  } catch (error) {
    return { ok: false, field: "server", message: `Connected to ${where}, but the checks failed: ${describePgError(error)}` };
  } finally {
    await client.end().catch(() => {});
  }
}
