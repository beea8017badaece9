import { describe, expect, it } from "vitest";
import { CLUSTER, DC, clusterIn, fleet } from "../../test/fleet-fixture";
import { planChange } from "./index";

const move = (clusterId: string, targetDataCenterId: string) =>
  planChange({ kind: "MOVE_PRIMARY_REGION", clusterId, targetDataCenterId }, fleet(), { requestId: "cr-5" });

describe("MOVE_PRIMARY_REGION planner", () => {
  it("switches over to a caught-up replica already in the target data center", () => {
    const { plan, after, placements } = move(CLUSTER.orders, DC.lon1);
    expect(plan.steps.some((s) => s.action === "provisionInstance")).toBe(false);
    expect(plan.steps.map((s) => s.action)).toContain("promoteReplica");
    const primary = clusterIn(after, CLUSTER.orders).instances.find((i) => i.role === "PRIMARY");
    expect(primary?.dataCenterId).toBe(DC.lon1);
    expect(placements.map((p) => [p.jurisdiction, p.dataCenterCode, p.action])).toEqual([["UK", "lon1", "place"]]);
  });

  it("on real servers switches over to a registered replica there, and never plans a server it cannot provision", () => {
    const f = fleet();
    for (const i of clusterIn(f, CLUSTER.orders).instances) i.driver = "POSTGRES";
    const { plan } = planChange({ kind: "MOVE_PRIMARY_REGION", clusterId: CLUSTER.orders, targetDataCenterId: DC.lon1 }, f, { requestId: "cr-5" });
    expect(plan.steps.map((s) => s.action)).toContain("waitForFenceLsn");
    expect(plan.steps.some((s) => s.action === "provisionInstance")).toBe(false);

    const g = fleet();
    for (const i of clusterIn(g, CLUSTER.search).instances) i.driver = "POSTGRES";
    expect(() => planChange({ kind: "MOVE_PRIMARY_REGION", clusterId: CLUSTER.search, targetDataCenterId: DC.ams1 }, g, { requestId: "cr-5" })).toThrow(
      /has no caught-up replica in ams1: register a server there and add it as a replica \(ADD_REPLICA\) first/,
    );
  });

  it("adds a replica first when the target data center has none, then switches over to it", () => {
    const { plan, after } = move(CLUSTER.search, DC.ams1);
    expect(plan.steps.map((s) => s.action)).toEqual([
      "checkCapacity",
      "provisionInstance",
      "createLink",
      "waitForCatchUp",
      "registerInstance",
      "checkReplicaReady",
      "fenceWrites",
      "waitForCatchUp",
      "promoteReplica",
      "repointLink",
      "demoteToReplica",
      "unfenceWrites",
    ]);
    const provisioned = plan.steps[1]?.input.instanceId;
    expect(plan.steps[8]?.input.instanceId).toBe(provisioned);
    const c = clusterIn(after, CLUSTER.search);
    expect(c.instances.find((i) => i.role === "PRIMARY")).toMatchObject({ id: provisioned, dataCenterId: DC.ams1 });
    expect(c.instances.filter((i) => i.role === "PRIMARY")).toHaveLength(1);
  });

  it("refuses a move to where the primary already runs, or to a full data center", () => {
    expect(() => move(CLUSTER.search, DC.fra1)).toThrow("The primary search-eu-fra1-p1 already runs in fra1");
    expect(() => move(CLUSTER.search, DC.fra2)).toThrow("Data center fra2 has no free slot (4 of 4 used)");
  });
});
