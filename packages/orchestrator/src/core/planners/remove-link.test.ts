import { describe, expect, it } from "vitest";
import { CLUSTER, L, clusterIn, fleet } from "../../test/fleet-fixture";
import { planChange } from "./index";

const removeLink = (clusterId: string, linkId: string) => planChange({ kind: "REMOVE_LINK", clusterId, linkId }, fleet());

describe("REMOVE_LINK planner", () => {
  it("checks then drops the link; the compensation re-creates it with the same id and mode", () => {
    const linkId = L("orders-eu-uk-lon1-r1", "orders-eu-uk-fra1-r2");
    const { plan, after, blastRadius } = removeLink(CLUSTER.orders, linkId);
    expect(plan.steps.map((s) => s.action)).toEqual(["checkLink", "dropLink"]);
    expect(plan.steps[1]?.compensation).toEqual({
      action: "createLink",
      input: {
        linkId,
        clusterId: CLUSTER.orders,
        sourceInstanceId: plan.steps[1]?.compensation?.input.sourceInstanceId,
        targetInstanceId: plan.steps[1]?.compensation?.input.targetInstanceId,
        mode: "CDC",
      },
    });
    expect(clusterIn(after, CLUSTER.orders).links.map((l) => l.id)).not.toContain(linkId);
    expect(blastRadius.links).toEqual([expect.objectContaining({ id: linkId, changes: ["removed"] })]);
    expect(blastRadius.dataCenters.map((d) => d.code)).toEqual(["fra1", "lon1"]);
  });

  it("refuses to orphan a replica", () => {
    expect(() => removeLink(CLUSTER.catalog, L("catalog-us-iad1-p1", "catalog-us-fra1-r1"))).toThrow(
      "Removing catalog-us-iad1-p1 -> catalog-us-fra1-r1 would leave catalog-us-fra1-r1 with no source: remove the replica instead (REMOVE_REPLICA)",
    );
  });

  it("refuses a link of another cluster", () => {
    const linkId = L("catalog-us-iad1-p1", "catalog-us-fra1-r1");
    expect(() => removeLink(CLUSTER.orders, linkId)).toThrow(`Link ${linkId} is not a link of cluster orders-eu-uk`);
  });
});
