/**
 * Test, trial and benchmark support for switchovers on real servers: two (or more) embedded
 * PostgreSQL 17 servers registered as POSTGRES instances of one cluster in a fresh metadata
 * database, a table `orders` replicated by logical replication from the primary (publication +
 * subscription named from the link id, names.ts), the replica fenced. Switchovers are filed as
 * approved change requests with the real planner's plan. Never used by the engine itself.
 */
import { randomBytes, randomUUID } from "node:crypto";
import pg from "pg";
import { createFleetDriver, publicationName, replicationRoleName, slotName, subscriptionName, type TStepDriver } from "@meridian/fleet";
import { registerTestInstance, startTestServers, type TTestServer } from "@meridian/fleet/testing";
import { type TPlan } from "../../core/plan";
import { planChange } from "../../core/planners";
import { type TFleetSnapshot } from "../../core/snapshot";
import { enqueueExecution, type TQueryable } from "../execution-store";
import { createFleetDatabase, insertRequest, loadFleetSnapshot, waitFor, type TTrialDatabase } from "./fixtures";

export const APP_DATABASE = "shop";
const CLUSTER_ID = "5a7c0000-0000-4000-8000-000000000001";
const TEAM_ID = "5a7c0000-0000-4000-8000-000000000002";
const DC_IDS = ["5a7c0000-0000-4000-8000-0000000000d1", "5a7c0000-0000-4000-8000-0000000000d2", "5a7c0000-0000-4000-8000-0000000000d3"];

export interface TPgSwitchoverLab {
  db: TTrialDatabase;
  servers: TTestServer[];
  /** Instance id per server (same order). */
  instanceIds: string[];
  clusterId: string;
  /** The credential key (base64) the workers decrypt the instances' credentials with. */
  credentialKeyText: string;
  driver: () => TStepDriver;
  stop: () => Promise<void>;
}

/** A metadata database on `serverUrl` and `members` embedded servers (the first one primary), replicating `orders`. */
export async function createPgSwitchoverLab(serverUrl: string, members = 2): Promise<TPgSwitchoverLab> {
  const snapshot: TFleetSnapshot = {
    dataCenters: DC_IDS.slice(0, members).map((id, i) => ({
      id,
      code: ["fra9", "iad9", "sin9"][i] ?? `dc${i}`,
      jurisdiction: ["EU", "US", "SG"][i] ?? "EU",
      status: "ACTIVE",
      capacitySlots: 10,
      usedSlots: 0,
    })),
    clusters: [
      {
        id: CLUSTER_ID,
        name: "shop-lab",
        teamId: TEAM_ID,
        teamSlug: "shop",
        tier: "T2",
        classification: "INTERNAL",
        homeJurisdiction: "EU",
        allowedJurisdictions: ["EU", "US", "SG"],
        rpoSeconds: 60,
        instances: [],
        links: [],
      },
    ],
  };
  const db = await createFleetDatabase(serverUrl, snapshot);
  const started = await startTestServers(Array.from({ length: members }, () => ({})));
  const key = randomBytes(32);
  const instanceIds: string[] = [];
  try {
    for (const [i, server] of started.servers.entries()) {
      await server.createDatabase(APP_DATABASE);
      const c = await server.connect(APP_DATABASE);
      await c.query(`CREATE TABLE orders (id bigint PRIMARY KEY, note text NOT NULL, written_at timestamptz NOT NULL DEFAULT now())`);
      await c.end();
      instanceIds.push(
        await registerTestInstance(db.pool, {
          key,
          clusterId: CLUSTER_ID,
          dataCenterId: DC_IDS[i] ?? DC_IDS[0]!,
          server,
          database: APP_DATABASE,
          role: i === 0 ? "PRIMARY" : "REPLICA",
          name: `shop-lab-${i === 0 ? "p" : "r"}${i + 1}`,
        }),
      );
    }
    const primary = started.servers[0]!;
    const p = await primary.connect(APP_DATABASE);
    await p.query(`INSERT INTO orders (id, note) SELECT g, 'seed ' || g FROM generate_series(1, 100) g`);
    await p.end();
    for (let i = 1; i < members; i++) await createForwardLink(db.pool, started.servers[0]!, started.servers[i]!, instanceIds[0]!, instanceIds[i]!);
  } catch (error) {
    await started.stop();
    await db.drop();
    throw error;
  }
  const credentialKeyText = key.toString("base64");
  return {
    db,
    servers: started.servers,
    instanceIds,
    clusterId: CLUSTER_ID,
    credentialKeyText,
    driver: () => createFleetDriver({ credentialKey: credentialKeyText, simulated: { durationScale: 0 } }),
    stop: async () => {
      await started.stop();
      await db.drop();
    },
  };
}

