import { describe, expect, it } from "vitest";
import { getExecution } from "./execution-store";
import { waitForStatus } from "./testing/fixtures";
import { useSwitchoverLab } from "./testing/test-hooks";
import {
  appClient,
  checkTopology,
  currentRoles,
  fileSwitchover,
  missingRows,
  startWriter,
} from "./testing/postgres-switchover-lab";

/**
 * SWITCHOVER on two real PostgreSQL 17 servers joined by logical replication, run by the real
 * engine with the fleet driver (postgres actions): roles swap, replication turns around, the
 * old primary refuses writes; a subscriber that cannot catch up rolls the change back.
 */
const env = useSwitchoverLab("pg-switchover-test");

describe("SWITCHOVER on real servers", () => {
  it("moves the primary: writes succeed on the new primary and reach the old one, which refuses writes (25006)", async () => {
    const writer = startWriter(env.lab, 10);
    await new Promise((r) => setTimeout(r, 300));
    const { executionId, fromId, toId } = await fileSwitchover(env.lab);
    const status = await waitForStatus(env.lab.db.pool, executionId, ["SUCCEEDED", "FAILED", "ROLLED_BACK"], 60_000);
    await new Promise((r) => setTimeout(r, 300));
    await writer.stop();
    const view = await getExecution(env.lab.db.pool, executionId);
    expect(status, view.error ?? "").toBe("SUCCEEDED");

    expect((await currentRoles(env.lab.db.pool, env.lab.clusterId)).primaryId).toBe(toId);
    const topology = await checkTopology(env.lab);
    expect(topology.problems).toEqual([]);

    const oldPrimary = env.lab.servers[env.lab.instanceIds.indexOf(fromId)]!;
    const newPrimary = env.lab.servers[env.lab.instanceIds.indexOf(toId)]!;
    const onNew = await appClient(newPrimary);
    await onNew.query(`INSERT INTO orders (id, note) VALUES (7000001, 'after the switchover')`);
    await onNew.end();
    const onOld = await appClient(oldPrimary);
    try {
      await expect(onOld.query(`INSERT INTO orders (id, note) VALUES (7000002, 'must be refused')`)).rejects.toMatchObject({ code: "25006" });
      await expect
        .poll(async () => (await onOld.query(`SELECT note FROM orders WHERE id = 7000001`)).rows[0]?.note, { timeout: 10_000, interval: 50 })
        .toBe("after the switchover");
    } finally {
      await onOld.end();
    }
    // Every write the application saw committed is on both servers.
    expect(writer.committed.length).toBeGreaterThan(10);
    await expect.poll(async () => (await missingRows(oldPrimary, writer.committed)).length, { timeout: 10_000 }).toBe(0);
    expect(await missingRows(newPrimary, writer.committed)).toEqual([]);
  }, 90_000);

  it("rolls back when the subscriber cannot catch up within the step timeout: the old primary is writable again, replication forward", async () => {
    const { primaryId, replicaIds } = await currentRoles(env.lab.db.pool, env.lab.clusterId);
    const replica = env.lab.servers[env.lab.instanceIds.indexOf(replicaIds[0]!)]!;
    const primary = env.lab.servers[env.lab.instanceIds.indexOf(primaryId)]!;
    // The subscriber is stuck: a transaction on the replica holds a lock its apply worker needs.
    const admin = await replica.connect("shop");
    await admin.query(`BEGIN`);
    await admin.query(`LOCK TABLE orders IN ACCESS EXCLUSIVE MODE`);
    const app = await appClient(primary);
    await app.query(`INSERT INTO orders (id, note) SELECT g, 'not yet replicated' FROM generate_series(8000001, 8000050) g`);
    await app.end();

    const { executionId } = await fileSwitchover(env.lab, {
      adjust: (plan) => ({
        ...plan,
        steps: plan.steps.map((s) =>
          s.action === "waitForFenceLsn" ? { ...s, input: { ...s.input, maxWaitMs: 1_000 }, timeoutMs: 5_000, retry: { maxAttempts: 1, backoffMs: 0 } } : s,
        ),
      }),
    });
    const status = await waitForStatus(env.lab.db.pool, executionId, ["SUCCEEDED", "FAILED", "ROLLED_BACK"], 60_000);
    const view = await getExecution(env.lab.db.pool, executionId);
    expect(status, view.error ?? "").toBe("ROLLED_BACK");
    expect(view.steps.find((s) => s.action === "waitForFenceLsn")?.error ?? "").toMatch(
      /shop-lab-\w+ did not confirm shop-lab-\w+'s last write \(.+\) within 1 s: \d+ byte\(s\) behind\. What to do: Look at shop-lab-\w+: its subscription/,
    );

    // The old primary takes writes again; the replica still subscribes to it (forward), fenced.
    expect((await currentRoles(env.lab.db.pool, env.lab.clusterId)).primaryId).toBe(primaryId);
    const again = await appClient(primary);
    await again.query(`INSERT INTO orders (id, note) VALUES (8000100, 'after the rollback')`);
    await again.end();
    await admin.query(`COMMIT`); // the subscriber applies again
    await admin.end();
    const onReplica = await appClient(replica);
    await expect(onReplica.query(`INSERT INTO orders (id, note) VALUES (8000101, 'x')`)).rejects.toMatchObject({ code: "25006" });
    await onReplica.end();
    const topology = await checkTopology(env.lab);
    expect(topology.problems).toEqual([]);
    expect(await missingRows(replica, [8000001, 8000050, 8000100])).toEqual([]);
  }, 90_000);
});
