import { describe, expect, it } from "vitest";
import { CLUSTER, DC, I, L, clusterIn, fleetWith, id } from "../../test/fleet-fixture";
import { planChange } from "./index";

/** The catalog cluster on real PostgreSQL servers, plus a registered empty standby in fra1. */
const realFleet = () =>
  fleetWith((f) => {
    const c = clusterIn(f, CLUSTER.catalog);
    for (const i of c.instances) i.driver = "POSTGRES";
    for (const l of c.links) l.mode = "LOGICAL";
    c.instances.push({ id: id("instance:catalog-us-fra1-s1"), name: "catalog-us-fra1-s1", role: "STANDBY", dataCenterId: DC.fra1, health: "UP", driver: "POSTGRES" });
  });
const S1 = id("instance:catalog-us-fra1-s1");

const fieldOf = (fn: () => unknown): Record<string, string[]> => {
  try {
    fn();
  } catch (error) {
    return (error as { fieldErrors: Record<string, string[]> }).fieldErrors;
  }
  throw new Error("expected a planning error");
};

describe("planners on real PostgreSQL instances", () => {
  it("ADD_LINK: preflight -> create -> catch up -> verify, into an existing instance, for a subset of tables", () => {
    const { plan, after } = planChange(
      { kind: "ADD_LINK", clusterId: CLUSTER.catalog, sourceInstanceId: I("catalog-us-iad1-p1"), targetDataCenterId: DC.fra1, targetInstanceId: S1, tables: ["public.orders", "items"] },
      realFleet(),
    );
    expect(plan.steps.map((s) => [s.action, s.compensation?.action ?? null])).toEqual([
      ["checkInstance", null],
      ["preflightLink", null],
      ["createLink", "dropLink"],
      ["waitForCatchUp", null],
      ["verifyLink", null],
    ]);
    expect(plan.steps[1]!.input).toMatchObject({ sourceInstanceId: I("catalog-us-iad1-p1"), targetInstanceId: S1, tables: ["public.orders", "items"] });
    expect(plan.steps[2]!.input).toMatchObject({ mode: "LOGICAL", tables: ["public.orders", "items"] });
    expect(plan.steps[2]!.input.linkId).toBe(plan.steps[4]!.input.linkId);
    expect(clusterIn(after, CLUSTER.catalog).links.some((l) => l.targetId === S1)).toBe(true);
  });

  it("ADD_LINK: refuses to provision a real server, a physical link, and a table subset on simulated instances", () => {
    const base = { kind: "ADD_LINK", clusterId: CLUSTER.catalog, sourceInstanceId: I("catalog-us-iad1-p1"), targetDataCenterId: DC.fra1 } as const;
    expect(fieldOf(() => planChange(base, realFleet())).targetInstanceId?.[0]).toMatch(/is a real server: pick the instance in fra1/);
    expect(fieldOf(() => planChange({ ...base, targetInstanceId: S1, mode: "PHYSICAL" }, realFleet())).mode?.[0]).toMatch(/LOGICAL/);
    expect(
      fieldOf(() => planChange({ kind: "ADD_LINK", clusterId: CLUSTER.orders, sourceInstanceId: I("orders-eu-uk-fra1-p1"), targetDataCenterId: DC.lon1, tables: ["t"] }, realFleet())).tables?.[0],
    ).toMatch(/only be synced between real servers/);
  });

  it("ADD_REPLICA: a registered empty standby subscribes to the primary and is registered as REPLICA after verification", () => {
    const { plan, after } = planChange({ kind: "ADD_REPLICA", clusterId: CLUSTER.catalog, dataCenterId: DC.fra1, targetInstanceId: S1 }, realFleet());
    expect(plan.steps.map((s) => s.action)).toEqual(["checkInstance", "preflightLink", "createLink", "waitForCatchUp", "verifyLink", "registerInstance"]);
    expect(plan.steps.some((s) => s.action === "provisionInstance")).toBe(false);
    expect(plan.steps[5]).toMatchObject({ input: { instanceId: S1, role: "REPLICA" }, compensation: { action: "registerInstance", input: { role: "STANDBY" } } });
    expect(clusterIn(after, CLUSTER.catalog).instances.find((i) => i.id === S1)?.role).toBe("REPLICA");
  });

  it("ADD_REPLICA: refuses without a target, or with a target that is not an empty standby", () => {
    const base = { kind: "ADD_REPLICA", clusterId: CLUSTER.catalog, dataCenterId: DC.fra1 } as const;
    expect(fieldOf(() => planChange(base, realFleet())).targetInstanceId?.[0]).toMatch(/pick the registered empty instance in fra1/);
    expect(fieldOf(() => planChange({ ...base, targetInstanceId: I("catalog-us-fra1-r1") }, realFleet())).targetInstanceId?.[0]).toMatch(
      /is a replica: only an empty STANDBY instance/,
    );
    expect(fieldOf(() => planChange({ ...base, dataCenterId: DC.iad1, targetInstanceId: S1 }, realFleet())).targetInstanceId?.[0]).toMatch(/runs in fra1, not in iad1/);
  });

  it("REMOVE_REPLICA: unregisters, drops the link and its tables, registers an empty STANDBY; never deprovisions a real server", () => {
    const { plan } = planChange({ kind: "REMOVE_REPLICA", clusterId: CLUSTER.catalog, instanceId: I("catalog-us-fra1-r1") }, realFleet());
    expect(plan.steps.map((s) => s.action)).toEqual(["checkInstance", "unregisterInstance", "dropLink", "registerInstance"]);
    expect(plan.steps[2]!.input).toMatchObject({ linkId: L("catalog-us-iad1-p1", "catalog-us-fra1-r1"), dropCreatedTables: true });
    expect(plan.steps[3]).toMatchObject({ input: { role: "STANDBY" }, compensation: { action: "registerInstance", input: { role: "REPLICA" } } });
  });

  it("REMOVE_LINK: a data-sync standby may lose its only link", () => {
    const f = realFleet();
    const c = clusterIn(f, CLUSTER.catalog);
    c.links.push({ id: id("link:sync"), sourceId: I("catalog-us-iad1-p1"), targetId: S1, mode: "LOGICAL", status: "ACTIVE", lagSeconds: 0 });
    const { plan } = planChange({ kind: "REMOVE_LINK", clusterId: CLUSTER.catalog, linkId: id("link:sync") }, f);
    expect(plan.steps.map((s) => s.action)).toEqual(["checkLink", "dropLink"]);
  });
});