/**
 * The test's own link builder (the links engineer's createLink does the same with catalog
 * copy and preflight): role + publication on the source, subscription with the initial copy on
 * the target, all named from the link id; the target fenced; the link row ACTIVE once synced.
 */
async function createForwardLink(meta: TQueryable, source: TTestServer, target: TTestServer, sourceId: string, targetId: string): Promise<string> {
  const linkId = randomUUID();
  const password = randomBytes(18).toString("base64url");
  const s = await source.connect(APP_DATABASE);
  const t = await target.connect(APP_DATABASE);
  try {
    await s.query(`CREATE ROLE ${replicationRoleName(linkId)} WITH LOGIN REPLICATION PASSWORD '${password}'`);
    await s.query(`GRANT SELECT ON orders TO ${replicationRoleName(linkId)}`);
    await s.query(`CREATE PUBLICATION ${publicationName(linkId)} FOR TABLE public.orders`);
    await t.query(
      `CREATE SUBSCRIPTION ${subscriptionName(linkId)}
         CONNECTION 'host=127.0.0.1 port=${source.port} dbname=${APP_DATABASE} user=${replicationRoleName(linkId)} password=${password}'
         PUBLICATION ${publicationName(linkId)} WITH (slot_name = '${slotName(linkId)}')`,
    );
    await waitFor(
      async () => (await t.query(`SELECT count(*)::int AS n FROM pg_subscription_rel WHERE srsubstate <> 'r'`)).rows[0]?.n === 0,
      30_000,
      "the initial copy",
      50,
    );
    await t.query(`ALTER DATABASE ${APP_DATABASE} SET default_transaction_read_only = on`);
  } finally {
    await s.end();
    await t.end();
  }
  await meta.query(
    `INSERT INTO replication_link (id, source_id, target_id, mode, status, lag_bytes, lag_seconds, tables, updated_at)
     VALUES ($1, $2, $3, 'LOGICAL', 'ACTIVE', 0, 0, '{}', now())`,
    [linkId, sourceId, targetId],
  );
  await meta.query(`INSERT INTO fleet_instance_state (instance_id, writes_fenced) VALUES ($1, true), ($2, false)
                    ON CONFLICT (instance_id) DO UPDATE SET writes_fenced = EXCLUDED.writes_fenced`, [targetId, sourceId]);
  return linkId;
}

/** The fleet as the planner sees it, with each instance's driver. */
export async function loadSnapshotWithDrivers(db: TQueryable): Promise<TFleetSnapshot> {
  const snapshot = await loadFleetSnapshot(db);
  const { rows } = await db.query<{ id: string; driver: "SIMULATED" | "POSTGRES" | "MYSQL" }>(`SELECT id, driver::text AS driver FROM instance`);
  const drivers = new Map(rows.map((r) => [r.id, r.driver]));
  for (const c of snapshot.clusters) for (const i of c.instances) i.driver = drivers.get(i.id) ?? "SIMULATED";
  return snapshot;
}

export async function currentRoles(db: TQueryable, clusterId: string): Promise<{ primaryId: string; replicaIds: string[] }> {
  const { rows } = await db.query<{ id: string; role: string }>(
    `SELECT id, role::text AS role FROM instance WHERE cluster_id = $1 ORDER BY name`,
    [clusterId],
  );
  const primaries = rows.filter((r) => r.role === "PRIMARY");
  if (primaries.length !== 1) throw new Error(`the inventory has ${primaries.length} primaries`);
  return { primaryId: primaries[0]!.id, replicaIds: rows.filter((r) => r.role !== "PRIMARY").map((r) => r.id) };
}

/**
 * Files an approved SWITCHOVER from the current primary to `toInstanceId` (default: the first
 * replica) and enqueues it. `adjust` may rewrite the plan (e.g. a short catch-up timeout).
 */
export async function fileSwitchover(
  lab: TPgSwitchoverLab,
  options: { toInstanceId?: string; adjust?: (plan: TPlan) => TPlan; enqueue?: boolean } = {},
): Promise<{ requestId: string; executionId: string; plan: TPlan; fromId: string; toId: string }> {
  const roles = await currentRoles(lab.db.pool, lab.clusterId);
  const toId = options.toInstanceId ?? roles.replicaIds[0]!;
  const requestId = randomUUID();
  const params = { kind: "SWITCHOVER" as const, clusterId: lab.clusterId, replicaInstanceId: toId, maxLagSeconds: 60 };
  const planned = planChange(params, await loadSnapshotWithDrivers(lab.db.pool), { requestId });
  const plan = options.adjust ? options.adjust(planned.plan) : planned.plan;
  await insertRequest(lab.db.pool, { id: requestId, kind: "SWITCHOVER", params, plan, clusterId: lab.clusterId });
  const executionId = options.enqueue === false ? "" : (await enqueueExecution(lab.db.pool, requestId)).executionId;
  return { requestId, executionId, plan, fromId: roles.primaryId, toId };
}

