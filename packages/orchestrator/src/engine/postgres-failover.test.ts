import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { planChange } from "../core/planners";
import { enqueueExecution, getExecution } from "./execution-store";
import { insertRequest, waitForStatus } from "./testing/fixtures";
import { useSwitchoverLab } from "./testing/test-hooks";
import { appClient, currentRoles, loadSnapshotWithDrivers, viewServer } from "./testing/postgres-switchover-lab";

/** FAILOVER on real servers: the primary's server is gone; the replica is promoted without it and opened. */
const env = useSwitchoverLab("pg-failover-test");

describe("FAILOVER on real servers", () => {
  it("promotes the replica when the primary's server is down, opens its writes, and keeps the lost primary out", async () => {
    const [primaryId, replicaId] = env.lab.instanceIds as [string, string];
    await env.lab.servers[0]!.server.stop();
    await env.lab.db.pool.query(`UPDATE instance SET health = 'DOWN' WHERE id = $1`, [primaryId]);
    const requestId = randomUUID();
    const params = { kind: "FAILOVER" as const, clusterId: env.lab.clusterId, reason: "primary server lost (test)" };
    const { plan } = planChange(params, await loadSnapshotWithDrivers(env.lab.db.pool), { requestId });
    const fast = { ...plan, steps: plan.steps.map((s) => ({ ...s, retry: { maxAttempts: 2, backoffMs: 50 } })) };
    await insertRequest(env.lab.db.pool, { id: requestId, kind: "FAILOVER", params, plan: fast, clusterId: env.lab.clusterId });
    const { executionId } = await enqueueExecution(env.lab.db.pool, requestId);
    const status = await waitForStatus(env.lab.db.pool, executionId, ["SUCCEEDED", "FAILED", "ROLLED_BACK"], 60_000);
    const view = await getExecution(env.lab.db.pool, executionId);
    expect(status, view.error ?? "").toBe("SUCCEEDED");
    expect(view.steps.find((s) => s.action === "fenceWrites")?.log.join(" ")).toMatch(/unreachable: not fenced \(best effort\)/);

    expect((await currentRoles(env.lab.db.pool, env.lab.clusterId)).primaryId).toBe(replicaId);
    const state = await env.lab.db.pool.query<{ role: string; detached: boolean; writes_fenced: boolean }>(
      `SELECT i.role::text AS role, s.detached, s.writes_fenced FROM instance i JOIN fleet_instance_state s ON s.instance_id = i.id WHERE i.id = $1`,
      [primaryId],
    );
    expect(state.rows[0]).toEqual({ role: "STANDBY", detached: true, writes_fenced: true });
    const replica = await viewServer(env.lab.servers[1]!, replicaId);
    expect(replica).toMatchObject({ writable: true, subscriptions: [] });
    const app = await appClient(env.lab.servers[1]!);
    await app.query(`INSERT INTO orders (id, note) VALUES (9900001, 'after the failover')`);
    await app.end();
  }, 90_000);
});
