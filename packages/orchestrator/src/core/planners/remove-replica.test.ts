import { describe, expect, it } from "vitest";
import { CLUSTER, DC, I, L, clusterIn, fleet, fleetWith, instanceIn } from "../../test/fleet-fixture";
import { planChange } from "./index";

const remove = (clusterId: string, name: string, over: Record<string, unknown> = {}, snapshot = fleet()) =>
  planChange({ kind: "REMOVE_REPLICA", clusterId, instanceId: I(name), ...over }, snapshot);

describe("REMOVE_REPLICA planner", () => {
  it("checks, unregisters, stops replication, deprovisions; each undoable", () => {
    const { plan } = remove(CLUSTER.payments, "payments-eu-01-ams1-r2");
    expect(plan.steps.map((s) => [s.action, s.compensation?.action ?? null])).toEqual([
      ["checkInstance", null],
      ["unregisterInstance", "registerInstance"],
      ["dropLink", "createLink"],
      ["deprovisionInstance", "provisionInstance"],
    ]);
    expect(plan.steps[2]?.compensation?.input).toEqual({
      linkId: L("payments-eu-01-fra1-p1", "payments-eu-01-ams1-r2"),
      clusterId: CLUSTER.payments,
      sourceInstanceId: I("payments-eu-01-fra1-p1"),
      targetInstanceId: I("payments-eu-01-ams1-r2"),
      mode: "LOGICAL",
    });
  });

  it("stops every link into the replica", () => {
    const { plan, blastRadius } = remove(CLUSTER.orders, "orders-eu-uk-fra1-r2");
    expect(plan.steps.filter((s) => s.action === "dropLink")).toHaveLength(2);
    expect(blastRadius.links.map((l) => l.changes)).toEqual([["removed"], ["removed"]]);
  });

  it("frees the slot and removes the instance and its links from the fleet afterwards", () => {
    const { after } = remove(CLUSTER.payments, "payments-eu-01-ams1-r2");
    const cluster = clusterIn(after, CLUSTER.payments);
    expect(cluster.instances.map((i) => i.name)).toEqual(["payments-eu-01-fra1-p1", "payments-eu-01-ams1-r1"]);
    expect(cluster.links).toHaveLength(1);
    expect(after.dataCenters.find((d) => d.id === DC.ams1)?.usedSlots).toBe(1);
  });

  it("places no data anywhere", () => {
    expect(remove(CLUSTER.payments, "payments-eu-01-ams1-r2").placements).toEqual([]);
  });

  it("refuses to remove the primary", () => {
    expect(() => remove(CLUSTER.payments, "payments-eu-01-fra1-p1")).toThrow(
      "payments-eu-01-fra1-p1 is the primary of payments-eu-01: switch over to another instance before removing it",
    );
  });

  it("refuses to remove a replica that feeds another", () => {
    expect(() => remove(CLUSTER.orders, "orders-eu-uk-lon1-r1")).toThrow(
      "orders-eu-uk-lon1-r1 feeds orders-eu-uk-fra1-r2: remove or repoint those links first",
    );
  });

  it("protects the last replica of a T0 or T1 cluster unless told otherwise", () => {
    const snapshot = fleetWith((f) => {
      const c = clusterIn(f, CLUSTER.payments);
      c.instances = c.instances.filter((i) => i.name !== "payments-eu-01-ams1-r2");
      c.links = c.links.filter((l) => l.targetId !== I("payments-eu-01-ams1-r2"));
    });
    expect(() => remove(CLUSTER.payments, "payments-eu-01-ams1-r1", {}, snapshot)).toThrow(
      'payments-eu-01-ams1-r1 is the last replica of T0 cluster payments-eu-01: tick "allow last replica" to remove it anyway',
    );
    const forced = remove(CLUSTER.payments, "payments-eu-01-ams1-r1", { allowLastReplica: true }, snapshot);
    expect(forced.warnings).toEqual(["payments-eu-01 will have no replica left"]);
  });

  it("lets a T2 cluster lose its last replica, with a warning", () => {
    const { warnings } = remove(CLUSTER.search, "search-eu-fra1-r1");
    expect(warnings).toEqual(["search-eu will have no replica left"]);
  });

  it("refuses an instance of another cluster", () => {
    expect(() => remove(CLUSTER.search, "payments-eu-01-ams1-r2")).toThrow("is not part of cluster search-eu");
    expect(instanceIn(fleet(), "payments-eu-01-ams1-r2").role).toBe("REPLICA");
  });
});
