import { describe, expect, it } from "vitest";
import { CLUSTER, I, fleet, fleetWith, instanceIn } from "../../test/fleet-fixture";
import { planChange } from "./index";
import { tablesNamedIn } from "./schema-change";

const change = (over: Record<string, unknown> = {}, snapshot = fleet()) =>
  planChange({ kind: "SCHEMA_CHANGE", clusterId: CLUSTER.payments, sql: "ALTER TABLE t ADD COLUMN c int;\nCREATE INDEX CONCURRENTLY i ON t (c);", ...over }, snapshot);

describe("SCHEMA_CHANGE planner", () => {
  it("applies on the primary, on logically-replicated members, then verifies every member", () => {
    const { plan } = change({ rollbackSql: "ALTER TABLE t DROP COLUMN c" });
    expect(plan.steps.map((s) => s.id)).toEqual([
      "01-check-payments-eu-01-fra1-p1",
      "02-apply-on-payments-eu-01-fra1-p1",
      "03-apply-on-payments-eu-01-ams1-r2",
      "04-verify-on-payments-eu-01-ams1-r1",
      "05-verify-on-payments-eu-01-ams1-r2",
    ]);
    expect(plan.steps[1]?.input).toMatchObject({
      instanceId: I("payments-eu-01-fra1-p1"),
      statements: ["ALTER TABLE t ADD COLUMN c int", "CREATE INDEX CONCURRENTLY i ON t (c)"],
      allowDrop: false,
    });
    expect(plan.steps[1]?.compensation).toEqual({
      action: "applySchemaChange",
      input: { clusterId: CLUSTER.payments, instanceId: I("payments-eu-01-fra1-p1"), statements: ["ALTER TABLE t DROP COLUMN c"] },
    });
    const hashes = new Set(plan.steps.filter((s) => s.action !== "checkInstance").map((s) => s.input.statementsHash));
    expect(hashes.size).toBe(1);
  });

  it("asks for a person when there is no rollback SQL, and says so up front", () => {
    const { plan, warnings } = change();
    expect(plan.steps[1]?.compensation?.action).toBe("manualIntervention");
    expect(plan.steps[1]?.compensation?.input.instructions).toBe(
      "No rollback SQL was given: undo the schema change on payments-eu-01-fra1-p1 by hand, then mark this compensation done",
    );
    expect(warnings).toContain("No rollback SQL: if a later step fails, undoing the change needs a person");
  });

  it("skips and reports a DOWN member", () => {
    const snapshot = fleetWith((f) => (instanceIn(f, "payments-eu-01-ams1-r2").health = "DOWN"));
    const { plan, warnings } = change({}, snapshot);
    expect(plan.steps.map((s) => s.id)).toEqual([
      "01-check-payments-eu-01-fra1-p1",
      "02-apply-on-payments-eu-01-fra1-p1",
      "03-verify-on-payments-eu-01-ams1-r1",
    ]);
    expect(warnings).toContain("payments-eu-01-ams1-r2 is DOWN: it is not verified and needs the change when it returns");
  });

  it("refuses when the primary is down or the SQL has only comments", () => {
    const down = fleetWith((f) => (instanceIn(f, "payments-eu-01-fra1-p1").health = "DOWN"));
    expect(() => change({}, down)).toThrow("The primary payments-eu-01-fra1-p1 is DOWN: a schema change needs it");
    expect(() => change({ sql: "-- nothing;" })).toThrow("The SQL contains no statement");
  });

  it("places no data and touches every member", () => {
    const { placements, blastRadius } = change();
    expect(placements).toEqual([]);
    expect(blastRadius.instances.map((i) => i.changes)).toEqual([["schema"], ["schema"], ["schema"]]);
  });
});

describe("SCHEMA_CHANGE on real servers", () => {
  it("verifies the tables the statements touch on POSTGRES members; simulated plans are unchanged", () => {
    const f = fleet();
    for (const i of f.clusters.flatMap((c) => c.instances)) i.driver = "POSTGRES";
    const verify = change({}, f).plan.steps.filter((s) => s.action === "verifySchema");
    expect(verify.length).toBeGreaterThan(0);
    for (const s of verify) expect(s.input.tables).toEqual(["public.t"]);
    expect(change().plan.steps.find((s) => s.action === "verifySchema")?.input.tables).toBeUndefined();
  });

  it("names the tables the statements touch, for the catalog comparison", () => {
    expect(
      tablesNamedIn([
        "ALTER TABLE orders ADD COLUMN coupon text",
        'CREATE TABLE IF NOT EXISTS sales."Refunds" (id bigint primary key)',
        "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS orders_coupon ON ONLY public.orders (coupon)",
        "DROP TABLE IF EXISTS Legacy",
        "UPDATE orders SET coupon = 'x'",
      ]),
    ).toEqual(["public.legacy", "public.orders", "sales.Refunds"]);
  });
});
