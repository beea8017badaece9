import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { resetEnvCache } from "@meridian/db";
import { startEmbeddedPostgres, type TEmbeddedPostgres } from "@meridian/db/embedded";
import { seedDemo } from "@meridian/db/seed";
import { createTestDatabase, type TTestDatabase } from "@meridian/db/testing";
import { createCollector } from "@meridian/fleet/collector";
import { callHttp, userWithRoles } from "../../test/http";

/**
 * Registering an existing PostgreSQL server through the real tRPC HTTP handler, against a real
 * managed server (embedded PostgreSQL 17, wal_level=logical), then the health collector on it;
 * a distinctive password must appear nowhere Meridian writes or answers.
 */
const CANARY = `canary-${randomBytes(6).toString("hex")}-pw`;
const key = randomBytes(32);
let db: TTestDatabase;
let managed: TEmbeddedPostgres;
let dir: string;
const logs: string[] = [];
const responses: string[] = [];
const dba = userWithRoles(["DBA"]);

async function call(path: string, type: "query" | "mutation", input: unknown, user = dba) {
  const res = await callHttp(db.prisma, user, path, type, input);
  responses.push(JSON.stringify(res.body));
  return res as { status: number; body: { result?: { data: { json: Record<string, unknown> } }; error?: { json: { message: string; data: { fieldErrors: Record<string, string[]> | null } } } } };
}

let clusterId = "";
let dataCenterId = "";
let usDataCenterId = "";
let port = 0;

beforeAll(async () => {
  // Every line anything prints during the file is captured and scanned too.
  for (const method of ["log", "info", "warn", "error", "debug"] as const) {
    const original = console[method].bind(console);
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      logs.push(args.map((a) => (a instanceof Error ? `${a.message} ${a.stack ?? ""}` : typeof a === "string" ? a : JSON.stringify(a))).join(" "));
      original(...args);
    });
  }
  // The launcher hands the console its key through the environment; the test plays the launcher.
  // eslint-disable-next-line no-restricted-properties
  process.env.MERIDIAN_CREDENTIAL_KEY = key.toString("base64");
  resetEnvCache();
  db = await createTestDatabase();
  await seedDemo(db.prisma, { instances: 50 });
  dir = mkdtempSync(path.join(os.tmpdir(), "meridian-registry-"));
  chmodSync(dir, 0o755);
  managed = await startEmbeddedPostgres({ dataDir: path.join(dir, "managed"), port: 0, ephemeral: true });
  port = managed.port;
  const admin = new pg.Client({ connectionString: managed.url });
  await admin.connect();
  await admin.query(`CREATE ROLE shop_owner LOGIN SUPERUSER PASSWORD '${CANARY}'`);
  await admin.query("CREATE DATABASE shop OWNER shop_owner");
  await admin.end();
  const team = await db.prisma.team.findFirstOrThrow({ select: { id: true } });
  const cluster = await db.prisma.cluster.create({
    data: {
      name: "shop-orders", engine: "POSTGRESQL", engineVersion: "17", teamId: team.id, tier: "T2", classification: "CONFIDENTIAL",
      homeJurisdictionCode: "EU", allowedJurisdictions: ["EU", "UK"], rpoSeconds: 60, rtoSeconds: 300,
    },
    select: { id: true, allowedJurisdictions: true },
  });
  clusterId = cluster.id;
  dataCenterId = (await db.prisma.dataCenter.findUniqueOrThrow({ where: { code: "fra1" } })).id;
  const outside = await db.prisma.dataCenter.findFirstOrThrow({ where: { jurisdictionCode: { notIn: cluster.allowedJurisdictions } } });
  usDataCenterId = outside.id;
}, 180_000);

