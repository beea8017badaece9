import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { testServerUrl } from "@meridian/db/testing";
import { createSimulatedDriver } from "@meridian/fleet";
import { type TChangeParamsInput } from "@meridian/policy";
import { CLUSTER, DC, I, L, fleet } from "../test/fleet-fixture";
import { planChange } from "../core/planners";
import { type TFleetSnapshot } from "../core/snapshot";
import { enqueueExecution, getExecution } from "./execution-store";
import { createFleetDatabase, insertRequest, loadFleetSnapshot, waitForStatus, withFastRetries, type TTrialDatabase } from "./testing/fixtures";
import { startWorker } from "./worker";

/**
 * Every change kind the planners make, run by the engine on the simulated fleet (the planners'
 * test fleet, loaded into a real database): run forward, the fleet ends exactly as the planner
 * said it would ("after"); made to fail at its last step, the compensations put the fleet back
 * exactly as it was.
 */
const CHANGES: [string, TChangeParamsInput][] = [
  ["ADD_REPLICA", { kind: "ADD_REPLICA", clusterId: CLUSTER.payments, dataCenterId: DC.ams1 }],
  ["REMOVE_REPLICA", { kind: "REMOVE_REPLICA", clusterId: CLUSTER.payments, instanceId: I("payments-eu-01-ams1-r2") }],
  ["ADD_LINK to a new sync target", { kind: "ADD_LINK", clusterId: CLUSTER.payments, sourceInstanceId: I("payments-eu-01-fra1-p1"), targetDataCenterId: DC.lon1 }],
  [
    "ADD_LINK to an existing instance",
    { kind: "ADD_LINK", clusterId: CLUSTER.catalog, sourceInstanceId: I("catalog-us-fra1-r1"), targetDataCenterId: DC.iad1, targetInstanceId: I("catalog-us-iad1-r1") },
  ],
  ["REMOVE_LINK", { kind: "REMOVE_LINK", clusterId: CLUSTER.orders, linkId: L("orders-eu-uk-lon1-r1", "orders-eu-uk-fra1-r2") }],
  ["SWITCHOVER", { kind: "SWITCHOVER", clusterId: CLUSTER.orders, replicaInstanceId: I("orders-eu-uk-lon1-r1") }],
  ["FAILOVER", { kind: "FAILOVER", clusterId: CLUSTER.payments, reason: "fra1 lost power at 03:12" }],
  ["MOVE_PRIMARY_REGION", { kind: "MOVE_PRIMARY_REGION", clusterId: CLUSTER.search, targetDataCenterId: DC.ams1 }],
  [
    "SCHEMA_CHANGE",
    { kind: "SCHEMA_CHANGE", clusterId: CLUSTER.orders, sql: "ALTER TABLE t ADD COLUMN c int", rollbackSql: "ALTER TABLE t DROP COLUMN c" },
  ],
  ["DRAIN_DATACENTER", { kind: "DRAIN_DATACENTER", dataCenterId: DC.ams1, reason: "hardware refresh" }],
];

/** What a person sees of the fleet: who is where with which role, who replicates from whom, data center status and usage. */
function topology(s: TFleetSnapshot) {
  return {
    dataCenters: s.dataCenters.map((d) => `${d.code} ${d.status} ${d.usedSlots}/${d.capacitySlots}`).sort(),
    instances: s.clusters.flatMap((c) => c.instances.map((i) => `${c.name} ${i.id} ${i.role} @${i.dataCenterId}`)).sort(),
    links: s.clusters.flatMap((c) => c.links.map((l) => `${l.id} ${l.sourceId} -> ${l.targetId} ${l.mode}`)).sort(),
  };
}

let db: TTrialDatabase | null = null;
afterEach(async () => {
  await db?.drop();
  db = null;
});

async function run(database: TTrialDatabase, params: TChangeParamsInput, failLastStep: boolean) {
  const snapshot = await loadFleetSnapshot(database.pool);
  const requestId = randomUUID();
  const planned = planChange(params, snapshot, { requestId });
  const plan = withFastRetries(planned.plan, 2, 5, 10_000);
  await insertRequest(database.pool, { id: requestId, kind: plan.kind, params, plan, clusterId: "clusterId" in params ? params.clusterId : null });
  const driver = createSimulatedDriver({
    durationScale: 0,
    faults: failLastStep ? [{ kind: "fail", stepIndex: plan.steps.length - 1, retryable: false, message: "the last step fails" }] : [],
  });
  const worker = startWorker({ databaseUrl: database.url, workerId: `kinds-${requestId.slice(0, 6)}`, pollMs: 50, leaseMs: 5_000, driver, enqueueApproved: false });
  try {
    const { executionId } = await enqueueExecution(database.pool, requestId);
    const status = await waitForStatus(database.pool, executionId, ["SUCCEEDED", "ROLLED_BACK", "FAILED"], 30_000);
    const view = await getExecution(database.pool, executionId);
    return { status, view, planned, before: snapshot, afterRun: await loadFleetSnapshot(database.pool) };
  } finally {
    await worker.stop();
  }
}

describe("every change kind on the simulated fleet", () => {
  it.each(CHANGES)("%s: rolls back to exactly the fleet before, then runs to exactly the planned fleet", async (_label, params) => {
    db = await createFleetDatabase(testServerUrl(), fleet());

    const rolledBack = await run(db, params, true);
    expect(rolledBack.status, rolledBack.view.error ?? "").toBe("ROLLED_BACK");
    expect(topology(rolledBack.afterRun)).toEqual(topology(rolledBack.before));

    const done = await run(db, params, false);
    expect(done.status, done.view.error ?? done.view.steps.map((s) => s.error).join(" | ")).toBe("SUCCEEDED");
    expect(topology(done.afterRun)).toEqual(topology(done.planned.after));
  });
});
