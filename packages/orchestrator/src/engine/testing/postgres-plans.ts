import { randomUUID } from "node:crypto";
import type pg from "pg";
import { type TTestServer } from "@meridian/fleet/testing";
import { planChange } from "../../core/planners";
import { enqueueExecution, getExecution } from "../execution-store";
import { insertRequest, loadFleetSnapshot, waitForStatus } from "./fixtures";

/**
 * Shared by the engine tests on real servers: plan a change from the metadata database's fleet
 * (with each instance's driver kind, as the API's snapshot loads it), file it as approved, let the
 * running worker execute it, and fail with every step's status unless it SUCCEEDED.
 */
export async function runPlannedChange(
  pool: pg.Pool,
  kind: "ADD_LINK" | "REMOVE_LINK" | "ADD_REPLICA" | "REMOVE_REPLICA",
  params: Record<string, unknown>,
  clusterId: string,
): Promise<string> {
  const snapshot = await loadFleetSnapshot(pool);
  const drivers = await pool.query<{ id: string; driver: "POSTGRES" | "SIMULATED" }>(`SELECT id, driver::text AS driver FROM instance`);
  const byId = new Map(drivers.rows.map((r) => [r.id, r.driver]));
  for (const c of snapshot.clusters) for (const i of c.instances) i.driver = byId.get(i.id) ?? "SIMULATED";
  const requestId = randomUUID();
  const planned = planChange({ kind, clusterId, ...params } as Parameters<typeof planChange>[0], snapshot, { requestId });
  await insertRequest(pool, { id: requestId, kind, params: { kind, clusterId, ...params }, plan: planned.plan, clusterId });
  const { executionId } = await enqueueExecution(pool, requestId);
  const status = await waitForStatus(pool, executionId, ["SUCCEEDED", "FAILED", "ROLLED_BACK"], 45_000);
  if (status !== "SUCCEEDED") {
    const view = await getExecution(pool, executionId);
    throw new Error(`${kind} ${status}: ${JSON.stringify(view.steps.map((s) => [s.action, s.status, s.error ?? null]))}`);
  }
  return executionId;
}

/** One statement in a fresh session on a managed server (as an application would run it). */
export async function queryOn(server: TTestServer, database: string, text: string) {
  const c = await server.connect(database);
  try {
    return await c.query(text);
  } finally {
    await c.end();
  }
}

/**
 * A cluster for real servers (copied from the seed's first cluster: team, engine, jurisdictions;
 * tier T3, PUBLIC) and two ACTIVE data centers it may use, for the engine tests on real servers.
 */
export async function insertRealCluster(pool: pg.Pool, name: string): Promise<{ clusterId: string; dcA: string; dcB: string }> {
  const clusterId = randomUUID();
  await pool.query(
    `INSERT INTO cluster (id, name, engine, engine_version, team_id, tier, classification, home_jurisdiction_code, allowed_jurisdictions, rpo_seconds, rto_seconds, updated_at)
     SELECT $1, $2, engine, engine_version, team_id, 'T3', 'PUBLIC', home_jurisdiction_code, allowed_jurisdictions, 60, 600, now() FROM cluster ORDER BY name LIMIT 1`,
    [clusterId, name],
  );
  const dcs = await pool.query<{ id: string }>(
    `SELECT d.id FROM data_center d JOIN cluster c ON c.id = $1
      WHERE d.status = 'ACTIVE' AND d.jurisdiction_code = ANY(c.allowed_jurisdictions || c.home_jurisdiction_code) ORDER BY d.code LIMIT 2`,
    [clusterId],
  );
  const [dcA, dcB] = dcs.rows.map((r) => r.id) as [string, string];
  return { clusterId, dcA, dcB };
}
