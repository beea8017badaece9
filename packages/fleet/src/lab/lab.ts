import path from "node:path";
import pg from "pg";
import { dataHome } from "@meridian/db/embedded";
import { labMembers } from "./lab-plan";
import { startLabServers, type TLabServer } from "./lab-servers";
import { startLoadGenerator, type TLoadGenerator } from "./load-generator";
import { registerLab, type TRegisteredLab } from "./register-lab";

/**
 * The local lab: embedded PostgreSQL servers (wal_level=logical, data under
 * `<MERIDIAN_DATA_DIR>/lab/<name>`, free ports each start) registered as the `lab-orders`
 * cluster, with a load generator writing to its primary.
 */
export interface TLabOptions {
  /** Metadata database. */
  databaseUrl: string;
  credentialKey: Buffer;
  /** Servers (default 4). */
  instances?: number;
  /** Folder of the servers' data (default `<MERIDIAN_DATA_DIR>/lab`). */
  root?: string;
  /** Throw-away servers (tests): fsync off, data deleted on stop. */
  ephemeral?: boolean;
  /** Load generator tick (default 500 ms); 0: it writes only when `load.tick()` is called (tests). */
  loadIntervalMs?: number;
  log?: (line: string) => void;
}

export interface TLab {
  servers: TLabServer[];
  registered: TRegisteredLab;
  load: TLoadGenerator;
  stop: () => Promise<void>;
}

export async function startLab(options: TLabOptions): Promise<TLab> {
  const log = options.log ?? (() => {});
  const members = labMembers(options.instances ?? 4);
  const root = options.root ?? path.join(dataHome(), "lab");
  const t = Date.now();
  const servers = await startLabServers(root, members, log, { ephemeral: options.ephemeral });
  const meta = new pg.Pool({ connectionString: options.databaseUrl, max: 2, application_name: "meridian-lab" });
  meta.on("error", () => {});
  const stopServers = async () => {
    await Promise.all(servers.map((s) => s.server.stop().catch(() => {})));
  };
  let registered: TRegisteredLab;
  try {
    registered = await registerLab(meta, options.credentialKey, servers, log);
  } catch (error) {
    await meta.end().catch(() => {});
    await stopServers();
    throw error;
  }
  const load = startLoadGenerator(meta, servers, { intervalMs: options.loadIntervalMs, log, manual: options.loadIntervalMs === 0 });
  log(
    `lab: ${servers.length} PostgreSQL ${servers[0]?.version ?? ""} servers in ${((Date.now() - t) / 1000).toFixed(1)} s: ` +
      registered.instances.map((i) => `${i.name} ${i.role} :${i.port}`).join(", "),
  );
  let stopping: Promise<void> | null = null;
  return {
    servers,
    registered,
    load,
    stop: () =>
      (stopping ??= (async () => {
        await load.stop();
        await meta.end().catch(() => {});
        await stopServers();
      })()),
  };
}
