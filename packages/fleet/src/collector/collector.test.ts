import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomBytes, randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TTestDatabase } from "@meridian/db/testing";
import { seedDemo } from "@meridian/db/seed";
import { startEmbeddedPostgres, type TEmbeddedPostgres } from "@meridian/db/embedded";
import { startLab, withAdmin, type TLab } from "../lab";
import { publicationName, subscriptionName } from "../postgres/names";
import { createCollector, type TCollector } from "./collector";

/**
 * The collector against a real lab (3 embedded PostgreSQL servers, a real logical replication
 * link, the load generator driven tick by tick) and a real metadata database.
 */
let db: TTestDatabase;
let lab: TLab;
let collector: TCollector;
let dir: string;
let meta: pg.Pool;
const key = randomBytes(32);
let restarted: TEmbeddedPostgres | null = null;

const instance = async (name: string) =>
  (
    await meta.query<{ health: string; failure_streak: number; success_streak: number; health_detail: string; observed_role: string | null; last_seen_at: Date | null }>(
      "SELECT health::text, failure_streak, success_streak, health_detail, observed_role, last_seen_at FROM instance WHERE name = $1",
      [name],
    )
  ).rows[0]!;
const openDrift = async () =>
  (await meta.query<{ kind: string; object_name: string; instance: string }>(
    "SELECT f.kind::text, f.object_name, i.name AS instance FROM drift_finding f JOIN instance i ON i.id = f.instance_id WHERE f.resolved_at IS NULL ORDER BY 1, 2, 3",
  )).rows;

beforeAll(async () => {
  db = await createTestDatabase();
  await seedDemo(db.prisma, { instances: 50 });
  dir = mkdtempSync(path.join(os.tmpdir(), "meridian-collector-"));
  chmodSync(dir, 0o755);
  lab = await startLab({ databaseUrl: db.url, credentialKey: key, instances: 3, root: dir, loadIntervalMs: 0 });
  meta = new pg.Pool({ connectionString: db.url, max: 2 });
  collector = createCollector({ databaseUrl: db.url, credentialKey: key, timeoutMs: 2_000 });
}, 180_000);

