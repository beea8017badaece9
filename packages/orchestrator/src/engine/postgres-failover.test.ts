import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testServerUrl } from "@meridian/db/testing";
import { planChange } from "../core/planners";
import { enqueueExecution, getExecution } from "./execution-store";
import { startWorker, type TWorker } from "./worker";
import { insertRequest, waitForStatus } from "./testing/fixtures";
import { appClient, createPgSwitchoverLab, currentRoles, loadSnapshotWithDrivers, viewServer, type TPgSwitchoverLab } from "./testing/postgres-switchover-lab";

/** FAILOVER on real servers: the primary's server is gone; the replica is promoted without it and opened. */
let lab: TPgSwitchoverLab;
let worker: TWorker;

beforeAll(async () => {
  lab = await createPgSwitchoverLab(testServerUrl());
  worker = startWorker({ databaseUrl: lab.db.url, workerId: "pg-failover-test", concurrency: 1, leaseMs: 2_000, pollMs: 50, enqueueApproved: false, driver: lab.driver() });
  await worker.ready;
}, 120_000);

afterAll(async () => {
  await worker?.stop();
  await lab?.stop();
});

describe("FAILOVER on real servers", () => {
  it("promotes the replica when the primary's server is down, opens its writes, and keeps the lost primary out", async () => {
    const [primaryId, replicaId] = lab.instanceIds as [string, string];
    await lab.servers[0]!.server.stop();
    await lab.db.pool.query(`UPDATE instance SET health = 'DOWN' WHERE id = $1`, [primaryId]);
    const requestId = randomUUID();
    const params = { kind: "FAILOVER" as const, clusterId: lab.clusterId, reason: "primary server lost (test)" };
    const { plan } = planChange(params, await loadSnapshotWithDrivers(lab.db.pool), { requestId });
    const fast = { ...plan, steps: plan.steps.map((s) => ({ ...s, retry: { maxAttempts: 2, backoffMs: 50 } })) };
    await insertRequest(lab.db.pool, { id: requestId, kind: "FAILOVER", params, plan: fast, clusterId: lab.clusterId });
    const { executionId } = await enqueueExecution(lab.db.pool, requestId);
    const status = await waitForStatus(lab.db.pool, executionId, ["SUCCEEDED", "FAILED", "ROLLED_BACK"], 60_000);
    const view = await getExecution(lab.db.pool, executionId);
    expect(status, view.error ?? "").toBe("SUCCEEDED");
    expect(view.steps.find((s) => s.action === "fenceWrites")?.log.join(" ")).toMatch(/unreachable: not fenced \(best effort\)/);

    expect((await currentRoles(lab.db.pool, lab.clusterId)).primaryId).toBe(replicaId);
    const state = await lab.db.pool.query<{ role: string; detached: boolean; writes_fenced: boolean }>(
      `SELECT i.role::text AS role, s.detached, s.writes_fenced FROM instance i JOIN fleet_instance_state s ON s.instance_id = i.id WHERE i.id = $1`,
      [primaryId],
    );
    expect(state.rows[0]).toEqual({ role: "STANDBY", detached: true, writes_fenced: true });
    const replica = await viewServer(lab.servers[1]!, replicaId);
    expect(replica).toMatchObject({ writable: true, subscriptions: [] });
    const app = await appClient(lab.servers[1]!);
    await app.query(`INSERT INTO orders (id, note) VALUES (9900001, 'after the failover')`);
    await app.end();
  }, 90_000);
});
