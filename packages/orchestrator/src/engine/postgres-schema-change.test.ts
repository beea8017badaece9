import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { type TActionContext } from "@meridian/fleet";
import { planChange } from "../core/planners";
import { enqueueExecution, getExecution } from "./execution-store";
import { insertRequest, waitForStatus } from "./testing/fixtures";
import { useSwitchoverLab } from "./testing/test-hooks";
import { APP_DATABASE, appClient, loadSnapshotWithDrivers } from "./testing/postgres-switchover-lab";

/**
 * SCHEMA_CHANGE on two real servers joined by logical replication (which does not carry DDL):
 * the statements run on the primary and on the replica, the catalogs are compared, a retry
 * after a crash skips the statements that ran, and a member whose schema differs is named.
 */
const env = useSwitchoverLab("pg-schema-test");

async function columnsOf(i: number): Promise<string[]> {
  const c = await appClient(env.lab.servers[i]!, "shop-check");
  try {
    const { rows } = await c.query<{ column_name: string }>(
      `SELECT column_name FROM information_schema.columns WHERE table_name = 'orders' ORDER BY ordinal_position`,
    );
    return rows.map((r) => r.column_name);
  } finally {
    await c.end();
  }
}

function context(sql: TActionContext["sql"], sideEffectId: string, stepId = "02-apply"): TActionContext {
  return {
    sql,
    executionId: randomUUID(),
    stepId,
    stepIndex: 1,
    phase: "run",
    attempt: 1,
    sideEffectId,
    signal: new AbortController().signal,
    log: () => {},
  };
}

describe("SCHEMA_CHANGE on real servers", () => {
  it("adds a column on the primary and on the logical replica, and rows with it replicate", async () => {
    const requestId = randomUUID();
    const params = {
      kind: "SCHEMA_CHANGE" as const,
      clusterId: env.lab.clusterId,
      sql: "ALTER TABLE orders ADD COLUMN coupon text;\nCREATE INDEX orders_coupon ON orders (coupon);",
      rollbackSql: "DROP INDEX orders_coupon; ALTER TABLE orders DROP COLUMN coupon;",
    };
    const { plan } = planChange(params, await loadSnapshotWithDrivers(env.lab.db.pool), { requestId });
    expect(plan.steps.map((s) => s.action)).toEqual(["checkInstance", "applySchemaChange", "applySchemaChange", "verifySchema"]);
    await insertRequest(env.lab.db.pool, { id: requestId, kind: "SCHEMA_CHANGE", params, plan, clusterId: env.lab.clusterId });
    const { executionId } = await enqueueExecution(env.lab.db.pool, requestId);
    const status = await waitForStatus(env.lab.db.pool, executionId, ["SUCCEEDED", "FAILED", "ROLLED_BACK"], 60_000);
    expect(status, (await getExecution(env.lab.db.pool, executionId)).error ?? "").toBe("SUCCEEDED");

    expect(await columnsOf(0)).toContain("coupon");
    expect(await columnsOf(1)).toContain("coupon");
    const p = await appClient(env.lab.servers[0]!);
    await p.query(`INSERT INTO orders (id, note, coupon) VALUES (9100001, 'with coupon', 'WINTER')`);
    await p.end();
    const r = await appClient(env.lab.servers[1]!, "shop-check");
    await expect.poll(async () => (await r.query(`SELECT coupon FROM orders WHERE id = 9100001`)).rows[0]?.coupon, { timeout: 10_000 }).toBe("WINTER");
    await r.end();
  }, 90_000);

  it("does not run a statement twice when the step is retried after its result was lost", async () => {
    const driver = env.lab.driver();
    const input = {
      clusterId: env.lab.clusterId,
      instanceId: env.lab.instanceIds[0]!,
      statements: ["ALTER TABLE orders ADD COLUMN channel text", "ALTER TABLE orders ADD COLUMN channel_at timestamptz"],
    };
    const effect = randomUUID();
    const client = await env.lab.db.pool.connect();
    try {
      await client.query("BEGIN");
      const first = await driver.actions.applySchemaChange!.run(context(client, effect), input);
      expect(first.result).toBe("2 statement(s) applied");
      await client.query("ROLLBACK"); // the worker died before its commit: the inventory never heard of it
      await client.query("BEGIN");
      const again = await driver.actions.applySchemaChange!.run(context(client, effect), input);
      await client.query("COMMIT");
      expect(again.result).toBe("0 statement(s) applied, 2 already applied");
    } finally {
      client.release();
    }
    expect((await columnsOf(0)).filter((c) => c.startsWith("channel"))).toEqual(["channel", "channel_at"]);
  });

  it("verifySchema names the member whose catalog differs from the primary's", async () => {
    const driver = env.lab.driver();
    const verify = (instanceId: string) =>
      driver.actions.verifySchema!.run(context(env.lab.db.pool, randomUUID(), "03-verify"), {
        clusterId: env.lab.clusterId,
        instanceId,
        referenceInstanceId: env.lab.instanceIds[0]!,
        statementsHash: "x",
        tables: ["public.orders"],
      });
    // The replica lacks the two columns added on the primary only (previous test).
    await expect(verify(env.lab.instanceIds[1]!)).rejects.toThrow(
      /The schema of shop-lab-r2 differs from the primary shop-lab-p1: public\.orders lacks channel text, channel_at timestamp with time zone/,
    );
    const admin = await env.lab.servers[1]!.connect(APP_DATABASE);
    await admin.query(`SET default_transaction_read_only = off`);
    await admin.query(`ALTER TABLE orders ADD COLUMN channel text, ADD COLUMN channel_at timestamptz`);
    await admin.end();
    await expect(verify(env.lab.instanceIds[1]!)).resolves.toMatchObject({ tables: 1 });
  });
});
