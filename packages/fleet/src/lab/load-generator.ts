import pg from "pg";
import { describePgError } from "../postgres/connect";
import { LAB_CLUSTER } from "./lab-plan";
import { type TLabServer } from "./lab-servers";

/**
 * A few rows per second into the lab cluster's primary (whichever instance the inventory says
 * is PRIMARY, re-read every few seconds so it follows a switchover): a customer now and then,
 * an order and an order event each tick. A fenced (read-only) or missing primary is skipped.
 */
export interface TLoadGenerator {
  stop: () => Promise<void>;
  /** Rows written so far. */
  readonly rows: number;
  /** Writes one tick now (tests). */
  tick: () => Promise<void>;
}

const COUNTRIES = ["DE", "US", "SG", "GB", "FR", "NL", "JP", "BR"];

export function startLoadGenerator(
  meta: Pick<pg.Pool, "query">,
  servers: TLabServer[],
  options: { intervalMs?: number; log?: (line: string) => void; manual?: boolean } = {},
): TLoadGenerator {
  const intervalMs = options.intervalMs ?? 500;
  const log = options.log ?? (() => {});
  const byPort = new Map(servers.map((s) => [s.port, s]));
  let primaryPort: number | null = servers.find((s) => s.member.initialRole === "PRIMARY")?.port ?? null;
  let lookedUpAt = 0;
  let client: pg.Client | null = null;
  let clientPort: number | null = null;
  let rows = 0;
  let lastError = "";
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let busy: Promise<void> | null = null;

  const drop = () => {
    const c = client;
    client = null;
    clientPort = null;
    if (c) void c.end().catch(() => {});
  };

  async function findPrimary(): Promise<void> {
    if (Date.now() - lookedUpAt < 5_000) return;
    lookedUpAt = Date.now();
    const { rows: found } = await meta.query<{ endpoint: string }>(
      `SELECT i.endpoint FROM instance i JOIN cluster c ON c.id = i.cluster_id WHERE c.name = $1 AND i.role = 'PRIMARY' LIMIT 1`,
      [LAB_CLUSTER],
    );
    const port = Number(/:(\d+)$/.exec(found[0]?.endpoint ?? "")?.[1]);
    if (Number.isFinite(port) && byPort.has(port)) primaryPort = port;
  }

  async function tick(): Promise<void> {
    try {
      await findPrimary().catch(() => {});
      if (primaryPort === null) return;
      if (clientPort !== primaryPort) drop();
      if (!client) {
        const server = byPort.get(primaryPort);
        if (!server) return;
        // An application's name, not "meridian...": a write fence (switchover) ends this session
        // like any client's; the next tick reconnects to the primary of the inventory.
        const c = new pg.Client({ ...server.admin, application_name: "lab-load-generator" });
        c.on("error", () => drop());
        await c.connect();
        client = c;
        clientPort = primaryPort;
      }
      const r = Math.random();
      await client.query("BEGIN");
      if (r < 0.2 || rows === 0)
        await client.query("INSERT INTO customers (name, country) VALUES ($1, $2)", [
          `Customer ${Math.floor(Math.random() * 1e6)}`,
          COUNTRIES[Math.floor(Math.random() * COUNTRIES.length)],
        ]);
      const { rows: order } = await client.query<{ id: string }>(
        "INSERT INTO orders (customer_id, amount_cents) SELECT max(id), $1 FROM customers RETURNING id",
        [Math.floor(Math.random() * 50_000)],
      );
      await client.query("INSERT INTO order_events (order_id, kind) VALUES ($1, 'placed')", [order[0]?.id]);
      if (r > 0.7) await client.query("UPDATE orders SET status = 'shipped' WHERE id = (SELECT min(id) FROM orders WHERE status = 'placed')");
      await client.query("COMMIT");
      rows += r < 0.2 ? 3 : 2;
      if (lastError) log("lab load: writing again");
      lastError = "";
    } catch (error) {
      await client?.query("ROLLBACK").catch(() => {});
      const msg = describePgError(error);
      if (msg !== lastError) log(`lab load: write skipped: ${msg}`);
      lastError = msg;
      if (!/SQLSTATE 25006/.test(msg)) drop();
    }
  }

  const loop = () => {
    if (stopped) return;
    busy = tick().finally(() => {
      busy = null;
      if (!stopped) timer = setTimeout(loop, intervalMs);
    });
  };
  if (!options.manual) loop();

  return {
    tick,
    get rows() {
      return rows;
    },
    stop: async () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      await busy;
      drop();
    },
  };
}
