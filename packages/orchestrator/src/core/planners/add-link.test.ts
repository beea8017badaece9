import { describe, expect, it } from "vitest";
import { CLUSTER, DC, I, clusterIn, fleet } from "../../test/fleet-fixture";
import { planChange } from "./index";

const addLink = (over: Record<string, unknown>) =>
  planChange({ kind: "ADD_LINK", clusterId: CLUSTER.catalog, sourceInstanceId: I("catalog-us-iad1-p1"), ...over }, fleet());

describe("ADD_LINK planner", () => {
  it("provisions a sync target in the other data center when no instance is named", () => {
    const { plan, after, placements } = addLink({ targetDataCenterId: DC.lon1, mode: "CDC" });
    expect(plan.steps.map((s) => s.action)).toEqual([
      "checkCapacity",
      "provisionInstance",
      "createLink",
      "waitForCatchUp",
      "registerInstance",
    ]);
    expect(plan.steps[1]?.input).toMatchObject({ name: "catalog-us-lon1-s1", role: "STANDBY" });
    expect(plan.steps[2]?.input).toMatchObject({ mode: "CDC" });
    expect(clusterIn(after, CLUSTER.catalog).instances.find((i) => i.name === "catalog-us-lon1-s1")?.role).toBe("STANDBY");
    expect(placements.map((p) => [p.jurisdiction, p.dataCenterCode, p.action])).toEqual([["UK", "lon1", "replicate"]]);
  });

  it("links into an existing instance of the cluster in that data center", () => {
    const { plan, after, blastRadius } = addLink({
      sourceInstanceId: I("catalog-us-fra1-r1"),
      targetDataCenterId: DC.iad1,
      targetInstanceId: I("catalog-us-iad1-r1"),
    });
    expect(plan.steps.map((s) => [s.action, s.compensation?.action ?? null])).toEqual([
      ["checkInstance", null],
      ["createLink", "dropLink"],
      ["waitForCatchUp", null],
    ]);
    const links = clusterIn(after, CLUSTER.catalog).links;
    expect(links.some((l) => l.sourceId === I("catalog-us-fra1-r1") && l.targetId === I("catalog-us-iad1-r1"))).toBe(true);
    expect(blastRadius.instances.map((i) => [i.name, i.changes])).toEqual([
      ["catalog-us-fra1-r1", ["source"]],
      ["catalog-us-iad1-r1", ["linked"]],
    ]);
  });

  const refusals: [string, Record<string, unknown>, string, string][] = [
    ["a target in the source's own data center", { targetDataCenterId: DC.iad1 }, "targetDataCenterId", "catalog-us-iad1-p1 already runs in iad1: a sync link goes to another data center"],
    ["an existing link", { sourceInstanceId: I("catalog-us-iad1-p1"), targetDataCenterId: DC.fra1, targetInstanceId: I("catalog-us-fra1-r1") }, "targetInstanceId", "A link catalog-us-iad1-p1 -> catalog-us-fra1-r1 already exists"],
    ["a target instance elsewhere", { sourceInstanceId: I("catalog-us-fra1-r1"), targetDataCenterId: DC.lon1, targetInstanceId: I("catalog-us-iad1-r1") }, "targetInstanceId", "catalog-us-iad1-r1 runs in iad1, not in lon1"],
    ["a link into the primary", { sourceInstanceId: I("catalog-us-fra1-r1"), targetDataCenterId: DC.iad1, targetInstanceId: I("catalog-us-iad1-p1") }, "targetInstanceId", "catalog-us-iad1-p1 is the primary: nothing replicates into the primary"],
    ["a full data center", { targetDataCenterId: DC.fra2 }, "targetDataCenterId", "Data center fra2 has no free slot (4 of 4 used)"],
  ];
  it.each(refusals)("refuses %s", (_label, over, field, message) => {
    expect(() => addLink(over)).toThrow(message);
    try {
      addLink(over);
    } catch (error) {
      expect((error as { fieldErrors: Record<string, string[]> }).fieldErrors).toEqual({ [field]: [message] });
    }
  });
});
