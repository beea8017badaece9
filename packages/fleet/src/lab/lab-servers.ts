import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { startEmbeddedPostgres, type TEmbeddedPostgres } from "@meridian/db/embedded";
import { LAB_DATABASE, LAB_ROLE, type TLabMember } from "./lab-plan";

export interface TLabServer {
  member: TLabMember;
  server: TEmbeddedPostgres;
  port: number;
  /** Initialised in this start (empty data folder before). */
  fresh: boolean;
  /** Superuser connection parameters of the demo database (the lab's own, never stored). */
  admin: pg.ClientConfig;
  /** The role Meridian connects with, and its password generated for this start. */
  credential: { user: string; password: string };
  version: string;
}

/**
 * Runs `fn` with a superuser client on `database` of a lab server: the lab's own session, named
 * like Meridian's and writable on a fenced replica (it builds and repoints subscriptions there).
 */
export async function withAdmin<T>(config: pg.ClientConfig, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ application_name: "meridian-lab", ...config });
  client.on("error", () => {});
  await client.connect();
  try {
    await client.query("SET default_transaction_read_only = off");
    return await fn(client);
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * Starts the lab's servers in parallel (data under `<root>/<name>`, a free port each start),
 * creates the demo database and the role Meridian connects with (a new password each start).
 */
export async function startLabServers(
  root: string,
  members: TLabMember[],
  log: (line: string) => void,
  options: { ephemeral?: boolean } = {},
): Promise<TLabServer[]> {
  mkdirSync(root, { recursive: true });
  const started = await Promise.allSettled(
    members.map(async (member): Promise<TLabServer> => {
      const dataDir = path.join(root, member.name);
      const fresh = !existsSync(path.join(dataDir, "PG_VERSION"));
      const server = await startEmbeddedPostgres({ dataDir, port: 0, log, ephemeral: options.ephemeral });
      const url = new URL(server.url);
      const base: pg.ClientConfig = {
        host: "127.0.0.1",
        port: server.port,
        user: decodeURIComponent(url.username),
        password: decodeURIComponent(url.password),
        database: "postgres",
      };
      const credential = { user: LAB_ROLE, password: randomBytes(18).toString("base64url") };
      const version = await withAdmin(base, async (c) => {
        const exists = await c.query("SELECT 1 FROM pg_database WHERE datname = $1", [LAB_DATABASE]);
        if (!exists.rowCount) await c.query(`CREATE DATABASE ${LAB_DATABASE}`);
        const role = await c.query("SELECT 1 FROM pg_roles WHERE rolname = $1", [LAB_ROLE]);
        const verb = role.rowCount ? "ALTER" : "CREATE";
        // The password travels as a literal in this one statement on loopback; never logged.
        await c.query(`${verb} ROLE ${LAB_ROLE} WITH LOGIN SUPERUSER PASSWORD ${c.escapeLiteral(credential.password)}`);
        const v = await c.query<{ server_version: string }>("SHOW server_version");
        return (v.rows[0]?.server_version ?? "").split(" ")[0] ?? "";
      });
      return { member, server, port: server.port, fresh, admin: { ...base, database: LAB_DATABASE }, credential, version };
    }),
  );
  const failed = started.filter((s): s is PromiseRejectedResult => s.status === "rejected");
  const ok = started.filter((s): s is PromiseFulfilledResult<TLabServer> => s.status === "fulfilled").map((s) => s.value);
  if (failed.length) {
    await Promise.all(ok.map((s) => s.server.stop().catch(() => {})));
    const reason = failed[0]?.reason;
    throw new Error(`The lab could not start ${failed.length} of ${members.length} servers: ${reason instanceof Error ? reason.message : String(reason)}`);
  }
  return ok;
}
