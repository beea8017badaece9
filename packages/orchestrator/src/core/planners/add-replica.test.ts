import { describe, expect, it } from "vitest";
import { CLUSTER, DC, I, clusterIn, fleet, fleetWith, instanceIn } from "../../test/fleet-fixture";
import { PlanningError } from "../planning-error";
import { planChange } from "./index";

const add = (over: Record<string, unknown> = {}, snapshot = fleet()) =>
  planChange({ kind: "ADD_REPLICA", clusterId: CLUSTER.catalog, dataCenterId: DC.ams1, ...over }, snapshot, { requestId: "cr-7" });

function planningError(fn: () => unknown): PlanningError {
  try {
    fn();
  } catch (error) {
    if (error instanceof PlanningError) return error;
    throw error;
  }
  throw new Error("expected a PlanningError");
}

describe("ADD_REPLICA planner", () => {
  it("checks capacity, provisions, replicates, waits for catch-up, registers", () => {
    const { plan } = add();
    expect(plan.steps.map((s) => [s.id, s.action, s.compensation?.action ?? null])).toEqual([
      ["01-check-capacity", "checkCapacity", null],
      ["02-provision-catalog-us-ams1-r1", "provisionInstance", "deprovisionInstance"],
      ["03-create-link-catalog-us-ams1-r1", "createLink", "dropLink"],
      ["04-wait-for-catch-up-catalog-us-ams1-r1", "waitForCatchUp", null],
      ["05-register-catalog-us-ams1-r1", "registerInstance", "unregisterInstance"],
    ]);
    expect(plan.steps[1]?.name).toBe("Provision replica catalog-us-ams1-r1 in ams1");
  });

  it("replicates from the primary by default and names the new instance and link consistently", () => {
    const { plan, after } = add();
    const provision = plan.steps[1]!.input;
    const link = plan.steps[2]!.input;
    expect(provision.sourceInstanceId).toBe(I("catalog-us-iad1-p1"));
    expect(link.targetInstanceId).toBe(provision.instanceId);
    expect(plan.steps[1]!.compensation?.input.instanceId).toBe(provision.instanceId);
    expect(plan.steps[2]!.compensation?.input.linkId).toBe(link.linkId);
    expect(plan.steps[3]!.input).toEqual({ linkId: link.linkId, maxLagSeconds: 60 });
    const created = instanceIn(after, "catalog-us-ams1-r1");
    expect(created).toMatchObject({ id: provision.instanceId, role: "REPLICA", dataCenterId: DC.ams1 });
  });

  it("takes the next free name and a slot in the data center", () => {
    const { after } = add({ clusterId: CLUSTER.payments });
    expect(clusterIn(after, CLUSTER.payments).instances.map((i) => i.name)).toContain("payments-eu-01-ams1-r3");
    expect(after.dataCenters.find((d) => d.id === DC.ams1)?.usedSlots).toBe(3);
  });

  it("reports where data would be replicated, and what it touches", () => {
    const { placements, blastRadius } = add({ clusterId: CLUSTER.payments, dataCenterId: DC.iad1 });
    expect(placements).toEqual([
      { clusterId: CLUSTER.payments, jurisdiction: "US", dataCenterId: DC.iad1, dataCenterCode: "iad1", action: "replicate" },
    ]);
    expect(blastRadius.dataCenters.map((d) => d.code)).toEqual(["fra1", "iad1"]);
    expect(blastRadius.instances.map((i) => [i.name, i.changes])).toEqual([
      ["payments-eu-01-fra1-p1", ["source"]],
      ["payments-eu-01-iad1-r1", ["added"]],
    ]);
    expect(blastRadius.links).toHaveLength(1);
    expect(blastRadius.teams).toEqual(["payments"]);
    expect(blastRadius.expectedDowntimeSeconds).toBe(0);
  });

  it("replicates from a named source in the mode asked for", () => {
    const { plan } = add({ clusterId: CLUSTER.orders, sourceInstanceId: I("orders-eu-uk-lon1-r1"), mode: "CDC" });
    expect(plan.steps[2]?.input).toMatchObject({ sourceInstanceId: I("orders-eu-uk-lon1-r1"), mode: "CDC" });
  });

  it("warns when the data center already hosts the cluster", () => {
    expect(add({ clusterId: CLUSTER.payments }).warnings).toEqual([
      "Cluster payments-eu-01 already has an instance in ams1: another one there does not protect against losing that data center",
    ]);
    expect(add().warnings).toEqual([]);
  });

  const refusals: [string, Record<string, unknown>, string, string, string][] = [
    ["a full data center", { dataCenterId: DC.fra2 }, "PRECONDITION_FAILED", "dataCenterId", "Data center fra2 has no free slot (4 of 4 used)"],
    ["a draining data center", { dataCenterId: DC.par1 }, "PRECONDITION_FAILED", "dataCenterId", "Data center par1 is DRAINING: it takes no new instances"],
    ["an offline data center", { dataCenterId: DC.sin1 }, "PRECONDITION_FAILED", "dataCenterId", "Data center sin1 is OFFLINE: it takes no new instances"],
    ["a source from another cluster", { sourceInstanceId: I("payments-eu-01-fra1-p1") }, "NOT_FOUND", "sourceInstanceId", `Instance ${I("payments-eu-01-fra1-p1")} is not part of cluster catalog-us`],
  ];
  it.each(refusals)("refuses %s with a readable message on the right field", (_label, over, code, field, message) => {
    const error = planningError(() => add(over));
    expect(error.code).toBe(code);
    expect(error.message).toBe(message);
    expect(error.fieldErrors).toEqual({ [field]: [message] });
  });

  it("refuses to replicate from a DOWN source", () => {
    const snapshot = fleetWith((f) => (instanceIn(f, "catalog-us-iad1-p1").health = "DOWN"));
    expect(() => add({}, snapshot)).toThrow("Source instance catalog-us-iad1-p1 is DOWN: nothing can replicate from it");
  });

  it("refuses a cluster without a primary", () => {
    const snapshot = fleetWith((f) => (instanceIn(f, "catalog-us-iad1-p1").role = "REPLICA"));
    expect(() => add({}, snapshot)).toThrow("Cluster catalog-us has no primary");
  });
});
