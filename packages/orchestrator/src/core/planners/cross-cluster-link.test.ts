import { describe, expect, it } from "vitest";
import { CLUSTER, DC, I, clusterIn, fleetWith, id } from "../../test/fleet-fixture";
import { previewChange } from "../preview";
import { planChange } from "./index";

/**
 * Data-sync hosting across clusters: payments-eu-01 (PII, EU only) and catalog-us (US, EU) on
 * real servers, each with a registered empty STANDBY: payments-eu-01-ams1-s1, catalog-us-iad1-s1.
 */
const PAY_S1 = id("instance:payments-eu-01-ams1-s1");
const CAT_S1 = id("instance:catalog-us-iad1-s1");
const realFleet = () =>
  fleetWith((f) => {
    for (const clusterId of [CLUSTER.payments, CLUSTER.catalog]) {
      const c = clusterIn(f, clusterId);
      for (const i of c.instances) i.driver = "POSTGRES";
      for (const l of c.links) l.mode = "LOGICAL";
    }
    clusterIn(f, CLUSTER.payments).instances.push({ id: PAY_S1, name: "payments-eu-01-ams1-s1", role: "STANDBY", dataCenterId: DC.ams1, health: "UP", driver: "POSTGRES" });
    clusterIn(f, CLUSTER.catalog).instances.push({ id: CAT_S1, name: "catalog-us-iad1-s1", role: "STANDBY", dataCenterId: DC.iad1, health: "UP", driver: "POSTGRES" });
  });
const NOON = new Date("2025-06-11T12:00:00Z");

const fieldOf = (fn: () => unknown): Record<string, string[]> => {
  try {
    fn();
  } catch (error) {
    return (error as { fieldErrors: Record<string, string[]> }).fieldErrors;
  }
  throw new Error("expected a planning error");
};

describe("ADD_LINK into another cluster's registered instance", () => {
  it("plans the real-server link, places the SOURCE cluster's data in the target's data center, and names both clusters", () => {
    const preview = previewChange(
      { kind: "ADD_LINK", clusterId: CLUSTER.catalog, sourceInstanceId: I("catalog-us-iad1-p1"), targetDataCenterId: DC.ams1, targetInstanceId: PAY_S1, tables: ["items"] },
      realFleet(),
      { now: NOON },
    );
    expect(preview.plan.steps.map((s) => s.action)).toEqual(["checkInstance", "preflightLink", "createLink", "waitForCatchUp", "verifyLink"]);
    expect(preview.plan.steps[2]!.compensation?.input).toMatchObject({ clusterId: CLUSTER.catalog, instanceIds: [I("catalog-us-iad1-p1"), PAY_S1] });
    expect(preview.placements.map((p) => [p.clusterId, p.dataCenterCode, p.action])).toEqual([[CLUSTER.catalog, "ams1", "replicate"]]);
    expect(preview.residency.verdict).not.toBe("BLOCKED");
    expect(preview.blastRadius.clusters.map((c) => c.name).sort()).toEqual(["catalog-us", "payments-eu-01"]);
    expect(preview.blastRadius.instances.map((i) => [i.name, i.clusterId, i.changes])).toEqual([
      ["catalog-us-iad1-p1", CLUSTER.catalog, ["source"]],
      ["payments-eu-01-ams1-s1", CLUSTER.payments, ["linked"]],
    ]);
    // REMOVE_LINK, filed for the source cluster, finds the target in the other cluster.
    const linkId = preview.plan.steps[2]!.input.linkId as string;
    const removed = planChange({ kind: "REMOVE_LINK", clusterId: CLUSTER.catalog, linkId }, preview.after);
    expect(removed.plan.steps.map((s) => s.action)).toEqual(["checkLink", "dropLink"]);
    expect(removed.plan.steps[1]!.input).toMatchObject({ instanceIds: [I("catalog-us-iad1-p1"), PAY_S1] });
    expect(clusterIn(removed.after, CLUSTER.payments).links.some((l) => l.id === linkId)).toBe(false);
  });

  it("is BLOCKED with the rule when the target's jurisdiction is outside the SOURCE cluster's allowed list", () => {
    const preview = previewChange(
      { kind: "ADD_LINK", clusterId: CLUSTER.payments, sourceInstanceId: I("payments-eu-01-fra1-p1"), targetDataCenterId: DC.iad1, targetInstanceId: CAT_S1 },
      realFleet(),
      { now: NOON },
    );
    expect(preview.residency.verdict).toBe("BLOCKED");
    expect(preview.residency.rule).toBe(
      "residency/allowed-jurisdictions: cluster payments-eu-01 (PII) may live in EU only; the change would replicate to US (iad1)",
    );
    expect(preview.routing.residencyVerdict).toBe("BLOCKED");
  });

  it("refuses another cluster's primary or replica, and a simulated end", () => {
    const base = { kind: "ADD_LINK", clusterId: CLUSTER.catalog, sourceInstanceId: I("catalog-us-iad1-p1") } as const;
    expect(fieldOf(() => planChange({ ...base, targetDataCenterId: DC.ams1, targetInstanceId: I("payments-eu-01-ams1-r1") }, realFleet())).targetInstanceId?.[0]).toBe(
      "payments-eu-01-ams1-r1 is a replica of cluster payments-eu-01: only a STANDBY instance of another cluster can receive a sync link",
    );
    expect(fieldOf(() => planChange({ ...base, targetDataCenterId: DC.lon1, targetInstanceId: I("orders-eu-uk-lon1-r1") }, realFleet())).targetInstanceId?.[0]).toBe(
      "orders-eu-uk-lon1-r1 belongs to cluster orders-eu-uk: a link into another cluster joins two real servers",
    );
  });
});
