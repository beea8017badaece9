import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TTestDatabase } from "@meridian/db/testing";
import { seedDemo } from "@meridian/db/seed";
import { startLab, withAdmin, type TLab } from "./index";

/** The lab across a restart: same instances, new ports, replication still flowing. */
let db: TTestDatabase;
let dir: string;
let lab: TLab | null = null;
const key = randomBytes(32);

beforeAll(async () => {
  db = await createTestDatabase();
  await seedDemo(db.prisma, { instances: 50 });
  dir = mkdtempSync(path.join(os.tmpdir(), "meridian-lab-"));
  chmodSync(dir, 0o755);
}, 120_000);

afterAll(async () => {
  await lab?.stop();
  await db?.drop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const rows = async () => {
  const meta = new pg.Client({ connectionString: db.url });
  await meta.connect();
  const { rows: r } = await meta.query<{ name: string; id: string; endpoint: string; role: string; dc: string; j: string }>(
    `SELECT i.name, i.id::text, i.endpoint, i.role::text, dc.code AS dc, dc.jurisdiction_code AS j
       FROM instance i JOIN cluster c ON c.id = i.cluster_id JOIN data_center dc ON dc.id = i.data_center_id
      WHERE c.name = 'lab-orders' ORDER BY i.name`,
  );
  const { rows: links } = await meta.query<{ status: string }>("SELECT status::text FROM replication_link l JOIN instance i ON i.id = l.source_id WHERE i.name LIKE 'lab-orders-%'");
  await meta.end();
  return { instances: r, links };
};

/** An application's write on a lab server (its own session, not Meridian's): the SQLSTATE it fails with, or null. */
const appWrite = async (lab: TLab, name: string, text: string): Promise<string | null> => {
  const server = lab.servers.find((s) => s.member.name === name)!;
  const c = new pg.Client({ ...server.admin, application_name: "shop-app" });
  c.on("error", () => {});
  await c.connect();
  try {
    await c.query(text);
    return null;
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  } finally {
    await c.end();
  }
};

const fencedInInventory = async (): Promise<Record<string, boolean>> => {
  const meta = new pg.Client({ connectionString: db.url });
  await meta.connect();
  const { rows: r } = await meta.query<{ name: string; fenced: boolean }>(
    `SELECT i.name, COALESCE(s.writes_fenced, false) AS fenced FROM instance i LEFT JOIN fleet_instance_state s ON s.instance_id = i.id
      WHERE i.name LIKE 'lab-orders-%' ORDER BY i.name`,
  );
  await meta.end();
  return Object.fromEntries(r.map((x) => [x.name, x.fenced]));
};

describe("local lab", () => {
  it("registers four servers in four jurisdictions with one verified logical link, and survives a restart on new ports", async () => {
    lab = await startLab({ databaseUrl: db.url, credentialKey: key, instances: 4, root: dir, loadIntervalMs: 0 });
    const first = await rows();
    expect(first.instances.map((i) => [i.name, i.role, i.j])).toEqual([
      ["lab-orders-ash1", "REPLICA", "US"],
      ["lab-orders-fra1", "PRIMARY", "EU"],
      ["lab-orders-lon1", "STANDBY", "UK"],
      ["lab-orders-sin1", "STANDBY", "SG"],
    ]);
    expect(first.links).toEqual([{ status: "ACTIVE" }]);
    // The replica refuses an application's write (read_only_sql_transaction); the primary takes it.
    expect(await appWrite(lab, "lab-orders-ash1", "INSERT INTO customers (name, country) VALUES ('on the replica', 'US')")).toBe("25006");
    expect(await appWrite(lab, "lab-orders-fra1", "INSERT INTO customers (name, country) VALUES ('on the primary', 'DE')")).toBeNull();
    expect(await fencedInInventory()).toEqual({ "lab-orders-ash1": true, "lab-orders-fra1": false, "lab-orders-lon1": false, "lab-orders-sin1": false });
    await lab.stop();

    lab = await startLab({ databaseUrl: db.url, credentialKey: key, instances: 4, root: dir, loadIntervalMs: 0 });
    const second = await rows();
    expect(second.instances.map((i) => i.id)).toEqual(first.instances.map((i) => i.id));
    expect(second.instances.map((i) => i.endpoint)).not.toEqual(first.instances.map((i) => i.endpoint));
    expect(second.links).toHaveLength(1);
    expect(lab.registered.createdLinkId).toBeNull();

    // Rows written to the primary after the restart reach the replica: the subscription was repointed.
    for (let i = 0; i < 5; i++) await lab.load.tick();
    const replica = lab.servers.find((s) => s.member.name === "lab-orders-ash1")!;
    let count = 0;
    for (let i = 0; i < 100 && count < 5; i++) {
      count = Number((await withAdmin(replica.admin, (c) => c.query<{ n: string }>("SELECT count(*) AS n FROM orders"))).rows[0]?.n);
      if (count < 5) await new Promise((r) => setTimeout(r, 200));
    }
    expect(count).toBe(5);
    // Still fenced after the restart, while replication flows.
    expect(await appWrite(lab, "lab-orders-ash1", "DELETE FROM orders")).toBe("25006");
    expect((await fencedInInventory())["lab-orders-ash1"]).toBe(true);
  });
});
