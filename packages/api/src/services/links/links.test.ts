import { randomBytes, randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { resetEnvCache } from "@meridian/db";
import { seedDemo } from "@meridian/db/seed";
import { createTestDatabase, type TTestDatabase } from "@meridian/db/testing";
import { createFleetDriver, type TJsonObject, type TStepDriver } from "@meridian/fleet";
import { registerTestInstance, startTestServers, type TTestServer } from "@meridian/fleet/testing";
import { AppError } from "../../errors";
import { actorOf } from "../../test/change-fixtures";
import { planRequest } from "../changes/plan-request";
import { getLink, operateLink, verifyLinkNow } from "./links";

/**
 * Links between two real servers from the API: the planning preflight refuses what the servers
 * cannot do (readable, on the form fields), and pause / resume / verify act on the servers and
 * are audited without any credential.
 */
let db: TTestDatabase;
let pool: pg.Pool;
let servers: TTestServer[];
let stopServers: () => Promise<void>;
let driver: TStepDriver;
const key = randomBytes(32);
const name = `api_${randomBytes(3).toString("hex")}`;
let clusterId: string;
let dcA: string;
let dcB: string;
let sourceId: string;
let targetId: string;

async function sqlOn(server: TTestServer, text: string) {
  const c = await server.connect(name);
  try {
    return await c.query(text);
  } finally {
    await c.end();
  }
}

async function step(action: string, input: TJsonObject): Promise<TJsonObject> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const out = await driver.actions[action]!.run(
      {
        sql: client,
        executionId: randomUUID(),
        stepId: "01-step",
        stepIndex: 0,
        phase: "run",
        attempt: 1,
        sideEffectId: randomUUID(),
        signal: AbortSignal.timeout(30_000),
        log: () => {},
      },
      input,
    );
    await client.query("COMMIT");
    return out;
  } catch (error) {
    await client.query("ROLLBACK");
    throw error;
  } finally {
    client.release();
  }
}

beforeAll(async () => {
  vi.stubEnv("MERIDIAN_CREDENTIAL_KEY", key.toString("base64"));
  resetEnvCache();
  const [database, started] = await Promise.all([createTestDatabase(), startTestServers([{}, {}])]);
  db = database;
  servers = started.servers;
  stopServers = started.stop;
  await seedDemo(db.prisma, { instances: 40 });
  pool = new pg.Pool({ connectionString: db.url, max: 4 });
  driver = createFleetDriver({ credentialKey: key, simulated: { durationScale: 0 } });
  const [a, b] = servers as [TTestServer, TTestServer];
  await Promise.all([a.createDatabase(name), b.createDatabase(name)]);
  await sqlOn(a, `CREATE TABLE accounts (id int PRIMARY KEY, owner text); INSERT INTO accounts SELECT g, 'o' || g FROM generate_series(1, 50) g;
                  CREATE TABLE audit_log (at timestamptz, line text);`);
  clusterId = randomUUID();
  await pool.query(
    `INSERT INTO cluster (id, name, engine, engine_version, team_id, tier, classification, home_jurisdiction_code, allowed_jurisdictions, rpo_seconds, rto_seconds, updated_at)
     SELECT $1, $2, engine, engine_version, team_id, 'T3', 'PUBLIC', home_jurisdiction_code, allowed_jurisdictions, 60, 600, now() FROM cluster ORDER BY name LIMIT 1`,
    [clusterId, `real-${name}`],
  );
  const dcs = await pool.query<{ id: string }>(
    `SELECT d.id FROM data_center d JOIN cluster c ON c.id = $1
      WHERE d.status = 'ACTIVE' AND d.jurisdiction_code = ANY(c.allowed_jurisdictions || c.home_jurisdiction_code) ORDER BY d.code LIMIT 2`,
    [clusterId],
  );
  [dcA, dcB] = dcs.rows.map((r) => r.id) as [string, string];
  sourceId = await registerTestInstance(pool, { key, clusterId, dataCenterId: dcA, server: a, database: name, role: "PRIMARY", name: `${name}-src` });
  targetId = await registerTestInstance(pool, { key, clusterId, dataCenterId: dcB, server: b, database: name, role: "STANDBY", name: `${name}-dst` });
});