afterAll(async () => {
  await managed?.stop();
  await db?.drop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const form = (over: Record<string, unknown> = {}) => ({
  clusterId,
  dataCenterId,
  name: "shop-fra1",
  role: "STANDBY",
  host: "127.0.0.1",
  port,
  database: "shop",
  user: "shop_owner",
  password: CANARY,
  ...over,
});

describe("registering an existing PostgreSQL server", () => {
  it("refuses a wrong password with a readable error on the password field, and saves nothing", async () => {
    const res = await call("instancesRegistry.register", "mutation", form({ password: "not-the-password" }));
    expect(res.status).toBe(400);
    expect(res.body.error?.json.message).toBe(`Wrong password for user "shop_owner" on 127.0.0.1:${port}`);
    expect(res.body.error?.json.data.fieldErrors?.password).toEqual([`Wrong password for user "shop_owner" on 127.0.0.1:${port}`]);
    expect(await db.prisma.instance.count({ where: { name: "shop-fra1" } })).toBe(0);
  });

  it("refuses an unreachable endpoint and a missing database with readable errors", async () => {
    const closed = await call("instancesRegistry.register", "mutation", form({ port: 1 }));
    expect(closed.status).toBe(400);
    expect(closed.body.error?.json.message).toMatch(/^127\.0\.0\.1:1 is unreachable \(ECONNREFUSED\)/);
    const nodb = await call("instancesRegistry.register", "mutation", form({ database: "nope" }));
    expect(nodb.body.error?.json.data.fieldErrors?.database).toEqual([`Database "nope" does not exist on 127.0.0.1:${port}`]);
  });

  it("refuses a data center outside the cluster's jurisdictions, and viewers", async () => {
    const res = await call("instancesRegistry.register", "mutation", form({ dataCenterId: usDataCenterId }));
    expect(res.status).toBe(400);
    expect(res.body.error?.json.data.fieldErrors?.dataCenterId?.[0]).toMatch(/^Allowed jurisdictions: /);
    const viewer = await call("instancesRegistry.register", "mutation", form(), userWithRoles(["VIEWER"]));
    expect(viewer.status).toBe(403);
  });

  it("refuses a server whose wal_level is not logical", async () => {
    const replicaOnly = await startEmbeddedPostgres({
      dataDir: path.join(dir, "replica-only"),
      port: 0,
      ephemeral: true,
      extraFlags: ["-c", "wal_level=replica"],
    });
    try {
      const u = new URL(replicaOnly.url);
      const res = await call(
        "instancesRegistry.register",
        "mutation",
        form({ port: replicaOnly.port, database: "postgres", user: decodeURIComponent(u.username), password: decodeURIComponent(u.password), name: "wal-replica" }),
      );
      expect(res.status).toBe(400);
      expect(res.body.error?.json.message).toMatch(/has wal_level=replica: set wal_level = logical/);
    } finally {
      await replicaOnly.stop();
    }
  });

  it("registers with the right password, stores it encrypted, rotates it write-only, and the password is nowhere", async () => {
    const res = await call("instancesRegistry.register", "mutation", form());
    expect(res.status).toBe(200);
    const created = res.body.result?.data.json as { id: string; endpoint: string; version: string };
    expect(created.endpoint).toBe(`127.0.0.1:${port}`);
    expect(created.version).toMatch(/^\d+\.\d+/);
    const row = await db.prisma.instance.findUniqueOrThrow({ where: { id: created.id } });
    expect(row.driver).toBe("POSTGRES");
    expect(row.credentialCiphertext).toMatch(/^v1\./);

    const rotated = await call("instancesRegistry.rotateCredential", "mutation", { instanceId: created.id, user: "shop_owner", password: CANARY });
    expect(rotated.status).toBe(200);
    const wrong = await call("instancesRegistry.rotateCredential", "mutation", { instanceId: created.id, user: "shop_owner", password: "wrong" });
    expect(wrong.status).toBe(400);
    expect((await db.prisma.instance.findUniqueOrThrow({ where: { id: created.id } })).credentialCiphertext).not.toBe(row.credentialCiphertext);

    // The collector reaches it with the stored credential, and records drift on it.
    const admin = new pg.Client({ host: "127.0.0.1", port, database: "shop", user: "shop_owner", password: CANARY });
    await admin.connect();
    await admin.query("CREATE TABLE t (id int PRIMARY KEY)");
    await admin.query("CREATE PUBLICATION stray_pub FOR TABLE t");
    await admin.end();
    const collector = createCollector({ databaseUrl: db.url, credentialKey: key, log: (l) => logs.push(l) });
    const cycle = await collector.runCycle();
    await collector.stop();
    expect(cycle.instances.find((i) => i.instanceId === created.id)).toMatchObject({ ok: true, health: "UP" });
    logs.push(...cycle.instances.map((i) => i.detail));
    expect(await db.prisma.driftFinding.count({ where: { instanceId: created.id, kind: "UNKNOWN_PUBLICATION" } })).toBe(1);

    const detail = await call("inventory.getInstance", "query", { ref: created.id });
    expect(detail.status).toBe(200);
    const shown = detail.body.result?.data.json as { monitoring: { hasCredential: boolean; healthDetail: string }; drift: unknown[] };
    expect(shown.monitoring.hasCredential).toBe(true);
    expect(shown.monitoring.healthDetail).toMatch(/^reachable/);
    expect(shown.drift).toHaveLength(1);
    expect(JSON.stringify(detail.body)).not.toContain("v1.");
    await call("inventory.listInstances", "query", { q: "shop" });

    const audit = await db.prisma.auditEvent.findMany({ where: { targetId: created.id }, orderBy: { id: "asc" } });
    expect(audit.map((a) => [a.action, (a.after as { credential?: string }).credential])).toEqual([
      ["instance.registered", "set"],
      ["instance.credentialRotated", "rotated"],
    ]);

    // Scan: every response, every log line, and the rows Meridian writes.
    const tables = ["audit_event", "health_sample", "lag_sample", "drift_finding", "execution_step", "execution", "webhook_outbox", "fleet_side_effect", "change_request"];
    const hits: string[] = [];
    for (const t of tables) {
      const { n } = (await db.prisma.$queryRawUnsafe<Array<{ n: number }>>(`SELECT count(*)::int AS n FROM ${t} x WHERE x::text LIKE '%' || $1 || '%'`, CANARY))[0]!;
      if (n) hits.push(`${t}: ${n}`);
    }
    const instanceText = await db.prisma.$queryRawUnsafe<Array<{ n: number }>>(
      `SELECT count(*)::int AS n FROM instance x WHERE x::text LIKE '%' || $1 || '%'`,
      CANARY,
    );
    if (instanceText[0]?.n) hits.push("instance");
    hits.push(...responses.filter((r) => r.includes(CANARY)).map(() => "response"));
    hits.push(...logs.filter((l) => l.includes(CANARY)).map(() => "log"));
    expect(responses.length).toBeGreaterThan(8);
    expect(hits).toEqual([]);
  });
});