/** An application-like session (not "meridian..."), as an app would open it. */
export async function appClient(server: TTestServer, name = "shop-app"): Promise<pg.Client> {
  const c = new pg.Client({
    host: "127.0.0.1",
    port: server.port,
    user: server.user,
    password: server.password,
    database: APP_DATABASE,
    application_name: name,
    connectionTimeoutMillis: 2_000,
  });
  c.on("error", () => {});
  await c.connect();
  return c;
}

export interface TServerView {
  instanceId: string;
  /** A new application session would be allowed to write. */
  writable: boolean;
  subscriptions: { name: string; enabled: boolean; workerRunning: boolean }[];
  publications: string[];
  slots: string[];
  rows: number;
}

export async function viewServer(server: TTestServer, instanceId: string): Promise<TServerView> {
  const c = await appClient(server, "shop-check");
  try {
    const ro = await c.query<{ v: string }>(`SELECT current_setting('default_transaction_read_only') AS v`);
    const subs = await c.query<{ subname: string; subenabled: boolean; running: boolean }>(
      `SELECT s.subname, s.subenabled, EXISTS (SELECT 1 FROM pg_stat_subscription st WHERE st.subid = s.oid AND st.pid IS NOT NULL) AS running
         FROM pg_subscription s WHERE s.subdbid = (SELECT oid FROM pg_database WHERE datname = current_database())`,
    );
    const pubs = await c.query<{ pubname: string }>(`SELECT pubname FROM pg_publication`);
    const slots = await c.query<{ slot_name: string }>(`SELECT slot_name FROM pg_replication_slots`);
    const rows = await c.query<{ n: number }>(`SELECT count(*)::int AS n FROM orders`);
    return {
      instanceId,
      writable: ro.rows[0]?.v === "off",
      subscriptions: subs.rows.map((s) => ({ name: s.subname, enabled: s.subenabled, workerRunning: s.running })),
      publications: pubs.rows.map((p) => p.pubname),
      slots: slots.rows.map((s) => s.slot_name),
      rows: rows.rows[0]?.n ?? 0,
    };
  } finally {
    await c.end();
  }
}

/**
 * What must hold on the servers and in the inventory once a switchover has settled, whatever
 * failed or crashed on the way: exactly one writable primary (the inventory's), replication in
 * exactly one direction (each replica subscribed to the primary, nothing else), and a row
 * written on the primary now reaching every replica. Returns the problems (empty: all good).
 */
