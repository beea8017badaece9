import { DEFAULT_POLICIES, routeApprovals } from "@meridian/policy";
import { describe, expect, it } from "vitest";
import { CLUSTER, DC, I, fleet, fleetWith, instanceIn } from "../test/fleet-fixture";
import { PlanningError } from "./planning-error";
import { previewChange } from "./preview";

const WEDNESDAY_NOON = new Date("2025-06-11T12:00:00Z");
const roles = (stages: { role: string; quorum: number }[]) => stages.map((s) => `${s.role}x${s.quorum}`);

describe("previewChange", () => {
  it("blocks a sync link that would replicate PII outside its allowed jurisdictions, with the rule", () => {
    const preview = previewChange(
      { kind: "ADD_LINK", clusterId: CLUSTER.payments, sourceInstanceId: I("payments-eu-01-fra1-p1"), targetDataCenterId: DC.iad1 },
      fleet(),
      { now: WEDNESDAY_NOON },
    );
    expect(preview.residency.verdict).toBe("BLOCKED");
    expect(preview.residency.rule).toBe(
      "residency/allowed-jurisdictions: cluster payments-eu-01 (PII) may live in EU only; the change would replicate to US (iad1)",
    );
    expect(preview.routing.residencyVerdict).toBe("BLOCKED");
    expect(() => routeApprovals(DEFAULT_POLICIES, preview.routing)).toThrow("residency policy blocks this change");
  });

  it("routes a switchover within the home jurisdiction of a T3 cluster to a team approver and a DBA", () => {
    const preview = previewChange(
      { kind: "SWITCHOVER", clusterId: CLUSTER.catalog, replicaInstanceId: I("catalog-us-iad1-r1") },
      fleet(),
      { now: WEDNESDAY_NOON },
    );
    expect(preview.residency).toMatchObject({ verdict: "WITHIN_HOME", rule: null, needsCompliance: false, jurisdictionsTouched: ["US"] });
    expect(preview.risk).toEqual({ level: "MEDIUM", score: 4, reasons: ["switchover change (+3)", "3 instances touched (+1)"] });
    expect(roles(routeApprovals(DEFAULT_POLICIES, preview.routing).stages)).toEqual(["TEAM_APPROVERx1", "DBAx1"]);
  });

  it("scores business hours in the primary's data center time", () => {
    // 03:00 UTC on a Wednesday is 22:00 on Tuesday in iad1 (UTC-05:00).
    const preview = previewChange(
      { kind: "SWITCHOVER", clusterId: CLUSTER.catalog, replicaInstanceId: I("catalog-us-iad1-r1") },
      fleet(),
      { now: new Date("2025-06-11T03:00:00Z") },
    );
    expect(preview.risk.reasons).toContain("outside business hours (22:00 UTC-05:00; business hours 06:00-20:00) (+1)");
  });

  it("needs compliance when PII moves to another allowed jurisdiction", () => {
    const preview = previewChange(
      { kind: "SWITCHOVER", clusterId: CLUSTER.orders, replicaInstanceId: I("orders-eu-uk-lon1-r1") },
      fleet(),
      { now: WEDNESDAY_NOON },
    );
    expect(preview.residency).toMatchObject({ verdict: "CROSSES_WITHIN_POLICY", needsCompliance: true, jurisdictionsTouched: ["UK"] });
    expect(preview.risk.reasons).toContain("data crosses a jurisdiction border (+1)");
    const route = routeApprovals(DEFAULT_POLICIES, preview.routing);
    expect(route.stages.map((s) => s.role)).toContain("COMPLIANCE");
  });

  it("reviews the SQL of a schema change, strictly on T0 outside a window", () => {
    const params = { kind: "SCHEMA_CHANGE", clusterId: CLUSTER.payments, sql: "CREATE INDEX i ON payments (created_at)" };
    const outside = previewChange(params, fleet(), { now: WEDNESDAY_NOON });
    expect(outside.schemaReview?.ok).toBe(false);
    expect(outside.schemaReview?.findings.map((f) => `${f.severity}:${f.rule}`)).toEqual([
      "error:schema/index-concurrently",
      "warning:schema/no-rollback-sql",
    ]);
    const inside = previewChange(params, fleet(), { now: WEDNESDAY_NOON, inMaintenanceWindow: true });
    expect(inside.schemaReview?.ok).toBe(true);
    expect(outside.risk.level).not.toBe("LOW");
    expect(previewChange({ kind: "SWITCHOVER", clusterId: CLUSTER.catalog, replicaInstanceId: I("catalog-us-iad1-r1") }, fleet(), { now: WEDNESDAY_NOON }).schemaReview).toBeNull();
  });

  it("scores a failover with its primary down as at least HIGH, with the reasons", () => {
    const snapshot = fleetWith((f) => (instanceIn(f, "payments-eu-01-fra1-p1").health = "DOWN"));
    const preview = previewChange({ kind: "FAILOVER", clusterId: CLUSTER.payments, reason: "fra1 lost power" }, snapshot, { now: WEDNESDAY_NOON });
    expect(preview.risk.level).toBe("CRITICAL");
    expect(preview.risk.reasons).toContain("1 instance DOWN in the cluster (+3)");
    expect(preview.blastRadius.expectedLagSeconds).toBe(1.2);
    const route = routeApprovals(DEFAULT_POLICIES, { ...preview.routing, breakGlass: true });
    expect(roles(route.stages)).toEqual(["DBAx1"]);
  });

  it("judges residency per cluster for a drain", () => {
    const preview = previewChange({ kind: "DRAIN_DATACENTER", dataCenterId: DC.fra1 }, fleet(), { now: WEDNESDAY_NOON });
    expect(preview.residency.perCluster.map((r) => [r.clusterName, r.verdict, r.needsCompliance])).toEqual([
      ["catalog-us", "CROSSES_WITHIN_POLICY", false],
      ["orders-eu-uk", "CROSSES_WITHIN_POLICY", true],
      ["payments-eu-01", "WITHIN_HOME", false],
      ["search-eu", "WITHIN_HOME", false],
    ]);
    expect(preview.residency.verdict).toBe("CROSSES_WITHIN_POLICY");
    expect(preview.routing.classification).toBe("PII");
    expect(preview.risk.level).toBe("CRITICAL");
  });

  it("is deterministic", () => {
    const params = { kind: "MOVE_PRIMARY_REGION", clusterId: CLUSTER.search, targetDataCenterId: DC.ams1 };
    const a = previewChange(params, fleet(), { now: WEDNESDAY_NOON, requestId: "cr-1" });
    const b = previewChange(params, fleet(), { now: WEDNESDAY_NOON, requestId: "cr-1" });
    expect(a).toEqual(b);
  });

  it("passes planning errors through, typed", () => {
    expect(() =>
      previewChange({ kind: "ADD_REPLICA", clusterId: CLUSTER.payments, dataCenterId: DC.fra2 }, fleet(), { now: WEDNESDAY_NOON }),
    ).toThrow(PlanningError);
  });
});
