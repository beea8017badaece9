import { randomBytes, randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { meridianObjects, registerTestInstance, type TTestServer } from "@meridian/fleet/testing";
import { waitFor } from "./testing/fixtures";
import { useTwoRealServers } from "./testing/test-hooks";
import { queryOn, runPlannedChange } from "./testing/postgres-plans";

/**
 * Data-sync hosting across clusters: ADD_LINK from a real server of one cluster into a
 * registered STANDBY of another cluster (another data center), planned by the planner and run
 * by the real executor with the fleet driver; REMOVE_LINK (filed for the source cluster).
 */
const env = useTwoRealServers();
const key = env.key;

async function runPlanned(kind: "ADD_LINK" | "REMOVE_LINK" | "ADD_REPLICA" | "REMOVE_REPLICA", params: Record<string, unknown>, clusterId: string): Promise<string> {
  return runPlannedChange(env.db.pool, kind, params, clusterId);
}

async function newCluster(name: string): Promise<string> {
  const clusterId = randomUUID();
  await env.db.pool.query(
    `INSERT INTO cluster (id, name, engine, engine_version, team_id, tier, classification, home_jurisdiction_code, allowed_jurisdictions, rpo_seconds, rto_seconds, updated_at)
     SELECT $1, $2, engine, engine_version, team_id, 'T3', 'PUBLIC', home_jurisdiction_code, allowed_jurisdictions, 60, 600, now() FROM cluster ORDER BY name LIMIT 1`,
    [clusterId, name],
  );
  return clusterId;
}

describe("a data-sync link between two clusters on real servers", () => {
  it("ADD_LINK into another cluster's registered standby copies, applies and verifies; REMOVE_LINK leaves nothing", async () => {
    const name = `sync_${randomBytes(3).toString("hex")}`;
    const [a, b] = env.servers as [TTestServer, TTestServer];
    await Promise.all([a.createDatabase(name), b.createDatabase(name)]);
    await queryOn(a, name, `CREATE TABLE items (id int PRIMARY KEY, label text); INSERT INTO items SELECT g, 'item ' || g FROM generate_series(1, 200) g;
                          CREATE TABLE notes (id int PRIMARY KEY, body text); INSERT INTO notes VALUES (1, 'not synced');`);

    const sourceCluster = await newCluster(`src-${name}`);
    const targetCluster = await newCluster(`rpt-${name}`);
    const dcs = await env.db.pool.query<{ id: string }>(
      `SELECT d.id FROM data_center d JOIN cluster c ON c.id = $1
        WHERE d.status = 'ACTIVE' AND d.jurisdiction_code = ANY(c.allowed_jurisdictions || c.home_jurisdiction_code) ORDER BY d.code LIMIT 2`,
      [sourceCluster],
    );
    const [dcA, dcB] = dcs.rows.map((r) => r.id) as [string, string];
    const sourceId = await registerTestInstance(env.db.pool, { key, clusterId: sourceCluster, dataCenterId: dcA, server: a, database: name, role: "PRIMARY", name: `${name}-src` });
    const targetId = await registerTestInstance(env.db.pool, { key, clusterId: targetCluster, dataCenterId: dcB, server: b, database: name, role: "STANDBY", name: `${name}-rpt` });

    await env.startWorker("pg-cross-cluster-test");

    await runPlanned("ADD_LINK", { sourceInstanceId: sourceId, targetDataCenterId: dcB, targetInstanceId: targetId, mode: "LOGICAL", tables: ["items"] }, sourceCluster);
    const link = await env.db.pool.query<{ id: string; status: string; ok: boolean }>(
      `SELECT id, status::text AS status, (verification->>'ok')::boolean AS ok FROM replication_link WHERE source_id = $1 AND target_id = $2`,
      [sourceId, targetId],
    );
    expect(link.rows[0]).toMatchObject({ status: "ACTIVE", ok: true });
    expect((await queryOn(b, name, `SELECT count(*)::int AS n FROM items`)).rows[0].n).toBe(200);
    // Only the subset: notes stays on the source.
    expect((await queryOn(b, name, `SELECT to_regclass('public.notes') AS t`)).rows[0].t).toBeNull();
    await queryOn(a, name, `INSERT INTO items VALUES (5000, 'written after the link')`);
    await waitFor(async () => (await queryOn(b, name, `SELECT label FROM items WHERE id = 5000`)).rows[0]?.label === "written after the link", 10_000, "the row on the other cluster's instance");
    // Both clusters still own their instance: nothing moved in the inventory.
    const owners = await env.db.pool.query<{ id: string; cluster_id: string; role: string }>(`SELECT id, cluster_id, role::text AS role FROM instance WHERE id = ANY($1::uuid[])`, [[sourceId, targetId]]);
    expect(new Map(owners.rows.map((r) => [r.id, [r.cluster_id, r.role]]))).toEqual(new Map([[sourceId, [sourceCluster, "PRIMARY"]], [targetId, [targetCluster, "STANDBY"]]]));

    await runPlanned("REMOVE_LINK", { linkId: link.rows[0]!.id }, sourceCluster);
    const hex = link.rows[0]!.id.replace(/-/g, "");
    const own = (s: TTestServer) => meridianObjects(s, name).then((o) => o.filter((x) => x.endsWith(hex)));
    expect([...(await own(a)), ...(await own(b))]).toEqual([]);
    expect((await env.db.pool.query(`SELECT 1 FROM replication_link WHERE id = $1`, [link.rows[0]!.id])).rows).toEqual([]);
  });
});