afterAll(async () => {
  await pool?.end();
  await db?.drop();
  await stopServers?.();
  vi.unstubAllEnvs();
  resetEnvCache();
});

describe("planning a link between real servers", () => {
  const params = () => ({ kind: "ADD_LINK", clusterId, sourceInstanceId: sourceId, targetDataCenterId: dcB, targetInstanceId: targetId });

  it("refuses before approval, on the form field, what the servers cannot do", async () => {
    const error = await planRequest(db.prisma, { requestId: randomUUID(), params: params(), maintenanceWindowId: null, now: new Date() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe("INVALID");
    expect((error as AppError).fieldErrors?.["params.sourceInstanceId"]).toEqual([expect.stringMatching(/Table public\.audit_log on .* has no primary key/)]);
  });

  it("plans the link once the tables are fit, with the preflight as a step", async () => {
    const planned = await planRequest(db.prisma, {
      requestId: randomUUID(),
      params: { ...params(), tables: ["accounts"] },
      maintenanceWindowId: null,
      now: new Date(),
    });
    expect(planned.plan.steps.map((s) => s.action)).toEqual(["checkInstance", "preflightLink", "createLink", "waitForCatchUp", "verifyLink"]);
  });
});

describe("operating a link between real servers", () => {
  it("pauses, resumes and verifies it, audited without credentials", async () => {
    const linkId = randomUUID();
    await step("createLink", { linkId, clusterId, sourceInstanceId: sourceId, targetInstanceId: targetId, mode: "LOGICAL", tables: ["accounts"] });
    await step("waitForCatchUp", { linkId, maxLagSeconds: 5 });
    const dba = await actorOf(db.prisma, "dba");

    const paused = await operateLink(db.prisma, dba, "pause", { linkId, reason: "load test on the target" });
    expect(paused).toMatchObject({ from: "CATCHING_UP", to: "PAUSED", alreadyDone: false });
    expect((await getLink(db.prisma, linkId)).status).toBe("PAUSED");
    const whilePaused = await verifyLinkNow(db.prisma, dba, { linkId }).catch((e: unknown) => e);
    expect((whilePaused as AppError).message).toMatch(/is paused: its data cannot be verified. Resume the link/);

    expect(await operateLink(db.prisma, dba, "resume", { linkId })).toMatchObject({ from: "PAUSED", to: "CATCHING_UP" });
    const verification = await verifyLinkNow(db.prisma, dba, { linkId });
    expect(verification).toMatchObject({ ok: true, differing: [] });
    expect(verification.tables).toEqual([expect.objectContaining({ table: "public.accounts", sourceRows: 50, targetRows: 50, match: true })]);
    const link = await getLink(db.prisma, linkId);
    expect(link).toMatchObject({ status: "ACTIVE", real: true, lastError: null, tables: ["accounts"] });
    expect(link.verification?.ok).toBe(true);

    const events = await db.prisma.auditEvent.findMany({ where: { targetId: linkId }, orderBy: { id: "asc" } });
    expect(events.map((e) => e.action)).toEqual(["link.pause", "link.resume", "link.verify"]);
    expect(events[0]!.after).toMatchObject({ status: "PAUSED", reason: "load test on the target" });
    const text = JSON.stringify(events, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v));
    for (const s of servers) expect(text).not.toContain(s.password);
    expect(text).not.toMatch(/password/i);
  });

  it("refuses to pause a simulated link", async () => {
    const link = await db.prisma.replicationLink.findFirstOrThrow({ where: { source: { driver: "SIMULATED" } }, select: { id: true } });
    const dba = await actorOf(db.prisma, "dba");
    const error = await operateLink(db.prisma, dba, "pause", { linkId: link.id }).catch((e: unknown) => e);
    expect((error as AppError).code).toBe("PRECONDITION_FAILED");
    expect((error as AppError).message).toMatch(/is a simulated link: only links between real servers can be paused/);
  });
});
