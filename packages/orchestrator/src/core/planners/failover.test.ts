import { describe, expect, it } from "vitest";
import { CLUSTER, I, clusterIn, fleetWith, instanceIn } from "../../test/fleet-fixture";
import { type TFleetSnapshot } from "../snapshot";
import { failoverCandidates, planChange } from "./index";

const primaryDown = () => fleetWith((f) => (instanceIn(f, "payments-eu-01-fra1-p1").health = "DOWN"));
const failover = (snapshot: TFleetSnapshot, over: Record<string, unknown> = {}) =>
  planChange({ kind: "FAILOVER", clusterId: CLUSTER.payments, reason: "fra1 lost power at 03:12", ...over }, snapshot);

describe("FAILOVER planner", () => {
  it("promotes the healthiest, least-lagging replica without waiting for the old primary", () => {
    const { plan } = failover(primaryDown());
    expect(plan.steps.map((s) => [s.action, s.compensation?.action ?? null])).toEqual([
      ["checkReplicaReady", null],
      ["fenceWrites", "unfenceWrites"],
      ["promoteReplica", "demoteToReplica"],
      ["repointLink", "repointLink"],
      ["detachInstance", "attachInstance"],
      ["unfenceWrites", "fenceWrites"],
    ]);
    expect(plan.steps.some((s) => s.action === "waitForCatchUp")).toBe(false);
    expect(plan.steps[2]?.input).toMatchObject({ instanceId: I("payments-eu-01-ams1-r1"), force: true });
    expect(plan.steps[1]?.input).toMatchObject({ instanceId: I("payments-eu-01-fra1-p1"), bestEffort: true });
    expect(plan.steps[4]?.input.reason).toBe("failed over to payments-eu-01-ams1-r1: fra1 lost power at 03:12");
  });

  it("ranks candidates by health, then lag, then name", () => {
    const snapshot = primaryDown();
    expect(failoverCandidates(clusterIn(snapshot, CLUSTER.payments)).map((c) => [c.instance.name, c.lagSeconds])).toEqual([
      ["payments-eu-01-ams1-r1", 1.2],
      ["payments-eu-01-ams1-r2", 8],
    ]);
  });

  it("shows the writes that may be lost and detaches the old primary", () => {
    const { blastRadius, warnings, after } = failover(primaryDown());
    expect(blastRadius.expectedLagSeconds).toBe(1.2);
    expect(warnings).toEqual(["Promoting payments-eu-01-ams1-r1 may lose up to 1.2 s of writes (its replication lag)"]);
    const c = clusterIn(after, CLUSTER.payments);
    expect(c.instances.map((i) => [i.name, i.role])).toEqual([
      ["payments-eu-01-fra1-p1", "STANDBY"],
      ["payments-eu-01-ams1-r1", "PRIMARY"],
      ["payments-eu-01-ams1-r2", "REPLICA"],
    ]);
    expect(c.links.some((l) => l.sourceId === I("payments-eu-01-fra1-p1") || l.targetId === I("payments-eu-01-fra1-p1"))).toBe(false);
  });

  it("promotes the replica named, even a degraded one, with warnings", () => {
    const { plan, warnings } = failover(primaryDown(), { replicaInstanceId: I("payments-eu-01-ams1-r2") });
    expect(plan.steps[2]?.input.instanceId).toBe(I("payments-eu-01-ams1-r2"));
    expect(warnings).toContain("payments-eu-01-ams1-r2 is DEGRADED");
  });

  it("warns that a switchover is better while the primary is up", () => {
    const { warnings } = failover(fleetWith(() => undefined));
    expect(warnings[0]).toBe("The primary payments-eu-01-fra1-p1 is UP: a SWITCHOVER moves the primary without losing writes");
  });

  it("refuses when no replica can take over, or the one named is down", () => {
    const allDown = fleetWith((f) => {
      for (const i of clusterIn(f, CLUSTER.payments).instances) i.health = "DOWN";
    });
    expect(() => failover(allDown)).toThrow(
      "Cluster payments-eu-01 has no replica that can be promoted (none is reachable and replicating)",
    );
    const r2Down = fleetWith((f) => (instanceIn(f, "payments-eu-01-ams1-r2").health = "DOWN"));
    expect(() => failover(r2Down, { replicaInstanceId: I("payments-eu-01-ams1-r2") })).toThrow(
      "payments-eu-01-ams1-r2 is DOWN: it cannot be promoted",
    );
  });
});
