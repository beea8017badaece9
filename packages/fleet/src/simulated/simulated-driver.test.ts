import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemo } from "@meridian/db/seed";
import { createTestDatabase, type TTestDatabase } from "@meridian/db/testing";
import { ActionError, DuplicateSideEffectError, type TActionContext, type TJsonObject } from "../driver";
import { createSimulatedDriver, type TSimulatedDriver } from "./simulated-driver";
import { assertFleetSchema, listSideEffects } from "../ledger";

let db: TTestDatabase;
let pool: pg.Pool;

beforeAll(async () => {
  db = await createTestDatabase();
  await seedDemo(db.prisma, { instances: 40 });
  pool = new pg.Pool({ connectionString: db.url, max: 4 });
  await assertFleetSchema(pool); // the migration created the fleet tables
});

afterAll(async () => {
  await pool?.end();
  await db?.drop();
});

interface TRun {
  output?: TJsonObject;
  error?: unknown;
  log: string[];
}

/** One attempt of `action` in its own transaction, committed on success and rolled back on failure (as the engine does). */
async function run(
  driver: TSimulatedDriver,
  action: string,
  input: TJsonObject,
  ctx: Partial<Omit<TActionContext, "sql" | "log">> = {},
): Promise<TRun> {
  const client = await pool.connect();
  const log: string[] = [];
  try {
    await client.query("BEGIN");
    const output = await driver.actions[action]!.run(
      {
        sql: client,
        executionId: ctx.executionId ?? randomUUID(),
        stepId: ctx.stepId ?? "01-step",
        stepIndex: ctx.stepIndex ?? 0,
        phase: ctx.phase ?? "run",
        attempt: ctx.attempt ?? 1,
        sideEffectId: ctx.sideEffectId ?? randomUUID(),
        signal: ctx.signal ?? new AbortController().signal,
        log: (line) => log.push(line),
      },
      input,
    );
    await client.query("COMMIT");
    return { output, log };
  } catch (error) {
    await client.query("ROLLBACK");
    return { error, log };
  } finally {
    client.release();
  }
}

async function pickPlacement(): Promise<{ clusterId: string; dataCenterId: string; primaryId: string; name: string }> {
  const { rows } = await pool.query<{ cluster_id: string; dc: string; primary_id: string; name: string }>(
    `SELECT c.id AS cluster_id, d.id AS dc, p.id AS primary_id, c.name
       FROM cluster c JOIN instance p ON p.cluster_id = c.id AND p.role = 'PRIMARY'
       CROSS JOIN LATERAL (
         SELECT d.id FROM data_center d
          WHERE d.status = 'ACTIVE' AND d.capacity_slots > (SELECT count(*) FROM instance i WHERE i.data_center_id = d.id)
            AND NOT EXISTS (SELECT 1 FROM instance i WHERE i.data_center_id = d.id AND i.cluster_id = c.id)
          ORDER BY d.code LIMIT 1) d
      ORDER BY c.name LIMIT 1`,
  );
  const r = rows[0]!;
  return { clusterId: r.cluster_id, dataCenterId: r.dc, primaryId: r.primary_id, name: `${r.name}-test-${randomUUID().slice(0, 6)}` };
}

