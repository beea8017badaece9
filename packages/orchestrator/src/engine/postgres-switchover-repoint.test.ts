import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testServerUrl } from "@meridian/db/testing";
import { getExecution } from "./execution-store";
import { startWorker, type TWorker } from "./worker";
import { waitForStatus } from "./testing/fixtures";
import { checkTopology, createPgSwitchoverLab, currentRoles, fileSwitchover, missingRows, startWriter, type TPgSwitchoverLab } from "./testing/postgres-switchover-lab";

/** Three real servers: the other replica follows the new primary after the switchover (repointLink), nothing lost. */
let lab: TPgSwitchoverLab;
let worker: TWorker;

beforeAll(async () => {
  lab = await createPgSwitchoverLab(testServerUrl(), 3);
  worker = startWorker({ databaseUrl: lab.db.url, workerId: "pg-repoint-test", concurrency: 1, leaseMs: 2_000, pollMs: 50, enqueueApproved: false, driver: lab.driver() });
  await worker.ready;
}, 120_000);

afterAll(async () => {
  await worker?.stop();
  await lab?.stop();
});

describe("SWITCHOVER with a second replica on real servers", () => {
  it("repoints the other replica to the new primary; each replica subscribes to it alone; no committed row lost", async () => {
    const writer = startWriter(lab, 10);
    await new Promise((r) => setTimeout(r, 200));
    const { executionId, plan, toId } = await fileSwitchover(lab, { toInstanceId: lab.instanceIds[1]! });
    expect(plan.steps.map((s) => s.action)).toContain("repointLink");
    const status = await waitForStatus(lab.db.pool, executionId, ["SUCCEEDED", "FAILED", "ROLLED_BACK"], 60_000);
    await writer.stop();
    expect(status, (await getExecution(lab.db.pool, executionId)).error ?? "").toBe("SUCCEEDED");
    expect((await currentRoles(lab.db.pool, lab.clusterId)).primaryId).toBe(toId);
    expect((await checkTopology(lab)).problems).toEqual([]);
    for (const server of lab.servers) await expect.poll(async () => (await missingRows(server, writer.committed)).length, { timeout: 10_000 }).toBe(0);
  }, 90_000);
});
