import { CHANGE_KINDS, type TChangeParamsInput } from "@meridian/policy";
import { describe, expect, it } from "vitest";
import { CLUSTER, DC, I, L, fleet } from "../../test/fleet-fixture";
import { PLAN_ACTIONS, STEP_ID_PATTERN, parsePlan, planHash } from "../plan";
import { PlanningError } from "../planning-error";
import { PLANNERS, planChange } from "./index";

/** At least one plannable request per kind, covering the main variants. */
const REQUESTS: [string, TChangeParamsInput][] = [
  ["add a replica", { kind: "ADD_REPLICA", clusterId: CLUSTER.payments, dataCenterId: DC.ams1 }],
  ["add a replica from a named source", { kind: "ADD_REPLICA", clusterId: CLUSTER.orders, dataCenterId: DC.ams1, sourceInstanceId: I("orders-eu-uk-lon1-r1"), mode: "CDC" }],
  ["remove a replica", { kind: "REMOVE_REPLICA", clusterId: CLUSTER.payments, instanceId: I("payments-eu-01-ams1-r2") }],
  ["add a link to a new sync target", { kind: "ADD_LINK", clusterId: CLUSTER.payments, sourceInstanceId: I("payments-eu-01-fra1-p1"), targetDataCenterId: DC.iad1 }],
  ["add a link to an existing instance", { kind: "ADD_LINK", clusterId: CLUSTER.catalog, sourceInstanceId: I("catalog-us-fra1-r1"), targetDataCenterId: DC.iad1, targetInstanceId: I("catalog-us-iad1-r1") }],
  ["remove a link", { kind: "REMOVE_LINK", clusterId: CLUSTER.orders, linkId: L("orders-eu-uk-lon1-r1", "orders-eu-uk-fra1-r2") }],
  ["switch over", { kind: "SWITCHOVER", clusterId: CLUSTER.payments, replicaInstanceId: I("payments-eu-01-ams1-r1") }],
  ["switch over across a two-way link", { kind: "SWITCHOVER", clusterId: CLUSTER.orders, replicaInstanceId: I("orders-eu-uk-lon1-r1") }],
  ["fail over", { kind: "FAILOVER", clusterId: CLUSTER.payments, reason: "fra1 lost power at 03:12" }],
  ["move the primary to a data center with a replica", { kind: "MOVE_PRIMARY_REGION", clusterId: CLUSTER.orders, targetDataCenterId: DC.lon1 }],
  ["move the primary to a data center without one", { kind: "MOVE_PRIMARY_REGION", clusterId: CLUSTER.search, targetDataCenterId: DC.ams1 }],
  ["change the schema", { kind: "SCHEMA_CHANGE", clusterId: CLUSTER.payments, sql: "ALTER TABLE t ADD COLUMN c int; CREATE INDEX CONCURRENTLY i ON t (c)", rollbackSql: "DROP INDEX CONCURRENTLY i; ALTER TABLE t DROP COLUMN c" }],
  ["drain a data center", { kind: "DRAIN_DATACENTER", dataCenterId: DC.fra1, reason: "hardware refresh" }],
];

describe("every planner", () => {
  it("exists for every kind and is exercised here", () => {
    expect(Object.keys(PLANNERS).sort()).toEqual([...CHANGE_KINDS].sort());
    expect(new Set(REQUESTS.map(([, r]) => r.kind))).toEqual(new Set(CHANGE_KINDS));
  });

  it.each(REQUESTS)("%s: same input, same plan and hash; the snapshot is left untouched", (_label, request) => {
    const snapshot = fleet();
    const before = JSON.stringify(snapshot);
    const a = planChange(request, snapshot, { requestId: "cr-1" });
    const b = planChange(request, fleet(), { requestId: "cr-1" });
    expect(a.plan).toEqual(b.plan);
    expect(a.planHash).toBe(b.planHash);
    expect(a.planHash).toBe(planHash(a.plan));
    expect(a.blastRadius).toEqual(b.blastRadius);
    expect(JSON.stringify(snapshot)).toBe(before);
  });

  it.each(REQUESTS)("%s: a valid plan whose every changing step has a compensation", (_label, request) => {
    const { plan, planHash: hash } = planChange(request, fleet(), { requestId: "cr-1" });
    expect(plan.kind).toBe(request.kind);
    const stored = JSON.parse(JSON.stringify(plan)) as unknown;
    expect(parsePlan(stored)).toEqual(plan);
    expect(planHash(parsePlan(stored))).toBe(hash);
    for (const step of plan.steps) {
      expect(step.id).toMatch(STEP_ID_PATTERN);
      if (PLAN_ACTIONS[step.action].mutates) expect(step.compensation, step.id).not.toBeNull();
      else expect(step.compensation, step.id).toBeNull();
      if (step.compensation) expect(PLAN_ACTIONS[step.compensation.action].mutates || step.compensation.action === "manualIntervention").toBe(true);
    }
    expect(new Set(plan.steps.map((s) => s.id)).size).toBe(plan.steps.length);
    expect(plan.steps.every((s, i) => s.id.startsWith(String(i + 1).padStart(s.id.indexOf("-"), "0")))).toBe(true);
  });

  it.each(REQUESTS)("%s: a blast radius naming clusters, teams and data centers", (_label, request) => {
    const { blastRadius } = planChange(request, fleet());
    expect(blastRadius.clusters.length).toBeGreaterThan(0);
    expect(blastRadius.teams.length).toBeGreaterThan(0);
    expect(blastRadius.dataCenters.length).toBeGreaterThan(0);
    expect(blastRadius.jurisdictions).toEqual([...new Set(blastRadius.dataCenters.map((d) => d.jurisdiction))].sort());
  });

  it("names new instances and links per request, so two requests never claim each other's work", () => {
    const request: TChangeParamsInput = { kind: "ADD_REPLICA", clusterId: CLUSTER.payments, dataCenterId: DC.ams1 };
    const one = planChange(request, fleet(), { requestId: "cr-1" });
    const two = planChange(request, fleet(), { requestId: "cr-2" });
    expect(one.planHash).not.toBe(two.planHash);
    expect(one.plan.steps.map((s) => s.id)).toEqual(two.plan.steps.map((s) => s.id));
  });

  it("refuses malformed parameters with field messages before planning", () => {
    try {
      planChange({ kind: "SWITCHOVER", clusterId: "payments" }, fleet());
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(PlanningError);
      expect((error as PlanningError).code).toBe("INVALID");
      expect((error as PlanningError).fieldErrors).toEqual({
        clusterId: ["Cluster must be an id (uuid)"],
        replicaInstanceId: ["Replica to promote is required"],
      });
    }
  });

  it("says which cluster or data center it cannot find", () => {
    const missing = "00000000-0000-4000-8000-000000000000";
    expect(() => planChange({ kind: "ADD_REPLICA", clusterId: missing, dataCenterId: DC.ams1 }, fleet())).toThrow(
      `No cluster with id ${missing}`,
    );
    expect(() => planChange({ kind: "DRAIN_DATACENTER", dataCenterId: missing }, fleet())).toThrow(
      `No data center with id ${missing}`,
    );
  });
});
