/**
 * Test support for the postgres driver (never used by the driver itself): real embedded
 * PostgreSQL servers and instance rows that point at databases on them, with encrypted
 * credentials. Import from "@meridian/fleet/testing".
 */
import { randomBytes, randomUUID } from "node:crypto";
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { startEmbeddedPostgres, type TEmbeddedPostgres } from "@meridian/db/embedded";
import { encryptCredential } from "../credentials";
import { type TSql } from "../driver";

export interface TTestServer {
  server: TEmbeddedPostgres;
  port: number;
  user: string;
  password: string;
  /** A client to `database` on this server as its superuser (the caller ends it). */
  connect: (database?: string) => Promise<pg.Client>;
  createDatabase: (name: string) => Promise<void>;
}

/** Starts embedded servers (wal_level=logical unless `extraFlags` say otherwise), in a folder the postgres OS user can enter. */
export async function startTestServers(
  specs: { extraFlags?: string[] }[],
): Promise<{ servers: TTestServer[]; stop: () => Promise<void> }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "meridian-pg-"));
  chmodSync(dir, 0o755);
  const started = await Promise.all(
    specs.map((spec, i) =>
      startEmbeddedPostgres({
        dataDir: path.join(dir, `s${i}`),
        port: 0,
        ephemeral: true,
        ...(spec.extraFlags ? { extraFlags: spec.extraFlags } : {}),
      }),
    ),
  );
  const servers = started.map((server) => {
    const url = new URL(server.url);
    const user = decodeURIComponent(url.username);
    const password = decodeURIComponent(url.password);
    const connect = async (database = "postgres") => {
      const c = new pg.Client({ host: "127.0.0.1", port: server.port, user, password, database });
      c.on("error", () => {});
      await c.connect();
      return c;
    };
    return {
      server,
      port: server.port,
      user,
      password,
      connect,
      createDatabase: async (name: string) => {
        const c = await connect();
        try {
          await c.query(`CREATE DATABASE "${name}"`);
        } finally {
          await c.end();
        }
      },
    };
  });
  return {
    servers,
    stop: async () => {
      await Promise.all(started.map((s) => s.stop().catch(() => {})));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface TRegisterOptions {
  key: Buffer;
  clusterId: string;
  dataCenterId: string;
  server: { port: number; user: string; password: string };
  database: string;
  role: "PRIMARY" | "REPLICA" | "STANDBY";
  name?: string;
  /** Stored credential (default: the server's superuser). */
  credential?: { user: string; password: string };
}

/** Inserts a POSTGRES instance row for a database on a test server; returns its id. */
export async function registerTestInstance(sql: TSql, options: TRegisterOptions): Promise<string> {
  const id = randomUUID();
  const credential = options.credential ?? { user: options.server.user, password: options.server.password };
  await sql.query(
    `INSERT INTO instance (id, name, cluster_id, data_center_id, role, driver, endpoint, version, health, database_name, credential_ciphertext, updated_at)
     VALUES ($1, $2, $3, $4, $5::"InstanceRole", 'POSTGRES', $6, '18', 'UP', $7, $8, now())`,
    [
      id,
      options.name ?? `pg-test-${randomBytes(4).toString("hex")}`,
      options.clusterId,
      options.dataCenterId,
      options.role,
      `127.0.0.1:${options.server.port}`,
      options.database,
      encryptCredential(options.key, id, credential),
    ],
  );
  return id;
}

/** Meridian's objects left on a server (publications, subscriptions, slots, roles named meridian_*). */
export async function meridianObjects(server: TTestServer, database: string): Promise<string[]> {
  const c = await server.connect(database);
  try {
    const { rows } = await c.query<{ o: string }>(
      `SELECT 'publication ' || pubname AS o FROM pg_publication WHERE pubname LIKE 'meridian\\_%'
       UNION ALL SELECT 'subscription ' || subname FROM pg_subscription WHERE subname LIKE 'meridian\\_%'
       UNION ALL SELECT 'slot ' || slot_name FROM pg_replication_slots WHERE slot_name LIKE 'meridian\\_%'
       UNION ALL SELECT 'role ' || rolname FROM pg_roles WHERE rolname LIKE 'meridian\\_%'
       ORDER BY 1`,
    );
    return rows.map((r) => r.o);
  } finally {
    await c.end();
  }
}