export async function checkTopology(lab: TPgSwitchoverLab): Promise<{ problems: string[]; primaryId: string | null }> {
  const problems: string[] = [];
  const views = await Promise.all(lab.servers.map((s, i) => viewServer(s, lab.instanceIds[i]!)));
  const writable = views.filter((v) => v.writable);
  if (writable.length !== 1) {
    const settings = await Promise.all(
      lab.servers.map(async (s) => {
        const c = await s.connect(APP_DATABASE);
        const r = await c.query<{ c: string }>(`SELECT coalesce(string_agg(setrole || ':' || array_to_string(setconfig, ','), ' '), '') AS c FROM pg_db_role_setting`).finally(() => c.end());
        return r.rows[0]?.c;
      }),
    );
    problems.push(`${writable.length} writable servers (expected exactly one); settings: ${settings.join(" | ")}`);
  }
  let primaryId: string | null = null;
  try {
    primaryId = (await currentRoles(lab.db.pool, lab.clusterId)).primaryId;
  } catch (error) {
    problems.push(String(error instanceof Error ? error.message : error));
  }
  if (primaryId && writable[0] && writable[0].instanceId !== primaryId) problems.push("the writable server is not the inventory's primary");
  const primaryView = views.find((v) => v.instanceId === primaryId);
  if (primaryView && primaryView.subscriptions.length) problems.push(`the primary subscribes to ${primaryView.subscriptions.map((s) => s.name).join(", ")}`);
  const links = await lab.db.pool.query<{ id: string; source_id: string; target_id: string }>(
    `SELECT l.id, l.source_id, l.target_id FROM replication_link l JOIN instance i ON i.id = l.source_id WHERE i.cluster_id = $1`,
    [lab.clusterId],
  );
  for (const v of views) {
    if (v.instanceId === primaryId) continue;
    const link = links.rows.find((l) => l.target_id === v.instanceId);
    if (!link || link.source_id !== primaryId) problems.push(`replica ${v.instanceId} has no link from the primary in the inventory`);
    if (v.subscriptions.length !== 1) problems.push(`replica ${v.instanceId} has ${v.subscriptions.length} subscriptions`);
    else if (link && v.subscriptions[0]!.name !== subscriptionName(link.id)) problems.push(`replica ${v.instanceId} subscribes to ${v.subscriptions[0]!.name}, not link ${link.id}`);
    else if (!v.subscriptions[0]!.enabled) problems.push(`replica ${v.instanceId}'s subscription is disabled`);
    if (v.publications.length || v.slots.length) problems.push(`replica ${v.instanceId} still publishes (${[...v.publications, ...v.slots].join(", ")})`);
  }
  if (links.rows.length !== lab.servers.length - 1) problems.push(`${links.rows.length} links in the inventory (expected ${lab.servers.length - 1})`);
  if (primaryView) {
    const expectedSlots = links.rows.map((l) => slotName(l.id)).sort();
    if (JSON.stringify([...primaryView.slots].sort()) !== JSON.stringify(expectedSlots))
      problems.push(`the primary has slots ${primaryView.slots.join(", ") || "none"}, expected ${expectedSlots.join(", ")}`);
  }
  if (primaryId && problems.length === 0) {
    // A row written on the primary now reaches every replica.
    const idx = lab.instanceIds.indexOf(primaryId);
    const c = await appClient(lab.servers[idx]!);
    const probe = -Math.floor(Math.random() * 1e12) - 1;
    await c.query(`INSERT INTO orders (id, note) VALUES ($1, 'probe')`, [probe]).finally(() => c.end());
    for (const [i, server] of lab.servers.entries()) {
      if (i === idx) continue;
      const r = await appClient(server, "shop-check");
      try {
        await waitFor(async () => (await r.query(`SELECT 1 FROM orders WHERE id = $1`, [probe])).rows.length > 0, 15_000, `the probe row on replica ${i}`, 20);
      } catch (error) {
        problems.push(error instanceof Error ? error.message : String(error));
      } finally {
        await r.end();
      }
    }
  }
  return { problems, primaryId };
}

/** Ids missing on a server among `ids` (rows the application saw committed). */
export async function missingRows(server: TTestServer, ids: number[]): Promise<number[]> {
  if (ids.length === 0) return [];
  const c = await appClient(server, "shop-check");
  try {
    const { rows } = await c.query<{ id: string }>(`SELECT x AS id FROM unnest($1::bigint[]) x WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.id = x)`, [ids]);
    return rows.map((r) => Number(r.id));
  } finally {
    await c.end();
  }
}

/**
 * An application writing every `everyMs` to whatever the inventory says is the writable
 * primary, reconnecting when a write fails. Records the ids it saw committed and the longest
 * gap between two successful writes (write unavailability).
 */
export function startWriter(lab: TPgSwitchoverLab, everyMs = 10): {
  committed: number[];
  gaps: () => { start: number; end: number }[];
  stop: () => Promise<void>;
} {
  const committed: number[] = [];
  const gaps: { start: number; end: number }[] = [];
  let stopped = false;
  let nextId = Date.now() * 100;
  let client: pg.Client | null = null;
  let clientFor: string | null = null;
  let lastOk = Date.now();
  let failing = false;
  const writablePrimary = async () => {
    const { rows } = await lab.db.pool.query<{ id: string }>(
      `SELECT i.id FROM instance i LEFT JOIN fleet_instance_state s ON s.instance_id = i.id
        WHERE i.cluster_id = $1 AND i.role = 'PRIMARY' ORDER BY COALESCE(s.writes_fenced, false), i.updated_at DESC LIMIT 1`,
      [lab.clusterId],
    );
    return rows[0]?.id ?? null;
  };
  const loop = (async () => {
    while (!stopped) {
      const tick = Date.now();
      try {
        const target = await writablePrimary();
        if (!target) throw new Error("no primary");
        if (!client || clientFor !== target) {
          await client?.end().catch(() => {});
          client = null;
          const idx = lab.instanceIds.indexOf(target);
          client = await appClient(lab.servers[idx]!, "shop-writer");
          clientFor = target;
        }
        const id = nextId++;
        await client.query(`INSERT INTO orders (id, note) VALUES ($1, 'w')`, [id]);
        committed.push(id);
        const now = Date.now();
        if (failing) gaps.push({ start: lastOk, end: now });
        failing = false;
        lastOk = now;
      } catch {
        failing = true;
        await client?.end().catch(() => {});
        client = null;
      }
      const wait = everyMs - (Date.now() - tick);
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
  })();
  return {
    committed,
    gaps: () => gaps,
    stop: async () => {
      stopped = true;
      await loop;
      await client?.end().catch(() => {});
    },
  };
}