afterAll(async () => {
  await collector?.stop();
  await meta?.end();
  await restarted?.stop();
  await lab?.stop();
  await db?.drop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const [primaryName, replicaName, standbyName] = ["lab-orders-fra1", "lab-orders-ash1", "lab-orders-sin1"];
const server = (name: string) => lab.servers.find((s) => s.member.name === name)!;

describe("health and lag collector on real servers", () => {
  it("sees every lab instance up, its role, and the link's lag from the first cycle", async () => {
    const cycle = await collector.runCycle();
    expect(cycle.instances.map((i) => [i.name, i.health])).toEqual([
      [replicaName, "UP"],
      [primaryName, "UP"],
      [standbyName, "UP"],
    ]);
    expect((await instance(primaryName)).observed_role).toBe("WRITABLE");
    expect((await instance(replicaName)).observed_role).toBe("SUBSCRIBER");
    expect((await instance(primaryName)).last_seen_at).not.toBeNull();
    expect(cycle.links).toHaveLength(1);
    expect(cycle.links[0]?.status).toBe("ACTIVE");
    const samples = await meta.query("SELECT 1 FROM lag_sample");
    expect(samples.rowCount).toBe(1);
    expect(await openDrift()).toEqual([]);
  });

  it("does not count a poll as failed when the server ended the collector's kept connection", async () => {
    await withAdmin(server(primaryName).admin, (c) =>
      c.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'meridian-collector'"),
    );
    await collector.runCycle();
    expect(await instance(primaryName)).toMatchObject({ health: "UP", failure_streak: 0 });
  });

  it("marks a stopped server DEGRADED then DOWN, and UP again only after two good polls", async () => {
    const s = server(standbyName);
    await s.server.stop();
    const seen: string[] = [];
    for (let i = 0; i < 3; i++) {
      await collector.runCycle();
      seen.push((await instance(standbyName)).health);
    }
    expect(seen).toEqual(["UP", "DEGRADED", "DOWN"]);
    expect((await instance(standbyName)).health_detail).toMatch(/unreachable: .*3 failed polls/);
    expect((await instance(primaryName)).health).toBe("UP");
    restarted = await startEmbeddedPostgres({ dataDir: s.server.dataDir, port: s.port });
    const back: string[] = [];
    for (let i = 0; i < 2; i++) {
      await collector.runCycle();
      back.push((await instance(standbyName)).health);
    }
    expect(back).toEqual(["DOWN", "UP"]);
    const history = await meta.query<{ health: string }>(
      "SELECT h.health::text FROM health_sample h JOIN instance i ON i.id = h.instance_id WHERE i.name = $1 ORDER BY h.id",
      [standbyName],
    );
    expect(history.rows.map((r) => r.health)).toEqual(["UP", "UP", "UP", "DEGRADED", "DOWN", "DOWN", "UP"]);
  });

  it("shows lag while the subscriber is paused and the primary takes writes, and none after it resumes", async () => {
    const linkId = lab.registered.createdLinkId!;
    await withAdmin(server(replicaName).admin, (c) => c.query(`ALTER SUBSCRIPTION ${subscriptionName(linkId)} DISABLE`));
    for (let i = 0; i < 20; i++) await lab.load.tick();
    await new Promise((r) => setTimeout(r, 1_100));
    await collector.runCycle(); // first sighting of the paused link
    for (let i = 0; i < 10; i++) await lab.load.tick();
    await new Promise((r) => setTimeout(r, 1_100));
    const paused = await collector.runCycle();
    const link = paused.links.find((l) => l.linkId === linkId)!;
    expect(link.status).toBe("PAUSED");
    expect(link.lagBytes).toBeGreaterThan(1_000);
    expect(link.lagSeconds).toBeGreaterThanOrEqual(1);
    const stored = await meta.query<{ lag_bytes: string; status: string }>("SELECT lag_bytes::text, status::text FROM replication_link WHERE id = $1", [linkId]);
    expect(Number(stored.rows[0]?.lag_bytes)).toBe(link.lagBytes);
    expect(stored.rows[0]?.status).toBe("PAUSED");

    await withAdmin(server(replicaName).admin, (c) => c.query(`ALTER SUBSCRIPTION ${subscriptionName(linkId)} ENABLE`));
    let last = link;
    for (let i = 0; i < 40 && (last.lagBytes > 0 || last.status !== "ACTIVE"); i++) {
      await new Promise((r) => setTimeout(r, 500));
      last = (await collector.runCycle()).links.find((l) => l.linkId === linkId)!;
    }
    expect(last).toMatchObject({ status: "ACTIVE", lagBytes: 0, lagSeconds: 0 });
    const rows = await withAdmin(server(replicaName).admin, (c) => c.query<{ n: string }>("SELECT count(*) AS n FROM orders"));
    expect(Number(rows.rows[0]?.n)).toBe(30);
    const samples = await meta.query<{ lag_bytes: string }>("SELECT lag_bytes::text FROM lag_sample WHERE link_id = $1 ORDER BY id", [linkId]);
    const bytes = samples.rows.map((r) => Number(r.lag_bytes));
    expect(Math.max(...bytes)).toBeGreaterThan(1_000);
    expect(bytes.at(-1)).toBe(0);
  });

  it("records drift for an unknown publication, slot and subscription and a meridian name of no link, and closes it when dropped", async () => {
    const stray = publicationName(randomUUID());
    await withAdmin(server(primaryName).admin, async (c) => {
      await c.query("CREATE PUBLICATION hand_made_pub FOR TABLE customers");
      await c.query(`CREATE PUBLICATION ${stray} FOR TABLE orders`);
      await c.query("SELECT pg_create_logical_replication_slot('hand_made_slot', 'pgoutput')");
    });
    await withAdmin(server(standbyName).admin, (c) =>
      c.query(
        `CREATE SUBSCRIPTION hand_made_sub CONNECTION 'host=127.0.0.1 port=${server(primaryName).port} dbname=lab_orders user=nobody' PUBLICATION hand_made_pub WITH (connect = false)`,
      ),
    );
    await collector.runCycle();
    expect(await openDrift()).toEqual([
      { kind: "UNKNOWN_PUBLICATION", object_name: "hand_made_pub", instance: primaryName },
      { kind: "UNKNOWN_PUBLICATION", object_name: stray, instance: primaryName },
      { kind: "UNKNOWN_SLOT", object_name: "hand_made_slot", instance: primaryName },
      { kind: "UNKNOWN_SUBSCRIPTION", object_name: "hand_made_sub", instance: standbyName },
    ]);
    await withAdmin(server(standbyName).admin, async (c) => {
      await c.query("ALTER SUBSCRIPTION hand_made_sub SET (slot_name = NONE)");
      await c.query("DROP SUBSCRIPTION hand_made_sub");
    });
    await withAdmin(server(primaryName).admin, async (c) => {
      await c.query("DROP PUBLICATION hand_made_pub");
      await c.query("SELECT pg_drop_replication_slot('hand_made_slot')");
      await c.query(`DROP PUBLICATION ${stray}`);
    });
    await collector.runCycle();
    expect(await openDrift()).toEqual([]);
    const closed = await meta.query("SELECT 1 FROM drift_finding WHERE resolved_at IS NOT NULL");
    expect(closed.rowCount).toBe(4);
  });

  it("reports a replica whose write fence was lifted by hand (drift and health detail), and closes it once fenced again", async () => {
    // The lab fenced its replica: nothing to report.
    expect((await instance(replicaName)).health_detail).toContain("writes fenced");
    await withAdmin(server(replicaName).admin, (c) => c.query("ALTER DATABASE lab_orders RESET default_transaction_read_only"));
    await collector.runCycle();
    expect(await openDrift()).toEqual([{ kind: "ROLE_MISMATCH", object_name: "write-fence", instance: replicaName }]);
    expect((await instance(replicaName)).health_detail).toContain("replica accepts writes");
    // An empty standby that takes writes is not drift (it serves no traffic, nothing replicates into it).
    expect((await instance(standbyName)).health_detail).toContain("writable");
    await withAdmin(server(replicaName).admin, (c) => c.query("ALTER DATABASE lab_orders SET default_transaction_read_only = on"));
    await collector.runCycle();
    expect(await openDrift()).toEqual([]);
    expect((await instance(replicaName)).health_detail).toContain("writes fenced");
  });

  it("records a link the server no longer has as missing, and the link as broken", async () => {
    const linkId = lab.registered.createdLinkId!;
    await withAdmin(server(replicaName).admin, (c) => c.query(`DROP SUBSCRIPTION ${subscriptionName(linkId)}`));
    const cycle = await collector.runCycle();
    expect(cycle.links.find((l) => l.linkId === linkId)?.status).toBe("BROKEN");
    const drift = await openDrift();
    // The replica lost its only subscription: the inventory's REPLICA role is contradicted too.
    expect(drift).toEqual([
      { kind: "MISSING_LINK", object_name: `link:${linkId}`, instance: replicaName },
      { kind: "MISSING_LINK", object_name: `link:${linkId}`, instance: primaryName },
      { kind: "ROLE_MISMATCH", object_name: "role", instance: replicaName },
    ]);
  });
});

describe("two collectors at once", () => {
  it("polls from one only; the other takes over when the first stops", async () => {
    const a = createCollector({ databaseUrl: db.url, credentialKey: key, intervalMs: 200 });
    const b = createCollector({ databaseUrl: db.url, credentialKey: key, intervalMs: 200 });
    a.start();
    await new Promise((r) => setTimeout(r, 300));
    b.start();
    await new Promise((r) => setTimeout(r, 1_000));
    expect(a.lastCycle).not.toBeNull();
    expect(b.lastCycle).toBeNull();
    await a.stop();
    for (let i = 0; i < 30 && !b.lastCycle; i++) await new Promise((r) => setTimeout(r, 100));
    expect(b.lastCycle?.instances).toHaveLength(3);
    await b.stop();
  });
});