async function instanceCount(dataCenterId: string): Promise<number> {
  const { rows } = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM instance WHERE data_center_id = $1`, [dataCenterId]);
  return rows[0]!.n;
}

describe("simulated driver on a real PostgreSQL", () => {
  it("provisions an instance that takes a data center slot, once, and says so when asked again", async () => {
    const driver = createSimulatedDriver({ durationScale: 0 });
    const p = await pickPlacement();
    const instanceId = randomUUID();
    const input = { instanceId, name: p.name, clusterId: p.clusterId, dataCenterId: p.dataCenterId, role: "REPLICA", sourceInstanceId: p.primaryId };
    const before = await instanceCount(p.dataCenterId);
    const executionId = randomUUID();
    const first = await run(driver, "provisionInstance", input, { executionId, sideEffectId: `se-${instanceId}` });
    expect(first.error).toBeUndefined();
    expect(first.output).toMatchObject({ alreadyDone: false });
    expect(await instanceCount(p.dataCenterId)).toBe(before + 1);
    const row = await pool.query(`SELECT role::text AS role, health::text AS health, driver::text AS driver FROM instance WHERE id = $1`, [instanceId]);
    expect(row.rows[0]).toEqual({ role: "REPLICA", health: "UNKNOWN", driver: "SIMULATED" });

    // A retry finds its own work: success without acting, no second ledger row.
    const again = await run(driver, "provisionInstance", input, { executionId, sideEffectId: `se-${instanceId}` });
    expect(again.output).toMatchObject({ alreadyDone: true });
    expect(await instanceCount(p.dataCenterId)).toBe(before + 1);
    expect((await listSideEffects(pool, executionId)).map((e) => e.target)).toEqual([`instance:${instanceId}`]);
  });

  it("refuses to apply the same side effect twice (the ledger's unique id)", async () => {
    const driver = createSimulatedDriver({ durationScale: 0 });
    const p = await pickPlacement();
    const instanceId = randomUUID();
    const input = { instanceId, name: p.name, clusterId: p.clusterId, dataCenterId: p.dataCenterId, role: "REPLICA" };
    expect((await run(driver, "provisionInstance", input, { sideEffectId: "same-id" })).error).toBeUndefined();
    // Someone destroys the instance behind the engine's back; the same step would now act again.
    expect((await run(driver, "unregisterInstance", { instanceId, clusterId: p.clusterId })).error).toBeUndefined();
    expect((await run(driver, "deprovisionInstance", { instanceId, clusterId: p.clusterId, dataCenterId: p.dataCenterId })).error).toBeUndefined();
    const replay = await run(driver, "provisionInstance", input, { sideEffectId: "same-id" });
    expect(replay.error).toBeInstanceOf(DuplicateSideEffectError);
    expect((replay.error as ActionError).retryable).toBe(false);
    expect(await pool.query(`SELECT 1 FROM instance WHERE id = $1`, [instanceId]).then((r) => r.rows.length)).toBe(0);
  });

  it("a failed attempt leaves nothing behind: the change and its ledger row roll back together", async () => {
    const executionId = randomUUID();
    const driver = createSimulatedDriver({ durationScale: 0, faults: [{ kind: "fail", executionId, times: 1 }] });
    const p = await pickPlacement();
    const instanceId = randomUUID();
    const input = { instanceId, name: p.name, clusterId: p.clusterId, dataCenterId: p.dataCenterId, role: "REPLICA" };
    const failed = await run(driver, "provisionInstance", input, { executionId, attempt: 1 });
    expect(failed.error).toBeInstanceOf(ActionError);
    expect((failed.error as Error).message).toMatch(/Simulated failure of provisionInstance \(attempt 1\)/);
    expect(await pool.query(`SELECT 1 FROM instance WHERE id = $1`, [instanceId]).then((r) => r.rows.length)).toBe(0);
    expect(await listSideEffects(pool, executionId)).toEqual([]);
    // "fail once": the second attempt goes through.
    expect((await run(driver, "provisionInstance", input, { executionId, attempt: 2 })).error).toBeUndefined();
    expect(await listSideEffects(pool, executionId)).toHaveLength(1);
  });

  it("will not provision into a full data center", async () => {
    const driver = createSimulatedDriver({ durationScale: 0 });
    const p = await pickPlacement();
    const used = await instanceCount(p.dataCenterId);
    const { rows } = await pool.query<{ capacity_slots: number }>(`SELECT capacity_slots FROM data_center WHERE id = $1`, [p.dataCenterId]);
    await pool.query(`UPDATE data_center SET capacity_slots = $2 WHERE id = $1`, [p.dataCenterId, used]);
    try {
      const full = await run(driver, "provisionInstance", {
        instanceId: randomUUID(),
        name: p.name,
        clusterId: p.clusterId,
        dataCenterId: p.dataCenterId,
        role: "REPLICA",
      });
      expect(full.error).toBeInstanceOf(ActionError);
      expect((full.error as ActionError).retryable).toBe(false);
      expect((full.error as Error).message).toMatch(/has no free slot/);
      const check = await run(driver, "checkCapacity", { dataCenterId: p.dataCenterId, slots: 1 });
      expect((check.error as Error).message).toMatch(/0 free slot/);
    } finally {
      await pool.query(`UPDATE data_center SET capacity_slots = $2 WHERE id = $1`, [p.dataCenterId, rows[0]!.capacity_slots]);
    }
  });

  it("moves the primary role the way a switchover does, refusing to make two writable primaries", async () => {
    const driver = createSimulatedDriver({ durationScale: 0 });
    const { rows } = await pool.query<{ cluster_id: string; primary_id: string; replica_id: string; link_id: string; mode: string }>(
      `SELECT p.cluster_id, p.id AS primary_id, r.id AS replica_id, l.id AS link_id, l.mode::text AS mode
         FROM instance p JOIN replication_link l ON l.source_id = p.id JOIN instance r ON r.id = l.target_id
        WHERE p.role = 'PRIMARY' AND r.role <> 'PRIMARY' AND r.health <> 'DOWN' AND p.health <> 'DOWN'
        ORDER BY p.name LIMIT 1`,
    );
    const c = rows[0]!;
    const promote = { clusterId: c.cluster_id, instanceId: c.replica_id, formerPrimaryId: c.primary_id, detachLinkId: c.link_id };
    const refused = await run(driver, "promoteReplica", promote);
    expect((refused.error as Error).message).toMatch(/still a writable primary/);

    expect((await run(driver, "fenceWrites", { clusterId: c.cluster_id, instanceId: c.primary_id })).error).toBeUndefined();
    expect((await run(driver, "promoteReplica", promote)).error).toBeUndefined();
    const reverse = randomUUID();
    expect(
      (await run(driver, "demoteToReplica", { clusterId: c.cluster_id, instanceId: c.primary_id, sourceInstanceId: c.replica_id, linkId: reverse, mode: c.mode })).error,
    ).toBeUndefined();
    expect((await run(driver, "unfenceWrites", { clusterId: c.cluster_id, instanceId: c.replica_id })).error).toBeUndefined();

    const roles = await pool.query<{ id: string; role: string }>(`SELECT id, role::text AS role FROM instance WHERE id IN ($1, $2)`, [
      c.primary_id,
      c.replica_id,
    ]);
    expect(Object.fromEntries(roles.rows.map((r) => [r.id, r.role]))).toEqual({ [c.primary_id]: "REPLICA", [c.replica_id]: "PRIMARY" });
    const links = await pool.query<{ source_id: string; target_id: string }>(`SELECT source_id, target_id FROM replication_link WHERE id IN ($1, $2)`, [
      c.link_id,
      reverse,
    ]);
    expect(links.rows).toEqual([{ source_id: c.replica_id, target_id: c.primary_id }]);
  });

  it("fails a step with bad input for good, naming the field", async () => {
    const driver = createSimulatedDriver({ durationScale: 0 });
    const bad = await run(driver, "createLink", { linkId: "nope", clusterId: randomUUID() });
    expect(bad.error).toBeInstanceOf(ActionError);
    expect((bad.error as ActionError).retryable).toBe(false);
    expect((bad.error as Error).message).toMatch(/Invalid input for createLink: linkId/);
  });

  it("injects hangs (until aborted) and slowness", async () => {
    const executionId = randomUUID();
    const driver = createSimulatedDriver({
      durationScale: 0,
      faults: [
        { kind: "hang", executionId, stepIndex: 3 },
        { kind: "slow", executionId, stepIndex: 4, ms: 150 },
      ],
    });
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error("step timed out")), 100);
    const hung = await run(driver, "checkLink", { linkId: randomUUID() }, { executionId, stepIndex: 3, signal: controller.signal });
    expect((hung.error as Error).message).toBe("step timed out");
    const t0 = Date.now();
    const slow = await run(driver, "verifyDataCenterEmpty", { dataCenterId: randomUUID() }, { executionId, stepIndex: 4 });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
    expect(slow.error).toBeUndefined(); // an unknown data center has no instance left in it
  });

  it("asks for a person when the step is manual intervention", async () => {
    const driver = createSimulatedDriver({ durationScale: 0 });
    const manual = await run(driver, "manualIntervention", { instructions: "Drop the index by hand" });
    expect(manual.error).toBeInstanceOf(ActionError);
    expect((manual.error as ActionError).humanAction).toBe("Drop the index by hand");
    expect((manual.error as ActionError).retryable).toBe(false);
  });
});
