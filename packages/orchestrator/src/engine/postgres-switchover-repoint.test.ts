import { describe, expect, it } from "vitest";
import { getExecution } from "./execution-store";
import { waitForStatus } from "./testing/fixtures";
import { useSwitchoverLab } from "./testing/test-hooks";
import { checkTopology, currentRoles, fileSwitchover, missingRows, startWriter } from "./testing/postgres-switchover-lab";

/** Three real servers: the other replica follows the new primary after the switchover (repointLink), nothing lost. */
const env = useSwitchoverLab("pg-repoint-test", 3);

describe("SWITCHOVER with a second replica on real servers", () => {
  it("repoints the other replica to the new primary; each replica subscribes to it alone; no committed row lost", async () => {
    const writer = startWriter(env.lab, 10);
    await new Promise((r) => setTimeout(r, 200));
    const { executionId, plan, toId } = await fileSwitchover(env.lab, { toInstanceId: env.lab.instanceIds[1]! });
    expect(plan.steps.map((s) => s.action)).toContain("repointLink");
    const status = await waitForStatus(env.lab.db.pool, executionId, ["SUCCEEDED", "FAILED", "ROLLED_BACK"], 60_000);
    await writer.stop();
    expect(status, (await getExecution(env.lab.db.pool, executionId)).error ?? "").toBe("SUCCEEDED");
    expect((await currentRoles(env.lab.db.pool, env.lab.clusterId)).primaryId).toBe(toId);
    expect((await checkTopology(env.lab)).problems).toEqual([]);
    for (const server of env.lab.servers) await expect.poll(async () => (await missingRows(server, writer.committed)).length, { timeout: 10_000 }).toBe(0);
  }, 90_000);
});
