import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { meridianObjects, registerTestInstance, type TTestServer } from "@meridian/fleet/testing";
import { waitFor } from "./testing/fixtures";
import { useTwoRealServers } from "./testing/test-hooks";
import { insertRealCluster, queryOn, runPlannedChange } from "./testing/postgres-plans";

/**
 * ADD_LINK and REMOVE_LINK between two real PostgreSQL env.servers, planned by the planner and run
 * by the real executor with the fleet driver (the routing driver sends the steps on POSTGRES
 * instances to the postgres driver, the rest to the simulated one).
 */
const env = useTwoRealServers();
const key = env.key;

async function runPlanned(kind: "ADD_LINK" | "REMOVE_LINK" | "ADD_REPLICA" | "REMOVE_REPLICA", params: Record<string, unknown>, clusterId: string): Promise<string> {
  return runPlannedChange(env.db.pool, kind, params, clusterId);
}

describe("links on real servers through the engine", () => {
  it("ADD_LINK plans, runs and verifies a link; REMOVE_LINK leaves nothing; ADD_REPLICA and REMOVE_REPLICA into a registered standby", async () => {
    const name = `shop_${randomBytes(3).toString("hex")}`;
    const [a, b] = env.servers as [TTestServer, TTestServer];
    await Promise.all([a.createDatabase(name), b.createDatabase(name)]);
    await queryOn(a, name, `CREATE TABLE items (id int PRIMARY KEY, label text); INSERT INTO items SELECT g, 'item ' || g FROM generate_series(1, 300) g;`);

    // A cluster of two real servers in two data centers.
    const { clusterId, dcA, dcB } = await insertRealCluster(env.db.pool, `real-${name}`);
    const sourceId = await registerTestInstance(env.db.pool, { key, clusterId, dataCenterId: dcA, server: a, database: name, role: "PRIMARY", name: `${name}-src` });
    const targetId = await registerTestInstance(env.db.pool, { key, clusterId, dataCenterId: dcB, server: b, database: name, role: "STANDBY", name: `${name}-dst` });

    await env.startWorker("pg-engine-test");

    const t0 = Date.now();
    await runPlanned("ADD_LINK", { sourceInstanceId: sourceId, targetDataCenterId: dcB, targetInstanceId: targetId, mode: "LOGICAL" }, clusterId);
    const addLinkMs = Date.now() - t0;
    const link = await env.db.pool.query<{ id: string; status: string; ok: boolean }>(
      `SELECT id, status::text AS status, (verification->>'ok')::boolean AS ok FROM replication_link WHERE source_id = $1 AND target_id = $2`,
      [sourceId, targetId],
    );
    expect(link.rows[0]).toMatchObject({ status: "ACTIVE", ok: true });
    expect((await queryOn(b, name, `SELECT count(*)::int AS n FROM items`)).rows[0].n).toBe(300);
    await queryOn(a, name, `INSERT INTO items VALUES (1000, 'after the plan')`);
    await waitFor(async () => (await queryOn(b, name, `SELECT 1 FROM items WHERE id = 1000`)).rows.length === 1, 10_000, "the row on the target");

    await runPlanned("REMOVE_LINK", { linkId: link.rows[0]!.id }, clusterId);
    const own = (s: TTestServer) => meridianObjects(s, name).then((o) => o.filter((x) => x.endsWith(link.rows[0]!.id.replace(/-/g, ""))));
    expect([...(await own(a)), ...(await own(b))]).toEqual([]);
    console.log(`ADD_LINK through the engine on two real servers (300 rows): ${addLinkMs} ms`);

    // ADD_REPLICA: a registered empty standby (another database on B) subscribes to the primary
    // and is registered as REPLICA once its data is verified; REMOVE_REPLICA leaves nothing.
    const other = `${name}_r`;
    await b.createDatabase(other);
    const standbyId = await registerTestInstance(env.db.pool, { key, clusterId, dataCenterId: dcB, server: { ...b }, database: other, role: "STANDBY", name: `${name}-r1` });
    // The standby's database is `other` on B, the source's is `name` on A: the subscription connects to the source's.
    await runPlanned("ADD_REPLICA", { dataCenterId: dcB, targetInstanceId: standbyId, mode: "LOGICAL" }, clusterId);
    const role = await env.db.pool.query<{ role: string }>(`SELECT role::text AS role FROM instance WHERE id = $1`, [standbyId]);
    expect(role.rows[0]!.role).toBe("REPLICA");
    const replicaLink = await env.db.pool.query<{ id: string; status: string }>(`SELECT id, status::text AS status FROM replication_link WHERE target_id = $1`, [standbyId]);
    expect(replicaLink.rows[0]!.status).toBe("ACTIVE");
    expect((await queryOn(b, other, `SELECT count(*)::int AS n FROM items`)).rows[0].n).toBe(301);

    await runPlanned("REMOVE_REPLICA", { instanceId: standbyId, allowLastReplica: true }, clusterId);
    const linkHex = replicaLink.rows[0]!.id.replace(/-/g, "");
    const left = [...(await meridianObjects(a, name)), ...(await meridianObjects(b, other))].filter((o) => o.endsWith(linkHex));
    expect(left).toEqual([]);
    expect((await env.db.pool.query(`SELECT 1 FROM replication_link WHERE target_id = $1`, [standbyId])).rows).toEqual([]);
  });
});
