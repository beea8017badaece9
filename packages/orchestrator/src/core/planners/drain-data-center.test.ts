import { describe, expect, it } from "vitest";
import { DC, clusterIn, fleet, fleetWith } from "../../test/fleet-fixture";
import { parsePlan, planHash } from "../plan";
import { allowedJurisdictionsOf, type TFleetSnapshot } from "../snapshot";
import { planChange } from "./index";

const drain = (dataCenterId: string, snapshot: TFleetSnapshot = fleet()) =>
  planChange({ kind: "DRAIN_DATACENTER", dataCenterId, reason: "hardware refresh" }, snapshot, { requestId: "cr-9" });

describe("DRAIN_DATACENTER planner", () => {
  it("marks the data center draining first and checks it is empty last", () => {
    const { plan } = drain(DC.fra1);
    expect(plan.steps[0]).toMatchObject({
      action: "setDataCenterStatus",
      input: { dataCenterId: DC.fra1, status: "DRAINING" },
      compensation: { action: "setDataCenterStatus", input: { dataCenterId: DC.fra1, status: "ACTIVE" } },
    });
    expect(plan.steps.at(-1)).toMatchObject({ action: "verifyDataCenterEmpty", compensation: null });
  });

  it("plans one child change per move: hand over primaries, then replace and remove the rest", () => {
    const { children } = drain(DC.fra1);
    expect(children.map((c) => `${c.index} ${c.kind}`)).toEqual([
      "1 ADD_REPLICA", // catalog-us-fra1-r1
      "2 REMOVE_REPLICA",
      "3 SWITCHOVER", // orders: to its caught-up replica in lon1 (UK is allowed)
      "4 ADD_REPLICA",
      "5 REMOVE_REPLICA",
      "6 ADD_REPLICA",
      "7 REMOVE_REPLICA",
      "8 SWITCHOVER", // payments: to ams1-r1 (the degraded r2 is not a candidate)
      "9 ADD_REPLICA",
      "10 REMOVE_REPLICA",
      "11 MOVE_PRIMARY_REGION", // search: no replica outside fra1
      "12 REMOVE_REPLICA", // the old primary: the moved primary replaced it
      "13 ADD_REPLICA",
      "14 REMOVE_REPLICA",
    ]);
  });

  it("is made of its children's steps, grouped, each child a valid plan with its own hash", () => {
    const { plan, children } = drain(DC.fra1);
    expect(plan.steps).toHaveLength(2 + children.reduce((n, c) => n + c.plan.steps.length, 0));
    for (const child of children) {
      expect(parsePlan(child.plan)).toEqual(child.plan);
      expect(child.planHash).toBe(planHash(child.plan));
      const grouped = plan.steps.filter((s) => s.group?.startsWith(`${child.index}. `));
      expect(grouped.map((s) => s.action)).toEqual(child.plan.steps.map((s) => s.action));
    }
  });

  it("leaves the data center empty and every cluster with one primary, within its allowed jurisdictions", () => {
    const snapshot = fleet();
    const { after, placements } = drain(DC.fra1, snapshot);
    for (const cluster of after.clusters) {
      expect(cluster.instances.filter((i) => i.dataCenterId === DC.fra1), cluster.name).toEqual([]);
      expect(cluster.instances.filter((i) => i.role === "PRIMARY"), cluster.name).toHaveLength(1);
      expect(cluster.instances.length, cluster.name).toBe(clusterIn(snapshot, cluster.id).instances.length);
      const allowed = allowedJurisdictionsOf(cluster);
      for (const i of cluster.instances) {
        const dc = after.dataCenters.find((d) => d.id === i.dataCenterId);
        expect(allowed, `${i.name} in ${dc?.code}`).toContain(dc?.jurisdiction);
      }
    }
    expect(after.dataCenters.find((d) => d.id === DC.fra1)).toMatchObject({ status: "DRAINING", usedSlots: 0 });
    for (const d of after.dataCenters) expect(d.usedSlots, d.code).toBeLessThanOrEqual(d.capacitySlots);
    for (const p of placements) expect(allowedJurisdictionsOf(clusterIn(snapshot, p.clusterId))).toContain(p.jurisdiction);
  });

  it("shows the whole blast radius: every team, the switchovers' downtime", () => {
    const { blastRadius } = drain(DC.fra1);
    expect(blastRadius.teams).toEqual(["catalog", "orders", "payments", "search"]);
    expect(blastRadius.dataCenters.find((d) => d.code === "fra1")?.changes).toContain("draining");
    expect(blastRadius.expectedDowntimeSeconds).toBeGreaterThan(0);
  });

  it("plans just the status change for an empty data center, and says so", () => {
    const { plan, warnings, children } = drain(DC.fra2);
    expect(plan.steps.map((s) => s.action)).toEqual(["setDataCenterStatus", "verifyDataCenterEmpty"]);
    expect(children).toEqual([]);
    expect(warnings).toEqual(["fra2 hosts no instance: nothing to move"]);
  });

  it("refuses an offline data center", () => {
    expect(() => drain(DC.sin1)).toThrow(
      "Data center sin1 is OFFLINE: its instances cannot be copied out; fail over its primaries instead",
    );
  });

  it("says which cluster cannot move when the allowed data centers are full (orders-eu-uk may still use lon1)", () => {
    const tight = fleetWith((f) => {
      const ams1 = f.dataCenters.find((d) => d.id === DC.ams1);
      if (ams1) ams1.capacitySlots = 3;
    });
    expect(() => drain(DC.fra1, tight)).toThrow(
      "Cannot drain fra1: no active data center in EU has a free slot for payments-eu-01 (needed to move payments-eu-01-fra1-p1 out)",
    );
  });
});
