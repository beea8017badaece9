import { describe, expect, it } from "vitest";
import { CLUSTER, I, L, clusterIn, fleet, fleetWith, instanceIn } from "../../test/fleet-fixture";
import { planChange } from "./index";

const switchover = (clusterId: string, name: string, over: Record<string, unknown> = {}, snapshot = fleet()) =>
  planChange({ kind: "SWITCHOVER", clusterId, replicaInstanceId: I(name), ...over }, snapshot, { requestId: "cr-3" });

describe("SWITCHOVER planner", () => {
  it("checks, fences, catches up, promotes, repoints, demotes, unfences", () => {
    const { plan } = switchover(CLUSTER.payments, "payments-eu-01-ams1-r1");
    expect(plan.steps.map((s) => [s.id, s.action, s.compensation?.action ?? null])).toEqual([
      ["01-check-payments-eu-01-ams1-r1-ready", "checkReplicaReady", null],
      ["02-fence-writes-payments-eu-01-fra1-p1", "fenceWrites", "unfenceWrites"],
      ["03-wait-for-catch-up-payments-eu-01-ams1-r1", "waitForCatchUp", null],
      ["04-promote-payments-eu-01-ams1-r1", "promoteReplica", "demoteToReplica"],
      ["05-repoint-payments-eu-01-ams1-r2", "repointLink", "repointLink"],
      ["06-demote-payments-eu-01-fra1-p1", "demoteToReplica", "promoteReplica"],
      ["07-unfence-writes-payments-eu-01-ams1-r1", "unfenceWrites", "fenceWrites"],
    ]);
    expect(plan.steps[2]?.input).toEqual({ linkId: L("payments-eu-01-fra1-p1", "payments-eu-01-ams1-r1"), maxLagSeconds: 0 });
    expect(plan.steps[4]?.compensation?.input).toMatchObject({ fromSourceId: I("payments-eu-01-ams1-r1"), toSourceId: I("payments-eu-01-fra1-p1") });
  });

  it("on real servers (POSTGRES) waits for the fenced primary's last WAL position and opens the new primary only after checking the old one", () => {
    const f = fleet();
    for (const i of clusterIn(f, CLUSTER.payments).instances) i.driver = "POSTGRES";
    const { plan } = switchover(CLUSTER.payments, "payments-eu-01-ams1-r1", {}, f);
    expect(plan.steps.map((s) => s.action)).toEqual([
      "checkReplicaReady",
      "fenceWrites",
      "waitForFenceLsn",
      "promoteReplica",
      "repointLink",
      "demoteToReplica",
      "unfenceWrites",
    ]);
    expect(plan.steps[2]).toMatchObject({
      input: {
        clusterId: CLUSTER.payments,
        linkId: L("payments-eu-01-fra1-p1", "payments-eu-01-ams1-r1"),
        sourceInstanceId: I("payments-eu-01-fra1-p1"),
        targetInstanceId: I("payments-eu-01-ams1-r1"),
        maxWaitMs: 25_000,
      },
      compensation: null,
      retry: { maxAttempts: 2, backoffMs: 0 },
      timeoutMs: 30_000,
    });
    expect(plan.steps[6]?.input).toEqual({
      clusterId: CLUSTER.payments,
      instanceId: I("payments-eu-01-ams1-r1"),
      formerPrimaryId: I("payments-eu-01-fra1-p1"),
    });
    // Simulated clusters keep their plan.
    expect(switchover(CLUSTER.payments, "payments-eu-01-ams1-r1").plan.steps[2]?.action).toBe("waitForCatchUp");
  });

  it("leaves the fleet with the roles swapped and every replica following the new primary", () => {
    const { after, placements, blastRadius } = switchover(CLUSTER.payments, "payments-eu-01-ams1-r1");
    const c = clusterIn(after, CLUSTER.payments);
    expect(c.instances.map((i) => [i.name, i.role])).toEqual([
      ["payments-eu-01-fra1-p1", "REPLICA"],
      ["payments-eu-01-ams1-r1", "PRIMARY"],
      ["payments-eu-01-ams1-r2", "REPLICA"],
    ]);
    expect(c.links.every((l) => l.sourceId === I("payments-eu-01-ams1-r1"))).toBe(true);
    expect(c.links).toHaveLength(2);
    expect(placements.map((p) => [p.jurisdiction, p.action])).toEqual([["EU", "place"]]);
    expect(blastRadius.instances.map((i) => [i.name, i.changes])).toEqual([
      ["payments-eu-01-ams1-r1", ["promoted"]],
      ["payments-eu-01-ams1-r2", ["repointed"]],
      ["payments-eu-01-fra1-p1", ["fenced", "demoted"]],
    ]);
    expect(blastRadius.expectedDowntimeSeconds).toBe(7);
  });

  it("drops instead of repointing a link when the replica already follows the new primary", () => {
    const { plan, after } = switchover(CLUSTER.orders, "orders-eu-uk-lon1-r1");
    expect(plan.steps[4]).toMatchObject({ action: "dropLink", input: { linkId: L("orders-eu-uk-fra1-p1", "orders-eu-uk-fra1-r2") } });
    const links = clusterIn(after, CLUSTER.orders).links.map((l) => `${l.sourceId}>${l.targetId}`);
    expect(new Set(links).size).toBe(links.length);
  });

  const refusals: [string, string, string, Record<string, unknown>, ((f: ReturnType<typeof fleet>) => void) | null, string][] = [
    ["a degraded replica", CLUSTER.payments, "payments-eu-01-ams1-r2", {}, null, "payments-eu-01-ams1-r2 is DEGRADED: only a healthy (UP) replica can be promoted in a switchover"],
    ["a replica lagging above the limit", CLUSTER.payments, "payments-eu-01-ams1-r1", { maxLagSeconds: 1 }, null, "payments-eu-01-ams1-r1 lags 1.2 s behind the primary, above the 1 s limit"],
    ["the primary itself", CLUSTER.payments, "payments-eu-01-fra1-p1", {}, null, "payments-eu-01-fra1-p1 is already the primary of payments-eu-01"],
    ["a DOWN primary", CLUSTER.payments, "payments-eu-01-ams1-r1", {}, (f) => (instanceIn(f, "payments-eu-01-fra1-p1").health = "DOWN"), "The primary payments-eu-01-fra1-p1 is DOWN: a switchover needs it; use FAILOVER instead"],
    ["a replica fed by another replica", CLUSTER.orders, "orders-eu-uk-fra1-r2", {}, (f) => {
      const c = clusterIn(f, CLUSTER.orders);
      c.links = c.links.filter((l) => l.sourceId !== I("orders-eu-uk-fra1-p1") || l.targetId !== I("orders-eu-uk-fra1-r2"));
    }, "orders-eu-uk-fra1-r2 does not replicate directly from the primary orders-eu-uk-fra1-p1: pick a direct replica"],
    ["a broken link", CLUSTER.catalog, "catalog-us-fra1-r1", {}, (f) => {
      const link = clusterIn(f, CLUSTER.catalog).links.find((l) => l.targetId === I("catalog-us-fra1-r1"));
      if (link) link.status = "BROKEN";
    }, "The link catalog-us-iad1-p1 -> catalog-us-fra1-r1 is BROKEN"],
    ["unknown lag", CLUSTER.catalog, "catalog-us-fra1-r1", {}, (f) => {
      const link = clusterIn(f, CLUSTER.catalog).links.find((l) => l.targetId === I("catalog-us-fra1-r1"));
      if (link) link.lagSeconds = null;
    }, "catalog-us-fra1-r1 lags an unknown time behind the primary, above the 5 s limit"],
  ];
  it.each(refusals)("refuses %s", (_label, clusterId, name, over, change, message) => {
    const snapshot = change ? fleetWith(change) : fleet();
    expect(() => switchover(clusterId, name, over, snapshot)).toThrow(message);
  });
});
